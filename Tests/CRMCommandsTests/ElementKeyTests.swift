import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §3 "Element keys": a key names one element; given again it is a duplicate, refused `key_reused`
/// when a value differs, or with `element import --update` changed as `element set` changes it.
@Suite struct ElementKeyTests {
    func importLines(_ cli: CLI, _ lines: [String], update: Bool = false) -> Run {
        cli.runArgs(["element", "import", "--db", cli.db] + (update ? ["--update"] : []), stdin: lines.joined(separator: "\n") + "\n")
    }

    /// Every element and event as JSON: what "nothing changed" compares.
    func everything(_ cli: CLI) -> String {
        cli.run("element", "list", "--json").out + cli.run("event", "list", "--json").out
            + (1...3).map { cli.run("history", String($0), "--json").out }.joined()
    }

    @Test func createdAgainWithItsKeyTheElementIsADuplicate() {
        let cli = CLI()
        let id = cli.lead("Clara Weiss", "--key", "crm-1", "--email", "clara@example.com", "--field", "city=Berlin")
        // Text: the id alone, as for a new element; nothing on stderr.
        let again = cli.run("lead", "create", "--title", "Clara Weiss", "--key", "crm-1", "--email", "clara@example.com")
        #expect(again.code == 0, "\(again)")
        #expect(again.out == "\(id)\n")
        #expect(again.err.isEmpty)
        let json = cli.run("lead", "create", "--title", "Clara Weiss", "--key", "crm-1", "--field", "city=Berlin", "--json")
        #expect(json.code == 0, "\(json)")
        expectKeys(json.object, ElementCommandTests.elementKeys + " status jobs")
        #expect(str(json.object["status"]) == "duplicate")
        #expect(int(json.object["id"]) == id)
        #expect(str(json.object["key"]) == "crm-1")
        #expect((json.object["jobs"] as? [Any])?.isEmpty == true)
        #expect(cli.run("element", "list", "--json").array.count == 1)
        #expect(cli.history(id).count == 1, "a duplicate writes nothing")
        // A new one says so too, and the key is shown.
        let other = cli.run("lead", "create", "--title", "Tom", "--key", "crm-2", "--json")
        #expect(str(other.object["status"]) == "created" && str(other.object["key"]) == "crm-2")
        #expect(cli.run("element", "show", String(id)).out.contains("key:          crm-1\n"))
        #expect(cli.run("element", "show", String(cli.lead("Unkeyed"))).out.contains("key:          -\n"))
        #expect(isNull(cli.element(3)["key"]))
    }

    @Test func absentValuesAreNotComparedNorIsTheStage() {
        let cli = CLI()
        let id = cli.lead("Clara", "--key", "k", "--responsible", "anna", "--email", "clara@example.com", "--phone", "+49 1",
                          "--field", "city=Berlin")
        #expect(cli.run("element", "move", String(id), "--stage", "PROCESSED").code == 0)
        // Only the title given; another start stage; the email with spaces around it, as it would be stored.
        for extra in [[], ["--stage", "NEW"], ["--email", "  clara@example.com "], ["--responsible", "anna", "--phone", "+49 1"]] {
            let run = cli.runArgs(["lead", "create", "--title", "Clara", "--key", "k", "--db", cli.db] + extra)
            #expect(run.code == 0 && run.out == "\(id)\n", "\(extra): \(run)")
        }
        #expect(cli.stage(id) == "PROCESSED")
    }

