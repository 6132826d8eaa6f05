import CRMTestSupport
import Foundation
import Testing

/// SPEC §6 "ingest streams": a big keyed batch applied exactly once, and a batch with bad lines.
@Suite("E2E: batches")
struct BatchEndToEndTests {
    static let leadCount = 500
    static let eventCount = 10_000

    /// 500 leads as `element import` NDJSON: unique emails and phones, some with a city.
    static func leadsInput() -> Data {
        var text = ""
        for index in 0..<leadCount {
            var fields: [String: Any] = [:]
            if index % 3 == 0 { fields["city"] = index % 2 == 0 ? "Berlin" : "Hamburg" }
            let lead: [String: Any] = [
                "type": "lead", "title": "Lead \(index)", "email": "lead\(index)@example.com",
                "phone": "+49 30 \(String(format: "%07d", index))", "responsible": index % 4 == 0 ? "anna" : "ben",
                "fields": fields,
            ]
            text += jsonLine(lead) + "\n"
        }
        return Data(text.utf8)
    }

    /// 10,000 keyed events over the leads, in time order. Leads whose index is a multiple of 10 are
    /// named by contact (email or phone, formatted differently) and get no chat events, so they never
    /// leave the process stages and always resolve.
    static func eventsInput(leadIDs: [Int]) -> Data {
        var generator = SplitMix64(seed: 10_000)
        let types = ["call.missed", "email.sent", "email.opened", "email.link_clicked", "chat.message", "chat.answered", "form.submitted"]
        let urls = ["https://shop.example/pricing", "https://shop.example/pricing?x=1", "https://shop.example/blog", "https://other.example/pricing"]
        var sent: [Int: [String]] = [:]
        let base = ISO8601DateFormatter().date(from: "2026-11-24T08:00:00Z")!
        let formatter = ISO8601DateFormatter()
        var text = ""
        text.reserveCapacity(eventCount * 160)
        for index in 0..<eventCount {
            let leadIndex = Int.random(in: 0..<leadCount, using: &generator)
            let byContact = leadIndex % 10 == 0
            var type = types.randomElement(using: &generator)!
            if byContact, type.hasPrefix("chat.") { type = "form.submitted" }
            var event: [String: Any] = [
                "key": "ev-\(index)",
                "type": type,
                // 7 s apart on average, with some jitter: answers come both early and late.
                "at": formatter.string(from: base.addingTimeInterval(Double(index * 7 + Int.random(in: 0..<5, using: &generator)))),
            ]
            // Some calls and forms carry no time: they happen "now" (the clock), and a re-run at another
            // clock is still the same event (SPEC §6: the event "as given in the input").
            if index % 50 == 0, type == "call.missed" || type == "form.submitted" { event["at"] = nil }
            if byContact {
                event["contact"] = type == "call.missed"
                    ? ["phone": "+4930\(String(format: "%07d", leadIndex))"]
                    : ["email": "LEAD\(leadIndex)@Example.com"]
            } else {
                event["element"] = leadIDs[leadIndex]
            }
            switch type {
            case "call.missed":
                event["data"] = ["line": Bool.random(using: &generator) ? "hotline" : "sales", "call": "call-\(index)"]
            case "email.sent":
                let message = "msg-\(index)"
                sent[leadIndex, default: []].append(message)
                event["data"] = ["email": message, "subject": "Offer \(index)"]
                event["by"] = "anna"
            case "email.opened":
                let known = sent[leadIndex] ?? []
                let message = !known.isEmpty && Int.random(in: 0..<5, using: &generator) > 0
                    ? known.randomElement(using: &generator)! : "msg-unknown-\(index)"
                event["data"] = ["email": message]
            case "email.link_clicked":
                event["data"] = ["url": urls.randomElement(using: &generator)!, "email": "msg-\(index)"]
            case "chat.message":
                event["data"] = ["chat": "chat-\(leadIndex)-\(index / 2000)", "text": index % 9 == 0 ? "Bitte Bestellung morgen liefern!" : "Hallo \(index)"]
            case "chat.answered":
                event["data"] = ["chat": "chat-\(leadIndex)-\(index / 2000)"]
                event["by"] = "ben"
            default:
                event["data"] = ["form": Bool.random(using: &generator) ? "contact" : "newsletter",
                                 "kind": index % 4 == 0 ? "callback" : "webform", "fields": ["name": "N\(index)"]]
            }
            text += jsonLine(event) + "\n"
        }
        return Data(text.utf8)
    }

