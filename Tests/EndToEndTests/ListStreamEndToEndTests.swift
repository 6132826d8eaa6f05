import CRMTestSupport
import Foundation
import Testing

/// SPEC §3 "Lists stream": `event list | head -1` on many events returns at once, since the first line is
/// written before the rest is read (and the closed pipe ends crmctl).
@Suite("E2E: lists stream")
struct ListStreamEndToEndTests {
    static let events = 50_000

    @Test("event list | head -1 on 50,000 events ends at once, in text and JSON")
    func headOfALongListEndsAtOnce() throws {
        let box = try Sandbox(name: "stream")
        box.at("2026-11-24T08:00:00Z")
        let lead = try box.create(["lead", "create", "--title", "Many events"])
        var input = ""
        input.reserveCapacity(Self.events * 90)
        for n in 1...Self.events {
            input += #"{"key":"k-\#(n)","type":"call.missed","element":\#(lead),"at":"2026-11-24T09:00:00Z"}"# + "\n"
        }
        let file = box.path("events.ndjson")
        try Data(input.utf8).write(to: file)
        let ingest = try box.run(["event", "ingest", file.path], input: .none)
        #expect(ingest.status == 0, "\(ingest.stderr)")

        func timed(_ pipeline: String) throws -> (seconds: Double, result: ProcessResult) {
            let start = Date()
            let result = try box.program("/bin/sh", ["-c", pipeline, TestPaths.crmctl.path])
            return (Date().timeIntervalSince(start), result)
        }
        let whole = try timed(#""$0" event list | wc -l"#)
        #expect(whole.result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(Self.events + 1))

        let text = try timed(#""$0" event list | head -1"#)
        #expect(text.result.status == 0, "\(text.result)")
        #expect(text.result.stdout == "ID  AT  TYPE  ELEMENT  STATUS  KEY  MOVES\n")
        let json = try timed(#""$0" event list --json | head -c 12"#)
        #expect(json.result.stdout == #"[{"id":1,"ke"#, "\(json.result)")
        let last = try timed(#""$0" event list --last 1 --json"#)
        #expect(try last.result.jsonArray().map { $0.string("key") } == ["k-\(Self.events)"])
        for (label, run) in [("text", text), ("json", json), ("--last 1", last)] {
            #expect(run.seconds < 1.5, "\(label): \(run.seconds) s (the whole list: \(whole.seconds) s)")
            #expect(run.seconds < whole.seconds, "\(label): \(run.seconds) s, the whole list \(whole.seconds) s")
        }
    }
}