    @Test func aDifferentValueIsRefusedKeyReusedAndChangesNothing() {
        let cli = CLI()
        let lead = cli.lead("Clara", "--key", "k", "--email", "clara@example.com", "--field", "city=Berlin")
        let deal = cli.deal("Fit-out", "--key", "d")
        _ = cli.run("pipeline", "create", "--type", "deal", "--name", "Projects", "--stages", "A:A,W:Won:success,L:Lost:failure")
        let before = everything(cli)
        let refusals: [([String], String)] = [
            (["lead", "create", "--title", "Clara W.", "--key", "k"], "title"),
            (["lead", "create", "--title", "Clara", "--key", "k", "--email", "other@example.com"], "email"),
            (["lead", "create", "--title", "Clara", "--key", "k", "--phone", "+49 2"], "phone"),
            (["lead", "create", "--title", "Clara", "--key", "k", "--responsible", "ben"], "responsible"),
            (["lead", "create", "--title", "Clara", "--key", "k", "--field", "city=Köln"], "field city"),
            (["lead", "create", "--title", "Clara", "--key", "k", "--field", "size=10"], "field size"),
            (["deal", "create", "--title", "Clara", "--key", "k"], "a lead, not a deal"),
            (["deal", "create", "--title", "Fit-out", "--key", "d", "--pipeline", "3"], "in pipeline 2, not 3"),
        ]
        for (arguments, named) in refusals {
            let run = cli.runArgs(arguments + ["--db", cli.db])
            #expect(run.code == 65, "\(arguments): \(run)")
            #expect(run.out.isEmpty)
            #expect(run.err.hasPrefix("crmctl: error: key \"\(arguments[5])\" names element \(arguments[5] == "k" ? lead : deal), "), "\(run)")
            #expect(run.err.contains(named), "\(arguments): \(run)")
            let json = cli.runArgs(arguments + ["--db", cli.db, "--json"])
            #expect(json.code == 65 && str(json.errorObject["code"]) == "key_reused", "\(json)")
        }
        #expect(everything(cli) == before, "a refused key changes nothing")
    }

    @Test func importLinesSayCreatedDuplicateOrRejected() {
        let cli = CLI()
        let lines = [
            #"{"key":"crm-1","type":"lead","title":"Clara","email":"clara@example.com","fields":{"city":"Berlin"}}"#,
            #"{"key":"crm-2","type":"deal","title":"Fit-out","stage":"PREPARATION"}"#,
            #"{"type":"lead","title":"No key"}"#,
            #"{"key":"crm-1","type":"lead","title":"Clara"}"#,
        ]
        let first = importLines(cli, lines)
        #expect(first.code == 0, "\(first)")
        #expect(first.lines.map { str($0["status"]) } == ["created", "created", "created", "duplicate"])
        #expect(first.lines.map { int($0["element"]) } == [1, 2, 3, 1])
        for line in first.lines { expectKeys(line, "line status element key type pipeline stage") }
        #expect(first.lines.map { $0["key"] as? String } == ["crm-1", "crm-2", nil, "crm-1"])
        #expect(isNull(first.lines[2]["key"]))

        let again = importLines(cli, lines + [
            #"{"key":"crm-1","type":"lead","title":"Clara","fields":{"city":"Köln"}}"#,
            #"{"key":"","type":"lead","title":"Empty key"}"#,
            #"{"key":7,"type":"lead","title":"Number"}"#,
        ])
        #expect(again.code == 65, "\(again)")
        #expect(again.lines.map { str($0["status"]) } == ["duplicate", "duplicate", "created", "duplicate", "rejected", "rejected", "rejected"])
        #expect(again.err == "crmctl: import: 7 lines: 3 duplicate, 1 created, 3 rejected\n")
        let reused = again.lines[4]
        expectKeys(reused, "line status element key error")
        #expect(isNull(reused["element"]) && str(reused["key"]) == "crm-1")
        let error = reused["error"] as? [String: Any]
        #expect(str(error?["code"]) == "key_reused")
        #expect(str(error?["message"])?.contains("names element 1, whose values differ from those given: field city") == true, "\(reused)")
        #expect(str((again.lines[5]["error"] as? [String: Any])?["message"]) == "a key must not be empty")
        #expect(str((again.lines[6]["error"] as? [String: Any])?["message"]) == "key must be a string")
        #expect(cli.run("element", "list", "--json").array.count == 4, "the unkeyed line is created each time")
        #expect(cli.element(1)["fields"] as? [String: String] == ["city": "Berlin"])
    }

    @Test func csvTakesAKeyColumn() {
        let cli = CLI()
        let csv = "Key,type,title,city\ncrm-1,lead,Clara,Berlin\n,lead,No key,\ncrm-1,lead,Clara,Köln\n"
        let run = cli.runArgs(["element", "import", "--csv", "--db", cli.db], stdin: csv)
        #expect(run.code == 65, "\(run)")
        #expect(run.lines.map { str($0["status"]) } == ["created", "created", "rejected"])
        #expect(str(cli.element(1)["key"]) == "crm-1")
        #expect(cli.element(1)["fields"] as? [String: String] == ["city": "Berlin"], "key is the element's own, not a field")
        let update = cli.runArgs(["element", "import", "--csv", "--update", "--db", cli.db], stdin: csv)
        #expect(update.code == 0, "\(update)")
        #expect(update.lines.map { str($0["status"]) } == ["unchanged", "created", "updated"])
    }

