import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §7: rules, their jobs and the rules of running, through the commands.
@Suite struct RuleTests {
    static let ruleKeys = "id name pipeline stage action options timing conditions as enabled"
    static let jobKeys = "id rule element stage status due_at ran_at origin detail error"
    static let messageKeys =
        "id kind element rule job to subject text url payload status attempts next_attempt_at last_error created_at delivered_at"

    /// Adds a rule that must be accepted; returns its id.
    static func rule(_ cli: CLI, _ args: String...) -> Int {
        let run = cli.runArgs(["rule", "add"] + args + ["--db", cli.db])
        #expect(run.code == 0, "\(run)")
        return Int(run.trimmed) ?? -1
    }

    static func jobs(_ cli: CLI, _ extra: String...) -> [[String: Any]] {
        let run = cli.runArgs(["job", "list", "--json"] + extra + ["--db", cli.db])
        #expect(run.code == 0, "\(run)")
        return run.array
    }

    static func outbox(_ cli: CLI) -> [[String: Any]] {
        let run = cli.runArgs(["outbox", "list", "--json", "--db", cli.db])
        #expect(run.code == 0, "\(run)")
        return run.array
    }

    /// The element's timeline entries of one kind.
    static func entries(_ cli: CLI, _ element: Int, kind: String) -> [[String: Any]] {
        cli.history(element).filter { str($0["kind"]) == kind }
    }

    static func notes(_ cli: CLI, _ element: Int) -> [String] {
        entries(cli, element, kind: "note").compactMap { str($0["text"]) }
    }

    // MARK: rule 1, entry by every path

