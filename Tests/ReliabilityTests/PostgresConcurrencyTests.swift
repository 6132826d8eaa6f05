import CRMTestSupport
import Foundation
import PostgresDB
import Testing

/// SPEC §10 through the binary on a PostgreSQL server, where writers lock only what they change: however
/// runs meet, a keyed event is applied once, a due job runs once and a message is handed over once; and
/// writers on different elements leave the state one writer after another would. (How much faster those
/// writers are together is measured by `make bench`, BENCH_ONLY=postgres, not asserted here.)
@Suite("Reliability: concurrent writers on PostgreSQL", .postgresServer)
struct PostgresConcurrencyTests {
    /// A scratch directory whose runs write into a new schema of the suite's server, and a connection to it.
    static func scratch(_ name: String) throws -> (Scratch, String, PostgresConnection) {
        let scratch = try Scratch(name)
        let uri = try PostgresServer.newSchemaURI()
        scratch.environment["CRMCTL_DB"] = uri
        return (scratch, uri, try PostgresConnection(uri: uri, lockTimeoutMilliseconds: 5000))
    }

    static func count(_ db: PostgresConnection, _ query: String) throws -> Int {
        Int(try db.scalarInt64(query) ?? -1)
    }

    /// How often each key was applied (moved or recorded) in `results`; a result that is neither that nor a
    /// duplicate is recorded as an issue.
    static func appliedKeys(_ results: [[String: Any]]) -> [String: Int] {
        var applied: [String: Int] = [:]
        for result in results {
            switch result.string("status") {
            case "moved", "recorded": applied[result.string("key") ?? "?", default: 0] += 1
            case "duplicate": break
            default: Issue.record("unexpected result: \(jsonLine(result))")
            }
        }
        return applied
    }

