import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// man/crmctl.1 is kept by hand; these tests hold it to the commands and options the parser knows.
@Suite struct ManualPageTests {
    struct Command {
        var path: String
        var options: [String]
    }

    static let page = (try? String(contentsOf: TestPaths.file("man/crmctl.1"), encoding: .utf8)) ?? ""

    /// Every command that runs (no group, no `help`) with its long options, from the parser's own description.
    static let commands: [Command] = {
        let io = ProcessIO.memory()
        _ = CRMCtl.run(["--experimental-dump-help"], io: io)
        let root = ((parseJSON(io.output.text) as? [String: Any])?["command"] as? [String: Any]) ?? [:]
        var found: [Command] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let subcommands = (command["subcommands"] as? [[String: Any]]) ?? []
            if subcommands.isEmpty, path.last != "help", !path.isEmpty {
                let options = ((command["arguments"] as? [[String: Any]]) ?? []).flatMap { argument -> [String] in
                    guard (argument["shouldDisplay"] as? Bool) != false else { return [] }
                    return ((argument["names"] as? [[String: Any]]) ?? []).filter { str($0["kind"]) == "long" }
                        .compactMap { str($0["name"]) }
                }
                found.append(Command(path: path.joined(separator: " "), options: options))
            }
            for subcommand in subcommands { walk(subcommand, path + [str(subcommand["commandName"]) ?? "?"]) }
        }
        walk(root, [])
        return found
    }()

    /// The text of the page's `.SS PATH` section, up to the next section.
    static func section(_ path: String) -> String? {
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: ".SS \(path)") else { return nil }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix(".SS ") || $0.hasPrefix(".SH ") } ?? lines.count
        return lines[start..<end].joined(separator: "\n")
    }

    @Test func theParserKnowsTheNewCommands() {
        let paths = Self.commands.map(\.path)
        #expect(paths.count >= 30)
        for path in ["board", "report", "element import", "event ingest"] { #expect(paths.contains(path)) }
    }

    @Test func everyCommandHasItsSection() {
        #expect(!Self.page.isEmpty, "man/crmctl.1 is missing")
        for command in Self.commands {
            #expect(Self.section(command.path) != nil, "man/crmctl.1 has no \".SS \(command.path)\"")
        }
    }

    @Test func everyOptionOfEveryCommandIsDescribedInItsSection() {
        let global: Set<String> = ["db", "json", "help", "version"]
        for command in Self.commands {
            guard let section = Self.section(command.path) else { continue }
            for option in command.options where !global.contains(option) {
                let roff = "\\-\\-" + option.replacingOccurrences(of: "-", with: "\\-")
                #expect(section.contains(roff), "man/crmctl.1: \(command.path) does not describe --\(option)")
            }
        }
        for option in global {
            #expect(Self.page.contains("\\-\\-\(option)"), "man/crmctl.1 does not describe --\(option)")
        }
    }

    @Test func theStandardSectionsAreThere() {
        for heading in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"] {
            #expect(Self.page.contains(".SH \(heading)") || Self.page.contains(".SH \"\(heading)\""), "no \(heading) section")
        }
        for code in ["64", "65", "66", "74", "75"] { #expect(Self.page.contains(".B \(code)") || Self.page.contains("\(code)\n")) }
        for variable in ["CRMCTL_DB", "CRMCTL_NOW", "CRMCTL_BUSY_TIMEOUT_MS", "COLUMNS", "NO_COLOR"] {
            #expect(Self.page.contains(variable), "ENVIRONMENT does not name \(variable)")
        }
    }

    /// The README and the man page are all a user has (no file outside the repository is named): each lists
    /// every event type, trigger code and rule action the binary knows, and every exit code.
    @Test func theReadmeAndThePageNameEveryTypeCodeActionAndExitCode() throws {
        let readme = try String(contentsOf: TestPaths.file("README.md"), encoding: .utf8)
        func names(_ arguments: String..., key: String) -> [String] {
            let io = ProcessIO.memory()
            _ = CRMCtl.run(arguments + ["--json", "--db", "/nonexistent/unused.db"], io: io)
            return ((parseJSON(io.output.text) as? [[String: Any]]) ?? []).compactMap { str($0[key]) }
        }
        let types = names("event", "types", key: "type")
        let codes = names("trigger", "codes", key: "code")
        let actions = names("rule", "actions", key: "action")
        #expect(types.count >= 18 && codes.count >= 24 && actions.count >= 9, "\(types) \(codes) \(actions)")
        for name in types + codes + actions {
            #expect(readme.contains("| `\(name)` |"), "README's reference has no row for \(name)")
            #expect(Self.page.contains("\\fB\(name.replacingOccurrences(of: "-", with: "\\-"))\\fR"), "the man page does not list \(name)")
        }
        for code in ["0", "1", "64", "65", "66", "69", "74", "75"] {
            #expect(readme.contains("| \(code) |"), "README's exit codes have no \(code)")
        }
        #expect(!readme.contains("../shared") && !Self.page.contains("../shared") && !readme.contains("SPEC.md"))
    }
}
