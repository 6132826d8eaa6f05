import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    static let jobColumns = "id, rule, element, pipeline, stage, status, entered_at, due_at, ran_at, origin, detail, error"

    /// Job ids grow past the largest ever given (AUTOINCREMENT's sequence): the write lock keeps other
    /// writers out, and the ids reserved in this transaction are counted here.
    public func reserveJobID() throws -> Int64 {
        let next = try pendingJobID
            ?? (db.scalarInt64(
                """
                SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'jobs'), 0),
                           coalesce((SELECT max(id) FROM jobs), 0)) + 1
                """) ?? 1)
        pendingJobID = next + 1
        return next
    }

    public func insertJob(_ job: Job) throws {
        try db.cached(
            """
            INSERT INTO jobs (id, rule, element, pipeline, stage, status, entered_at, due_at, ran_at, origin, detail, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).run([
            .integer(job.id), .integer(job.rule), .integer(job.element), .integer(job.pipeline), .text(job.stage), .text(job.status.rawValue),
            .integer(job.enteredAt.milliseconds), .integer(job.dueAt.milliseconds), SQLiteValue(job.ranAt?.milliseconds),
            SQLiteValue(job.origin), SQLiteValue(job.detail), SQLiteValue(job.error?.storedText),
        ])
    }

    public func findJob(id: Int64) throws -> Job? {
        try db.cached(built: "SELECT \(SQLiteStore.jobColumns) FROM jobs WHERE id = ?").firstRow([.integer(id)], SQLiteStore.job)
    }

    public func updateJob(_ job: Job) throws {
        try db.cached("UPDATE jobs SET status = ?, due_at = ?, ran_at = ?, detail = ?, error = ? WHERE id = ?").run([
            .text(job.status.rawValue), .integer(job.dueAt.milliseconds), SQLiteValue(job.ranAt?.milliseconds),
            SQLiteValue(job.detail), SQLiteValue(job.error?.storedText), .integer(job.id),
        ])
    }

    public func pendingJobs(element: Int64, stage: String) throws -> [Job] {
        try db.cached(
            built: "SELECT \(SQLiteStore.jobColumns) FROM jobs WHERE element = ? AND stage = ? AND status = 'pending' ORDER BY id"
        ).rows([.integer(element), .text(stage)], SQLiteStore.job)
    }

    public func nextDueJob(now: Timestamp) throws -> Job? {
        try db.cached(
            built: "SELECT \(SQLiteStore.jobColumns) FROM jobs WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT 1"
        ).firstRow([.integer(now.milliseconds)], SQLiteStore.job)
    }

    public func jobCounts(now: Timestamp) throws -> (pending: Int, overdue: Int, oldestOverdue: Timestamp?) {
        try db.cached(
            """
            SELECT count(*), count(*) FILTER (WHERE due_at < ?1), min(due_at) FILTER (WHERE due_at < ?1)
            FROM jobs WHERE status = 'pending'
            """
        ).firstRow([.integer(now.milliseconds)]) {
            (Int($0.int64(0)), Int($0.int64(1)), $0.optionalInt64(2).map(Timestamp.init(milliseconds:)))
        } ?? (0, 0, nil)
    }

    public func forEachJob(
        element: Int64?, rule: Int64?, status: JobStatus?, limit: Int?, _ body: (Job) throws -> Void
    ) throws {
        try db.cached(
            built: """
            SELECT \(SQLiteStore.jobColumns) FROM jobs
            WHERE (?1 IS NULL OR element = ?1) AND (?2 IS NULL OR rule = ?2) AND (?3 IS NULL OR status = ?3)
            ORDER BY id LIMIT ?4
            """
        ).forEachRow([SQLiteValue(element), SQLiteValue(rule), SQLiteValue(status?.rawValue), .integer(Int64(limit ?? -1))]) {
            try body(SQLiteStore.job($0))
        }
    }

    static func job(_ row: Row) -> Job {
        func time(_ column: Int32) -> Timestamp? { row.optionalInt64(column).map(Timestamp.init(milliseconds:)) }
        return Job(
            id: row.int64(0), rule: row.int64(1), element: row.int64(2), pipeline: row.int64(3), stage: row.string(4),
            status: JobStatus(rawValue: row.string(5)) ?? .pending, enteredAt: Timestamp(milliseconds: row.int64(6)),
            dueAt: Timestamp(milliseconds: row.int64(7)), ranAt: time(8), origin: row.optionalInt64(9),
            detail: row.text(10), error: row.text(11).flatMap(CRMError.init(storedText:)))
    }
}
