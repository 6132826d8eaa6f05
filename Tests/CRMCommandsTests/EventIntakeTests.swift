import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §6: contacts, idempotency keys, --dry-run, event list/explain and NDJSON batches.
@Suite struct EventIntakeTests {
    static let eventKeys = "id key type element at by data status moves"

    // MARK: contacts

    @Test func contactResolvesToNewestElementInAProcessStage() {
        let cli = CLI()
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let older = cli.lead("Older", "--email", "Clara@Example.com", "--phone", "+49 30 555 0101")
        let newer = cli.lead("Newer", "--email", "clara@example.com", "--phone", "+49305550101")
        let byEmail = cli.inject("--type", "call.missed", "--email", "CLARA@example.COM")
        #expect(int(byEmail["element"]) == newer)
        // The newest is now closed: it is skipped.
        #expect(cli.run("element", "move", String(newer), "--stage", "JUNK").code == 0)
        let skipped = cli.inject("--type", "call.missed", "--phone", "+49 (30) 555-0101")
        #expect(int(skipped["element"]) == older)
        // Through ingest too.
        let line = ingestOne(cli, #"{"type":"call.incoming","contact":{"email":"clara@EXAMPLE.com"}}"#)
        #expect(int(line["element"]) == older)
        #expect(str(line["status"]) == "recorded")
    }

    @Test func phoneIsComparedByDigitsAndLeadingPlus() {
        let cli = CLI()
        let lead = cli.lead("P", "--phone", "+49 30 1234")
        #expect(int(cli.inject("--type", "call.missed", "--phone", "+49301234")["element"]) == lead)
        let national = cli.run("event", "inject", "--type", "call.missed", "--phone", "0049301234", "--json")
        #expect(national.code == 66, "\(national)")
        #expect(str(national.errorObject["code"]) == "no_element")
    }

    @Test func noElementForContactIs66ForInject() {
        let cli = CLI()
        _ = cli.lead("Closed", "--email", "gone@example.com", "--stage", "CONVERTED")
        let text = cli.run("event", "inject", "--type", "call.missed", "--email", "gone@example.com")
        #expect(text.code == 66, "\(text)")
        #expect(text.out.isEmpty)
        #expect(text.err.hasPrefix("crmctl: error: "))
        let json = cli.run("event", "inject", "--type", "call.missed", "--email", "nobody@example.com", "--json")
        #expect(json.code == 66, "\(json)")
        #expect(json.out.isEmpty)
        #expect(str(json.errorObject["code"]) == "no_element", "\(json)")
        #expect(cli.events().isEmpty)
    }

    @Test func noElementForContactIsARejectedLineForIngest() {
        let cli = CLI()
        let run = cli.run("event", "ingest", "-", stdin: #"{"key":"f-1","type":"form.submitted","contact":{"email":"nobody@example.com"},"data":{"form":"x"}}"# + "\n")
        #expect(run.code == 65, "\(run)")
        let line = run.lines.first ?? [:]
        #expect(int(line["line"]) == 1)
        #expect(str(line["status"]) == "rejected")
        #expect(str((line["error"] as? [String: Any])?["code"]) == "no_element")
        #expect(cli.events().isEmpty)
    }

    // MARK: idempotency

    @Test func duplicateKeyReturnsTheStoredResultAndAppliesNothing() {
        let cli = CLI()
        let trigger = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        let first = cli.inject("--type", "call.missed", "--element", String(lead), "--key", "tel-1", "--at", "2026-11-24T09:12:00Z")
        #expect(str(first["status"]) == "moved")
        #expect(str(first["key"]) == "tel-1")
        #expect(cli.run("element", "move", String(lead), "--stage", "NEW").code == 0)
        let historyBefore = cli.history(lead).count
        let again = cli.inject("--type", "call.missed", "--element", String(lead), "--key", "tel-1", "--at", "2026-11-24T09:12:00Z",
                               now: "2026-11-24T15:00:00Z")
        #expect(str(again["status"]) == "duplicate")
        #expect(int(again["event"]) == int(first["event"]))
        #expect(moves(again).map(\.trigger) == [trigger], "the stored outcome is returned again")
        #expect(movePath(again) == ["NEW>IN_PROCESS"])
        #expect(cli.stage(lead) == "NEW", "nothing is applied twice")
        #expect(cli.history(lead).count == historyBefore)
        #expect(cli.events().count == 1)
        // Through ingest, the same key is a duplicate too.
        let line = ingestOne(cli, #"{"key":"tel-1","type":"call.missed","element":\#(lead),"at":"2026-11-24T09:12:00Z"}"#)
        #expect(str(line["status"]) == "duplicate")
        #expect(int(line["event"]) == int(first["event"]))
        #expect(cli.events().count == 1)
        // Without `at`, the event as given is the same whenever it is repeated.
        let mail = cli.inject("--type", "email.received", "--element", String(lead), "--key", "mail-1", now: "2026-11-24T10:00:00Z")
        let mailAgain = cli.inject("--type", "email.received", "--element", String(lead), "--key", "mail-1", now: "2026-11-24T11:00:00Z")
        #expect(str(mail["status"]) == "recorded")
        #expect(str(mailAgain["status"]) == "duplicate")
        #expect(int(mailAgain["event"]) == int(mail["event"]))
        #expect(cli.events().count == 2)
    }

    @Test func keyReusedWithDifferentEventIsRejected() {
        let cli = CLI()
        let lead = cli.lead()
        let other = cli.lead()
        _ = cli.inject("--type", "call.missed", "--element", String(lead), "--key", "k", "--set", "line=a")
        let variants: [[String]] = [
            ["--type", "call.missed", "--element", String(lead), "--key", "k", "--set", "line=b"],
            ["--type", "call.incoming", "--element", String(lead), "--key", "k", "--set", "line=a"],
            ["--type", "call.missed", "--element", String(other), "--key", "k", "--set", "line=a"],
            ["--type", "call.missed", "--element", String(lead), "--key", "k", "--set", "line=a", "--by", "x"],
            ["--type", "call.missed", "--element", String(lead), "--key", "k", "--set", "line=a", "--at", "2026-11-24T09:00:00Z"],
        ]
        for args in variants {
            let run = cli.runArgs(["event", "inject"] + args + ["--json", "--db", cli.db])
            #expect(run.code == 65, "\(args): \(run)")
            #expect(run.out.isEmpty)
            #expect(str(run.errorObject["code"]) == "key_reused", "\(args): \(run)")
        }
        let text = cli.run("event", "inject", "--type", "call.missed", "--element", String(lead), "--key", "k", "--set", "line=z")
        #expect(text.code == 65)
        #expect(text.err.hasPrefix("crmctl: error: "))
        let line = cli.run("event", "ingest", stdin: #"{"key":"k","type":"call.missed","element":\#(lead),"data":{"line":"c"}}"# + "\n")
        #expect(line.code == 65)
        #expect(str(line.lines.first?["status"]) == "rejected")
        #expect(str((line.lines.first?["error"] as? [String: Any])?["code"]) == "key_reused")
        #expect(cli.events().count == 1)
    }

    // MARK: dry run

    @Test func dryRunWritesNothingButReturnsTheSameResult() throws {
        let cli = CLI()
        let trigger = cli.trigger("--on", "document.created", "--pipeline", "deal", "--stage", "PREPARATION")
        let deal = cli.deal()
        let historyBefore = cli.history(deal).count
        let before = try cli.storedState()
        let dry = cli.inject("--type", "document.created", "--element", String(deal), "--key", "doc-1",
                             "--data", #"{"template":"contract","ref":"C-1"}"#, "--dry-run")
        #expect(try cli.storedState() == before)
        #expect(bool(dry["dry_run"]) == true, "\(dry)")
        #expect(str(dry["status"]) == "moved")
        #expect(moves(dry).map(\.trigger) == [trigger])
        #expect(cli.stage(deal) == "NEW")
        #expect(cli.events().isEmpty)
        #expect(cli.run("document", "list", "--json").trimmed == "[]")
        #expect(cli.history(deal).count == historyBefore)
        let real = cli.inject("--type", "document.created", "--element", String(deal), "--key", "doc-1",
                              "--data", #"{"template":"contract","ref":"C-1"}"#)
        #expect(real["dry_run"] == nil || bool(real["dry_run"]) == false)
        for key in ["key", "event", "type", "element", "status", "document"] {
            if TestDatabase.isPostgres && ["event", "document"].contains(key) {
                // The dry run's rolled-back ids are gone from PostgreSQL's sequences: the real run has later ones.
                #expect((dry[key] == nil) == (real[key] == nil), "\(key)")
            } else {
                #expect("\(dry[key] ?? "nil")" == "\(real[key] ?? "nil")", "\(key)")
            }
        }
        #expect(movePath(dry) == movePath(real))
        #expect(moves(dry).map(\.trigger) == moves(real).map(\.trigger))
        // A dry run of the same key now sees the stored event.
        let dryDuplicate = cli.inject("--type", "document.created", "--element", String(deal), "--key", "doc-1",
                                      "--data", #"{"template":"contract","ref":"C-1"}"#, "--dry-run")
        #expect(str(dryDuplicate["status"]) == "duplicate")
        #expect(cli.events().count == 1)
    }

    @Test func dryRunIngestWritesNothing() {
        let cli = CLI()
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        let input = """
            {"key":"a","type":"call.missed","element":\(lead)}
            {"key":"b","type":"call.missed","element":\(lead)}
            {"type":"nope","element":\(lead)}

            """
        let dry = cli.run("event", "ingest", "--dry-run", stdin: input)
        #expect(dry.code == 65, "\(dry)")
        #expect(dry.lines.count == 3)
        #expect(dry.lines.allSatisfy { bool($0["dry_run"]) == true }, "\(dry)")
        #expect(cli.events().isEmpty)
        #expect(cli.stage(lead) == "NEW")
        let real = cli.run("event", "ingest", stdin: input)
        #expect(real.code == 65)
        #expect(dry.lines.map { str($0["status"]) } == real.lines.map { str($0["status"]) })
        if TestDatabase.isPostgres {
            // The dry run's rolled-back ids are gone from PostgreSQL's sequences: the real run has later ones.
            #expect(dry.lines.map { int($0["event"]) == nil } == real.lines.map { int($0["event"]) == nil })
        } else {
            #expect(dry.lines.map { int($0["event"]) } == real.lines.map { int($0["event"]) })
        }
        #expect(dry.lines.map(movePath) == real.lines.map(movePath))
        #expect(real.lines.map { str($0["status"]) } == ["moved", "recorded", "rejected"])
    }

    // MARK: list and explain

    @Test func eventListShapeFiltersAndLimit() {
        let cli = CLI()
        let trigger = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let a = cli.lead("A")
        let b = cli.lead("B")
        #expect(cli.events().isEmpty)
        #expect(cli.run("event", "list", "--json").trimmed == "[]")
        _ = cli.inject("--type", "call.missed", "--element", String(a), "--key", "k-1", "--by", "tel", "--set", "line=hot",
                       "--at", "2026-11-24T09:30:00Z")
        _ = cli.inject("--type", "email.received", "--element", String(b))
        _ = cli.inject("--type", "call.missed", "--element", String(b))
        let all = cli.events()
        #expect(all.compactMap { int($0["id"]) } == [1, 2, 3])
        for event in all { expectKeys(event, Self.eventKeys) }
        let first = all.first ?? [:]
        #expect(str(first["key"]) == "k-1")
        #expect(str(first["type"]) == "call.missed")
        #expect(int(first["element"]) == a)
        #expect(str(first["at"]) == "2026-11-24T09:30:00Z")
        #expect(str(first["by"]) == "tel")
        #expect((first["data"] as? [String: String]) == ["line": "hot"])
        #expect(str(first["status"]) == "moved")
        #expect(moves(first).map(\.trigger) == [trigger])
        #expect(isNull(all[1]["key"]) && isNull(all[1]["by"]))
        #expect(str(all[1]["status"]) == "recorded")
        #expect(cli.events("--element", String(b)).compactMap { int($0["id"]) } == [2, 3])
        #expect(cli.events("--type", "call.missed").compactMap { int($0["id"]) } == [1, 3])
        #expect(cli.events("--limit", "2").compactMap { int($0["id"]) } == [1, 2])
        #expect(cli.events("--element", String(b), "--type", "call.missed").compactMap { int($0["id"]) } == [3])
        let text = cli.run("event", "list")
        #expect(text.code == 0)
        #expect(text.err.isEmpty)
        #expect(text.out.contains("k-1"))
    }

    @Test func explainShowsEveryVerdict() {
        let cli = CLI()
        let disabled = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--disabled")
        let mismatch = cli.trigger("--on", "call.missed", "--line", "sales", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let condition = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--if", "budget >= 100")
        let winner = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "PROCESSED", "--name", "the one")
        let after = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "CONVERTED")
        let behind = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "NEW")
        let current = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--line", "hotline")
        _ = cli.trigger("--on", "email.sent", "--pipeline", "lead", "--stage", "JUNK")
        let lead = cli.lead("E", "--stage", "IN_PROCESS", "--field", "budget=5")
        // `current` sits on the current stage; stages before it are behind.
        _ = current
        let result = cli.inject("--type", "call.missed", "--element", String(lead), "--key", "ex-1", "--set", "line=hotline")
        #expect(moves(result).map(\.trigger) == [winner])

        let byKey = cli.run("event", "explain", "ex-1", "--json")
        #expect(byKey.code == 0, "\(byKey)")
        #expect(byKey.err.isEmpty)
        let explanation = byKey.object
        expectKeys(explanation, Self.eventKeys + " signals")
        #expect(int(explanation["id"]) == int(result["event"]))
        let byID = cli.run("event", "explain", String(int(result["event"]) ?? 0), "--json").object
        #expect(int(byID["id"]) == int(explanation["id"]))
        #expect(verdicts(explanation, signal: "call.missed") == [
            disabled: "disabled", mismatch: "target_is_current", condition: "target_is_current", winner: "applied",
            after: "earlier_trigger_applied", behind: "target_is_behind", current: "target_is_current",
        ])
        let signal = ((explanation["signals"] as? [Any])?.first as? [String: Any]) ?? [:]
        for verdict in (signal["verdicts"] as? [Any]) ?? [] {
            let verdict = verdict as? [String: Any] ?? [:]
            #expect(str(verdict["detail"])?.isEmpty == false, "a human detail: \(verdict)")
        }
        #expect(((explanation["signals"] as? [Any]) ?? []).count == 1, "only signalled codes")

        let text = cli.run("event", "explain", "ex-1")
        #expect(text.code == 0)
        #expect(text.out.contains("applied"))
        let missing = cli.run("event", "explain", "nope", "--json")
        #expect(missing.code == 66)
        #expect(missing.out.isEmpty)
        #expect(str(missing.errorObject["code"]) == "not_found")
    }

    @Test func explainSettingsAndConditionVerdicts() {
        let cli = CLI()
        let mismatch = cli.trigger("--on", "call.missed", "--line", "sales", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let condition = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--if", "budget >= 100")
        let lead = cli.lead("E", "--field", "budget=5")
        let result = cli.inject("--type", "call.missed", "--element", String(lead), "--set", "line=hotline")
        #expect(str(result["status"]) == "recorded")
        let explanation = cli.run("event", "explain", String(int(result["event"]) ?? 0), "--json").object
        #expect(verdicts(explanation, signal: "call.missed") == [mismatch: "settings_mismatch", condition: "condition_failed"])
    }

    @Test func explainOutlivesARemovedTrigger() {
        let cli = CLI()
        let trigger = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        let result = cli.inject("--type", "call.missed", "--element", String(lead))
        #expect(cli.run("trigger", "remove", String(trigger)).code == 0)
        let explanation = cli.run("event", "explain", String(int(result["event"]) ?? 0), "--json").object
        #expect(verdicts(explanation, signal: "call.missed") == [trigger: "applied"])
    }

    // MARK: batches

    @Test func mixedBatchOneResultLinePerInputLine() throws {
        let cli = CLI()
        let trigger = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead("Known", "--email", "known@example.com")
        let input = [
            #"{"key":"b-1","type":"call.missed","element":\#(lead),"at":"2026-11-24T10:00:00Z"}"#,
            #"{"key":"b-2","type":"call.missed","element":\#(lead)"#,
            "",
            #"{"key":"b-3","type":"call.lost","element":\#(lead)}"#,
            #"{"key":"b-4","type":"call.missed","element":9999}"#,
            #"{"key":"b-5","type":"email.received","contact":{"email":"stranger@example.com"}}"#,
            "   ",
            #"{"key":"b-6","type":"email.received","contact":{"email":"KNOWN@example.com"},"data":{"subject":"hi"}}"#,
            #"{"key":"b-1","type":"call.missed","element":\#(lead),"at":"2026-11-24T10:00:00Z"}"#,
            #"["not","an","object"]"#,
        ].joined(separator: "\n") + "\n"
        let file = cli.path("batch.ndjson")
        try input.write(toFile: file, atomically: true, encoding: .utf8)
        let run = cli.run("event", "ingest", file)
        #expect(run.code == 65, "\(run)")
        let lines = run.lines
        #expect(lines.map { int($0["line"]) } == [1, 2, 4, 5, 6, 8, 9, 10])
        #expect(lines.map { str($0["status"]) } == [
            "moved", "rejected", "rejected", "rejected", "rejected", "recorded", "duplicate", "rejected",
        ])
        func code(_ index: Int) -> String? { str((lines[index]["error"] as? [String: Any])?["code"]) }
        #expect(code(1) == "invalid_json")
        #expect(code(2) == "unknown_type")
        #expect(code(3) == "not_found")
        #expect(code(4) == "no_element")
        #expect(code(7)?.isEmpty == false)
        for index in [1, 2, 3, 4, 7] {
            #expect(str((lines[index]["error"] as? [String: Any])?["message"])?.isEmpty == false)
            #expect(moves(lines[index]).isEmpty)
        }
        #expect(moves(lines[0]).map(\.trigger) == [trigger])
        #expect(str(lines[0]["key"]) == "b-1")
        #expect(int(lines[5]["element"]) == lead)
        #expect(int(lines[6]["event"]) == int(lines[0]["event"]))
        #expect(!run.err.isEmpty, "a summary on stderr")
        #expect(!run.err.contains("{"), "results go to stdout only")
        // With --json the summary is a JSON line too, so stderr can be parsed whole.
        let json = cli.run("event", "ingest", file, "--json", "--dry-run")
        let summary = (parseJSON(json.err) as? [String: Any])?["summary"] as? [String: Any]
        #expect(str(summary?["command"]) == "ingest" && int(summary?["lines"]) == 10, "\(json)")
        #expect(int(summary?["rejected"]) == 5 && int(summary?["duplicate"]) == 3 && summary?["dry_run"] as? Bool == true, "\(json)")
        // The good lines were stored.
        #expect(cli.events().compactMap { str($0["key"]) } == ["b-1", "b-6"])
        #expect(cli.stage(lead) == "IN_PROCESS")
        // Running the same input again applies each event exactly once.
        let again = cli.run("event", "ingest", file)
        #expect(again.code == 65)
        #expect(again.lines.map { str($0["status"]) } == [
            "duplicate", "rejected", "rejected", "rejected", "rejected", "duplicate", "duplicate", "rejected",
        ])
        #expect(cli.events().count == 2)
    }

