import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §2–3: pipeline list/show/create and stage add.
@Suite struct PipelineCommandTests {
    static func codes(_ pipeline: [String: Any]) -> [String] {
        ((pipeline["stages"] as? [Any]) ?? []).compactMap { ($0 as? [String: Any])?["code"] as? String }
    }

    static func semantics(_ pipeline: [String: Any]) -> [String] {
        ((pipeline["stages"] as? [Any]) ?? []).compactMap { ($0 as? [String: Any])?["semantic"] as? String }
    }

    @Test func listFiltersByType() {
        let cli = CLI()
        let leads = cli.run("pipeline", "list", "--type", "lead", "--json")
        #expect(leads.code == 0)
        #expect(leads.array.map { int($0["id"]) } == [1])
        let deals = cli.run("pipeline", "list", "--type", "deal", "--json")
        #expect(deals.array.map { int($0["id"]) } == [2])
        let text = cli.run("pipeline", "list")
        #expect(text.code == 0)
        #expect(text.err.isEmpty)
        #expect(text.out.contains("Leads") && text.out.contains("General"))
        let bad = cli.run("pipeline", "list", "--type", "contact")
        #expect(bad.code == 64, "\(bad)")
        #expect(bad.out.isEmpty)
    }

    @Test func showUnknownPipelineIs66() {
        let cli = CLI()
        let run = cli.run("pipeline", "show", "99")
        #expect(run.code == 66, "\(run)")
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("crmctl: error: "))
        let json = cli.run("pipeline", "show", "99", "--json")
        #expect(json.code == 66)
        #expect(json.out.isEmpty)
        #expect(str(json.errorObject["code"]) == "not_found", "\(json)")
    }

    @Test func createDealPipelinePrintsIdOrObject() {
        let cli = CLI()
        let text = cli.run("pipeline", "create", "--type", "deal", "--name", "Wholesale", "--stages",
                           "NEW:New,TALK:Talking,WON:Won:success,LOST:Lost:failure")
        #expect(text.code == 0, "\(text)")
        #expect(text.err.isEmpty)
        #expect(text.out == "3\n")
        let json = cli.run("pipeline", "create", "--type", "deal", "--name", "Retail", "--stages",
                           "A:First,B:Second:process,W:Won:success,L1:Lost:failure,L2:Gone:failure", "--json")
        #expect(json.code == 0, "\(json)")
        expectKeys(json.object, "id type name stages")
        #expect(int(json.object["id"]) == 4)
        #expect(str(json.object["type"]) == "deal")
        #expect(str(json.object["name"]) == "Retail")
        #expect(Self.codes(json.object) == ["A", "B", "W", "L1", "L2"])
        #expect(Self.semantics(json.object) == ["process", "process", "success", "failure", "failure"])
        let shown = cli.run("pipeline", "show", "3", "--json")
        #expect(Self.codes(shown.object) == ["NEW", "TALK", "WON", "LOST"])
        #expect(cli.run("pipeline", "list", "--type", "deal", "--json").array.map { int($0["id"]) } == [2, 3, 4])
    }

    @Test func leadPipelineCannotBeCreated() {
        let cli = CLI()
        let run = cli.run("pipeline", "create", "--type", "lead", "--name", "Second",
                          "--stages", "NEW:New,WON:Won:success,LOST:Lost:failure")
        #expect(run.code == 65, "\(run)")
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("crmctl: error: "))
        #expect(cli.run("pipeline", "list", "--json").array.count == 2)
    }

    @Test(arguments: [
        "NEW:New,LOST:Lost:failure",  // no success stage
        "NEW:New,WON:Won:success",  // no failure stage
        "WON:Won:success,LOST:Lost:failure",  // no process stage
        "NEW:New,W1:Won:success,W2:Won too:success,LOST:Lost:failure",  // two success stages
        "NEW:New,WON:Won:success,LATE:Late,LOST:Lost:failure",  // a process stage after a success stage
        "NEW:New,NEW:Again,WON:Won:success,LOST:Lost:failure",  // duplicate code
        "new:New,WON:Won:success,LOST:Lost:failure",  // code not [A-Z0-9_]+
    ])
    func badStageRulesAre65(stages: String) {
        let cli = CLI()
        let run = cli.run("pipeline", "create", "--type", "deal", "--name", "Bad", "--stages", stages)
        #expect(run.code == 65, "\(stages): \(run)")
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("crmctl: error: "))
        #expect(cli.run("pipeline", "list", "--json").array.count == 2)
    }

    @Test(arguments: [
        "NEW",  // no name
        "NEW:New:success:extra,WON:Won:success,LOST:Lost:failure",
        "NEW:New:won,WON:Won:success,LOST:Lost:failure",  // unknown semantic
        ":New,WON:Won:success,LOST:Lost:failure",
    ])
    func malformedStagesOptionIs64(stages: String) {
        let cli = CLI()
        let run = cli.run("pipeline", "create", "--type", "deal", "--name", "Bad", "--stages", stages)
        #expect(run.code == 64, "\(stages): \(run)")
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("crmctl: error: "))
    }

    @Test func stageAddWithoutAfterPutsProcessAfterLastProcessAndClosedAtTheEnd() {
        let cli = CLI()
        let process = cli.run("stage", "add", "--pipeline", "lead", "--code", "QUALIFIED", "--name", "Qualified", "--json")
        #expect(process.code == 0, "\(process)")
        #expect(process.err.isEmpty)
        #expect(Self.codes(process.object) == ["NEW", "IN_PROCESS", "PROCESSED", "QUALIFIED", "CONVERTED", "JUNK"])
        let failure = cli.run("stage", "add", "--pipeline", "lead", "--code", "SPAM", "--name", "Spam", "--semantic", "failure", "--json")
        #expect(failure.code == 0, "\(failure)")
        #expect(Self.codes(failure.object) == ["NEW", "IN_PROCESS", "PROCESSED", "QUALIFIED", "CONVERTED", "JUNK", "SPAM"])
        #expect(Self.semantics(failure.object).last == "failure")
        // Stored: pipeline show agrees.
        #expect(Self.codes(cli.run("pipeline", "show", "1", "--json").object).count == 7)
    }

    @Test func stageAddWithAfter() {
        let cli = CLI()
        let run = cli.run("stage", "add", "--pipeline", "deal", "--code", "CALL", "--name", "First call", "--after", "NEW", "--json")
        #expect(run.code == 0, "\(run)")
        #expect(Self.codes(run.object) == ["NEW", "CALL", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE", "WON", "LOSE"])
        let name = ((run.object["stages"] as? [Any])?[1] as? [String: Any])?["name"] as? String
        #expect(name == "First call")
        // A new element starts in the first stage; the new one can be used as a target.
        let deal = cli.deal("D", "--stage", "CALL")
        #expect(cli.stage(deal) == "CALL")
    }

    @Test func stageAddRules() {
        let cli = CLI()
        let success = cli.run("stage", "add", "--pipeline", "lead", "--code", "WON2", "--name", "Also won", "--semantic", "success")
        #expect(success.code == 65, "a second success stage: \(success)")
        #expect(success.out.isEmpty)
        let duplicate = cli.run("stage", "add", "--pipeline", "lead", "--code", "NEW", "--name", "Again")
        #expect(duplicate.code == 65, "\(duplicate)")
        let badCode = cli.run("stage", "add", "--pipeline", "lead", "--code", "lower", "--name", "Lower")
        #expect(badCode.code == 65, "\(badCode)")
        let processAfterClosed = cli.run("stage", "add", "--pipeline", "lead", "--code", "LATE", "--name", "Late", "--after", "JUNK")
        #expect(processAfterClosed.code == 65, "a process stage after the closed ones: \(processAfterClosed)")
        let unknownPipeline = cli.run("stage", "add", "--pipeline", "99", "--code", "X", "--name", "X")
        #expect(unknownPipeline.code == 66, "\(unknownPipeline)")
        #expect(unknownPipeline.out.isEmpty)
        let unknownAfter = cli.run("stage", "add", "--pipeline", "lead", "--code", "X", "--name", "X", "--after", "NOPE")
        #expect(unknownAfter.code == 66, "\(unknownAfter)")
        // Nothing of the refused ones was stored.
        #expect(Self.codes(cli.run("pipeline", "show", "lead", "--json").object) == ["NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK"])
    }

    @Test func pipelineNamesAreUniqueAndDoNotReadAsAnotherName() {
        let cli = CLI()
        let stages = "A:A,W:W:success,L:L:failure"
        #expect(cli.run("pipeline", "create", "--type", "deal", "--name", "Offers", "--stages", stages).code == 0)
        for name in ["Offers", "42", "deal", "lead"] {
            let run = cli.run("pipeline", "create", "--type", "deal", "--name", name, "--stages", stages)
            #expect(run.code == 65, "\(name): \(run)")
        }
        #expect(cli.run("pipeline", "show", "Offers").code == 0)
        #expect(cli.run("pipeline", "list", "--json").array.count == 3)
    }
}
