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

        // Wall time depends on the load of the machine (tests run in parallel); the CPU time the pipeline's
        // processes used does not much: a list that reads every row before its first line uses ~all of
        // the whole list's. `times` prints the shell's children's user and system seconds last.
        func timed(_ pipeline: String) throws -> (cpu: Double, wall: Double, output: String) {
            let start = Date()
            let result = try box.program("/bin/sh", ["-c", pipeline + "; times", TestPaths.crmctl.path])
            let wall = Date().timeIntervalSince(start)
            #expect(result.status == 0, "\(result)")
            var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            while lines.last?.isEmpty == true { lines.removeLast() }
            let children = lines.popLast().map(String.init) ?? ""
            _ = lines.popLast()  // the shell's own times
            // "0m0.080000s 0m0.000000s": minutes and seconds, user then system.
            let cpu = children.split(separator: " ").reduce(0.0) { sum, part in
                let pieces = part.dropLast().split(separator: "m")
                guard pieces.count == 2, let minutes = Double(pieces[0]), let seconds = Double(pieces[1]) else {
                    Issue.record("no times in \(result)")
                    return sum
                }
                return sum + minutes * 60 + seconds
            }
            return (cpu, wall, lines.joined(separator: "\n"))
        }
        let whole = try timed(#""$0" event list | wc -l"#)
        #expect(whole.output.trimmingCharacters(in: .whitespaces) == String(Self.events + 1))

        let text = try timed(#""$0" event list | head -1"#)
        #expect(text.output == "ID  AT  TYPE  ELEMENT  STATUS  KEY  MOVES")
        let json = try timed(#""$0" event list --json | head -c 12; echo"#)
        #expect(json.output == #"[{"id":1,"ke"#)
        // With SIGPIPE ignored (a parent may ignore it, and its children inherit that), a write to the closed
        // pipe fails with EPIPE instead: the list must stop reading then too.
        let ignored = try timed(#"trap '' PIPE; "$0" event list 2>err.txt | head -1"#)
        #expect(ignored.output == "ID  AT  TYPE  ELEMENT  STATUS  KEY  MOVES")
        let message = try String(contentsOf: box.path("err.txt"), encoding: .utf8)
        #expect(message.contains("cannot write the output"), "\(message)")
        let last = try timed(#""$0" event list --last 1 --json"#)
        #expect(last.output.contains(#""key":"k-\#(Self.events)""#) && !last.output.contains(#""key":"k-1""#), "\(last.output)")
        for (label, run) in [("text", text), ("json", json), ("SIGPIPE ignored", ignored), ("--last 1", last)] {
            #expect(run.cpu < 0.5 && run.cpu * 5 < whole.cpu, "\(label): \(run.cpu) s of CPU, the whole list \(whole.cpu) s")
            #expect(run.wall < 10, "\(label): \(run.wall) s")
        }
    }
}