    @Test func allGoodBatchFromStdinExits0() {
        let cli = CLI()
        let lead = cli.lead()
        let run = cli.run("event", "ingest", stdin: """
            {"type":"call.missed","element":\(lead)}

            {"type":"email.received","element":\(lead)}
            """)
        #expect(run.code == 0, "\(run)")
        #expect(run.lines.map { int($0["line"]) } == [1, 3])
        #expect(run.lines.map { str($0["status"]) } == ["recorded", "recorded"])
        #expect(cli.events().count == 2)
        let empty = cli.run("event", "ingest", stdin: "")
        #expect(empty.code == 0)
        #expect(empty.out.isEmpty)
    }

    @Test func batchLinesSeeEarlierLines() {
        let cli = CLI()
        let first = cli.trigger("--on", "chat.first_message", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let late = cli.trigger("--on", "chat.answer_late", "--seconds", "600", "--pipeline", "lead", "--stage", "JUNK", "--allow-backwards")
        let lead = cli.lead()
        let run = cli.run("event", "ingest", stdin: """
            {"type":"chat.message","element":\(lead),"at":"2026-11-24T18:30:00Z","data":{"chat":"c","text":"Hallo"}}
            {"type":"chat.message","element":\(lead),"at":"2026-11-24T18:31:00Z","data":{"chat":"c","text":"Hallo?"}}
            {"type":"chat.answered","element":\(lead),"at":"2026-11-24T18:45:00Z","by":"ben","data":{"chat":"c"}}

            """)
        #expect(run.code == 0, "\(run)")
        #expect(run.lines.map(moves).map { $0.map(\.trigger) } == [[first], [], [late]])
        #expect(cli.stage(lead) == "JUNK")
    }

    @Test func invalidEventLinesAreRejectedWithReasons() {
        let cli = CLI()
        let lead = cli.lead()
        let input = [
            #"{"type":"call.missed"}"#,  // no element or contact
            #"{"type":"call.missed","element":"1"}"#,  // element as a string
            #"{"type":"call.missed","element":1.5}"#,
            #"{"type":"call.missed","element":\#(lead),"colour":"red"}"#,  // unknown key
            #"{"type":"call.missed","element":\#(lead),"at":"yesterday"}"#,
            #"{"type":"call.missed","contact":{"email":"a@b","phone":"1"}}"#,
            #"{"element":\#(lead)}"#,  // no type
        ].joined(separator: "\n")
        let run = cli.run("event", "ingest", stdin: input)
        #expect(run.code == 65, "\(run)")
        #expect(run.lines.map { int($0["line"]) } == [1, 2, 3, 4, 5, 6, 7])
        #expect(run.lines.allSatisfy { str($0["status"]) == "rejected" }, "\(run)")
        #expect(cli.events().isEmpty)
    }

    @Test func notUTF8LineIsRejected() {
        let cli = CLI()
        let lead = cli.lead()
        var bytes = Array(#"{"type":"custom","element":\#(lead),"data":{"code":""#.utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("\"}}\n".utf8)
        bytes += Array(#"{"type":"custom","element":\#(lead),"data":{"code":"ok"}}"#.utf8) + [10]
        let run = cli.runArgs(["event", "ingest", "--db", cli.db], stdinBytes: bytes)
        #expect(run.code == 65, "\(run)")
        #expect(run.lines.map { str($0["status"]) } == ["rejected", "recorded"])
        #expect(str((run.lines.first?["error"] as? [String: Any])?["code"]) == "not_utf8")
    }
    @Test func oversizeLineIsRejectedAndTheRunGoesOn() {
        let cli = CLI()
        let lead = cli.lead()
        let huge = #"{"type":"custom","element":\#(lead),"data":{"code":""# + String(repeating: "x", count: (1 << 20) + 16) + #""}}"#
        let input = huge + "\n" + #"{"type":"custom","element":\#(lead),"data":{"code":"ok"}}"# + "\n"
        let run = cli.run("event", "ingest", stdin: input)
        #expect(run.code == 65)
        #expect(run.lines.map { int($0["line"]) } == [1, 2], "\(run.out.prefix(500))")
        #expect(run.lines.map { str($0["status"]) } == ["rejected", "recorded"])
        #expect(str((run.lines.first?["error"] as? [String: Any])?["code"]) == "too_long")
        #expect(cli.events().count == 1)
    }

    @Test func ingestPrintsNDJSONEvenWithJSONFlag() {
        let cli = CLI()
        let lead = cli.lead()
        let run = cli.run("event", "ingest", "--json", stdin: """
            {"type":"call.missed","element":\(lead)}
            {"type":"call.missed","element":\(lead)}
            """)
        #expect(run.code == 0, "\(run)")
        #expect(run.out.split(separator: "\n").count == 2)
        #expect(run.lines.map { int($0["line"]) } == [1, 2])
        let missing = cli.run("event", "ingest", cli.path("missing.ndjson"))
        #expect(missing.code == 66, "\(missing)")
        #expect(missing.out.isEmpty)
        #expect(cli.events().count == 2)
    }

    @Test func aRejectedLineHasOneShapeWhateverWasWrongWithIt() {
        let cli = CLI()
        let lead = cli.lead()
        let run = cli.run("event", "ingest", stdin: """
            {"key":"x-1","type":"call.missed","element":
            {"key":"x-2","type":"call.lost","element":\(lead)}
            {"key":"x-3","type":"call.missed","element":9999}
            \u{FF}
            """)
        #expect(run.code == 65, "\(run)")
        let lines = run.lines
        #expect(lines.map { str($0["status"]) } == ["rejected", "rejected", "rejected", "rejected"])
        let keys = lines.map { Set($0.keys) }
        #expect(keys.allSatisfy { $0 == ["line", "key", "event", "type", "element", "status", "moves", "jobs", "error"] }, "\(keys)")
        // What is known of a bad event is kept; a line that is not JSON knows nothing.
        #expect(lines[0]["key"] is NSNull && lines[0]["type"] is NSNull)
        #expect(str(lines[1]["key"]) == "x-2" && str(lines[1]["type"]) == "call.lost")
        #expect(int(lines[2]["element"]) == 9999)
    }
}
