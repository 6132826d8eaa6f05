import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// One rule for names and values, whichever command gives them.
@Suite struct ConsistencyTests {
    @Test func theElementsOwnNamesAreNeverFreeFields() {
        let cli = CLI()
        let lead = cli.lead()
        for name in ["stage", "pipeline", "id", "created_at", "responsible"] {
            #expect(cli.run("lead", "create", "--title", "X", "--field", "\(name)=1").code == 65, "create --field \(name)")
            #expect(cli.run("element", "set", String(lead), "--field", "\(name)=1").code == 65, "set --field \(name)")
            #expect(cli.run("rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "set", "--field", "\(name)=1").code == 65,
                    "rule --field \(name)")
        }
        #expect(cli.stage(lead) == "NEW")
        #expect((cli.element(lead)["fields"] as? [String: String])?.isEmpty == true)
    }

    @Test func contactsAreKeptWithoutSurroundingSpaces() {
        let cli = CLI()
        let lead = cli.lead("L", "--email", " a@x.com ", "--phone", " +49 1 ")
        #expect(str(cli.element(lead)["email"]) == "a@x.com" && str(cli.element(lead)["phone"]) == "+49 1")
        #expect(cli.run("element", "set", String(lead), "--email", "  b@x.com").code == 0)
        #expect(str(cli.element(lead)["email"]) == "b@x.com")
    }

    @Test func anNDJSONFileMayStartWithAByteOrderMark() {
        let cli = CLI()
        let lead = cli.lead()
        let run = cli.run("event", "ingest", stdin: "\u{FEFF}" + #"{"type":"call.missed","element":\#(lead)}"# + "\n")
        #expect(run.code == 0, "\(run)")
        #expect(str(run.lines.first?["status"]) == "recorded")
        let imported = cli.run("element", "import", stdin: "\u{FEFF}" + #"{"type":"lead","title":"BOM"}"# + "\n")
        #expect(imported.code == 0, "\(imported)")
    }

    @Test func explainNamesADefaultNamedTriggerOnceAndShowAligns() {
        let cli = CLI()
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "JUNK", "--name", "spam")
        let lead = cli.lead()
        _ = cli.inject("--type", "call.missed", "--element", String(lead), "--key", "c")
        let text = cli.run("event", "explain", "c").out
        #expect(text.contains("trigger 1 (call.missed → IN_PROCESS): applied"), "\(text)")
        #expect(text.contains("trigger 2 (spam → JUNK): earlier_trigger_applied"), "\(text)")
        let deal = cli.deal()
        _ = cli.run("document", "create", "--element", String(deal), "--template", "offer", "--ref", "O-1")
        let shown = cli.run("document", "show", "O-1").out.split(separator: "\n")
        let columns = Set(shown.map { line in line.distance(from: line.startIndex, to: line.firstIndex(of: ":")!) + 1
            + line.dropFirst(line.distance(from: line.startIndex, to: line.firstIndex(of: ":")!) + 1).prefix { $0 == " " }.count })
        #expect(columns.count == 1, "values start in one column: \(shown)")
    }
}
