import CRMTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state of a database as users see it (stages, histories, number of events), plus its full dump
/// (every row of every table: events with their stored outcomes, timeline, documents, communications).
private struct ObservedState {
    var elements: String
    var eventCount: Int
    var histories: [Int: String]
    var dump: String

    static let sampledElements = [1, 2, 7, 13, 25, 38, 50]

    static func capture(_ scratch: Scratch, _ db: String) throws -> ObservedState {
        let dbArguments = ["--db", db, "--json"]
        let elements = try scratch.ok(["element", "list"] + dbArguments).stdout
        var histories: [Int: String] = [:]
        for id in sampledElements {
            histories[id] = try scratch.ok(["history", String(id)] + dbArguments).stdout
        }
        return ObservedState(
            elements: elements, eventCount: try scratch.scalar(db, "SELECT count(*) FROM events;"),
            histories: histories, dump: try scratch.dump(db))
    }

    /// How this state differs from the reference (nothing when equal).
    func differences(from reference: ObservedState, _ label: String) -> [String] {
        var found: [String] = []
        if eventCount != reference.eventCount {
            found.append("\(label): \(eventCount) events, the uninterrupted run has \(reference.eventCount)")
        }
        if elements != reference.elements {
            found.append("\(label): element list (stages) differs: \(firstDifference(elements, reference.elements))")
        }
        for id in ObservedState.sampledElements where histories[id] != reference.histories[id] {
            found.append("\(label): history \(id) differs: \(firstDifference(histories[id] ?? "", reference.histories[id] ?? ""))")
        }
        if dump != reference.dump {
            found.append("\(label): database dump differs: \(firstDifference(dump, reference.dump))")
        }
        return found
    }
}

/// A value handed to another thread by hand (guarded by a lock, or only read).
private final class Unchecked<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// When a run is killed.
private enum KillAt: CustomStringConvertible {
    /// This many milliseconds after it started (so early it may hit the run while it opens the database).
    case milliseconds(Int)
    /// After this fraction of the time the reference run took.
    case durationFraction(Double)
    /// Once it has printed this fraction of the reference run's output (results are printed after their
    /// chunk commits, so the kill lands in the next, open chunk).
    case outputFraction(Double)

    var description: String {
        switch self {
        case .milliseconds(let ms): return "\(ms) ms after the start"
        case .durationFraction(let fraction): return "after \(Int(fraction * 100))% of the reference run's time"
        case .outputFraction(let fraction): return "after \(Int(fraction * 100))% of the output"
        }
    }
}

/// SQLite only: the crash recovery of the file, each scenario on a copy of the prepared file (and on
/// PostgreSQL a killed chunk leaves a gap in the id sequences, so the rows could not equal the reference's).
@Suite("Reliability: a batch killed with SIGKILL, then run again", .sqliteOnly)
struct CrashRecoveryTests {
    static let eventCount = 20_000
    static let leads = 50

    @Test("killed at any moment and run again with the same keyed input: exactly the state of one uninterrupted run")
    func killedBatchRerunEqualsOneRun() throws {
        let scratch = try Scratch("crash")
        let base = scratch.path("base.db").path
        try Workload.prepare(scratch, db: base, leads: Self.leads)
        let events = Workload.events(prefix: "k", count: Self.eventCount, elements: 1...Self.leads, seed: 20_261_124)
        let input = scratch.path("events.ndjson")
        try Workload.ndjson(events).write(to: input)

        // The reference: one uninterrupted run.
        let reference = try scratch.copyDatabase(base, to: "reference.db")
        let referenceRun = try scratch.run(["event", "ingest", input.path, "--db", reference])
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
        // The scenarios are independent: they run two at a time, and report what they found at the end.
        let scenarios: [[KillAt]] = [
            [.milliseconds(10), .outputFraction(0.3)],
            [.durationFraction(0.4)],
            [.outputFraction(0.75)],
        ]
        let lock = NSLock()
        let findings = Unchecked<[[String]]>(Array(repeating: [], count: scenarios.count))
        let referenceLines = Unchecked(referenceResults)
        let referenceSeconds = referenceRun.seconds
        let lanes = DispatchQueue(label: "crash-scenarios", attributes: .concurrent)
        let group = DispatchGroup()
        let twoAtATime = DispatchSemaphore(value: 2)
        for (number, kills) in scenarios.enumerated() {
            lanes.async(group: group) {
                twoAtATime.wait()
                defer { twoAtATime.signal() }
                let found: [String]
                do {
                    found = try Self.runScenario(
                        number + 1, kills, scratch: scratch, base: base, input: input, referenceSeconds: referenceSeconds,
                        referenceBytes: referenceBytes, referenceResults: referenceLines.value, expected: expected)
                } catch {
                    found = ["scenario \(number + 1): \(error)"]
                }
                lock.lock()
                findings.value[number] = found
                lock.unlock()
            }
        }
        group.wait()
        for problem in findings.value.joined() {
            Issue.record(Comment(rawValue: problem))
        }
    }

