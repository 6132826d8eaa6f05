import CRMTestSupport
import Foundation
import Testing

/// The product's seed cases (Bitrix24 CRM triggers), end to end through the binary (SPEC §4, §6).
@Suite("E2E: seed cases")
struct SeedCasesEndToEndTests {
    func stage(_ box: Sandbox, _ element: Int) throws -> String? {
        try box.ok(["element", "show", String(element), "--json"]).jsonObject().string("stage")
    }

    /// `event inject --json`: the event result object.
    func inject(_ box: Sandbox, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let result = try box.ok(["event", "inject", "--json"] + arguments, sourceLocation: sourceLocation)
        return try result.jsonObject()
    }

    @Test("a missed call moves a lead, matched by a differently formatted phone number")
    func missedCall() throws {
        let box = try Sandbox(name: "call")
        box.at("2026-11-24T08:00:00Z")
        let other = try box.create(["lead", "create", "--title", "Someone else", "--phone", "+49 30 555 0199"])
        let lead = try box.create(["lead", "create", "--title", "Clara Weiss", "--phone", "+49 30 555 0101", "--responsible", "anna"])
        let trigger = try box.create(["trigger", "add", "--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS",
                                      "--name", "missed call: call back", "--as", "dispatcher"])

        box.at("2026-11-24T09:12:00Z")
        let result = try inject(box, ["--type", "call.missed", "--phone", "+4930 5550101", "--set", "line=hotline", "--key", "tel-0001"])
        #expect(result.int("element") == lead, "the phone must resolve by its digits: \(result)")
        #expect(result.string("status") == "moved")
        let move = try #require(result.array("moves")?.first)
        #expect(move.int("trigger") == trigger)
        #expect(move.string("from") == "NEW")
        #expect(move.string("to") == "IN_PROCESS")
        #expect(try stage(box, lead) == "IN_PROCESS")
        #expect(try stage(box, other) == "NEW")

        let history = try box.ok(["history", String(lead), "--json"]).jsonArray()
        let change = try #require(history.first { $0.string("kind") == "stage_changed" })
        #expect(change.string("author") == "dispatcher")
        #expect(change.string("at") == "2026-11-24T09:12:00Z")
        #expect(change.int("trigger") == trigger)
        #expect(change.int("event") == result.int("event"))

        // The same key again: a duplicate, nothing applied twice.
        let again = try inject(box, ["--type", "call.missed", "--phone", "+4930 5550101", "--set", "line=hotline", "--key", "tel-0001"])
        #expect(again.string("status") == "duplicate")
        #expect(again.int("event") == result.int("event"))
        #expect(try box.ok(["event", "list", "--json"]).jsonArray().count == 1)
    }

    @Test("a link click fires only for its link")
    func linkClicked() throws {
        let box = try Sandbox(name: "link")
        box.at("2026-11-24T08:00:00Z")
        let lead = try box.create(["lead", "create", "--title", "Clara", "--email", "clara@example.com"])
        let trigger = try box.create(["trigger", "add", "--on", "email.link_clicked", "--url", "https://shop.example/pricing",
                                      "--pipeline", "lead", "--stage", "PROCESSED", "--name", "looked at prices"])

        box.at("2026-11-24T10:00:00Z")
        let blog = try inject(box, ["--type", "email.link_clicked", "--element", String(lead), "--set", "url=https://shop.example/blog", "--key", "click-1"])
        #expect(blog.string("status") == "recorded", "a click on another link must not move: \(blog)")
        #expect(blog.array("moves")?.isEmpty == true)
        #expect(try stage(box, lead) == "NEW")
        // The verdict says why.
        let explained = try box.ok(["event", "explain", "click-1", "--json"]).jsonObject()
        #expect(box.verdicts(explained).contains { $0.int("trigger") == trigger && $0.string("verdict") == "settings_mismatch" },
                "explain: \(explained)")

