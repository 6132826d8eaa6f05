import CRMCore
import CRMStorage
import PostgresDB

/// Jobs on the server. Whoever changes a job holds its element's row first — event intake through
/// `findElement`, a tick through `nextDueJob`, `job cancel` through `findJob` — so the element's lock
/// orders every change to its jobs, as SQLite's one write lock orders all of them.
extension PostgresStore {
    static let jobColumns = "id, rule, element, pipeline, stage, status, entered_at, due_at, ran_at, origin, detail, error"

    /// From the jobs table's sequence: other writers take theirs meanwhile (an id is lost with a rollback).
    public func reserveJobID() throws -> Int64 {
        try db.scalarInt64("SELECT nextval(pg_get_serial_sequence('jobs', 'id'))") ?? 0
    }

    public func insertJob(_ job: Job) throws {
        try db.send(
            """
            INSERT INTO jobs (id, rule, element, pipeline, stage, status, entered_at, due_at, ran_at, origin, detail, error)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """,
            [
                .integer(job.id), .integer(job.rule), .integer(job.element), .integer(job.pipeline), .text(job.stage),
                .text(job.status.rawValue), .integer(job.enteredAt.milliseconds), .integer(job.dueAt.milliseconds),
                PostgresValue(job.ranAt?.milliseconds), PostgresValue(job.origin), PostgresValue(job.detail),
                PostgresValue(job.error?.storedText),
            ])
    }

    /// In a write transaction the job is read locked, its element locked first (the order event intake
    /// takes them in): a `job cancel` that meets a tick running the job waits for it and then reads the
    /// job as the tick left it, instead of cancelling a job that already ran.
    public func findJob(id: Int64) throws -> Job? {
        guard isWriting else {
            return try db.firstRow("SELECT \(Self.jobColumns) FROM jobs WHERE id = $1", [.integer(id)], Self.job)
        }
        guard let element = try db.scalarInt64("SELECT element FROM jobs WHERE id = $1", [.integer(id)]) else { return nil }
        _ = try lockedElement(id: element)
        return try db.firstRow(
            "SELECT \(Self.jobColumns) FROM jobs WHERE id = $1 FOR UPDATE", [.integer(id)], Self.job)
    }

    public func updateJob(_ job: Job) throws {
        try db.send(
            "UPDATE jobs SET status = $1, due_at = $2, ran_at = $3, detail = $4, error = $5 WHERE id = $6",
            [
                .text(job.status.rawValue), .integer(job.dueAt.milliseconds), PostgresValue(job.ranAt?.milliseconds),
                PostgresValue(job.detail), PostgresValue(job.error?.storedText), .integer(job.id),
            ])
    }

    /// The caller holds the element's row, which every writer of its jobs takes first.
    public func pendingJobs(element: Int64, stage: String) throws -> [Job] {
        try db.rows(
            "SELECT \(Self.jobColumns) FROM jobs WHERE element = $1 AND stage = $2 AND status = 'pending' ORDER BY id",
            [.integer(element), .text(stage)], Self.job)
    }

    /// In a write transaction the job is claimed by locking its element, skipping any job whose element
    /// another writer holds. So two ticks never take one job (every writer of a job holds its element), and
    /// a tick never waits for an element an event is being applied to (that job waits for this tick's next
    /// turn, or for the next tick).
    public func nextDueJob(now: Timestamp) throws -> Job? {
        guard isWriting else {
            return try db.firstRow(
                "SELECT \(Self.jobColumns) FROM jobs WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT 1",
                [.integer(now.milliseconds)], Self.job)
        }
        // Only the element is locked with the claim: locking the job's row too would keep a row whose element
        // was skipped locked to the end of the transaction, and the other tick would skip that job as well.
        // The job is read again once its element is held: a new statement sees what a tick that held the
        // element before committed (the claim's own read is as of its start).
        while let candidate = try db.scalarInt64(
            """
            SELECT j.id FROM jobs j JOIN elements e ON e.id = j.element
            WHERE j.status = 'pending' AND j.due_at <= $1
            ORDER BY j.due_at, j.id LIMIT 1
            FOR UPDATE OF e SKIP LOCKED
            """, [.integer(now.milliseconds)])
        {
            if let job = try db.firstRow(
                "SELECT \(Self.jobColumns) FROM jobs WHERE id = $1 AND status = 'pending' AND due_at <= $2",
                [.integer(candidate), .integer(now.milliseconds)], Self.job)
            {
                return job
            }
        }
        return nil
    }

    public func jobCounts(now: Timestamp) throws -> (pending: Int, overdue: Int, oldestOverdue: Timestamp?) {
        try db.firstRow(
            """
            SELECT count(*), count(*) FILTER (WHERE due_at < $1), min(due_at) FILTER (WHERE due_at < $1)
            FROM jobs WHERE status = 'pending'
            """, [.integer(now.milliseconds)]
        ) {
            (Int($0.int64(0)), Int($0.int64(1)), $0.optionalInt64(2).map(Timestamp.init(milliseconds:)))
        } ?? (0, 0, nil)
    }

    public func forEachJob(
        element: Int64?, rule: Int64?, status: JobStatus?, limit: Int?, _ body: (Job) throws -> Void
    ) throws {
        try db.forEachRow(
            """
            SELECT \(Self.jobColumns) FROM jobs
            WHERE ($1::bigint IS NULL OR element = $1) AND ($2::bigint IS NULL OR rule = $2)
              AND ($3::text IS NULL OR status = $3)
            ORDER BY id LIMIT $4
            """,
            [PostgresValue(element), PostgresValue(rule), PostgresValue(status?.rawValue), PostgresValue(limit.map(Int64.init))]
        ) { try body(Self.job($0)) }
    }

    static func job(_ row: PostgresRow) -> Job {
        func time(_ column: Int32) -> Timestamp? { row.optionalInt64(column).map(Timestamp.init(milliseconds:)) }
        return Job(
            id: row.int64(0), rule: row.int64(1), element: row.int64(2), pipeline: row.int64(3), stage: row.string(4),
            status: JobStatus(rawValue: row.string(5)) ?? .pending, enteredAt: Timestamp(milliseconds: row.int64(6)),
            dueAt: Timestamp(milliseconds: row.int64(7)), ranAt: time(8), origin: row.optionalInt64(9),
            detail: row.text(10), error: row.text(11).flatMap(CRMError.init(storedText:)))
    }
}