    @Test func everyWayIntoAStageMakesTheStagesJobs() throws {
        let cli = CLI()
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "note", "--text", "entered {title}")
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "PROCESSED", "--do", "move", "--to", "IN_PROCESS")
        let created = cli.lead("created", "--stage", "IN_PROCESS")
        let file = cli.path("import.ndjson")
        try #"{"type":"lead","title":"imported","stage":"IN_PROCESS"}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let imported = cli.run("element", "import", file)
        #expect(imported.code == 0, "\(imported)")
        let importedID = int(imported.lines.first?["element"]) ?? -1
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let byTrigger = cli.lead("by trigger")
        _ = cli.inject("--type", "call.missed", "--element", String(byTrigger))
        let byHand = cli.lead("by hand")
        #expect(cli.run("element", "move", String(byHand), "--stage", "IN_PROCESS").code == 0)
        let byRule = cli.lead("by rule")
        #expect(cli.run("element", "move", String(byRule), "--stage", "PROCESSED").code == 0)
        for (id, title) in [(created, "created"), (importedID, "imported"), (byTrigger, "by trigger"), (byHand, "by hand"),
                            (byRule, "by rule")] {
            #expect(Self.notes(cli, id) == ["entered \(title)"], "element \(id)")
        }
        #expect(cli.stage(byRule) == "IN_PROCESS")
        // A rule added to a stage makes no jobs for elements already in it.
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "note", "--text", "late")
        #expect(Self.jobs(cli).count == 6)
    }

    @Test func createAndMovePrintTheirJobsWithJSON() {
        let cli = CLI()
        let rule = Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "hello")
        let created = cli.run("lead", "create", "--title", "L", "--json")
        let jobs = (created.object["jobs"] as? [[String: Any]]) ?? []
        #expect(jobs.count == 1)
        #expect(int(jobs.first?["rule"]) == rule && str(jobs.first?["status"]) == "done")
        #expect(str(jobs.first?["due_at"]) == "2026-11-24T09:00:00Z")
        let moved = cli.run("element", "move", "1", "--stage", "JUNK", "--json")
        #expect((moved.object["jobs"] as? [Any])?.isEmpty == true, "\(moved)")
        #expect(str(moved.object["stage"]) == "JUNK")
    }

    // MARK: rules 2 and 3, at once and in order

    @Test func atOnceJobsRunByDueTimeThenRuleID() {
        let cli = CLI()
        let later = Self.rule(cli, "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "note", "--text", "after 10m",
                              "--after", "10m")
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "note", "--text", "second")
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "note", "--text", "third")
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        // The call happened an hour before now: the rule --after 10m is due already, so it runs at once, last.
        let result = cli.inject("--type", "call.missed", "--element", String(lead), "--at", "2026-11-24T08:00:00Z")
        #expect(Self.notes(cli, lead) == ["second", "third", "after 10m"])
        let jobs = (result["jobs"] as? [[String: Any]]) ?? []
        #expect(jobs.map { str($0["status"]) } == ["done", "done", "done"])
        #expect(str(jobs.first { int($0["rule"]) == later }?["due_at"]) == "2026-11-24T08:10:00Z")
        // The notes are recorded at the later of the due time and the entry time.
        #expect(Self.entries(cli, lead, kind: "note").map { str($0["at"]) } == [
            "2026-11-24T08:00:00Z", "2026-11-24T08:00:00Z", "2026-11-24T08:10:00Z",
        ])
    }

    @Test func aJobDueLaterStaysPending() {
        let cli = CLI()
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "tomorrow", "--after", "1d")
        let lead = cli.lead()
        let jobs = Self.jobs(cli)
        #expect(jobs.count == 1)
        expectKeys(jobs[0], Self.jobKeys)
        #expect(str(jobs[0]["status"]) == "pending")
        #expect(str(jobs[0]["due_at"]) == "2026-11-25T09:00:00Z")
        #expect(isNull(jobs[0]["ran_at"]))
        #expect(Self.notes(cli, lead).isEmpty)
    }

    // MARK: rule 4, conditions when the job runs

    @Test func conditionsAreCheckedWhenTheJobRunsOnTheElementAsItIsThen() {
        let cli = CLI()
        // Rule 1 raises the budget before rule 2's condition is checked: false at entry, true when run.
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "set", "--field", "budget=500")
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "note", "--text", "big",
                      "--if", "budget > 100")
        // Rule 3 lowers it again before rule 4's: true at entry, false when run.
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "PROCESSED", "--do", "set", "--field", "budget=5")
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "PROCESSED", "--do", "note", "--text", "still big",
                      "--if", "budget > 100")
        let lead = cli.lead("L", "--field", "budget=50")
        #expect(cli.run("element", "move", String(lead), "--stage", "IN_PROCESS").code == 0)
        #expect(Self.notes(cli, lead) == ["big"])
        #expect(cli.run("element", "move", String(lead), "--stage", "PROCESSED").code == 0)
        #expect(Self.notes(cli, lead) == ["big"])
        let skipped = Self.jobs(cli, "--status", "skipped")
        #expect(skipped.count == 1)
        #expect(str(skipped.first?["detail"])?.contains("budget > 100") == true, "\(skipped)")
        // The set actions were field.changed events carrying their job.
        let sets = cli.events("--type", "field.changed")
        #expect(sets.count == 2)
        #expect(int((sets.first?["data"] as? [String: Any])?["job"]) != nil)
    }

    // MARK: rule 5, leaving and disabled rules

    @Test func leavingTheStageCancelsItsPendingJobs() {
        let cli = CLI()
        let rule = Self.rule(cli, "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "note", "--text", "x", "--after", "2h")
        let lead = cli.lead("L", "--stage", "IN_PROCESS")
        #expect(str(Self.jobs(cli).first?["status"]) == "pending")
        #expect(cli.run("element", "move", String(lead), "--stage", "PROCESSED").code == 0)
        let job = Self.jobs(cli).first ?? [:]
        #expect(str(job["status"]) == "cancelled")
        #expect(str(job["detail"]) == "left IN_PROCESS for PROCESSED")
        // The stage change comes first, then the cancellation.
        let kinds = cli.history(lead).map { str($0["kind"]) ?? "" }
        #expect(kinds == ["created", "stage_changed", "rule"])
        let entry = Self.entries(cli, lead, kind: "rule").first ?? [:]
        #expect(int(entry["rule"]) == rule && str(entry["status"]) == "cancelled" && int(entry["job"]) == int(job["id"]))
    }

    @Test func aDisabledRuleMakesNoJobsAndJobCancelTakesPendingOnly() {
        let cli = CLI()
        let rule = Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "x", "--after", "1h")
        _ = cli.lead()
        #expect(cli.run("rule", "disable", String(rule)).code == 0)
        _ = cli.lead()
        #expect(Self.jobs(cli).count == 1)
        let cancelled = cli.run("job", "cancel", "1", "--json")
        #expect(cancelled.code == 0, "\(cancelled)")
        #expect(str(cancelled.object["status"]) == "cancelled")
        let again = cli.run("job", "cancel", "1")
        #expect(again.code == 65, "\(again)")
        #expect(cli.run("job", "cancel", "99").code == 66)
        #expect(cli.run("job", "show", "99").code == 66)
    }

    // MARK: actions

    @Test func assignRotatesAcrossElementsInTurn() {
        let cli = CLI()
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "assign", "--rotate", "anna,ben")
        let leads = (1...3).map { cli.lead("L\($0)") }
        #expect(leads.map { str(cli.element($0)["responsible"]) } == ["anna", "ben", "anna"])
        #expect(cli.events("--type", "responsible.changed").count == 3)
    }

    @Test func placeholdersAreFilledWhenTheJobRuns() {
        let cli = CLI()
        _ = Self.rule(cli, "--pipeline", "deal", "--stage", "NEW", "--do", "note",
                      "--text", "{id} {title} {responsible} {email} {phone} {stage} {pipeline} {fields.city} [{fields.none}] {{x}}")
        let deal = cli.deal("Müller", "--responsible", "anna", "--email", "m@example.com", "--phone", "+49 1", "--field", "city=Köln")
        #expect(Self.notes(cli, deal) == ["\(deal) Müller anna m@example.com +49 1 NEW 2 Köln [] {x}"])
        let refused = cli.run("rule", "add", "--pipeline", "deal", "--stage", "NEW", "--do", "sms", "--text", "Hi {name}")
        #expect(refused.code == 65, "\(refused)")
        #expect(refused.err.contains("{name}"))
    }

    @Test func anEmptyRecipientFailsTheJobWithoutAMessage() {
        let cli = CLI()
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "sms", "--text", "hello")
        _ = cli.lead("no phone")
        let job = Self.jobs(cli).first ?? [:]
        #expect(str(job["status"]) == "failed")
        #expect(str((job["error"] as? [String: Any])?["code"]) == "no_recipient")
        #expect(Self.outbox(cli).isEmpty)
    }

    @Test func messagesGoToTheOutboxWithTheirPayload() {
        let cli = CLI()
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "sms", "--text", "Hallo {title}")
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "notify", "--text", "new lead {id}")
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "webhook", "--url", "https://hooks.example/crm")
        let lead = cli.lead("Anna", "--phone", "+49 30 1", "--responsible", "ben")
        let messages = Self.outbox(cli)
        #expect(messages.map { str($0["kind"]) } == ["sms", "notify", "webhook"])
        for message in messages {
            expectKeys(message, Self.messageKeys)
            #expect(str(message["status"]) == "pending" && int(message["attempts"]) == 0)
            #expect(str(message["next_attempt_at"]) == "2026-11-24T09:00:00Z")
            let payload = (message["payload"] as? [String: Any]) ?? [:]
            #expect(int(payload["message"]) == int(message["id"]))
            #expect(int((payload["element"] as? [String: Any])?["id"]) == lead)
        }
        #expect(str(messages[0]["to"]) == "+49 30 1" && str(messages[0]["text"]) == "Hallo Anna")
        #expect(str(messages[1]["to"]) == "ben")
        let hook = (messages[2]["payload"] as? [String: Any]) ?? [:]
        #expect(Set(hook.keys) == ["message", "rule", "job", "element"])
        #expect(str(messages[2]["url"]) == "https://hooks.example/crm")
        let shown = cli.run("outbox", "show", "1", "--json")
        #expect(int(shown.object["id"]) == 1, "\(shown)")
        #expect(cli.run("outbox", "show", "9").code == 66)
    }

    @Test func aRulesDocumentFiresTheDocumentCreatedTrigger() {
        let cli = CLI()
        _ = Self.rule(cli, "--pipeline", "deal", "--stage", "PREPARATION", "--do", "document", "--template", "contract",
                      "--title", "Vertrag {title}", "--send", "email")
        let trigger = cli.trigger("--on", "document.created", "--pipeline", "deal", "--stage", "PREPAYMENT_INVOICE",
                                  "--template", "contract")
        let deal = cli.deal("D")
        let moved = cli.run("element", "move", String(deal), "--stage", "PREPARATION", "--json")
        #expect(moved.code == 0, "\(moved)")
        #expect(cli.stage(deal) == "PREPAYMENT_INVOICE")
        let documents = cli.run("document", "list", "--json").array
        #expect(str(documents.first?["title"]) == "Vertrag D" && str(documents.first?["sent_via"]) == "email")
        let created = cli.events("--type", "document.created").first ?? [:]
        #expect(moves(created).map(\.trigger) == [trigger])
    }

    @Test func aRulesEmailOpenedFiresTheEmailOpenedTrigger() {
        let cli = CLI()
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "NEW", "--do", "email", "--subject", "Angebot",
                      "--text", "Hallo {title}")
        let trigger = cli.trigger("--on", "email.opened", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead("L", "--email", "l@example.com")
        let message = Self.outbox(cli).first ?? [:]
        #expect(str(message["subject"]) == "Angebot" && str(message["to"]) == "l@example.com")
        let sent = cli.events("--type", "email.sent").first ?? [:]
        #expect(str((sent["data"] as? [String: Any])?["email"]) == "outbox-\(int(message["id"]) ?? 0)")
        let opened = cli.inject("--type", "email.opened", "--element", String(lead), "--set", "email=outbox-1")
        #expect(moves(opened).map(\.trigger) == [trigger])
        #expect(cli.stage(lead) == "PROCESSED")
    }

    // MARK: rules 6 to 9: cascades and results

    @Test func twoRulesMovingBackAndForthEndInACascadeLimit() {
        let cli = CLI()
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "move", "--to", "PROCESSED")
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "PROCESSED", "--do", "move", "--to", "IN_PROCESS")
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        let result = cli.inject("--type", "call.missed", "--element", String(lead))
        let jobs = (result["jobs"] as? [[String: Any]]) ?? []
        #expect(jobs.count == 21)
        #expect(jobs.prefix(20).allSatisfy { str($0["status"]) == "done" })
        #expect(str(jobs.last?["status"]) == "failed")
        let failed = Self.jobs(cli, "--status", "failed").first ?? [:]
        #expect(str((failed["error"] as? [String: Any])?["code"]) == "cascade_limit")
        #expect(int(failed["origin"]) == int(result["event"]))
        // Every stage change of the cascade is in the result: the trigger's first, then the rules'.
        let all = (result["moves"] as? [[String: Any]]) ?? []
        #expect(all.count == 21)
        #expect(int(all[0]["trigger"]) != nil)
        #expect(isNull(all[1]["trigger"]) && int(all[1]["rule"]) != nil && int(all[1]["job"]) != nil)
        #expect(cli.stage(lead) == "IN_PROCESS")
        // Explain shows the cascade.
        let explained = cli.run("event", "explain", String(int(result["event"]) ?? 0), "--json").object
        #expect(((explained["jobs"] as? [Any]) ?? []).count == 21)
        let text = cli.run("event", "explain", String(int(result["event"]) ?? 0))
        #expect(text.out.contains("job 21 (rule 1): failed"), "\(text)")
    }

    @Test func aDuplicateKeyReturnsTheStoredCascade() {
        let cli = CLI()
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "note", "--text", "once")
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        let first = cli.inject("--type", "call.missed", "--element", String(lead), "--key", "k")
        let again = cli.inject("--type", "call.missed", "--element", String(lead), "--key", "k")
        #expect(str(again["status"]) == "duplicate")
        #expect((again["jobs"] as? [[String: Any]])?.count == 1)
        #expect(int((again["jobs"] as? [[String: Any]])?.first?["job"]) == int((first["jobs"] as? [[String: Any]])?.first?["job"]))
        #expect(Self.notes(cli, lead) == ["once"])
    }

    @Test func aDryRunComputesTheCascadeAndWritesNothing() throws {
        let cli = CLI()
        _ = Self.rule(cli, "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "sms", "--text", "x", "--to", "+49 1")
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        #expect(cli.run("init").code == 0)
        let before = try cli.storedState()
        let dry = cli.run("event", "inject", "--type", "call.missed", "--element", String(lead), "--dry-run", "--json")
        #expect(dry.code == 0, "\(dry)")
        #expect((dry.object["jobs"] as? [Any])?.count == 1 && bool(dry.object["dry_run"]) == true)
        #expect(try cli.storedState() == before)
        #expect(Self.outbox(cli).isEmpty && Self.jobs(cli).isEmpty)
    }

    // MARK: the catalogue and the shapes

    @Test func theCatalogueAndTheRuleShape() {
        let cli = CLI()
        let actions = cli.run("rule", "actions", "--json").array
        #expect(actions.map { str($0["action"]) } == ["move", "assign", "set", "note", "document", "sms", "email", "notify", "webhook"])
        #expect(actions.allSatisfy { $0["description"] is String && $0["options"] is [Any] })
        let added = cli.run(
            "rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "set", "--field", "a=1", "--field", "b=2",
            "--if", "city = Berlin", "--as", "bot", "--after", "1h30m", "--json")
        #expect(added.code == 0, "\(added)")
        expectKeys(added.object, Self.ruleKeys)
        #expect((added.object["options"] as? [String: Any])?["fields"] as? [String: String] == ["a": "1", "b": "2"])
        #expect((added.object["timing"] as? [String: String]) == ["after": "1h30m"])
        #expect(str(added.object["as"]) == "bot" && (added.object["conditions"] as? [String]) == ["city = Berlin"])
        let atOnce = cli.run("rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "x", "--json")
        #expect((atOnce.object["timing"] as? [String: Any])?.isEmpty == true)
        #expect(cli.run("rule", "show", "1", "--json").object["id"] != nil)
        #expect(cli.run("rule", "list", "--json").array.count == 2)
        #expect(cli.run("rule", "remove", "2").code == 0)
        #expect(cli.run("rule", "show", "2").code == 66)
        #expect(cli.run("rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "move", "--to", "NOPE").code == 66)
        #expect(cli.run("rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "move").code == 64)
        #expect(cli.run("rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "x", "--after", "2y").code == 64)
    }
}
