import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §3–5: trigger add/list/show/remove/enable/disable/codes.
@Suite struct TriggerCommandTests {
    static let triggerKeys = "id name on pipeline stage as allow_backwards settings conditions enabled"

    static let catalogue: [(code: String, group: String)] = [
        ("document.created", "paperwork"), ("document.viewed", "paperwork"), ("document.signed.sender", "paperwork"),
        ("document.signed.recipient", "paperwork"), ("document.signed.all", "paperwork"),
        ("email.opened", "communication"), ("email.link_clicked", "communication"),
        ("email.received", "communication"), ("email.sent", "communication"), ("form.callback", "communication"),
        ("call.outgoing", "communication"), ("call.incoming", "communication"), ("call.missed", "communication"),
        ("chat.first_message", "communication"), ("chat.answered", "communication"),
        ("chat.answer_late", "communication"), ("chat.text", "communication"), ("form.submitted", "other"),
        ("field.changed", "element"), ("responsible.changed", "element"), ("payment.received", "payment"),
        ("custom", "other"),
        // The time triggers of SPEC §8, made by crmctl tick.
        ("stage.idle", "element"), ("chat.unanswered", "communication"),
    ]

    @Test func addPrintsIdAloneOrTheWholeTrigger() {
        let cli = CLI()
        let text = cli.run("trigger", "add", "--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        #expect(text.code == 0, "\(text)")
        #expect(text.out == "1\n")
        #expect(text.err.isEmpty)
        let json = cli.run(
            "trigger", "add", "--on", "chat.text", "--text", "Bestellung morgen liefern", "--ignore-case",
            "--channel", "web", "--pipeline", "lead", "--stage", "PROCESSED", "--name", "order", "--as", "bot",
            "--allow-backwards", "--disabled", "--if", "budget > 100", "--if", "title ~ GmbH", "--json")
        #expect(json.code == 0, "\(json)")
        #expect(json.err.isEmpty)
        let trigger = json.object
        expectKeys(trigger, Self.triggerKeys)
        #expect(int(trigger["id"]) == 2)
        #expect(str(trigger["name"]) == "order")
        #expect(str(trigger["on"]) == "chat.text")
        #expect(int(trigger["pipeline"]) == 1)
        #expect(str(trigger["stage"]) == "PROCESSED")
        #expect(str(trigger["as"]) == "bot")
        #expect(bool(trigger["allow_backwards"]) == true)
        #expect(bool(trigger["enabled"]) == false)
        let settings = trigger["settings"] as? [String: Any] ?? [:]
        #expect(str(settings["text"]) == "Bestellung morgen liefern")
        #expect(str(settings["channel"]) == "web")
        #expect((trigger["conditions"] as? [Any])?.count == 2)
        // Defaults.
        let plain = cli.run("trigger", "show", "1", "--json").object
        expectKeys(plain, Self.triggerKeys)
        #expect(bool(plain["allow_backwards"]) == false)
        #expect(bool(plain["enabled"]) == true)
        #expect(isNull(plain["as"]))
        #expect((plain["conditions"] as? [Any])?.isEmpty == true)
        #expect(str(plain["on"]) == "call.missed")
    }

    @Test func addValidation() {
        let cli = CLI()
        func add(_ args: String...) -> Run {
            cli.runArgs(["trigger", "add"] + args + ["--db", cli.db])
        }
        let cases: [(Run, Int32, String)] = [
            (add("--on", "call.lost", "--pipeline", "lead", "--stage", "IN_PROCESS"), 65, "unknown code"),
            (add("--on", "chat.answer_late", "--pipeline", "lead", "--stage", "JUNK"), 64, "missing --seconds"),
            (add("--on", "chat.text", "--pipeline", "lead", "--stage", "JUNK"), 64, "missing --text"),
            (add("--on", "field.changed", "--pipeline", "lead", "--stage", "JUNK"), 64, "missing --field"),
            (add("--on", "custom", "--pipeline", "lead", "--stage", "JUNK"), 64, "missing --code"),
            (add("--on", "email.opened", "--template", "offer", "--pipeline", "lead", "--stage", "JUNK"), 65, "setting not taken"),
            (add("--on", "call.missed", "--url", "https://x", "--pipeline", "lead", "--stage", "JUNK"), 65, "setting not taken"),
            (add("--on", "call.missed", "--ignore-case", "--pipeline", "lead", "--stage", "JUNK"), 65, "flag not taken"),
            (add("--on", "call.missed", "--pipeline", "lead", "--stage", "WON"), 66, "unknown stage"),
            (add("--on", "call.missed", "--pipeline", "9", "--stage", "NEW"), 66, "unknown pipeline"),
            (add("--on", "call.missed", "--pipeline", "lead", "--stage", "JUNK", "--if", "budget"), 65, "--if without operator"),
            (add("--on", "call.missed", "--pipeline", "lead", "--stage", "JUNK", "--if", "budget >"), 65, "--if without value"),
            (add("--on", "call.missed", "--pipeline", "lead", "--stage", "JUNK", "--if", "= 5"), 65, "--if without field"),
            (add("--on", "call.missed", "--pipeline", "lead", "--stage", "JUNK", "--if", "budget ? 5"), 65, "--if unknown op"),
            (add("--on", "chat.answer_late", "--seconds=-5", "--pipeline", "lead", "--stage", "JUNK"), 65, "negative seconds"),
            (add("--on", "chat.answer_late", "--seconds", "soon", "--pipeline", "lead", "--stage", "JUNK"), 64, "seconds not a number"),
            (add("--on", "chat.text", "--text", "", "--pipeline", "lead", "--stage", "JUNK"), 65, "empty text"),
            (add("--on", "custom", "--code", "", "--pipeline", "lead", "--stage", "JUNK"), 65, "empty code"),
        ]
        for (run, code, why) in cases {
            #expect(run.code == code, "\(why): \(run)")
            #expect(run.out.isEmpty, "\(why): \(run)")
            #expect(run.err.hasPrefix("crmctl: error: "), "\(why): \(run)")
        }
        #expect(cli.run("trigger", "list", "--json").trimmed == "[]")
        let json = cli.run("trigger", "add", "--on", "nope", "--pipeline", "lead", "--stage", "NEW", "--json")
        #expect(json.code == 65)
        #expect(str(json.errorObject["code"])?.isEmpty == false, "\(json)")
    }

    @Test func listFilters() {
        let cli = CLI()
        #expect(cli.run("trigger", "list", "--json").trimmed == "[]")
        let a = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let b = cli.trigger("--on", "payment.received", "--pipeline", "deal", "--stage", "WON")
        let c = cli.trigger("--on", "call.missed", "--pipeline", "deal", "--stage", "PREPARATION")
        func ids(_ args: String...) -> [Int] {
            let run = cli.runArgs(["trigger", "list", "--json"] + args + ["--db", cli.db])
            #expect(run.code == 0, "\(run)")
            #expect(run.err.isEmpty)
            for trigger in run.array { expectKeys(trigger, Self.triggerKeys) }
            return run.array.compactMap { int($0["id"]) }
        }
        #expect(ids() == [a, b, c])
        #expect(ids("--pipeline", "deal") == [b, c])
        #expect(ids("--pipeline", "1") == [a])
        #expect(ids("--on", "call.missed") == [a, c])
        #expect(ids("--pipeline", "deal", "--on", "call.missed") == [c])
        #expect(ids("--on", "email.sent") == [])
        let text = cli.run("trigger", "list")
        #expect(text.code == 0)
        #expect(text.out.contains("payment.received"))
    }

    @Test func showRemoveEnableDisable() {
        let cli = CLI()
        let id = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--name", "missed")
        let show = cli.run("trigger", "show", String(id))
        #expect(show.code == 0)
        #expect(show.err.isEmpty)
        #expect(show.out.contains("missed"))
        #expect(cli.run("trigger", "show", "42").code == 66)

        let disabled = cli.run("trigger", "disable", String(id), "--json")
        #expect(disabled.code == 0, "\(disabled)")
        #expect(bool(disabled.object["enabled"]) == false)
        #expect(bool(cli.run("trigger", "show", String(id), "--json").object["enabled"]) == false)

        // A disabled trigger does not move the element; its verdict is `disabled`.
        let lead = cli.lead()
        let result = cli.inject("--type", "call.missed", "--element", String(lead))
        #expect(str(result["status"]) == "recorded")
        let explanation = cli.run("event", "explain", String(int(result["event"]) ?? 0), "--json").object
        #expect(verdicts(explanation, signal: "call.missed") == [id: "disabled"])

        let enabled = cli.run("trigger", "enable", String(id), "--json")
        #expect(enabled.code == 0)
        #expect(bool(enabled.object["enabled"]) == true)
        #expect(str(cli.inject("--type", "call.missed", "--element", String(lead))["status"]) == "moved")

        let removed = cli.run("trigger", "remove", String(id))
        #expect(removed.code == 0, "\(removed)")
        #expect(removed.err.isEmpty)
        #expect(cli.run("trigger", "show", String(id)).code == 66)
        #expect(cli.run("trigger", "list", "--json").trimmed == "[]")
        for verb in ["remove", "enable", "disable"] {
            let missing = cli.run("trigger", verb, String(id))
            #expect(missing.code == 66, "\(verb): \(missing)")
            #expect(missing.out.isEmpty)
        }
    }

    /// A history names the trigger that moved the element by id: removing the newest trigger must not let
    /// the next one take its id and so its moves.
    @Test func removedTriggerIDsAreNeverReused() {
        let cli = CLI()
        let first = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let second = cli.trigger("--on", "custom", "--code", "x", "--pipeline", "lead", "--stage", "IN_PROCESS")
        #expect(cli.run("trigger", "remove", String(second)).code == 0)
        let third = cli.trigger("--on", "custom", "--code", "y", "--pipeline", "lead", "--stage", "IN_PROCESS")
        #expect(third > second && second > first, "\(first) \(second) \(third)")
        #expect(cli.run("trigger", "show", String(second)).code == 66)
    }

    @Test func codesCatalogue() {
        let cli = CLI()
        let json = cli.run("trigger", "codes", "--json")
        #expect(json.code == 0)
        #expect(json.err.isEmpty)
        let rows = json.array
        #expect(rows.count == 24)
        for row in rows {
            expectKeys(row, "code group description settings")
            #expect(str(row["description"])?.isEmpty == false)
            #expect(row["settings"] is [Any], "\(row)")
        }
        #expect(Set(rows.compactMap { str($0["code"]) }) == Set(Self.catalogue.map(\.code)))
        let settings = { (code: String) in rows.first { str($0["code"]) == code }?["settings"] as? [String] }
        #expect(settings("field.changed") == ["--field NAME (required, repeatable)"])
        #expect(settings("chat.answer_late") == ["--seconds N (required)", "--channel C"])
        for (code, group) in Self.catalogue {
            #expect(str(rows.first { str($0["code"]) == code }?["group"]) == group, "\(code)")
        }
        let text = cli.run("trigger", "codes")
        #expect(text.code == 0)
        let lines = text.out.split(separator: "\n")
        for (code, _) in Self.catalogue {
            #expect(lines.contains { $0.hasPrefix(code + " ") }, "\(code) has a row")
        }
        #expect(lines.count == 25, "a header and 24 rows")
        // On a terminal too narrow for the table (COLUMNS stands for it), a block per code, nothing cut.
        let narrow = cli.run("trigger", "codes", env: ["COLUMNS": "60"])
        let narrowLines = narrow.out.split(separator: "\n")
        #expect(narrow.code == 0 && narrowLines.allSatisfy { $0.count <= 60 } && !narrow.out.contains("…"), "\(narrow)")
        #expect(narrowLines.contains("chat.answer_late  communication  OPENLINE_ANSWER_CTRL"), "\(narrow)")
        #expect(narrowLines.contains("    settings: --seconds N (required), --channel C"), "\(narrow)")
    }

    @Test func conditionsCompareNumbersAsNumbers() {
        let cli = CLI()
        let id = cli.trigger("--on", "payment.received", "--pipeline", "lead", "--stage", "PROCESSED", "--if", "budget > 1000")
        let small = cli.lead("Small", "--field", "budget=999")
        let big = cli.lead("Big", "--field", "budget=10000")
        let none = cli.lead("None")
        #expect(str(cli.inject("--type", "payment.received", "--element", String(small))["status"]) == "recorded")
        let moved = cli.inject("--type", "payment.received", "--element", String(big))
        #expect(moves(moved).map(\.trigger) == [id])
        let missing = cli.inject("--type", "payment.received", "--element", String(none))
        #expect(str(missing["status"]) == "recorded", "a missing field is the empty string")
        let explanation = cli.run("event", "explain", String(int(missing["event"]) ?? 0), "--json").object
        #expect(verdicts(explanation, signal: "payment.received") == [id: "condition_failed"])
    }

    @Test func conditionsAllMustHold() {
        let cli = CLI()
        _ = cli.trigger("--on", "payment.received", "--pipeline", "lead", "--stage", "PROCESSED",
                        "--if", "title ~ GmbH", "--if", "responsible = anna", "--if", "region != north")
        let both = cli.lead("Weiss GmbH", "--responsible", "anna")
        let one = cli.lead("Weiss GmbH", "--responsible", "ben")
        let excluded = cli.lead("Nord GmbH", "--responsible", "anna", "--field", "region=north")
        #expect(str(cli.inject("--type", "payment.received", "--element", String(both))["status"]) == "moved")
        #expect(str(cli.inject("--type", "payment.received", "--element", String(one))["status"]) == "recorded")
        #expect(str(cli.inject("--type", "payment.received", "--element", String(excluded))["status"]) == "recorded")
    }
}
