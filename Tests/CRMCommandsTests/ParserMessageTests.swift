import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// What the parser says about a command line that is wrong: the problem, not a side effect of it.
@Suite struct ParserMessageTests {
    @Test func negativeNumbersAreValuesThatAreRefusedAsSuch() {
        let cli = CLI()
        let board = cli.run("board", "--limit", "-1")
        #expect(board.code == 64 && board.err.contains("must not be negative"), "\(board)")
        let list = cli.run("element", "list", "--limit", "-3")
        #expect(list.code == 64 && list.err.contains("must not be negative"), "\(list)")
        let seconds = cli.run("trigger", "add", "--on", "chat.answer_late", "--seconds", "-5", "--pipeline", "lead", "--stage", "JUNK")
        #expect(seconds.err.contains("--seconds") && !seconds.err.contains("Missing value"), "\(seconds)")
    }

    @Test func helpForAnUnknownCommandAndAGroupAloneAreUsageErrors() {
        let cli = CLI()
        let help = cli.runArgs(["help", "nope"])
        #expect(help.code == 64 && help.err.contains("unknown command \"nope\""), "\(help)")
        #expect(cli.runArgs(["help", "element", "list"]).code == 0)
        let group = cli.runArgs(["element"])
        #expect(group.code == 64 && group.err.contains("USAGE: crmctl element <subcommand>"), "\(group)")
        let json = cli.runArgs(["--json", "element"])
        #expect(json.code == 64 && str(json.errorObject["message"])?.hasPrefix("crmctl element needs a command") == true, "\(json)")
    }

    @Test func aTimeThatIsNotOneSaysWhatATimeLooksLike() {
        let cli = CLI()
        let report = cli.run("report", "--since", "yesterday")
        #expect(report.code == 64 && report.err.contains("RFC 3339"), "\(report)")
        let events = cli.run("event", "list", "--since", "soon")
        #expect(events.code == 64 && events.err.contains("RFC 3339"), "\(events)")
    }

    @Test func aMistypedOptionIsNamedWithTheNearestOne() {
        let cli = CLI()
        let typo = cli.run("lead", "create", "--titl", "X")
        #expect(typo.code == 64 && typo.err == "crmctl: error: unknown option '--titl' (did you mean '--title'?)\n", "\(typo)")
        let far = cli.run("lead", "create", "--title", "X", "--frobnicate")
        #expect(far.code == 64 && far.err.contains("unknown option '--frobnicate' (see crmctl lead create --help)"), "\(far)")
        let json = cli.run("lead", "create", "--titel=X", "--json")
        #expect(json.code == 64 && str(json.errorObject["message"]) == "unknown option '--titel' (did you mean '--title'?)", "\(json)")
    }

    @Test func aNegativeIdAndAnUnknownCommandAreNamedAsSuch() {
        let cli = CLI()
        let negative = cli.run("element", "show", "-1")
        #expect(negative.code == 64 && negative.err.contains("-1 is not an id"), "\(negative)")
        let unknown = cli.runArgs(["element", "frob"])
        #expect(unknown.code == 64 && unknown.err.contains("unknown command \"frob\" (see crmctl element --help)"), "\(unknown)")
        let empty = cli.run("event", "explain", "")
        #expect(empty.code == 64, "\(empty)")
    }

    @Test func aDefaultIsShownOnce() {
        let help = CLI().runArgs(["board", "--help"])
        #expect(help.code == 0 && !help.out.contains("(default: lead). (default: lead)") && help.out.contains("(default: lead)"), "\(help)")
    }
}
