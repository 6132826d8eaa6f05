import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §2–3: lead/deal create, element list/show/move/set/import, history, errors.
@Suite struct ElementCommandTests {
    static let elementKeys = "id key type pipeline stage title responsible email phone fields created_at updated_at"

    @Test func leadCreatePrintsTheIdAlone() {
        let cli = CLI()
        let first = cli.run("lead", "create", "--title", "First")
        #expect(first.code == 0, "\(first)")
        #expect(first.out == "1\n")
        #expect(first.err.isEmpty)
        let second = cli.run("lead", "create", "--title", "Second")
        #expect(second.out == "2\n")
    }

    @Test func leadCreateJSONIsTheWholeElement() {
        let cli = CLI()
        let run = cli.run(
            "lead", "create", "--title", "Clara Weiss", "--responsible", "anna", "--email", "clara@example.com",
            "--phone", "+49 30 555", "--field", "budget=1200", "--field", "source=fair", "--json")
        #expect(run.code == 0, "\(run)")
        #expect(run.err.isEmpty)
        let element = run.object
        expectKeys(element, Self.elementKeys)
        #expect(int(element["id"]) == 1)
        #expect(str(element["type"]) == "lead")
        #expect(int(element["pipeline"]) == 1)
        #expect(str(element["stage"]) == "NEW")
        #expect(str(element["title"]) == "Clara Weiss")
        #expect(str(element["responsible"]) == "anna")
        #expect(str(element["email"]) == "clara@example.com")
        #expect(str(element["phone"]) == "+49 30 555")
        #expect((element["fields"] as? [String: String]) == ["budget": "1200", "source": "fair"])
        #expect(str(element["created_at"]) == "2026-11-24T09:00:00Z")
        #expect(str(element["updated_at"]) == "2026-11-24T09:00:00Z")
        // show gives the same object; create adds its status and the jobs its entry made (SPEC §7 rule 9).
        let shown = cli.element(1)
        var created = element
        #expect((created.removeValue(forKey: "jobs") as? [Any])?.isEmpty == true)
        #expect(created.removeValue(forKey: "status") as? String == "created")
        #expect(NSDictionary(dictionary: shown).isEqual(to: created))
    }

    @Test func leadWithoutOptionalValuesHasNullsAndEmptyFields() {
        let cli = CLI()
        let element = cli.run("lead", "create", "--title", "Bare", "--json").object
        expectKeys(element, Self.elementKeys)
        #expect(isNull(element["responsible"]))
        #expect(isNull(element["email"]))
        #expect(isNull(element["phone"]))
        #expect((element["fields"] as? [String: Any])?.isEmpty == true)
    }

    @Test func createWithStage() {
        let cli = CLI()
        let lead = cli.lead("L", "--stage", "PROCESSED")
        #expect(cli.stage(lead) == "PROCESSED")
        let unknown = cli.run("lead", "create", "--title", "L", "--stage", "NOPE")
        #expect(unknown.code == 66, "\(unknown)")
        #expect(unknown.out.isEmpty)
        #expect(unknown.err.hasPrefix("crmctl: error: "))
        let unknownJSON = cli.run("lead", "create", "--title", "L", "--stage", "NOPE", "--json")
        #expect(unknownJSON.code == 66)
        #expect(str(unknownJSON.errorObject["code"]) == "not_found", "\(unknownJSON)")
        #expect(cli.run("element", "list", "--json").array.count == 1)
    }