    @Test("four event ingest runs over the same 20,000 keyed events and 40 event inject calls at once: each key applied exactly once")
    func fourIngestsOverOneBatch() throws {
        let (scratch, uri, db) = try Self.scratch("pg-keys")
        try Workload.prepare(scratch, db: uri, leads: 100)
        let events = Workload.events(prefix: "s", count: 20_000, elements: 1...100, seed: 5)
        // Forward, backward, and both from the middle: the runs meet on every element and every key.
        let fromMiddle = Array(events[10_000...] + events[..<10_000])
        let orders = [events, events.reversed(), fromMiddle, fromMiddle.reversed()]
        let files = try orders.enumerated().map { index, order in
            let file = scratch.path("batch-\(index).ndjson")
            try Workload.ndjson(order).write(to: file)
            return file
        }
        // 32 injects with keys of their own, 8 that repeat events of the batches.
        let singles = Workload.events(prefix: "i", count: 32, elements: 1...100, seed: 6, startSecond: 30_000)
        let repeated = stride(from: 0, to: 20_000, by: 2_500).map { events[$0] }

        let env = ["CRMCTL_BUSY_TIMEOUT_MS": "60000"]
        let ingests = try files.map { try scratch.start(["event", "ingest", $0.path], env: env) }
        let injects = try (singles + repeated).map { try scratch.start($0.injectArguments + ["--json"], env: env) }
        let ingestOutcomes = try ingests.map { try $0.wait() }
        let injectOutcomes = try injects.map { try $0.wait() }

        var results: [[String: Any]] = []
        for outcome in ingestOutcomes {
            #expect(outcome.exited(0), "ingest: \(outcome)")
            #expect(!outcome.stderr.contains("error"), "no rejected line: \(outcome)")
            let lines = try outcome.ndjson()
            #expect(lines.count == events.count, "a result for every line")
            results += lines
        }
        for outcome in injectOutcomes {
            #expect(outcome.exited(0), "inject: \(outcome)")
            if outcome.exited(0) { results.append(try outcome.jsonObject()) }
        }
        let applied = Self.appliedKeys(results)
        let allKeys = Set((events + singles).map(\.key))
        #expect(allKeys.count == 20_032)
        #expect(Set(applied.keys) == allKeys, "keys never applied: \(allKeys.subtracting(applied.keys).sorted().prefix(10))")
        let twice = applied.filter { $0.value > 1 }.keys.sorted()
        #expect(twice.isEmpty, "keys applied more than once: \(twice.prefix(10))")

        // The database holds each event once, and each event's own timeline entry once.
        #expect(try Self.count(db, "SELECT count(*) FROM events") == allKeys.count)
        #expect(try Self.count(db, "SELECT count(DISTINCT key) FROM events") == allKeys.count)
        #expect(try Self.count(db, "SELECT count(*) FROM timeline WHERE event IS NOT NULL AND kind <> 'stage_changed'")
                == allKeys.count)
        let listed = try scratch.ok(["event", "list", "--json"]).jsonArray()
        #expect(Set(listed.compactMap { $0.string("key") }) == allKeys)
    }

    @Test("two ticks and two delivers at once: each due job runs once, each message is handed over once")
    func ticksAndDeliversTogether() throws {
        let (scratch, _, db) = try Self.scratch("pg-tick-deliver")
        let leads = 600
        // An sms at once (messages waiting from the start), and an sms and a note an hour after entry: the
        // ticks make more messages while the delivers run.
        for rule in [["--do", "sms", "--text", "hi {title}"], ["--do", "sms", "--text", "later {title}", "--after", "1h"],
                     ["--do", "note", "--text", "due {id}", "--after", "1h"]] {
            try scratch.ok(["rule", "add", "--pipeline", "lead", "--stage", "NEW"] + rule)
        }
        let lines = (1...leads).map { #"{"type":"lead","title":"Lead \#($0)","phone":"+4915100\#($0)"}"# }
        try scratch.ok(["element", "import"], stdin: .bytes(Data((lines.joined(separator: "\n") + "\n").utf8)))
        #expect(try Self.count(db, "SELECT count(*) FROM jobs WHERE status = 'pending'") == 2 * leads)
        #expect(try Self.count(db, "SELECT count(*) FROM outbox") == leads)

        // Each hand-over appends the message's id to one file (a short O_APPEND write is atomic).
        let handed = scratch.path("handed")
        let deliver = ["deliver", "--exec", #"printf '%s\n' "$CRMCTL_MESSAGE_ID" >> '\#(handed.path)'"#]
        let later = ["CRMCTL_NOW": "2026-11-24T10:00:00Z"]
        let runs = try [["tick"], deliver, ["tick"], deliver].map { try scratch.start($0, env: later) }
        let outcomes = try runs.map { try $0.wait() }
        for outcome in outcomes { #expect(outcome.exited(0), "\(outcome)") }
        // What the ticks made after both delivers found nothing more is handed over now.
        let last = try scratch.ok(deliver, env: later)

        let ran = try [outcomes[0], outcomes[2]].flatMap { try $0.ndjson() }.compactMap { $0.int("job") }
        #expect(ran.count == 2 * leads)
        #expect(Set(ran).count == 2 * leads, "no job twice")
        #expect(try Self.count(db, "SELECT count(*) FROM jobs WHERE status <> 'done'") == 0)
        #expect(try Self.count(db, "SELECT count(*) FROM timeline WHERE kind = 'rule'") == 3 * leads)
        #expect(try Self.count(
            db, "SELECT count(*) FROM (SELECT details::jsonb ->> 'job' FROM timeline WHERE kind = 'rule' GROUP BY 1 HAVING count(*) <> 1) twice") == 0)

        let reports = try [outcomes[1], outcomes[3], last].flatMap { try $0.ndjson() }
        #expect(reports.count == 2 * leads)
        #expect(reports.allSatisfy { $0.string("status") == "delivered" && $0["error"] == nil }, "no lease lost")
        let ids = ((try? String(contentsOf: handed, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int($0) }
        #expect(ids.count == 2 * leads)
        #expect(Set(ids) == Set(1...2 * leads), "every message handed over exactly once")
        #expect(try Self.count(db, "SELECT count(*) FROM outbox WHERE status = 'delivered' AND attempts = 1 AND leases = 1")
                == 2 * leads)
    }

    @Test("four event ingest runs on elements of their own at once: every event applied once, each element as one run after another leaves it")
    func disjointIngestsTogether() throws {
        let (together, togetherURI, togetherDB) = try Self.scratch("pg-disjoint")
        let (oneByOne, oneByOneURI, oneByOneDB) = try Self.scratch("pg-sequential")
        let leads = 40
        try Workload.prepare(together, db: togetherURI, leads: leads)
        try Workload.prepare(oneByOne, db: oneByOneURI, leads: leads)
        // Run i writes to elements i+1, i+5, …: no element is touched by two runs.
        let files = try (0..<4).map { run in
            let events = Workload.events(prefix: "r\(run)", count: 2_000, elements: 0...(leads / 4 - 1), seed: UInt64(run + 1))
                .map { event -> WorkloadEvent in
                    var moved = event
                    moved.element = event.element * 4 + run + 1
                    return moved
                }
            let file = together.path("run-\(run).ndjson")
            try Workload.ndjson(events).write(to: file)
            return file
        }
        let runs = try files.map { try together.start(["event", "ingest", $0.path]) }
        for outcome in try runs.map({ try $0.wait() }) {
            #expect(outcome.exited(0), "\(outcome)")
            #expect(Self.appliedKeys(try outcome.ndjson()).count == 2_000, "every event applied")
        }
        for file in files { try oneByOne.ok(["event", "ingest", file.path]) }

        // Event and entry ids interleave differently (an entry's details name its event); what each element
        // went through does not.
        let perElement = """
            SELECT e.id, e.stage, e.responsible, e.fields, e.updated_at,
                   (SELECT string_agg(t.kind || '@' || t.at || ' ' || coalesce((t.details::jsonb - 'event')::text, ''),
                                      ' | ' ORDER BY t.id)
                    FROM timeline t WHERE t.element = e.id)
            FROM elements e ORDER BY e.id
            """
        func state(_ db: PostgresConnection) throws -> [String] {
            try db.rows(perElement) { row in (0..<6).map { row.text($0) ?? "NULL" }.joined(separator: " ; ") }
        }
        let togetherState = try state(togetherDB)
        #expect(togetherState.count == leads)
        #expect(togetherState == (try state(oneByOneDB)))
        #expect(try Self.count(togetherDB, "SELECT count(*) FROM events") == 8_000)
    }
}
