import CRMTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A separate sqlite3 process that holds the write lock (`BEGIN IMMEDIATE`) until released.
private final class LockHolder {
    let scratch: Scratch
    let db: String
    let process: RunningProcess

    init(_ scratch: Scratch, _ db: String) throws {
        self.scratch = scratch
        self.db = db
        process = try scratch.start([db], stdin: .open, executable: TestPaths.sqlite3)
        try process.feed(Data(".timeout 10000\nBEGIN IMMEDIATE;\n".utf8))
        // Held once another writer cannot begin at once.
        let held = waitUntil(seconds: 20) { (try? LockHolder.isLocked(scratch, db)) == true }
        guard held else { throw HarnessError("sqlite3 did not take the write lock") }
    }

    static func isLocked(_ scratch: Scratch, _ db: String) throws -> Bool {
        let probe = try scratch.start(["-cmd", ".timeout 0", db, "BEGIN IMMEDIATE; ROLLBACK;"], executable: TestPaths.sqlite3)
            .wait()
        return !probe.exited(0) && probe.stderr.contains("locked")
    }

    func release() throws {
        try process.feed(Data("ROLLBACK;\n.quit\n".utf8))
        let outcome = try process.wait()
        #expect(outcome.exited(0), "the lock holder: \(outcome)")
    }
}