    @Test func dealCreateInPipelines() {
        let cli = CLI()
        let deal = cli.run("deal", "create", "--title", "Office", "--json")
        #expect(deal.code == 0, "\(deal)")
        expectKeys(deal.object, Self.elementKeys)
        #expect(str(deal.object["type"]) == "deal")
        #expect(int(deal.object["pipeline"]) == 2)
        #expect(str(deal.object["stage"]) == "NEW")
        #expect(cli.run("pipeline", "create", "--type", "deal", "--name", "Wholesale", "--stages",
                        "OPEN:Open,WON:Won:success,LOST:Lost:failure").out == "3\n")
        let other = cli.run("deal", "create", "--title", "Bulk", "--pipeline", "3", "--json")
        #expect(other.code == 0, "\(other)")
        #expect(int(other.object["pipeline"]) == 3)
        #expect(str(other.object["stage"]) == "OPEN")
        let byName = cli.run("deal", "create", "--title", "Named", "--pipeline", "deal", "--json")
        #expect(int(byName.object["pipeline"]) == 2)
        let missing = cli.run("deal", "create", "--title", "X", "--pipeline", "42")
        #expect(missing.code == 66, "\(missing)")
        #expect(missing.out.isEmpty)
        let wrongStage = cli.run("deal", "create", "--title", "X", "--pipeline", "3", "--stage", "PREPARATION")
        #expect(wrongStage.code == 66, "a stage of another pipeline: \(wrongStage)")
        let leadPipeline = cli.run("deal", "create", "--title", "X", "--pipeline", "lead")
        #expect(leadPipeline.code == 65, "a deal in the lead pipeline: \(leadPipeline)")
    }

    @Test func missingTitleIsUsage() {
        let cli = CLI()
        let run = cli.run("lead", "create")
        #expect(run.code == 64, "\(run)")
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("crmctl: error: "))
    }

    @Test func unknownFlagIs64InTextAndJSON() {
        let cli = CLI()
        let text = cli.run("lead", "create", "--title", "X", "--colour", "red")
        #expect(text.code == 64, "\(text)")
        #expect(text.out.isEmpty)
        #expect(text.err.hasPrefix("crmctl: error: "), "\(text)")
        let json = cli.run("element", "list", "--bogus", "--json")
        #expect(json.code == 64, "\(json)")
        #expect(json.out.isEmpty)
        #expect(str(json.errorObject["code"]) == "usage", "\(json)")
        #expect(str(json.errorObject["message"])?.isEmpty == false)
        #expect(json.err.split(separator: "\n").count == 1, "one JSON line: \(json)")
        // Nothing was created.
        #expect(cli.run("element", "list", "--json").trimmed == "[]")
    }

    @Test func errorsAreOneLineOnStderr() {
        let cli = CLI()
        let text = cli.run("element", "show", "5")
        #expect(text.code == 66)
        #expect(text.out.isEmpty)
        #expect(text.err.hasPrefix("crmctl: error: "))
        #expect(text.err.hasSuffix("\n"))
        let json = cli.run("element", "show", "5", "--json")
        #expect(json.code == 66)
        #expect(json.out.isEmpty)
        let object = parseJSON(json.err) as? [String: Any]
        #expect(object?.keys.sorted() == ["error"], "\(json)")
        #expect(str(json.errorObject["code"]) == "not_found")
        #expect(str(json.errorObject["message"])?.isEmpty == false)
    }

    @Test func listFiltersLimitAndEmpty() {
        let cli = CLI()
        let empty = cli.run("element", "list", "--json")
        #expect(empty.code == 0)
        #expect(empty.trimmed == "[]")
        #expect(empty.err.isEmpty)
        let l1 = cli.lead("L1")
        let d1 = cli.deal("D1")
        let l2 = cli.lead("L2", "--stage", "IN_PROCESS")
        let l3 = cli.lead("L3")
        _ = cli.run("pipeline", "create", "--type", "deal", "--name", "P3", "--stages", "NEW:New,WON:Won:success,LOST:Lost:failure")
        let d2 = cli.deal("D2", "--pipeline", "3")
        func ids(_ args: String...) -> [Int] {
            let run = cli.runArgs(["element", "list", "--json"] + args + ["--db", cli.db])
            #expect(run.code == 0, "\(run)")
            return run.array.compactMap { int($0["id"]) }
        }
        #expect(ids() == [l1, d1, l2, l3, d2])
        #expect(ids("--type", "lead") == [l1, l2, l3])
        #expect(ids("--type", "deal") == [d1, d2])
        #expect(ids("--pipeline", "deal") == [d1])
        #expect(ids("--pipeline", "3") == [d2])
        #expect(ids("--stage", "NEW") == [l1, d1, l3, d2])
        #expect(ids("--type", "lead", "--stage", "NEW") == [l1, l3])
        #expect(ids("--limit", "2") == [l1, d1])
        #expect(ids("--type", "lead", "--limit", "2") == [l1, l2])
        #expect(ids("--stage", "WON") == [])
        for element in cli.run("element", "list", "--json").array { expectKeys(element, Self.elementKeys) }
        let emptyFilter = cli.run("element", "list", "--stage", "CONVERTED", "--json")
        #expect(emptyFilter.trimmed == "[]")
        let badLimit = cli.run("element", "list", "--limit", "x")
        #expect(badLimit.code == 64, "\(badLimit)")
        #expect(badLimit.out.isEmpty)
        let text = cli.run("element", "list")
        #expect(text.code == 0)
        #expect(text.out.contains("L1") && text.out.contains("D2"))
    }

    @Test func showMissingIs66() {
        let cli = CLI()
        _ = cli.lead()
        let run = cli.run("element", "show", "2")
        #expect(run.code == 66, "\(run)")
        #expect(run.out.isEmpty)
        let text = cli.run("element", "show", "1")
        #expect(text.code == 0)
        #expect(text.err.isEmpty)
        #expect(text.out.contains("Lead"))
        let notNumber = cli.run("element", "show", "abc")
        #expect(notNumber.code == 64, "\(notNumber)")
    }

    @Test func sqlLookingTitleIsStoredVerbatim() {
        let cli = CLI()
        let title = "Robert'); DROP TABLE elements;--"
        let id = cli.lead(title, "--field", "note=' OR 1=1 --", "--email", "x'@example.com")
        #expect(str(cli.element(id)["title"]) == title)
        #expect((cli.element(id)["fields"] as? [String: String])?["note"] == "' OR 1=1 --")
        let text = cli.run("element", "show", String(id))
        #expect(text.out.contains(title))
        let list = cli.run("element", "list", "--json")
        #expect(list.code == 0)
        #expect(list.array.compactMap { str($0["title"]) } == [title])
        #expect(cli.lead("After") == id + 1)
        let history = cli.history(id)
        #expect(str(history.first?["title"]) == title)
    }

    // MARK: move

    @Test func moveAnyDirectionAuthorsAndFiresNoTrigger() {
        let cli = CLI()
        // Triggers that would move the element if anything were signalled.
        _ = cli.trigger("--on", "responsible.changed", "--pipeline", "lead", "--stage", "JUNK", "--allow-backwards")
        _ = cli.trigger("--on", "field.changed", "--field", "title", "--pipeline", "lead", "--stage", "JUNK", "--allow-backwards")
        let id = cli.lead("Move me", "--responsible", "anna")
        let forward = cli.run("element", "move", String(id), "--stage", "PROCESSED", "--as", "boss", now: "2026-11-24T10:00:00Z")
        #expect(forward.code == 0, "\(forward)")
        #expect(forward.err.isEmpty)
        #expect(cli.stage(id) == "PROCESSED")
        let back = cli.run("element", "move", String(id), "--stage", "NEW", "--json", now: "2026-11-24T11:00:00Z")
        #expect(back.code == 0, "\(back)")
        expectKeys(back.object, Self.elementKeys)
        #expect(str(back.object["stage"]) == "NEW")
        #expect(str(back.object["updated_at"]) == "2026-11-24T11:00:00Z")
        let closed = cli.run("element", "move", String(id), "--stage", "CONVERTED")
        #expect(closed.code == 0)
        let reopened = cli.run("element", "move", String(id), "--stage", "IN_PROCESS")
        #expect(reopened.code == 0)
        #expect(cli.stage(id) == "IN_PROCESS")
        #expect(cli.events().isEmpty, "a manual move records no event")

        let changes = cli.history(id).filter { str($0["kind"]) == "stage_changed" }
        #expect(changes.count == 4)
        #expect(changes.map { "\(str($0["from"]) ?? "?")>\(str($0["to"]) ?? "?")" }
            == ["NEW>PROCESSED", "PROCESSED>NEW", "NEW>CONVERTED", "CONVERTED>IN_PROCESS"])
        #expect(changes.map { str($0["author"]) } == ["boss", "anna", "anna", "anna"])
        #expect(str(changes[0]["at"]) == "2026-11-24T10:00:00Z")
        for change in changes {
            expectKeys(change, "id at kind author from to trigger event")
            #expect(isNull(change["trigger"]))
            #expect(isNull(change["event"]))
        }
    }

    @Test func moveWithoutResponsibleIsSystem() {
        let cli = CLI()
        let id = cli.lead("Nobody's")
        #expect(cli.run("element", "move", String(id), "--stage", "IN_PROCESS").code == 0)
        let change = cli.history(id).last ?? [:]
        #expect(str(change["kind"]) == "stage_changed")
        #expect(str(change["author"]) == "system")
    }

    @Test func moveToCurrentStageRecordsNothing() {
        let cli = CLI()
        let id = cli.lead("Stay", now: "2026-11-24T08:00:00Z")
        let before = cli.history(id).count
        let run = cli.run("element", "move", String(id), "--stage", "NEW", now: "2026-11-24T12:00:00Z")
        #expect(run.code == 0, "\(run)")
        #expect(cli.history(id).count == before)
        #expect(str(cli.element(id)["updated_at"]) == "2026-11-24T08:00:00Z")
    }

    @Test func moveErrors() {
        let cli = CLI()
        let id = cli.lead()
        let unknownStage = cli.run("element", "move", String(id), "--stage", "WON")
        #expect(unknownStage.code == 66, "a stage of another pipeline: \(unknownStage)")
        #expect(unknownStage.out.isEmpty)
        let unknownElement = cli.run("element", "move", "99", "--stage", "NEW")
        #expect(unknownElement.code == 66)
        #expect(unknownElement.out.isEmpty)
        #expect(cli.stage(id) == "NEW")
    }

    // MARK: set

    @Test func setMakesResponsibleThenFieldEvents() {
        let cli = CLI()
        let id = cli.lead("Old", "--responsible", "anna", "--email", "a@example.com", "--field", "budget=100")
        let run = cli.run(
            "element", "set", String(id), "--title", "New", "--responsible", "ben", "--field", "budget=200",
            "--email", "a@example.com", "--as", "carl", "--json", now: "2026-11-24T10:00:00Z")
        #expect(run.code == 0, "\(run)")
        #expect(run.err.isEmpty)
        let results = run.array
        #expect(results.map { str($0["type"]) } == ["responsible.changed", "field.changed"])
        for result in results {
            expectKeys(result, "key event type element status moves")
            #expect(int(result["element"]) == id)
            #expect(str(result["status"]) == "recorded")
        }
        let element = cli.element(id)
        #expect(str(element["title"]) == "New")
        #expect(str(element["responsible"]) == "ben")
        #expect(str(element["email"]) == "a@example.com")
        #expect((element["fields"] as? [String: String])?["budget"] == "200")
        #expect(str(element["updated_at"]) == "2026-11-24T10:00:00Z")
        let events = cli.events()
        #expect(events.map { str($0["type"]) } == ["responsible.changed", "field.changed"])
        #expect(events.map { str($0["by"]) } == ["carl", "carl"])
        // Only the really changed values are in field.changed (email was given unchanged).
        let fields = (events.last?["data"] as? [String: Any])?["fields"] as? [String: String]
        #expect(fields == ["title": "New", "budget": "200"])
    }

    @Test func setWithUnchangedValuesRecordsNothing() {
        let cli = CLI()
        let id = cli.lead("Same", "--responsible", "anna", "--field", "budget=100")
        let before = cli.history(id).count
        let run = cli.run("element", "set", String(id), "--title", "Same", "--responsible", "anna", "--field", "budget=100", "--json")
        #expect(run.code == 0, "\(run)")
        #expect(run.trimmed == "[]")
        #expect(cli.events().isEmpty)
        #expect(cli.history(id).count == before)
        let nothing = cli.run("element", "set", String(id), "--json")
        #expect(nothing.code == 0)
        #expect(nothing.trimmed == "[]")
    }

    @Test func setFiresTriggers() {
        let cli = CLI()
        let budget = cli.trigger("--on", "field.changed", "--field", "budget", "--pipeline", "lead", "--stage", "PROCESSED")
        let owner = cli.trigger("--on", "responsible.changed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let id = cli.lead("T", "--responsible", "anna")
        let run = cli.run("element", "set", String(id), "--responsible", "ben", "--field", "budget=5", "--json")
        #expect(run.code == 0, "\(run)")
        let results = run.array
        #expect(results.count == 2)
        #expect(moves(results.first ?? [:]).map(\.trigger) == [owner])
        #expect(movePath(results.first ?? [:]) == ["NEW>IN_PROCESS"])
        #expect(moves(results.last ?? [:]).map(\.trigger) == [budget])
        #expect(movePath(results.last ?? [:]) == ["IN_PROCESS>PROCESSED"])
        #expect(results.map { str($0["status"]) } == ["moved", "moved"])
        #expect(cli.stage(id) == "PROCESSED")
        // Both moves are authored by the new responsible.
        let changes = cli.history(id).filter { str($0["kind"]) == "stage_changed" }
        #expect(changes.map { str($0["author"]) } == ["ben", "ben"])
    }

    @Test func setMissingElementIs66() {
        let cli = CLI()
        let run = cli.run("element", "set", "7", "--title", "X")
        #expect(run.code == 66, "\(run)")
        #expect(run.out.isEmpty)
    }

    // MARK: import

    @Test func importNDJSON() {
        let cli = CLI()
        let input = """
            {"type":"lead","title":"Anna","email":"anna@example.com","fields":{"source":"fair","size":12}}
            {"type":"deal","title":"Big deal","responsible":"ben","stage":"PREPARATION"}

            not json
            {"type":"contact","title":"Nope"}
            {"type":"lead"}
            {"type":"lead","title":"Bad stage","stage":"WON"}
            {"type":"lead","title":"Extra","colour":"red"}
               
            {"type":"lead","title":"Last","phone":"+49 1"}

            """
        let run = cli.run("element", "import", "-", stdin: input)
        #expect(run.code == 65, "\(run)")
        let lines = run.lines
        #expect(lines.map { int($0["line"]) } == [1, 2, 4, 5, 6, 7, 8, 10])
        #expect(lines.map { str($0["status"]) } == [
            "created", "created", "rejected", "rejected", "rejected", "rejected", "rejected", "created",
        ])
        #expect(int(lines[0]["element"]) == 1)
        #expect(str(lines[0]["type"]) == "lead")
        #expect(int(lines[1]["element"]) == 2)
        #expect(str(lines[1]["stage"]) == "PREPARATION")
        #expect(int(lines[1]["pipeline"]) == 2)
        #expect(int(lines[7]["element"]) == 3)
        for rejected in lines where str(rejected["status"]) == "rejected" {
            let error = rejected["error"] as? [String: Any]
            #expect(str(error?["code"])?.isEmpty == false, "\(rejected)")
            #expect(str(error?["message"])?.isEmpty == false, "\(rejected)")
        }
        #expect(!run.err.isEmpty, "a summary goes to stderr")
        let elements = cli.run("element", "list", "--json").array
        #expect(elements.compactMap { str($0["title"]) } == ["Anna", "Big deal", "Last"])
        #expect((elements.first?["fields"] as? [String: String]) == ["source": "fair", "size": "12"])
        #expect(str(elements[1]["responsible"]) == "ben")
    }

    @Test func importFromFileAllGood() throws {
        let cli = CLI()
        let file = cli.path("in.ndjson")
        try #"{"type":"lead","title":"A"}"#.appending("\n").appending(#"{"type":"lead","title":"B"}"#)
            .write(toFile: file, atomically: true, encoding: .utf8)
        let run = cli.run("element", "import", file)
        #expect(run.code == 0, "\(run)")
        #expect(run.lines.map { str($0["status"]) } == ["created", "created"])
        #expect(run.lines.map { int($0["line"]) } == [1, 2])
        let missing = cli.run("element", "import", cli.path("missing.ndjson"))
        #expect(missing.code == 66, "\(missing)")
        #expect(missing.out.isEmpty)
    }

    // MARK: history

    @Test func historyShapes() {
        let cli = CLI()
        let trigger = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--as", "dispatcher")
        let id = cli.lead("H", "--responsible", "anna", now: "2026-11-24T08:00:00Z")
        let result = cli.inject("--type", "call.missed", "--element", String(id), "--set", "line=hotline",
                                "--at", "2026-11-24T10:12:00+01:00", "--by", "phone-system")
        #expect(str(result["status"]) == "moved")
        let event = int(result["event"])
        #expect(cli.run("element", "move", String(id), "--stage", "NEW", "--as", "boss", now: "2026-11-24T12:00:00Z").code == 0)

        let run = cli.run("history", String(id), "--json")
        #expect(run.code == 0)
        #expect(run.err.isEmpty)
        let entries = run.array
        #expect(entries.map { str($0["kind"]) } == ["created", "call.missed", "stage_changed", "stage_changed"])
        for entry in entries { expectKeys(entry, "id at kind author") }
        let ids = entries.compactMap { int($0["id"]) }
        #expect(ids == ids.sorted() && Set(ids).count == ids.count)
        #expect(str(entries[0]["at"]) == "2026-11-24T08:00:00Z")
        #expect(str(entries[0]["author"]) == "anna")

        let own = entries[1]
        expectKeys(own, "id at kind author event data")
        #expect(int(own["event"]) == event)
        #expect(str(own["at"]) == "2026-11-24T09:12:00Z")
        #expect(str(own["author"]) == "phone-system")
        #expect((own["data"] as? [String: String]) == ["line": "hotline"])

        let byTrigger = entries[2]
        expectKeys(byTrigger, "id at kind author from to trigger event")
        #expect(str(byTrigger["from"]) == "NEW")
        #expect(str(byTrigger["to"]) == "IN_PROCESS")
        #expect(int(byTrigger["trigger"]) == trigger)
        #expect(int(byTrigger["event"]) == event)
        #expect(str(byTrigger["author"]) == "dispatcher")
        #expect(str(byTrigger["at"]) == "2026-11-24T09:12:00Z", "a stage change caused by an event carries its at")

        let manual = entries[3]
        #expect(isNull(manual["trigger"]) && isNull(manual["event"]))
        #expect(str(manual["author"]) == "boss")

        let text = cli.run("history", String(id))
        #expect(text.code == 0)
        #expect(text.out.split(separator: "\n").count == 4)
        let missing = cli.run("history", "99", "--json")
        #expect(missing.code == 66)
        #expect(missing.out.isEmpty)
    }
    @Test func setContactIsUsedForLookup() {
        let cli = CLI()
        let emailTrigger = cli.trigger("--on", "field.changed", "--field", "email", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let id = cli.lead("C", "--email", "old@example.com")
        let run = cli.run("element", "set", String(id), "--email", "New@Example.com", "--phone", "+49 30 99", "--json")
        #expect(run.code == 0, "\(run)")
        #expect(moves(run.array.first ?? [:]).map(\.trigger) == [emailTrigger])
        #expect(int(cli.inject("--type", "email.received", "--email", "new@example.com")["element"]) == id)
        #expect(int(cli.inject("--type", "call.missed", "--phone", "+493099")["element"]) == id)
        let old = cli.run("event", "inject", "--type", "email.received", "--email", "old@example.com")
        #expect(old.code == 66, "\(old)")
    }
}
