import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state of a database as users see it, plus its full dump.
private struct ObservedState {
    var elements: String
    var events: String
    var eventCount: Int
    var histories: [Int: String]
    var dump: String

    static let sampledElements = [1, 2, 7, 13, 25, 38, 50]

    static func capture(_ scratch: Scratch, _ db: URL) throws -> ObservedState {
        let dbArguments = ["--db", db.path, "--json"]
        let elements = try scratch.ok(["element", "list"] + dbArguments).stdout
        let eventsRun = try scratch.ok(["event", "list"] + dbArguments)
        var histories: [Int: String] = [:]
        for id in sampledElements {
            histories[id] = try scratch.ok(["history", String(id)] + dbArguments).stdout
        }
        return ObservedState(
            elements: elements, events: eventsRun.stdout, eventCount: try eventsRun.jsonArray().count,
            histories: histories, dump: try scratch.dump(db))
    }

    func expectEqual(to reference: ObservedState, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(eventCount == reference.eventCount, "\(label): event count", sourceLocation: sourceLocation)
        #expect(elements == reference.elements,
                "\(label): element list (stages) differs: \(firstDifference(elements, reference.elements))",
                sourceLocation: sourceLocation)
        for id in ObservedState.sampledElements {
            let mine = histories[id] ?? "", theirs = reference.histories[id] ?? ""
            #expect(mine == theirs, "\(label): history \(id) differs: \(firstDifference(mine, theirs))",
                    sourceLocation: sourceLocation)
        }
        #expect(events == reference.events, "\(label): event list differs: \(firstDifference(events, reference.events))",
                sourceLocation: sourceLocation)
        #expect(dump == reference.dump, "\(label): database dump differs: \(firstDifference(dump, reference.dump))",
                sourceLocation: sourceLocation)
    }
}

/// When a run is killed.
private enum KillAt: CustomStringConvertible {
    /// This many milliseconds after it started (the first may hit it while it opens the database).
    case milliseconds(Int)
    /// Once it has printed this fraction of the reference run's output (results are printed after their
    /// chunk commits, so the kill lands in the next, open chunk).
    case outputFraction(Double)

    var description: String {
        switch self {
        case .milliseconds(let ms): return "\(ms) ms after the start"
        case .outputFraction(let fraction): return "after \(Int(fraction * 100))% of the output"
        }
    }
}

@Suite("Reliability: a batch killed with SIGKILL, then run again")
struct CrashRecoveryTests {
    static let eventCount = 20_000
    static let leads = 50

    @Test("killed at any moment and run again with the same keyed input: exactly the state of one uninterrupted run")
    func killedBatchRerunEqualsOneRun() throws {
        let scratch = try Scratch("crash")
        let base = scratch.path("base.db")
        try Workload.prepare(scratch, db: base, leads: Self.leads)
        let events = Workload.events(prefix: "k", count: Self.eventCount, elements: 1...Self.leads, seed: 20_261_124)
        let input = scratch.path("events.ndjson")
        try Workload.ndjson(events).write(to: input)

        // The reference: one uninterrupted run.
        let reference = try scratch.copyDatabase(base, to: "reference.db")
        let referenceRun = try scratch.run(["event", "ingest", input.path, "--db", reference.path])
        #expect(referenceRun.exited(0), "\(referenceRun)")
        let referenceResults = try referenceRun.ndjson()
        #expect(referenceResults.count == Self.eventCount)
        #expect(referenceResults.allSatisfy { ["moved", "recorded"].contains($0.string("status") ?? "") })
        let expected = try ObservedState.capture(scratch, reference)
        #expect(expected.eventCount == Self.eventCount)
        // The workload must really move leads around, or the comparison proves little.
        let moved = referenceResults.filter { $0.string("status") == "moved" }.count
        #expect(moved > 500, "only \(moved) events moved a lead")
        let elementList = (try JSONSerialization.jsonObject(with: Data(expected.elements.utf8)) as? [[String: Any]]) ?? []
        let stages = Set(elementList.compactMap { $0["stage"] as? String })
        #expect(stages.count >= 3, "the leads ended in too few stages: \(stages)")
        let referenceBytes = referenceRun.stdoutData.count

        // Each scenario: a fresh copy of the prepared database, one or more killed runs, then a complete run.
        let scenarios: [[KillAt]] = [
            [.milliseconds(10), .outputFraction(0.3)],
            [.milliseconds(900)],
            [.outputFraction(0.75)],
        ]
        for (number, kills) in scenarios.enumerated() {
            let label = "scenario \(number + 1) (killed \(kills.map(\.description).joined(separator: ", then ")))"
            let db = try scratch.copyDatabase(base, to: "crash-\(number + 1).db")
            for kill in kills {
                let run = try scratch.start(["event", "ingest", input.path, "--db", db.path])
                switch kill {
                case .milliseconds(let ms):
                    usleep(useconds_t(ms * 1000))
                case .outputFraction(let fraction):
                    let target = Int(Double(referenceBytes) * fraction)
                    waitUntil(seconds: 120) { run.stdoutSize >= target || !run.isRunning }
                }
                run.kill9()
                let killed = try run.wait()
                #expect(killed.signalled && killed.status == SIGKILL,
                        "\(label): the run was not killed \(kill) (it ended first): \(killed)")
                // Every result printed before the kill belongs to a committed event.
                let printed = killed.stdoutData.filter { $0 == 10 }.count
                let stored = Int(try scratch.sql(db, "SELECT count(*) FROM events;")
                    .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                #expect(printed <= stored, "\(label): \(printed) results printed but only \(stored) events stored")
                #expect(stored < Self.eventCount, "\(label): the kill came after the last commit (\(stored) stored)")
                try scratch.expectIntact(db)
            }

            let storedBefore = Int(try scratch.sql(db, "SELECT count(*) FROM events;")
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            let rerun = try scratch.run(["event", "ingest", input.path, "--db", db.path])
            #expect(rerun.exited(0), "\(label): the complete run after the kill failed: \(rerun)")
            let results = try rerun.ndjson()
            #expect(results.count == Self.eventCount, "\(label): one result per line")
            let duplicates = results.filter { $0.string("status") == "duplicate" }.count
            let applied = results.filter { ["moved", "recorded"].contains($0.string("status") ?? "") }.count
            #expect(duplicates == storedBefore,
                    "\(label): \(storedBefore) events were stored before the run again, \(duplicates) reported duplicate")
            #expect(applied == Self.eventCount - storedBefore, "\(label): \(applied) applied")
            // Line i of the run again names the event of line i of the reference run (same ids, same keys).
            for (index, (mine, theirs)) in zip(results, referenceResults).enumerated()
            where mine.int("event") != theirs.int("event") || mine.string("key") != theirs.string("key") {
                Issue.record("\(label): line \(index + 1): \(jsonLine(mine)) vs reference \(jsonLine(theirs))")
                break
            }
            try scratch.expectIntact(db)
            try ObservedState.capture(scratch, db).expectEqual(to: expected, label)
        }
    }
}
