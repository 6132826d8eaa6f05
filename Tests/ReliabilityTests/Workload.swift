import CRMTestSupport
import Foundation
import Testing

// A reproducible workload: a lead pipeline with triggers that move leads back and forth, a set of leads,
// and keyed events with explicit times, so that the end state depends on every event and on their order.

/// One keyed event of the workload.
struct WorkloadEvent {
    var key: String
    var type: String
    var element: Int
    var at: String
    var by: String?
    var data: [String: Any]

    /// The event as one NDJSON line (without the newline).
    var line: String {
        var object: [String: Any] = ["key": key, "type": type, "element": element, "at": at, "data": data]
        if let by { object["by"] = by }
        return jsonLine(object)
    }

    /// The same event as `event inject` arguments: the same fingerprint, so the key names one event.
    var injectArguments: [String] {
        var arguments = ["event", "inject", "--type", type, "--element", String(element), "--key", key, "--at", at,
                         "--data", jsonLine(data)]
        if let by { arguments += ["--by", by] }
        return arguments
    }
}

enum Workload {
    /// Triggers on the lead pipeline (id 1): NEW, IN_PROCESS, PROCESSED, CONVERTED (success), JUNK (failure).
    static let triggers: [[String]] = [
        ["--on", "call.missed", "--stage", "IN_PROCESS", "--name", "missed call", "--as", "dispatcher"],
        ["--on", "email.link_clicked", "--url", "https://shop.example/pricing", "--stage", "PROCESSED", "--name", "prices"],
        ["--on", "chat.text", "--text", "order", "--stage", "CONVERTED", "--name", "ordered"],
        ["--on", "call.incoming", "--stage", "JUNK", "--name", "complaint line", "--line", "complaints"],
        ["--on", "custom", "--code", "reopen", "--stage", "NEW", "--allow-backwards", "--name", "reopen"],
        ["--on", "custom", "--code", "revive", "--stage", "IN_PROCESS", "--allow-backwards", "--name", "revive"],
        ["--on", "field.changed", "--field", "score", "--stage", "PROCESSED", "--if", "score > 500", "--name", "high score"],
    ]

    /// Creates the database at `db` with the triggers and `leads` leads (ids 1...leads).
    static func prepare(_ scratch: Scratch, db: URL, leads: Int) throws {
        try prepare(scratch, database: db.path, leads: leads)
    }

    /// The same in `database`: a file or a PostgreSQL URI.
    static func prepare(_ scratch: Scratch, database: String, leads: Int) throws {
        let dbArguments = ["--db", database]
        try scratch.ok(["init"] + dbArguments)
        for trigger in triggers {
            try scratch.ok(["trigger", "add", "--pipeline", "lead"] + trigger + dbArguments)
        }
        var lines = ""
        for index in 1...leads {
            lines += jsonLine([
                "type": "lead", "title": "Lead \(index)", "responsible": "owner\(index % 5)",
                "email": "lead\(index)@example.com", "phone": "+49 30 \(1000 + index)",
            ]) + "\n"
        }
        let imported = try scratch.ok(["element", "import", "-"] + dbArguments, stdin: .bytes(Data(lines.utf8)))
        #expect(imported.stdoutLines.count == leads)
    }

    /// `count` events with keys `prefix-0`, `prefix-1`, … on elements `elements`, one second apart from
    /// `startSecond` seconds after 2026-11-24T09:00:00Z. Deterministic for a given seed.
    static func events(prefix: String, count: Int, elements: ClosedRange<Int>, seed: UInt64, startSecond: Int = 0)
        -> [WorkloadEvent]
    {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var result: [WorkloadEvent] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let element = elements.lowerBound + next(elements.count)
            let second = startSecond + index
            let at = String(
                format: "2026-11-24T%02d:%02d:%02d.%03dZ", 9 + second / 3600, (second / 60) % 60, second % 60,
                (index * 7) % 1000)
            var event = WorkloadEvent(key: "\(prefix)-\(index)", type: "", element: element, at: at, by: nil, data: [:])
            switch next(16) {
            case 0, 1, 2:
                event.type = "call.missed"
                event.data = ["line": "hotline", "call": "c\(index)"]
            case 3, 4:
                event.type = "email.link_clicked"
                event.data = ["url": next(2) == 0 ? "https://shop.example/pricing?i=\(index)" : "https://shop.example/about"]
            case 5, 6:
                event.type = "chat.message"
                event.data = ["chat": "chat-\(element)", "text": next(3) == 0 ? "I want to order 40 chairs" : "hello \(index)"]
            case 7:
                event.type = "call.incoming"
                event.data = ["line": next(2) == 0 ? "complaints" : "sales", "duration": "\(next(600))"]
            case 8, 9:
                event.type = "custom"
                event.data = ["code": next(2) == 0 ? "reopen" : "revive"]
            case 10, 11:
                event.type = "field.changed"
                event.data = ["fields": ["score": "\(next(1000))"]]
                event.by = "user\(next(3))"
            case 12:
                event.type = "responsible.changed"
                event.data = ["responsible": "owner\(next(7))"]
                event.by = "manager"
            case 13:
                event.type = "payment.received"
                event.data = ["amount": "\(next(10_000)).50", "currency": "EUR", "invoice": "inv-\(index)"]
            default:
                event.type = "email.received"
                event.data = ["email": "m-\(index)", "subject": "Re: offer \(index)", "from": "lead\(element)@example.com"]
            }
            result.append(event)
        }
        return result
    }

    static func ndjson(_ events: [WorkloadEvent]) -> Data {
        var text = ""
        text.reserveCapacity(events.count * 160)
        for event in events { text += event.line + "\n" }
        return Data(text.utf8)
    }
}