    /// `--update` changes the key's element exactly as `element set` would: the same events in the same
    /// order, the same triggers, the same timeline.
    @Test func updateAppliesTheDifferencesAsElementSetDoes() {
        let cli = CLI()
        let onResponsible = cli.trigger("--on", "responsible.changed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let onCity = cli.trigger("--on", "field.changed", "--field", "city", "--pipeline", "lead", "--stage", "PROCESSED")
        let line = #"{"key":"k","type":"lead","title":"Clara","responsible":"anna","fields":{"city":"Berlin","size":"3"}}"#
        #expect(importLines(cli, [line]).code == 0)
        let twin = cli.lead("Clara", "--responsible", "anna", "--field", "city=Berlin", "--field", "size=3")

        let changed = #"{"key":"k","type":"lead","title":"Clara","responsible":"ben","email":" b@x.com","fields":{"city":"Köln","size":"3"}}"#
        let refused = importLines(cli, [changed])
        #expect(refused.code == 65 && str(refused.lines.first?["status"]) == "rejected")
        let update = importLines(cli, [changed, changed], update: true)
        #expect(update.code == 0, "\(update)")
        #expect(update.lines.map { str($0["status"]) } == ["updated", "unchanged"])
        #expect(update.err == "crmctl: import: 2 lines: 1 updated, 1 unchanged\n")
        let updated = update.lines[0]
        #expect(int(updated["element"]) == 1 && str(updated["stage"]) == "PROCESSED")
        let events = (updated["events"] as? [Any])?.compactMap(int) ?? []
        #expect(events.count == 2)

        let set = cli.run("element", "set", String(twin), "--responsible", "ben", "--email", " b@x.com", "--field", "city=Köln",
                          "--field", "size=3", "--json")
        #expect(set.code == 0, "\(set)")
        #expect(set.array.map { str($0["type"]) } == ["responsible.changed", "field.changed"])
        #expect(cli.events("--element", "1").map { str($0["type"]) } == ["responsible.changed", "field.changed"])
        #expect(cli.events("--element", "1").map { int($0["id"]) } == events)
        // Each event fired its trigger, the same for both elements: the new responsible moved it to
        // IN_PROCESS, then the new city to PROCESSED, both authored by the new responsible.
        func summary(_ id: Int) -> [String] {
            cli.history(id).map { entry in
                [str(entry["kind"]), str(entry["from"]), str(entry["to"]), int(entry["trigger"]).map(String.init), str(entry["author"])]
                    .compactMap { $0 }.joined(separator: " ")
            }
        }
        #expect(summary(1) == summary(twin))
        #expect(summary(1) == [
            "created anna", "responsible.changed system", "stage_changed NEW IN_PROCESS \(onResponsible) ben",
            "field.changed system", "stage_changed IN_PROCESS PROCESSED \(onCity) ben",
        ])
        #expect(cli.element(1)["fields"] as? [String: String] == ["city": "Köln", "size": "3"])
        #expect(str(cli.element(1)["email"]) == "b@x.com")
        #expect(str(cli.element(1)["responsible"]) == "ben")
    }

    @Test func updateStillRefusesAnotherTypeOrPipeline() {
        let cli = CLI()
        #expect(importLines(cli, [#"{"key":"k","type":"lead","title":"Clara"}"#]).code == 0)
        let run = importLines(cli, [#"{"key":"k","type":"deal","title":"Clara W."}"#, #"{"key":"k","type":"lead","pipeline":"deal","title":"X"}"#], update: true)
        #expect(run.code == 65)
        #expect(run.lines.map { str(($0["error"] as? [String: Any])?["code"]) } == ["key_reused", "invalid"], "\(run)")
        #expect(str(cli.element(1)["title"]) == "Clara")
        #expect(cli.events().isEmpty)
    }

    @Test func anErasedElementsKeyNamesNothing() {
        let cli = CLI()
        let first = cli.lead("Clara", "--key", "k")
        #expect(cli.run("element", "delete", String(first)).code == 0)
        let again = cli.run("lead", "create", "--title", "Someone else", "--key", "k", "--json")
        #expect(again.code == 0 && str(again.object["status"]) == "created", "\(again)")
        #expect(str(cli.element(int(again.object["id"]) ?? 0)["title"]) == "Someone else")
    }
}