        let pricing = try inject(box, ["--type", "email.link_clicked", "--email", "CLARA@example.com",
                                       "--data", #"{"url":"https://shop.example/pricing?x=1"}"#, "--key", "click-2"])
        #expect(pricing.string("status") == "moved", "\(pricing)")
        #expect(pricing.int("element") == lead)
        #expect(pricing.array("moves")?.first?.int("trigger") == trigger)
        #expect(try stage(box, lead) == "PROCESSED")
    }

    @Test("only the first message of a chat fires chat.first_message")
    func firstMessage() throws {
        let box = try Sandbox(name: "first")
        box.at("2026-11-24T08:00:00Z")
        let lead = try box.create(["lead", "create", "--title", "Jonas"])
        let toProgress = try box.create(["trigger", "add", "--on", "chat.first_message", "--pipeline", "lead", "--stage", "IN_PROCESS"])
        // A second trigger further on, so every first message can move the lead forward once more.
        let toProcessed = try box.create(["trigger", "add", "--on", "chat.first_message", "--pipeline", "lead", "--stage", "PROCESSED"])

        let batch = """
        {"key":"m1","type":"chat.message","element":\(lead),"at":"2026-11-24T18:30:00Z","data":{"chat":"c-77","text":"Hallo"}}
        {"key":"m2","type":"chat.message","element":\(lead),"at":"2026-11-24T18:31:00Z","data":{"chat":"c-77","text":"Noch da?"}}
        {"key":"m3","type":"chat.message","element":\(lead),"at":"2026-11-24T18:32:00Z","data":{"chat":"c-78","text":"Andere Frage"}}
        """
        let result = try box.run(["event", "ingest", "-"], input: .pipe(Data(batch.utf8)))
        #expect(result.status == 0, "\(result)")
        let lines = try result.ndjson()
        #expect(lines.map { $0.string("status") } == ["moved", "recorded", "moved"], "\(result)")
        try #require(lines.count == 3)
        #expect(lines[0].array("moves")?.first?.int("trigger") == toProgress)
        #expect(lines[0].array("moves")?.first?.string("to") == "IN_PROCESS")
        #expect(lines[2].array("moves")?.first?.int("trigger") == toProcessed)
        #expect(lines[2].array("moves")?.first?.string("from") == "IN_PROCESS")
        #expect(lines[2].array("moves")?.first?.string("to") == "PROCESSED")
        #expect(try stage(box, lead) == "PROCESSED")
        // The second message signalled no chat.first_message: no verdicts for it.
        let second = try box.ok(["event", "explain", "m2", "--json"]).jsonObject()
        #expect(!box.verdicts(second).contains { $0.string("verdict") == "applied" }, "\(second)")
    }

    /// chat.message at T, chat.answered at T+delay; `chat.answer_late --seconds 600` fires only when the
    /// answer came more than 600 seconds later.
    struct LateCase: CustomTestStringConvertible, Sendable {
        var delay: Int
        var fires: Bool
        var viaInject: Bool
        var testDescription: String { "answer after \(delay) s via \(viaInject ? "--at" : "\"at\"")" }
    }

    @Test("chat.answer_late --seconds 600", arguments: [
        LateCase(delay: 601, fires: true, viaInject: false),
        LateCase(delay: 300, fires: false, viaInject: false),
        LateCase(delay: 601, fires: true, viaInject: true),
        LateCase(delay: 300, fires: false, viaInject: true),
        LateCase(delay: 600, fires: false, viaInject: true),  // "later than N seconds": exactly N is not late
    ])
    func answerLate(_ testCase: LateCase) throws {
        let box = try Sandbox(name: "late")
        box.at("2026-11-24T08:00:00Z")
        let lead = try box.create(["lead", "create", "--title", "Jonas", "--responsible", "ben"])
        let trigger = try box.create(["trigger", "add", "--on", "chat.answer_late", "--seconds", "600",
                                      "--pipeline", "lead", "--stage", "JUNK", "--name", "answered too late"])
        // Clock far from both: only the events' own times may count.
        box.at("2026-11-25T12:00:00Z")
        let messageAt = "2026-11-24T18:30:00Z"
        let answerAt = ISO8601DateFormatter().string(from: ISO8601DateFormatter().date(from: messageAt)!.addingTimeInterval(Double(testCase.delay)))
        let answer: [String: Any]
        if testCase.viaInject {
            _ = try inject(box, ["--type", "chat.message", "--element", String(lead), "--at", messageAt,
                                 "--data", #"{"chat":"c-1","text":"Hallo"}"#, "--key", "q"])
            answer = try inject(box, ["--type", "chat.answered", "--element", String(lead), "--at", answerAt, "--by", "ben",
                                      "--set", "chat=c-1", "--key", "a"])
        } else {
            // Times given with another offset: the same instants.
            let batch = """
            {"key":"q","type":"chat.message","element":\(lead),"at":"2026-11-24T19:30:00+01:00","data":{"chat":"c-1","text":"Hallo"}}
            {"key":"a","type":"chat.answered","element":\(lead),"at":"\(answerAt)","by":"ben","data":{"chat":"c-1"}}
            """
            let result = try box.run(["event", "ingest"], input: .pipe(Data(batch.utf8)))
            #expect(result.status == 0, "\(result)")
            answer = try #require(try result.ndjson().last)
        }
        if testCase.fires {
            #expect(answer.string("status") == "moved", "\(answer)")
            #expect(answer.array("moves")?.first?.int("trigger") == trigger)
            #expect(answer.array("moves")?.first?.string("to") == "JUNK")
            #expect(try stage(box, lead) == "JUNK")
            let change = try #require(try box.ok(["history", String(lead), "--json"]).jsonArray().first { $0.string("kind") == "stage_changed" })
            #expect(change.string("at") == answerAt, "a stage change carries its event's at")
        } else {
            #expect(answer.string("status") == "recorded", "\(answer)")
            #expect(try stage(box, lead) == "NEW")
        }
    }

    @Test("chat.text matches the exact text: word order and case count")
    func chatText() throws {
        let box = try Sandbox(name: "text")
        box.at("2026-11-24T08:00:00Z")
        let lead = try box.create(["lead", "create", "--title", "Jonas"])
        let trigger = try box.create(["trigger", "add", "--on", "chat.text", "--text", "Bestellung morgen liefern",
                                      "--pipeline", "lead", "--stage", "PROCESSED", "--name", "order for tomorrow"])
        let batch = """
        {"key":"t1","type":"chat.message","element":\(lead),"data":{"chat":"c-77","text":"morgen liefern"}}
        {"key":"t2","type":"chat.message","element":\(lead),"data":{"chat":"c-77","text":"bestellung morgen liefern"}}
        {"key":"t3","type":"chat.message","element":\(lead),"data":{"chat":"c-77","text":"Bitte Bestellung morgen liefern!"}}
        """
        let result = try box.run(["event", "ingest"], input: .pipe(Data(batch.utf8)))
        #expect(result.status == 0, "\(result)")
        let lines = try result.ndjson()
        #expect(lines.map { $0.string("status") } == ["recorded", "recorded", "moved"], "\(result)")
        #expect(lines.last?.array("moves")?.first?.int("trigger") == trigger)
        #expect(lines.last?.array("moves")?.first?.string("to") == "PROCESSED")
        #expect(try stage(box, lead) == "PROCESSED")
        let first = try box.ok(["event", "explain", "t1", "--json"]).jsonObject()
        #expect(box.verdicts(first).contains { $0.int("trigger") == trigger && $0.string("verdict") == "settings_mismatch" }, "\(first)")
    }

    @Test("a contract moves a deal along the General pipeline; history shows each stage change")
    func contractFlow() throws {
        let box = try Sandbox(name: "contract")
        box.at("2026-11-24T08:00:00Z")
        let created = try box.create(["trigger", "add", "--on", "document.created", "--template", "contract",
                                      "--pipeline", "deal", "--stage", "PREPARATION", "--name", "contract drafted", "--as", "clerk"])
        let viewed = try box.create(["trigger", "add", "--on", "document.viewed", "--template", "contract",
                                     "--pipeline", "deal", "--stage", "PREPAYMENT_INVOICE", "--name", "client read it"])
        let signed = try box.create(["trigger", "add", "--on", "document.signed.all", "--template", "contract",
                                     "--pipeline", "deal", "--stage", "EXECUTING", "--name", "signed by both", "--as", "legal"])
        // A lead trigger on the same code never moves a deal.
        try box.create(["trigger", "add", "--on", "document.created", "--pipeline", "lead", "--stage", "IN_PROCESS"])
        let deal = try box.create(["deal", "create", "--title", "Office fit-out, Weiss GmbH", "--responsible", "anna",
                                   "--email", "clara@example.com"])
        #expect(try stage(box, deal) == "NEW")
        let dealJSON = try box.ok(["element", "show", String(deal), "--json"]).jsonObject()
        #expect(dealJSON.int("pipeline") == 2)

        func step(_ now: String, _ arguments: [String]) throws -> [String: Any] {
            box.at(now)
            let result = try box.ok(arguments + ["--json"])
            let object = try result.jsonObject()
            #expect(object["document"] is [String: Any], "a document command prints the document under `document`: \(result)")
            return object
        }
        let create = try step("2026-11-25T09:00:00Z", ["document", "create", "--element", String(deal), "--template", "contract",
                                                       "--title", "Fit-out contract", "--ref", "C-2026-17", "--by", "anna"])
        #expect(create.string("status") == "moved", "\(create)")
        #expect(try stage(box, deal) == "PREPARATION")
        let send = try step("2026-11-25T09:05:00Z", ["document", "send", "C-2026-17", "--via", "email", "--by", "anna"])
        #expect(send.string("status") == "recorded", "\(send)")
        #expect(try stage(box, deal) == "PREPARATION")
        let view = try step("2026-11-25T11:40:00Z", ["document", "view", "C-2026-17"])
        #expect(view.string("status") == "moved", "\(view)")
        #expect(try stage(box, deal) == "PREPAYMENT_INVOICE")
        let recipient = try step("2026-11-26T08:00:00Z", ["document", "sign", "C-2026-17", "--party", "recipient"])
        #expect(recipient.string("status") == "recorded", "one signature is not all: \(recipient)")
        #expect(try stage(box, deal) == "PREPAYMENT_INVOICE")
        let sender = try step("2026-11-26T15:20:00Z", ["document", "sign", "C-2026-17", "--party", "sender"])
        #expect(sender.string("status") == "moved", "\(sender)")
        #expect(try stage(box, deal) == "EXECUTING")

        let document = try box.ok(["document", "show", "C-2026-17", "--json"]).jsonObject()
        #expect(document.int("element") == deal)
        #expect(document.string("template") == "contract")
        #expect(document.string("created_by") == "anna")
        #expect(document.string("sent_via") == "email")
        #expect(document.string("sent_at") == "2026-11-25T09:05:00Z")
        #expect(document.string("viewed_at") == "2026-11-25T11:40:00Z")
        #expect(document.string("recipient_signed_at") == "2026-11-26T08:00:00Z")
        #expect(document.string("sender_signed_at") == "2026-11-26T15:20:00Z")

        let history = try box.ok(["history", String(deal), "--json"]).jsonArray()
        let ids = history.compactMap { $0.int("id") }
        #expect(ids == ids.sorted() && Set(ids).count == ids.count, "history in recording order: \(ids)")
        #expect(history.first?.string("kind") == "created")
        let changes = history.filter { $0.string("kind") == "stage_changed" }
        #expect(changes.map { $0.string("from") } == ["NEW", "PREPARATION", "PREPAYMENT_INVOICE"], "\(changes)")
        #expect(changes.map { $0.string("to") } == ["PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING"])
        #expect(changes.map { $0.int("trigger") } == [created, viewed, signed])
        #expect(changes.map { $0.int("event") } == [create.int("event"), view.int("event"), sender.int("event")])
        #expect(changes.map { $0.string("author") } == ["clerk", "anna", "legal"], "the trigger's as, else the responsible")
        #expect(changes.map { $0.string("at") } == ["2026-11-25T09:00:00Z", "2026-11-25T11:40:00Z", "2026-11-26T15:20:00Z"])
        // Each event also has its own entry, with its event id.
        let eventEntries = history.filter { ($0.string("kind") ?? "").hasPrefix("document.") }
        #expect(eventEntries.count == 5, "\(history)")
        #expect(Set(eventEntries.compactMap { $0.int("event") }).count == 5)
        for change in changes {
            let own = history.first { $0.string("kind") != "stage_changed" && $0.int("event") == change.int("event") }
            #expect(own != nil, "the event of \(change) has its own entry")
        }
    }
}

extension Sandbox {
    /// Every verdict of an `event explain --json` object (shape of notes/choices.md: signals → verdicts).
    func verdicts(_ explained: [String: Any]) -> [[String: Any]] {
        (explained.array("signals") ?? []).flatMap { $0.array("verdicts") ?? [] }
    }
}