    @Test("10,000 keyed events ingested twice: applied once, the second run all duplicates, nothing changed")
    func bigBatchTwice() throws {
        let box = try Sandbox(name: "big")
        box.at("2026-11-24T07:00:00Z")
        let leadsFile = box.path("leads.ndjson")
        try Self.leadsInput().write(to: leadsFile)
        let imported = try box.run(["element", "import", leadsFile.path])
        #expect(imported.status == 0, "\(imported)")
        let importLines = try imported.ndjson()
        #expect(importLines.count == Self.leadCount)
        let leadIDs = importLines.compactMap { $0.int("element") }
        try #require(leadIDs.count == Self.leadCount, "every lead imported: \(imported.stderr)")

        for trigger in [
            ["--on", "call.missed", "--stage", "IN_PROCESS", "--line", "hotline"],
            ["--on", "call.missed", "--stage", "PROCESSED", "--if", "city = Berlin"],
            ["--on", "email.opened", "--stage", "IN_PROCESS"],
            ["--on", "email.link_clicked", "--url", "https://shop.example/pricing", "--stage", "PROCESSED"],
            ["--on", "chat.first_message", "--stage", "IN_PROCESS"],
            ["--on", "chat.text", "--text", "Bestellung morgen liefern", "--stage", "PROCESSED"],
            ["--on", "chat.answer_late", "--seconds", "600", "--stage", "JUNK"],
            ["--on", "form.callback", "--stage", "IN_PROCESS"],
            ["--on", "form.submitted", "--form", "contact", "--stage", "PROCESSED"],
            ["--on", "email.sent", "--stage", "PROCESSED", "--disabled"],
        ] {
            try box.create(["trigger", "add", "--pipeline", "lead"] + trigger)
        }

        let events = Self.eventsInput(leadIDs: leadIDs)
        let first = try box.run(["event", "ingest"], input: .pipe(events))
        #expect(first.status == 0, "first run: exit \(first.status), stderr: \(first.stderr.prefix(2000))")
        let firstLines = try first.ndjson()
        #expect(firstLines.count == Self.eventCount)
        let firstLinesInOrder = firstLines.map { $0.int("line") } == Array(1...Self.eventCount)
        #expect(firstLinesInOrder, "one result per line, in order, numbered from 1")
        let firstKeysInOrder = firstLines.map { $0.string("key") } == (0..<Self.eventCount).map { "ev-\($0)" }
        #expect(firstKeysInOrder, "each result carries its line's key")
        let statuses = Dictionary(grouping: firstLines, by: { $0.string("status") ?? "?" }).mapValues(\.count)
        #expect(Set(statuses.keys).isSubset(of: ["moved", "recorded"]), "first run statuses: \(statuses); first rejected: \(firstLines.first { $0.string("status") == "rejected" }.map(jsonLine) ?? "-")")
        #expect((statuses["moved"] ?? 0) > 100, "the batch should move many leads: \(statuses)")
        #expect(!first.stderr.isEmpty, "a summary on stderr")

        func snapshot() throws -> (events: String, elements: String, timeline: String, eventRows: String) {
            let eventList = try box.ok(["event", "list", "--json"])
            let elementList = try box.ok(["element", "list", "--json"])
            let timeline = try box.query("SELECT count(*) FROM timeline;")
            let eventRows = try box.query("SELECT count(*) FROM events;")
            return (eventList.stdout, elementList.stdout, timeline, eventRows)
        }
        let before = try snapshot()
        let storedEvents = try JSONSerialization.jsonObject(with: Data(before.events.utf8)) as? [[String: Any]] ?? []
        #expect(storedEvents.count == Self.eventCount)
        let elements = try JSONSerialization.jsonObject(with: Data(before.elements.utf8)) as? [[String: Any]] ?? []
        let stages = Dictionary(grouping: elements, by: { $0.string("stage") ?? "?" }).mapValues(\.count)
        #expect(stages.count >= 3, "leads should have spread over the stages: \(stages)")
        #expect(stages["JUNK"] ?? 0 > 0, "some answers were late: \(stages)")

        box.at("2026-11-30T12:00:00Z")
        let second = try box.run(["event", "ingest", "-"], input: .pipe(events))
        #expect(second.status == 0, "second run: exit \(second.status), stderr: \(second.stderr.prefix(2000))")
        let secondLines = try second.ndjson()
        #expect(secondLines.count == Self.eventCount)
        let notDuplicate = secondLines.filter { $0.string("status") != "duplicate" }
        #expect(notDuplicate.count == 0, "\(notDuplicate.count) lines not duplicate, e.g. \(notDuplicate.first.map(jsonLine) ?? "")")
        let secondLinesInOrder = secondLines.map { $0.int("line") } == Array(1...Self.eventCount)
        #expect(secondLinesInOrder, "second run: one result per line, in order")
        // The stored outcome is returned again: same event ids and moves.
        var mismatched = 0
        for (a, b) in zip(firstLines, secondLines) where a.int("event") != b.int("event")
            || jsonLine(["m": a["moves"] ?? NSNull()]) != jsonLine(["m": b["moves"] ?? NSNull()]) {
            mismatched += 1
        }
        #expect(mismatched == 0, "duplicates must return the stored outcome")

        let after = try snapshot()
        let sameEvents = after.events == before.events
        #expect(sameEvents, "event list changed by the second run")
        let sameElements = after.elements == before.elements
        #expect(sameElements, "elements (stages) changed by the second run")
        #expect(after.timeline == before.timeline, "timeline count \(before.timeline) → \(after.timeline)")
        #expect(after.eventRows == before.eventRows)
        #expect(try box.integrityProblems() == [])
    }

