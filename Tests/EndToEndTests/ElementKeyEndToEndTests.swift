import CRMTestSupport
import Foundation
import Testing

/// SPEC §3 "Element keys" through the built binary: duplicates exit 0 with the id or the element, a key
/// given with other values is refused 65 with nothing stored changed, and `element import --update` makes
/// the `field.changed` event that fires a trigger.
@Suite struct ElementKeyEndToEndTests {
    @Test func aDuplicateIsTheIdOrTheElementAndAReusedKeyChangesNothing() throws {
        let box = try Sandbox(name: "keys")
        box.at("2026-11-24T09:00:00Z")
        let id = try box.create(["lead", "create", "--title", "Clara Weiss", "--email", "clara@example.com", "--key", "crm-1"])
        #expect(try box.create(["lead", "create", "--title", "Clara Weiss", "--key", "crm-1"]) == id)
        let json = try box.ok(["lead", "create", "--title", "Clara Weiss", "--key", "crm-1", "--json"])
        let element = try json.jsonObject()
        #expect(element.string("status") == "duplicate" && element.int("id") == id && element.string("key") == "crm-1")
        #expect(json.stderr.isEmpty)

        let before = try box.contents()
        let reused = try box.run("lead", "create", "--title", "Clara Weiß", "--key", "crm-1")
        #expect(reused.exited(65), "\(reused)")
        #expect(reused.stdout.isEmpty)
        #expect(reused.stderr == "crmctl: error: key \"crm-1\" names element \(id), whose values differ from those given: title (element set changes them, or element import --update)\n")
        let reusedJSON = try box.run("lead", "create", "--title", "Clara Weiß", "--key", "crm-1", "--json")
        #expect(reusedJSON.exited(65))
        #expect(reusedJSON.stderr.contains(#""code":"key_reused""#), "\(reusedJSON)")
        let line = #"{"key":"crm-1","type":"lead","title":"Clara Weiss","email":"clara@other.example"}"# + "\n"
        let imported = try box.run(["element", "import"], input: .pipe(Data(line.utf8)))
        #expect(imported.exited(65))
        #expect(try imported.ndjson().first?.string("status") == "rejected")
        #expect(try box.contents() == before, "a reused key changes nothing stored")
    }

    @Test func updateMakesTheFieldChangedEventThatFiresATrigger() throws {
        let box = try Sandbox(name: "keys-update")
        box.at("2026-11-24T09:00:00Z")
        let trigger = try box.create(["trigger", "add", "--on", "field.changed", "--field", "city", "--pipeline", "lead", "--stage", "IN_PROCESS"])
        let nightly = box.path("nightly.ndjson")
        try Data(#"{"key":"crm-1","type":"lead","title":"Clara","fields":{"city":"Berlin"}}"#.utf8).write(to: nightly)
        try box.ok(["element", "import", nightly.path])

        try Data(#"{"key":"crm-1","type":"lead","title":"Clara","fields":{"city":"Hamburg"}}"#.utf8).write(to: nightly)
        box.at("2026-11-25T09:00:00Z")
        let update = try box.ok(["element", "import", "--update", nightly.path])
        let result = try #require(try update.ndjson().first)
        #expect(result.string("status") == "updated" && result.int("element") == 1 && result.string("stage") == "IN_PROCESS", "\(update)")
        let event = try #require((result["events"] as? [Any])?.first.flatMap { int($0) })

        let explained = try box.ok(["event", "explain", String(event), "--json"]).jsonObject()
        #expect(explained.string("type") == "field.changed" && explained.string("status") == "moved")
        #expect((explained["data"] as? [String: Any])?["fields"] as? [String: String] == ["city": "Hamburg"])
        let history = try box.ok(["history", "1", "--json"]).jsonArray()
        #expect(history.map { $0.string("kind") ?? "" } == ["created", "field.changed", "stage_changed"])
        #expect(history.last?.int("trigger") == trigger && history.last?.int("event") == event)
        #expect(history.last?.string("at") == "2026-11-25T09:00:00Z")

        let unchanged = try box.ok(["element", "import", "--update", nightly.path])
        #expect(try unchanged.ndjson().first?.string("status") == "unchanged")
        #expect(try box.ok(["event", "list", "--json"]).jsonArray().count == 1, "nothing differed: no event")
    }
}