    /// One scenario; returns what went wrong.
    private static func runScenario(
        _ number: Int, _ kills: [KillAt], scratch: Scratch, base: String, input: URL, referenceSeconds: Double,
        referenceBytes: Int, referenceResults: [[String: Any]], expected: ObservedState
    ) throws -> [String] {
        var problems: [String] = []
        func check(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { problems.append(message()) }
        }
        let label = "scenario \(number) (killed \(kills.map(\.description).joined(separator: ", then ")))"
        let db = try scratch.copyDatabase(base, to: "crash-\(number).db")
        for kill in kills {
            let run = try scratch.start(["event", "ingest", input.path, "--db", db])
            switch kill {
            case .milliseconds(let ms):
                usleep(useconds_t(ms * 1000))
            case .durationFraction(let fraction):
                // Under a changing load the run may be faster than the reference: never later than 60% of its output.
                let cap = Int(Double(referenceBytes) * 0.6)
                waitUntil(seconds: referenceSeconds * fraction) { run.stdoutSize >= cap || !run.isRunning }
            case .outputFraction(let fraction):
                let target = Int(Double(referenceBytes) * fraction)
                waitUntil(seconds: 120) { run.stdoutSize >= target || !run.isRunning }
            }
            run.kill9()
            let killed = try run.wait()
            check(killed.signalled && killed.status == SIGKILL, "\(label): the run was not killed \(kill) (it ended first): \(killed)")
            // Every result printed before the kill belongs to a committed event.
            let printed = killed.stdoutData.filter { $0 == 10 }.count
            let stored = try scratch.scalar(db, "SELECT count(*) FROM events;")
            check(printed <= stored, "\(label): \(printed) results printed but only \(stored) events stored")
            check(stored < eventCount, "\(label): the kill came after the last commit (\(stored) stored)")
            problems += try scratch.intactProblems(db).map { "\(label), after the kill: \($0)" }
        }

        let storedBefore = try scratch.scalar(db, "SELECT count(*) FROM events;")
        let rerun = try scratch.run(["event", "ingest", input.path, "--db", db])
        check(rerun.exited(0), "\(label): the complete run after the kill failed: \(rerun)")
        let results = try rerun.ndjson()
        check(results.count == eventCount, "\(label): \(results.count) results for \(eventCount) lines")
        let duplicates = results.filter { $0.string("status") == "duplicate" }.count
        let applied = results.filter { ["moved", "recorded"].contains($0.string("status") ?? "") }.count
        check(duplicates == storedBefore,
              "\(label): \(storedBefore) events were stored before the run again, \(duplicates) reported duplicate")
        check(applied == eventCount - storedBefore, "\(label): \(applied) applied, expected \(eventCount - storedBefore)")
        // Line i of the run again names the event of line i of the reference run (same ids, same keys).
        if let index = zip(results, referenceResults).enumerated().first(where: { _, pair in
            pair.0.int("event") != pair.1.int("event") || pair.0.string("key") != pair.1.string("key")
        })?.offset {
            problems.append("\(label): line \(index + 1): \(jsonLine(results[index])) vs reference \(jsonLine(referenceResults[index]))")
        }
        problems += try scratch.intactProblems(db).map { "\(label): \($0)" }
        problems += try ObservedState.capture(scratch, db).differences(from: expected, label)
        return problems
    }
}