    @Test("a mixed batch with bad lines: one result per non-blank line, in order, exit 65, good lines stored")
    func badLines() throws {
        let box = try Sandbox(name: "bad")
        box.at("2026-11-24T08:00:00Z")
        let lead = try box.create(["lead", "create", "--title", "Clara", "--email", "clara@example.com"])
        try box.create(["trigger", "add", "--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS"])

        let oversize = #"{"key":"big","type":"custom","element":\#(lead),"data":{"code":"x","blob":""# + String(repeating: "a", count: (1 << 20) + 10) + #""}}"#
        // (line number, bytes, expected: nil = blank, "ok", or the rejection code of notes/choices.md)
        let lines: [(bytes: [UInt8], expect: String?)] = [
            (Array(#"{"key":"g1","type":"call.missed","element":\#(lead),"data":{"line":"hotline"}}"#.utf8), "ok"),
            (Array(#"{"key":"b1","type":"call.missed","element":"#.utf8), "invalid_json"),
            (Array(#"{"key":"b2","type":"chat.message","element":\#(lead),"data":{"text":""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#""}}"#.utf8), "not_utf8"),
            (Array("".utf8), nil),
            (Array(oversize.utf8), "too_long"),
            (Array("null".utf8), "invalid"),
            (Array("42".utf8), "invalid"),
            (Array("{}".utf8), "invalid"),
            (Array("   \t".utf8), nil),
            (Array(#"{"key":"b3","type":"call.lost","element":\#(lead)}"#.utf8), "unknown_type"),
            (Array(#"{"key":"b4","type":"call.missed","element":999}"#.utf8), "not_found"),
            (Array(#"{"key":"g2","type":"email.sent","element":\#(lead),"data":{"email":"m-1"}}"#.utf8) + [13], "ok"),  // CRLF
            (Array(#"{"key":"b5","type":"email.received","contact":{"email":"nobody@example.com"}}"#.utf8), "no_element"),
            (Array("".utf8), nil),
            (Array(#"{"key":"g3","type":"payment.received","element":\#(lead),"data":{"amount":"99.50","currency":"EUR"}}"#.utf8), "ok"),
            (Array("[1,2]".utf8), "invalid"),
            (Array(#"{"key":"g4","type":"chat.message","element":\#(lead),"data":{"text":"Grüße 👋"}}"#.utf8), "ok"),
            (Array(#"{"key":"g1","type":"call.missed","element":\#(lead),"data":{"line":"hotline"}}"#.utf8), "duplicate"),
            (Array(#"{"key":"g1","type":"call.missed","element":\#(lead),"data":{"line":"sales"}}"#.utf8), "key_reused"),
        ]
        var input: [UInt8] = []
        for line in lines { input += line.bytes + [10] }
        let expected = lines.enumerated().compactMap { index, line in line.expect.map { (line: index + 1, expect: $0) } }

        func check(_ result: ProcessResult, secondRun: Bool) throws {
            #expect(result.status == 65, "\(result.status) \(result.stderr)")
            let out = try result.ndjson()
            #expect(out.count == expected.count, "one result per non-blank line: \(result.stdout)")
            #expect(out.map { $0.int("line") } == expected.map(\.line), "line numbers, blank lines counted")
            for (got, want) in zip(out, expected) {
                if want.expect == "duplicate" {
                    #expect(got.string("status") == "duplicate", "line \(want.line): \(jsonLine(got))")
                    #expect(got.int("event") == out.first?.int("event"), "the stored outcome of g1 again")
                } else if want.expect == "ok" {
                    #expect(got.string("status") == (secondRun ? "duplicate" : got.string("key") == "g1" ? "moved" : "recorded"),
                            "line \(want.line): \(jsonLine(got))")
                } else {
                    #expect(got.string("status") == "rejected", "line \(want.line): \(jsonLine(got))")
                    let error = got.object("error")
                    #expect(error?.string("code") == want.expect, "line \(want.line): \(jsonLine(got))")
                    #expect((error?.string("message") ?? "").isEmpty == false)
                }
            }
            #expect(!result.stderr.isEmpty, "a summary on stderr")
        }

        let file = box.path("mixed.ndjson")
        try Data(input).write(to: file)
        try check(try box.run(["event", "ingest", file.path]), secondRun: false)

        let stored = try box.ok(["event", "list", "--json"]).jsonArray()
        #expect(stored.map { $0.string("key") } == ["g1", "g2", "g3", "g4"], "only the good lines are stored")
        #expect(stored.last?.object("data")?.string("text") == "Grüße 👋")
        #expect(try box.ok(["element", "show", String(lead), "--json"]).jsonObject().string("stage") == "IN_PROCESS")
        #expect(try box.integrityProblems() == [])

        // Again, piped: the good lines are duplicates now, the bad ones rejected again.
        try check(try box.run(["event", "ingest"], input: .pipe(Data(input))), secondRun: true)
        #expect(try box.ok(["event", "list", "--json"]).jsonArray().count == 4)
        #expect(try box.integrityProblems() == [])
    }
}
