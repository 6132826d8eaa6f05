import ArgumentParser
import Testing

@testable import CRMCommands

/// A line that names a command without subcommands is parsed by that command alone (start-up time); it must
/// come out exactly as the whole tree parses it, and everything else must be the tree's.
@Suite struct LeafParsingTests {
    static let lines: [[String]] = [
        ["event", "inject", "--type", "call.missed", "--element", "5", "--key", "k", "--set", "line=hotline",
         "--set", "x=y", "--db", "a.db", "--json"],
        ["event", "inject", "--type", "call.missed", "--email", "a@b.c", "--dry-run", "--at", "2026-01-01T10:00:00Z"],
        ["event", "inject", "--type", "call.missed", "--element", "-5"],
        ["event", "inject", "--type", "call.missed"],
        ["event", "inject", "--type", "call.missed", "--element", "5", "--help"],
        ["event", "inject", "-h"],
        ["event", "inject", "--version"],
        ["event", "inject", "--type", "call.missed", "--element", "5", "extra"],
        ["event", "inject", "--typ", "call.missed"],
        ["event", "inject", "--generate-completion-script", "bash"],
        ["event", "inject", "--experimental-dump-help"],
        ["lead", "create", "--title", "A", "--email", "a@b.c"],
        ["element", "show", "5", "--json"],
        ["element", "list", "--limit", "-3"],
        ["element", "move", "5", "--stage", "WON", "--db", "x.db"],
        ["trigger", "add", "--on", "chat.answer_late", "--seconds", "5", "--pipeline", "lead", "--stage", "JUNK"],
        ["board", "--limit", "2"],
        ["report", "--since", "yesterday"],
        ["outbox", "list"],
        ["tick", "--limit", "5", "--dry-run"],
        ["history", "7", "--", "--json"],
        ["help", "event", "inject"],
        ["event", "help", "inject"],
        ["event"],
        ["--version"],
        [],
    ]

    @Test(arguments: lines) func aLineParsesAsTheWholeTreeParsesIt(_ line: [String]) {
        switch (Result { try CRMCtl.parseAsRoot(line) }, Result { try CRMCtl.parseCommandLine(line) }) {
        case let (.success(tree), .success(leaf)):
            #expect(type(of: tree) == type(of: leaf))
            #expect(String(describing: tree) == String(describing: leaf))
        case let (.failure(tree), .failure(leaf)):
            #expect(CRMCtl.fullMessage(for: tree) == CRMCtl.fullMessage(for: leaf))
            #expect(CRMCtl.exitCode(for: tree) == CRMCtl.exitCode(for: leaf))
        case let (tree, leaf):
            Issue.record("the tree gave \(tree), the command alone \(leaf)")
        }
    }

    @Test func everyCommandWithoutSubcommandsIsFoundByItsNames() {
        var leaves = 0
        func visit(_ command: ParsableCommand.Type, path: [String]) {
            let subcommands = command.configuration.subcommands
            guard subcommands.isEmpty else {
                for subcommand in subcommands { visit(subcommand, path: path + [subcommand._commandName]) }
                #expect(CRMCtl.leafCommand(namedBy: path) == nil, "\(path)")
                return
            }
            leaves += 1
            let found = CRMCtl.leafCommand(namedBy: path + ["--json"])
            #expect(found?.0 == command && found?.1 == path.count, "\(path)")
        }
        visit(CRMCtl.self, path: [])
        #expect(leaves > 50)
        #expect(CRMCtl.leafCommand(namedBy: ["help", "event", "inject"]) == nil)
        #expect(CRMCtl.leafCommand(namedBy: ["--json", "event", "inject"]) == nil)
        #expect(CRMCtl.leafCommand(namedBy: ["event", "frob"]) == nil)
    }
}