@Suite("Reliability: concurrent writers")
struct ConcurrencyTests {
    @Test("two event ingest runs and dozens of event inject calls at once: all succeed, every event stored exactly once")
    func overlappingBatchesAndInjects() throws {
        let scratch = try Scratch("concurrency")
        let db = scratch.db
        try Workload.prepare(scratch, db: db, leads: 20)

        // Two batches on overlapping elements, sharing 400 identical keyed events (in opposite orders), and
        // 40 single injects with their own keys plus 8 that repeat shared events.
        let shared = Workload.events(prefix: "s", count: 400, elements: 1...20, seed: 3, startSecond: 50_000)
        let batchA = Workload.events(prefix: "a", count: 3000, elements: 1...12, seed: 1) + shared
        let batchB = Workload.events(prefix: "b", count: 3000, elements: 9...20, seed: 2, startSecond: 10_000)
            + shared.reversed()
        let singles = Workload.events(prefix: "i", count: 40, elements: 1...20, seed: 4, startSecond: 30_000)
        let repeated = stride(from: 0, to: 400, by: 50).map { shared[$0] }

        let fileA = scratch.path("a.ndjson"), fileB = scratch.path("b.ndjson")
        try Workload.ndjson(batchA).write(to: fileA)
        try Workload.ndjson(batchB).write(to: fileB)

        let env = ["CRMCTL_BUSY_TIMEOUT_MS": "20000"]
        let started = Date()
        let ingestA = try scratch.start(["event", "ingest", fileA.path], env: env)
        let ingestB = try scratch.start(["event", "ingest", fileB.path], env: env)
        var injects: [RunningProcess] = []
        for event in singles + repeated {
            injects.append(try scratch.start(event.injectArguments + ["--json"], env: env))
        }
        let outcomeA = try ingestA.wait(), outcomeB = try ingestB.wait()
        let injectOutcomes = try injects.map { try $0.wait() }
        let seconds = Date().timeIntervalSince(started)

        #expect(outcomeA.exited(0), "ingest A: \(outcomeA)")
        #expect(outcomeB.exited(0), "ingest B: \(outcomeB)")
        for outcome in injectOutcomes {
            #expect(outcome.exited(0), "inject: \(outcome)")
        }

        // Every key applied once across all runs; every other sighting is a duplicate.
        var results = try outcomeA.ndjson() + outcomeB.ndjson()
        #expect(results.count == batchA.count + batchB.count)
        for outcome in injectOutcomes where outcome.exited(0) {
            results.append(try outcome.jsonObject())
        }
        var applied: [String: Int] = [:]
        for result in results {
            let key = result.string("key") ?? "?"
            switch result.string("status") {
            case "moved", "recorded": applied[key, default: 0] += 1
            case "duplicate": break
            default: Issue.record("unexpected result: \(jsonLine(result))")
            }
        }
        let allKeys = Set((batchA + batchB + singles).map(\.key))
        #expect(allKeys.count == 3000 + 3000 + 400 + 40)
        #expect(Set(applied.keys) == allKeys, "keys never applied: \(allKeys.subtracting(applied.keys).sorted().prefix(10))")
        let twice = applied.filter { $0.value > 1 }.keys.sorted()
        #expect(twice.isEmpty, "keys applied more than once: \(twice.prefix(10))")

        // The database holds each event once, and each event's own timeline entry once.
        let listed = try scratch.ok(["event", "list", "--json"]).jsonArray()
        #expect(listed.count == allKeys.count, "event list count")
        #expect(Set(listed.compactMap { $0.string("key") }) == allKeys)
        #expect(try scratch.sql(db, "SELECT count(*), count(DISTINCT key) FROM events;") == "\(allKeys.count)|\(allKeys.count)\n")
        #expect(try scratch.scalar(db, "SELECT count(*) FROM timeline WHERE event IS NOT NULL AND kind <> 'stage_changed';")
                == allKeys.count)
        try scratch.expectIntact(db)
        #expect(seconds < 60, "the overlapping runs took \(seconds) s")
    }

    @Test("many processes creating the same new database at once: all succeed, one schema, no lost element")
    func concurrentFirstUse() throws {
        let scratch = try Scratch("first-use")
        let runs = try (1...12).map { index in
            try scratch.start(["lead", "create", "--title", "racer \(index)"], env: ["CRMCTL_BUSY_TIMEOUT_MS": "20000"])
        }
        let outcomes = try runs.map { try $0.wait() }
        for outcome in outcomes { #expect(outcome.exited(0), "\(outcome)") }
        #expect(try scratch.scalar(scratch.db, "SELECT count(*) FROM elements;") == 12)
        #expect(try scratch.scalar(scratch.db, "SELECT count(*) FROM pipelines;") == 2)
        if TestDatabase.isPostgres {
            let schema = try String(contentsOf: TestPaths.file("schema.postgres.sql"), encoding: .utf8)
            let version = try scratch.sql(scratch.db, "SELECT version FROM schema_version;")
            #expect(schema.contains("INSERT INTO schema_version (version) VALUES (\(version.dropLast()));"), "\(version)")
        } else {
            let schema = try String(contentsOf: TestPaths.file("schema.sql"), encoding: .utf8)
            #expect(schema.contains("PRAGMA user_version = \(try scratch.scalar(scratch.db, "PRAGMA user_version;"));"))
        }
        try scratch.expectIntact(scratch.db)
    }

    /// The lock is a sqlite3 shell's `BEGIN IMMEDIATE`.
    @Test("a writer that cannot get the lock within the busy timeout exits 75 and writes nothing", .sqliteOnly)
    func lockedPastBusyTimeout() throws {
        let scratch = try Scratch("busy")
        let db = scratch.db
        try scratch.ok(["init"])
        try scratch.ok(["lead", "create", "--title", "existing"])
        let batch = scratch.path("batch.ndjson")
        try Data((#"{"key":"b-1","type":"custom","element":1,"data":{"code":"x"}}"# + "\n").utf8).write(to: batch)
        let before = try scratch.dump(db)

        let holder = try LockHolder(scratch, db)
        let short = ["CRMCTL_BUSY_TIMEOUT_MS": "200"]
        let writers: [[String]] = [
            ["lead", "create", "--title", "blocked"],
            ["deal", "create", "--title", "blocked"],
            ["event", "inject", "--type", "custom", "--element", "1", "--set", "code=x", "--key", "busy-1"],
            ["event", "ingest", batch.path],
            ["element", "move", "1", "--stage", "PROCESSED"],
            ["element", "set", "1", "--title", "renamed"],
            ["trigger", "add", "--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS"],
            ["document", "create", "--element", "1", "--template", "offer"],
        ]
        var outcomes: [ProcessResult] = []
        for arguments in writers {
            outcomes.append(try scratch.run(arguments, env: short))
        }
        let importRun = try scratch.run(["element", "import"], stdin: .bytes(Data(#"{"type":"lead","title":"x"}"#.utf8)), env: short)
        let jsonRun = try scratch.run(["lead", "create", "--title", "blocked", "--json"], env: short)
        // Readers are not blocked by a writer (WAL).
        let reader = try scratch.run(["element", "list", "--json"], env: short)
        try holder.release()

        for outcome in outcomes + [importRun, jsonRun] {
            #expect(outcome.exited(75), "expected exit 75: \(outcome)")
            #expect(outcome.seconds >= 0.15 && outcome.seconds < 15, "waited the busy timeout: \(outcome)")
            #expect(!outcome.stdout.contains("\"status\":\"recorded\"") && !outcome.stdout.contains("\"created\""),
                    "nothing reported as written: \(outcome)")
        }
        for outcome in outcomes {
            #expect(outcome.stderr.hasPrefix("crmctl: error: "), "\(outcome)")
            #expect(outcome.stderr.contains("locked"), "the message says the database is locked: \(outcome)")
        }
        let error = try JSONSerialization.jsonObject(with: jsonRun.stderrData) as? [String: Any]
        #expect(error?.object("error")?.string("code") == "busy", "\(jsonRun)")
        #expect(reader.exited(0), "a reader during the lock: \(reader)")

        #expect(try scratch.dump(db) == before, "something was written while the lock was held")
        try scratch.expectIntact(db)
        // And once the lock is gone, the same command works.
        try scratch.ok(["lead", "create", "--title", "after the lock"])
    }

    @Test("an ingest waiting on a slow pipe does not keep other writers out past their busy timeout")
    func slowPipeDoesNotStarveWriters() throws {
        let scratch = try Scratch("slow-pipe")
        try scratch.ok(["init"])
        try scratch.ok(["lead", "create", "--title", "existing"])
        let ingest = try scratch.start(["event", "ingest"], stdin: .open)
        try ingest.feed(Data((#"{"key":"p-1","type":"custom","element":1,"data":{"code":"x"}}"# + "\n").utf8))
        // The producer goes quiet (a telephony export that stalls, `tail -f`): the line arrived well
        // over the 200 ms a chunk may stay open.
        usleep(600_000)
        let writer = try scratch.run(["lead", "create", "--title", "meanwhile"], env: ["CRMCTL_BUSY_TIMEOUT_MS": "3000"])
        #expect(writer.exited(0), "a writer while the ingest waits for input: \(writer)")
        try ingest.feed(Data((#"{"key":"p-2","type":"custom","element":1,"data":{"code":"x"}}"# + "\n").utf8))
        let outcome = try ingest.wait()
        #expect(outcome.exited(0), "\(outcome)")
        #expect(try scratch.scalar(scratch.db, "SELECT count(*) FROM events;") == 2)
    }
}
