import CRMTestSupport
import Foundation
import Testing

/// SPEC §8 "exactly once": ticks run together or killed mid-run, through the binary.
@Suite("Reliability: ticks at once and killed")
struct TickConcurrencyTests {
    /// A database with `count` leads, each with one pending note job due at 09:00 (the clock says 08:00).
    static func prepare(_ scratch: Scratch, count: Int, db: String? = nil) throws {
        let database = db ?? scratch.db
        try scratch.ok(["rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "due {id}",
                        "--after", "1h", "--db", database])
        let leads = (1...count).map { jsonLine(["type": "lead", "title": "Lead \($0)"]) }.joined(separator: "\n") + "\n"
        try scratch.ok(["element", "import", "--db", database], stdin: .bytes(Data(leads.utf8)))
        #expect(try scratch.scalar(database, "SELECT count(*) FROM jobs WHERE status = 'pending'") == count)
    }

    static let later = ["CRMCTL_NOW": "2026-11-24T10:00:00Z"]

    @Test("four ticks started together over 2,000 due jobs: each job runs exactly once")
    func fourTicksTogether() throws {
        let scratch = try Scratch("ticks")
        try Self.prepare(scratch, count: 2000)
        let ticks = try (1...4).map { _ in try scratch.start(["tick"], env: Self.later) }
        let outcomes = try ticks.map { try $0.wait() }
        for outcome in outcomes { #expect(outcome.exited(0), "\(outcome)") }
        let ran = try outcomes.flatMap { try $0.ndjson() }.compactMap { $0.int("job") }
        #expect(ran.count == 2000)
        #expect(Set(ran).count == 2000, "no job twice")
        let db = scratch.db
        #expect(try scratch.scalar(db, "SELECT count(*) FROM jobs WHERE status = 'done'") == 2000)
        #expect(try scratch.scalar(db, "SELECT count(*) FROM jobs WHERE status != 'done'") == 0)
        // One rule entry and one note per job.
        #expect(try scratch.scalar(db, "SELECT count(*) FROM timeline WHERE kind = 'rule'") == 2000)
        let job = TestDatabase.isPostgres ? "details::jsonb ->> 'job'" : "json_extract(details, '$.job')"
        #expect(try scratch.scalar(
            db, "SELECT count(*) FROM (SELECT 1 FROM timeline WHERE kind = 'rule' GROUP BY \(job) HAVING count(*) != 1) AS twice") == 0)
        #expect(try scratch.scalar(db, "SELECT count(*) FROM timeline WHERE kind = 'note'") == 2000)
        try scratch.expectIntact(db)
    }

    @Test("a tick killed mid-run, then another: the same state as one uninterrupted tick")
    func killedTickThenAnother() throws {
        let scratch = try Scratch("tick-kill")
        try Self.prepare(scratch, count: 8000)
        let reference = scratch.newDatabase("reference.db")
        try Self.prepare(scratch, count: 8000, db: reference)
        try scratch.ok(["tick", "--db", reference], env: Self.later)

        let killed = try scratch.start(["tick"], env: Self.later)
        // Killed once its first chunk is committed (its lines are printed after the commit).
        _ = waitUntil(seconds: 60) { killed.stdoutSize > 0 || !killed.isRunning }
        killed.kill9()
        let outcome = try killed.wait()
        let doneAfterKill = try scratch.scalar(scratch.db, "SELECT count(*) FROM jobs WHERE status = 'done'")
        #expect(outcome.signalled || doneAfterKill == 8000, "\(outcome)")
        try scratch.ok(["tick"], env: Self.later)

        // Timeline ids left out: on PostgreSQL the killed chunk's rolled-back entries left a gap in the sequence.
        let jobs = "SELECT id, rule, element, status, due_at, ran_at, detail FROM jobs ORDER BY id;"
        let timeline = "SELECT element, at, kind, author, details FROM timeline ORDER BY element, id;"
        #expect(try scratch.sql(scratch.db, jobs) == scratch.sql(reference, jobs))
        #expect(try scratch.sql(scratch.db, timeline) == scratch.sql(reference, timeline))
        #expect(try scratch.scalar(scratch.db, "SELECT count(*) FROM jobs WHERE status = 'done'") == 8000)
        try scratch.expectIntact(scratch.db)
    }
}
