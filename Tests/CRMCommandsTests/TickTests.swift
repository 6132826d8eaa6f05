import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §8 through the commands: jobs due later run in `crmctl tick`, time triggers fire from it.
@Suite struct TickTests {
    static func tick(_ cli: CLI, _ extra: String..., now: String) -> Run {
        let run = cli.runArgs(["tick"] + extra + ["--db", cli.db], now: now)
        #expect(run.code == 0, "\(run)")
        return run
    }

    static func rule(_ cli: CLI, _ args: String...) {
        let run = cli.runArgs(["rule", "add"] + args + ["--db", cli.db])
        #expect(run.code == 0, "\(run)")
    }

    static func jobs(_ cli: CLI) -> [[String: Any]] { cli.run("job", "list", "--json").array }

    @Test func aTickRunsTheJobsDueOldestFirstAndCatchesUp() {
        let cli = CLI()
        Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "after 2h", "--after", "2h")
        Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "after 1h", "--after", "1h")
        let first = cli.lead("first")
        let second = cli.lead("second", now: "2026-11-24T09:30:00Z")
        #expect(Self.tick(cli, now: "2026-11-24T09:59:59Z").out.isEmpty)
        // After downtime: everything missed, in due order (09:00+1h, 09:30+1h, 09:00+2h, 09:30+2h).
        let run = Self.tick(cli, now: "2026-11-24T12:00:00Z")
        #expect(run.lines.map { str($0["due_at"]) } == [
            "2026-11-24T10:00:00Z", "2026-11-24T10:30:00Z", "2026-11-24T11:00:00Z", "2026-11-24T11:30:00Z",
        ])
        #expect(run.lines.allSatisfy { str($0["status"]) == "done" && $0["rule"] != nil && $0["element"] != nil })
        #expect(run.err.contains("4 jobs"), "\(run)")
        #expect(RuleTests.notes(cli, first) == ["after 1h", "after 2h"])
        #expect(RuleTests.entries(cli, second, kind: "note").map { str($0["at"]) } == ["2026-11-24T10:30:00Z", "2026-11-24T11:30:00Z"])
        // Nothing twice.
        #expect(Self.tick(cli, now: "2026-11-24T12:00:00Z").out.isEmpty)
        #expect(Self.jobs(cli).allSatisfy { isNull($0["origin"]) })
    }

    @Test func limitTakesAtMostNAndDryRunWritesNothing() throws {
        let cli = CLI()
        Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "x", "--after", "1m")
        for index in 1...3 { _ = cli.lead("L\(index)") }
        let before = try cli.storedState()
        let dry = Self.tick(cli, "--dry-run", now: "2026-11-24T10:00:00Z")
        #expect(dry.lines.count == 3 && dry.err.contains("dry run"), "\(dry)")
        #expect(try cli.storedState() == before)
        #expect(Self.tick(cli, "--limit", "2", now: "2026-11-24T10:00:00Z").lines.count == 2)
        #expect(Self.tick(cli, now: "2026-11-24T10:00:00Z").lines.count == 1)
    }

    @Test func aDueJobsConditionsAndCascadeAreItsOwn() {
        let cli = CLI()
        Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "move", "--to", "IN_PROCESS", "--after", "1d",
                  "--if", "budget > 100")
        Self.rule(cli, "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "note", "--text", "arrived")
        let big = cli.lead("big", "--field", "budget=500")
        let small = cli.lead("small", "--field", "budget=5")
        let run = Self.tick(cli, now: "2026-11-25T09:00:00Z")
        #expect(run.lines.map { str($0["status"]) } == ["done", "skipped"])
        #expect(movePath(run.lines[0]) == [] && ((run.lines[0]["moves"] as? [Any])?.count == 1))
        #expect(((run.lines[0]["jobs"] as? [[String: Any]]) ?? []).map { str($0["status"]) } == ["done"])
        #expect(cli.stage(big) == "IN_PROCESS" && cli.stage(small) == "NEW")
        #expect(RuleTests.notes(cli, big) == ["arrived"])
    }

    @Test func aFieldDateDecidesAndItsChangeMovesThePendingJob() {
        let cli = CLI()
        Self.rule(cli, "--pipeline", "deal", "--stage", "NEW", "--do", "note", "--text", "deadline near",
                  "--before-field", "deadline:1d", "--at", "09:00", "--tz", "Europe/Berlin")
        let past = cli.deal("past", "--field", "deadline=2026-11-01")
        #expect(RuleTests.notes(cli, past) == ["deadline near"], "a date already past: due at once")
        let missing = cli.deal("missing")
        let later = cli.deal("later", "--field", "deadline=2026-12-10")
        let jobs = Self.jobs(cli)
        #expect(jobs.map { str($0["status"]) } == ["done", "skipped", "pending"])
        #expect(str(jobs[1]["detail"]) == "field deadline is missing")
        #expect(str(jobs[2]["due_at"]) == "2026-12-09T08:00:00Z")
        _ = missing
        #expect(cli.run("element", "set", String(later), "--field", "deadline=2026-12-20").code == 0)
        #expect(str(Self.jobs(cli)[2]["due_at"]) == "2026-12-19T08:00:00Z")
        #expect(cli.run("element", "set", String(later), "--field", "deadline=someday").code == 0)
        #expect(str(Self.jobs(cli)[2]["status"]) == "skipped")
    }

    @Test func stageIdleFiresOncePerQuietPeriodAndThreshold() {
        let cli = CLI()
        let hour = cli.trigger("--on", "stage.idle", "--seconds", "3600", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let day = cli.trigger("--on", "stage.idle", "--seconds", "86400", "--pipeline", "lead", "--stage", "JUNK")
        let lead = cli.lead()  // created 09:00
        // Quiet for an hour at 10:00: moved. The move is activity: quiet again for an hour at 11:00, where
        // the element already is.
        let first = Self.tick(cli, now: "2026-11-24T12:00:00Z")
        #expect(first.lines.map { str($0["status"]) } == ["moved", "recorded"], "\(first)")
        #expect(moves(first.lines[0]).map(\.trigger) == [hour])
        #expect(cli.events("--type", "stage.idle").map { str($0["at"]) } == ["2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z"])
        #expect(cli.events("--type", "stage.idle").allSatisfy {
            str($0["by"]) == "system" && int(($0["data"] as? [String: Any])?["seconds"]) == 3600
        })
        // The same period never fires twice.
        #expect(Self.tick(cli, now: "2026-11-24T12:00:00Z").out.isEmpty)
        #expect(Self.tick(cli, now: "2026-11-24T12:30:00Z").out.isEmpty)
        // New activity starts a new period; each threshold fires on its own N only.
        _ = cli.inject("--type", "call.incoming", "--element", String(lead), now: "2026-11-24T13:00:00Z")
        let later = Self.tick(cli, now: "2026-11-25T14:00:00Z")
        #expect(later.lines.count == 3, "\(later)")
        let events = cli.events("--type", "stage.idle").suffix(3)
        #expect(events.map { str($0["at"]) } == ["2026-11-24T14:00:00Z", "2026-11-25T13:00:00Z", "2026-11-25T14:00:00Z"])
        #expect(events.map { int(($0["data"] as? [String: Any])?["seconds"]) } == [3600, 86400, 3600])
        #expect(cli.stage(lead) == "JUNK")
        let hourly = cli.run("event", "explain", String(int(events.first?["id"]) ?? 0), "--json").object
        #expect(verdicts(hourly, signal: "stage.idle") == [hour: "target_is_current", day: "settings_mismatch"])
        let daily = cli.run("event", "explain", String(int(events.dropFirst().first?["id"]) ?? 0), "--json").object
        #expect(verdicts(daily, signal: "stage.idle") == [hour: "target_is_current", day: "applied"])
        // Time events are not activity: nothing more is due until something happens.
        #expect(Self.tick(cli, now: "2026-12-31T00:00:00Z").lines.count == 1, "the day threshold after the move to JUNK")
        #expect(Self.tick(cli, now: "2027-06-30T00:00:00Z").out.isEmpty)
    }

    @Test func aTimeTriggerAddedLaterWatchesTheElementsAlreadyThere() {
        let cli = CLI()
        let lead = cli.lead()
        _ = cli.inject("--type", "call.missed", "--element", String(lead), now: "2026-11-24T09:30:00Z")
        let trigger = cli.trigger("--on", "stage.idle", "--seconds", "600", "--pipeline", "lead", "--stage", "PROCESSED")
        let run = Self.tick(cli, now: "2026-11-24T11:00:00Z")
        #expect(moves(run.lines.first ?? [:]).map(\.trigger) == [trigger], "\(run)")
        #expect(cli.events("--type", "stage.idle").first.map { str($0["at"]) } == "2026-11-24T09:40:00Z")
        #expect(cli.run("trigger", "disable", String(trigger)).code == 0)
        _ = cli.inject("--type", "call.missed", "--element", String(lead), now: "2026-11-24T11:00:00Z")
        #expect(Self.tick(cli, now: "2026-11-24T13:00:00Z").out.isEmpty, "a disabled time trigger makes no events")
    }

    @Test func chatUnansweredCountsFromTheFirstMessageWhateverTheTickTime() {
        let cli = CLI()
        let trigger = cli.trigger("--on", "chat.unanswered", "--seconds", "600", "--pipeline", "lead", "--stage", "PROCESSED")
        let late = cli.lead("late")
        let inTime = cli.lead("in time")
        for lead in [late, inTime] {
            _ = ingestOne(cli, #"{"type":"chat.message","element":\#(lead),"at":"2026-11-24T09:00:00Z","data":{"chat":"c","channel":"web","text":"Hallo"}}"#)
        }
        // Answered after 15 and 5 minutes, both before the tick runs.
        _ = ingestOne(cli, #"{"type":"chat.answered","element":\#(late),"at":"2026-11-24T09:15:00Z","data":{"chat":"c"}}"#)
        _ = ingestOne(cli, #"{"type":"chat.answered","element":\#(inTime),"at":"2026-11-24T09:05:00Z","data":{"chat":"c"}}"#)
        let run = Self.tick(cli, now: "2026-11-24T10:00:00Z")
        #expect(run.lines.count == 1, "\(run)")
        #expect(int(run.lines.first?["element"]) == late)
        #expect(moves(run.lines.first ?? [:]).map(\.trigger) == [trigger])
        let event = cli.events("--type", "chat.unanswered").first ?? [:]
        #expect(str(event["at"]) == "2026-11-24T09:10:00Z")
        #expect((event["data"] as? [String: Any]).map { str($0["chat"]) == "c" && str($0["channel"]) == "web" } == true)
    }

    @Test func timeEventsCannotBeSentIn() {
        let cli = CLI()
        let lead = cli.lead()
        let inject = cli.run("event", "inject", "--type", "stage.idle", "--element", String(lead), "--set", "seconds=60")
        #expect(inject.code == 65 && inject.err.contains("made by crmctl tick"), "\(inject)")
        let ingest = cli.run("event", "ingest", stdin: #"{"type":"chat.unanswered","element":\#(lead),"data":{"seconds":60}}"# + "\n")
        #expect(ingest.code == 65 && str((ingest.lines.first?["error"] as? [String: Any])?["message"])?.contains("made by crmctl tick") == true)
        #expect(cli.run("trigger", "add", "--on", "stage.idle", "--pipeline", "lead", "--stage", "JUNK").code == 64)
        let codes = cli.run("trigger", "codes", "--json").array.compactMap { str($0["code"]) }
        #expect(codes.contains("stage.idle") && codes.contains("chat.unanswered"))
    }

    @Test func statusTellsWhenTheAutomationIsBehind() {
        let cli = CLI()
        let fresh = cli.run("status", "--json", now: "2026-11-24T09:00:00Z")
        #expect(fresh.code == 0, "\(fresh)")
        expectKeys(fresh.object, "last_tick_at jobs outbox lagging reasons")
        #expect(isNull(fresh.object["last_tick_at"]) && bool(fresh.object["lagging"]) == false)
        #expect(cli.run("status", "--max-lag", "10m", now: "2026-11-24T09:00:00Z").code == 0, "nothing pending: not behind")
        Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "sms", "--text", "hi", "--to", "+49 1")
        Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "later", "--after", "1h")
        _ = cli.lead()
        // A job due at 10:00, no tick ever: behind once 10 minutes have passed since the job was due.
        #expect(cli.run("status", "--max-lag", "10m", now: "2026-11-24T10:05:00Z").code == 69)
        let behind = cli.run("status", "--max-lag", "10m", "--json", now: "2026-11-24T10:30:00Z")
        #expect(behind.code == 69, "\(behind)")
        #expect(bool(behind.object["lagging"]) == true && (behind.object["reasons"] as? [String])?.count == 3, "a job, a message, no tick")
        let jobs = (behind.object["jobs"] as? [String: Any]) ?? [:]
        #expect(int(jobs["pending"]) == 1 && int(jobs["overdue"]) == 1 && str(jobs["oldest_overdue_due_at"]) == "2026-11-24T10:00:00Z")
        let outbox = (behind.object["outbox"] as? [String: Any]) ?? [:]
        #expect(int(outbox["pending"]) == 1 && str(outbox["oldest_undelivered_at"]) == "2026-11-24T09:00:00Z")
        #expect(str(behind.errorObject["code"]) == "lagging")
        // The sms waits for delivery: that alone is behind too, once it has waited longer than the lag.
        _ = Self.tick(cli, now: "2026-11-24T10:30:00Z")
        let afterTick = cli.run("status", "--max-lag", "10m", now: "2026-11-24T10:30:00Z")
        #expect(afterTick.code == 69 && afterTick.err.contains("message"), "\(afterTick)")
        #expect(cli.run("status", "--max-lag", "2h", now: "2026-11-24T10:30:00Z").code == 0)
        #expect(cli.run("status", "--max-lag", "soon").code == 64)
    }

    @Test func aChatAnsweredInTimeStaysAnsweredWhenTheClientWritesAgain() {
        let cli = CLI()
        _ = cli.trigger("--on", "chat.unanswered", "--seconds", "600", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead()
        _ = ingestOne(cli, #"{"type":"chat.message","element":\#(lead),"at":"2026-11-24T09:00:00Z","data":{"chat":"c","text":"Hallo"}}"#)
        _ = ingestOne(cli, #"{"type":"chat.answered","element":\#(lead),"at":"2026-11-24T09:05:00Z","data":{"chat":"c"}}"#)
        // A later message naming the chat's channel for the first time.
        _ = ingestOne(cli, #"{"type":"chat.message","element":\#(lead),"at":"2026-11-24T09:20:00Z","data":{"chat":"c","channel":"web","text":"Danke"}}"#)
        #expect(Self.tick(cli, now: "2026-11-24T11:00:00Z").out.isEmpty)
        #expect(cli.events("--type", "chat.unanswered").isEmpty)
    }

    @Test func aTimeTriggerEnabledAgainCountsFromTheLastActivity() {
        let cli = CLI()
        let trigger = cli.trigger("--on", "stage.idle", "--seconds", "600", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead()  // 09:00: quiet at 09:10
        #expect(cli.run("trigger", "disable", String(trigger), now: "2026-11-24T09:05:00Z").code == 0)
        #expect(Self.tick(cli, now: "2026-11-24T09:20:00Z").out.isEmpty, "disabled: no event")
        _ = cli.inject("--type", "call.incoming", "--element", String(lead), now: "2026-11-24T09:30:00Z")
        #expect(cli.run("trigger", "enable", String(trigger), now: "2026-11-24T09:40:00Z").code == 0)
        let run = Self.tick(cli, now: "2026-11-24T10:00:00Z")
        // From 09:30 on: quiet at 09:40, moved; the move starts a new period, quiet again at 09:50.
        #expect(run.lines.map { str($0["status"]) } == ["moved", "recorded"], "\(run)")
        #expect(cli.events("--type", "stage.idle").map { str($0["at"]) } == ["2026-11-24T09:40:00Z", "2026-11-24T09:50:00Z"])
        #expect(cli.stage(lead) == "PROCESSED")
    }
}
