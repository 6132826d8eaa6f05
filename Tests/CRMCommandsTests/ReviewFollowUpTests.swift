import CRMTestSupport
import Foundation
import Testing

/// Behaviour settled after a black-box review of SPEC §3 (see README "Choices where the specification is
/// silent").
@Suite struct ReviewFollowUpTests {
    @Test func documentCreateJSONIsTheObjectAndTheEventResult() {
        let cli = CLI()
        let deal = cli.deal()
        let run = cli.run("document", "create", "--element", String(deal), "--template", "offer", "--ref", "O-1", "--json")
        #expect(run.code == 0, "\(run)")
        let object = run.object
        #expect(int(object["id"]) != nil)
        #expect(str(object["template"]) == "offer")
        #expect(str(object["ref"]) == "O-1")
        #expect(int(object["element"]) == deal)
        #expect(str(object["type"]) == "document.created")
        #expect(int(object["event"]) != nil)
        #expect(str((object["document"] as? [String: Any])?["ref"]) == "O-1")
    }

    @Test func aPipelineMayBeNamedByItsName() {
        let cli = CLI()
        let byName = cli.run("pipeline", "show", "General", "--json")
        #expect(byName.code == 0, "\(byName)")
        #expect(int(byName.object["id"]) == 2)
        #expect(cli.run("pipeline", "show", "Nowhere").code == 66)
        #expect(cli.run("deal", "create", "--title", "X", "--pipeline", "General").code == 0)
    }

    @Test func anUnknownEventTypeInAListFilterIsBadData() {
        let cli = CLI()
        let run = cli.run("event", "list", "--type", "call.lost", "--json")
        #expect(run.code == 65, "\(run)")
        #expect(run.out.isEmpty)
        #expect(str(run.errorObject["code"]) == "unknown_type")
    }

    @Test func quietSuccessesPrintDataOnly() {
        let cli = CLI()
        let initRun = cli.run("init")
        #expect(initRun.trimmed == cli.db)
        #expect(initRun.err.isEmpty)
        let id = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let removed = cli.run("trigger", "remove", String(id))
        #expect(removed.trimmed == String(id))
        #expect(removed.err.isEmpty)
    }

    @Test func globalOptionsMayComeBetweenAGroupAndItsCommand() {
        let cli = CLI()
        let lead = cli.lead()
        let run = cli.runArgs(["element", "--db", cli.db, "--json", "show", String(lead)])
        #expect(run.code == 0, "\(run)")
        #expect(int(run.object["id"]) == lead)
    }

    @Test func anUnterminatedQuoteInAConditionIsRefused() {
        let cli = CLI()
        let run = cli.run("trigger", "add", "--on", "call.missed", "--pipeline", "lead", "--stage", "JUNK", "--if", "city = \"Bad Ems")
        #expect(run.code == 65, "\(run)")
    }

    @Test func anElementCannotLoseItsTitle() {
        let cli = CLI()
        let lead = cli.lead("Kept")
        #expect(cli.run("element", "set", String(lead), "--title", "").code == 65)
        #expect(str(cli.element(lead)["title"]) == "Kept")
    }

    /// An empty user name is no name: the author falls back as if `--as` or `--by` were not given.
    @Test func anEmptyUserNameFallsBack() {
        let cli = CLI()
        let trigger = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--as", "")
        #expect(cli.run("trigger", "show", String(trigger), "--json").object["as"] is NSNull)
        let lead = cli.lead("Anna's", "--responsible", "anna")
        let moved = cli.inject("--type", "call.missed", "--element", String(lead), "--by", "")
        #expect(moves(moved).map(\.trigger) == [trigger])
        #expect(cli.run("element", "move", String(lead), "--stage", "NEW", "--as", "").code == 0)
        let history = cli.history(lead)
        #expect(history.filter { str($0["kind"]) == "stage_changed" }.map { str($0["author"]) } == ["anna", "anna"])
        #expect(history.filter { str($0["kind"]) == "call.missed" }.map { str($0["author"]) } == ["system"])
    }

    /// The parser would blame the moved `--json` for a wrong or missing command.
    @Test func aUsageErrorNamesTheCommandNotTheGlobalOption() {
        let cli = CLI()
        let unknown = cli.run("--json", "frob")
        #expect(unknown.code == 64)
        #expect(str(unknown.errorObject["message"])?.contains("frob") == true, "\(unknown)")
        for arguments in [["--json"], ["lead", "--json"]] {
            let missing = cli.runArgs(arguments)
            #expect(missing.code == 64, "\(arguments): \(missing)")
            #expect(str(missing.errorObject["message"])?.contains("needs a command") == true, "\(missing)")
            #expect(missing.out.isEmpty)
        }
    }

    /// `--db "$UNSET"` is a mistake to report, not a reason to open `$CRMCTL_DB` or `./crm.db` instead.
    @Test func anEmptyDatabasePathIsAUsageError() {
        let cli = CLI()
        _ = cli.lead()
        let run = cli.runArgs(["element", "list", "--db", ""], env: ["CRMCTL_DB": cli.db])
        #expect(run.code == 64, "\(run)")
        #expect(run.out.isEmpty)
        #expect(run.err.contains("--db"))
        let fromEnvironment = cli.runArgs(["element", "list", "--json"], env: ["CRMCTL_DB": cli.db])
        #expect(fromEnvironment.array.count == 1, "\(fromEnvironment)")
    }

    @Test func aStageMissingFromTheTypesPipelinesSaysWhichWereSearched() {
        let cli = CLI()
        let run = cli.run("element", "list", "--type", "lead", "--stage", "WON")
        #expect(run.code == 66)
        #expect(run.err.contains("no lead pipeline has a stage WON"), "\(run)")
    }

    /// A group named without its command is a usage error with the help on stderr; asking for help is not.
    @Test func aGroupWithoutItsCommandIsAUsageError() {
        let cli = CLI()
        for arguments in [[], ["lead"], ["trigger"]] {
            let run = cli.runArgs(arguments)
            #expect(run.code == 64, "\(arguments): \(run)")
            #expect(run.out.isEmpty, "\(arguments): \(run)")
            #expect(run.err.contains("needs a command") && run.err.contains("USAGE:"), "\(arguments): \(run)")
        }
        for arguments in [["--help"], ["help"], ["lead", "--help"], ["help", "lead"]] {
            let run = cli.runArgs(arguments)
            #expect(run.code == 0, "\(arguments): \(run)")
            #expect(run.out.contains("USAGE:"), "\(arguments): \(run)")
        }
    }
}
