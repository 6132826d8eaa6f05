import CRMCore
import CRMStorage
import PostgresDB

extension PostgresStore {
    /// The report's breakdown (`MovementReport.Breakdown`) for `period`: $1 the pipeline (NULL: every one), $2
    /// and $3 the period's bounds (NULL: open). Runs inside the report's snapshot.
    func reportBreakdown(_ period: [PostgresValue]) throws -> MovementReport.Breakdown {
        var breakdown = MovementReport.Breakdown()
        // The day of a time (UTC): its milliseconds less the remainder of a day, counted so that times before
        // 1970 (negative) fall on their own day too.
        breakdown.movesPerDay = try db.rows(
            """
            SELECT t.at - ((t.at % 86400000) + 86400000) % 86400000, count(*)
            FROM timeline t JOIN elements e ON e.id = t.element
            WHERE t.kind = $4 AND ($1::bigint IS NULL OR e.pipeline = $1)
              AND ($2::bigint IS NULL OR t.at >= $2) AND ($3::bigint IS NULL OR t.at < $3)
            GROUP BY 1 ORDER BY 1
            """, period + [.text(TimelineKind.stageChanged)]
        ) { MovementReport.DayMoves(day: Timestamp(milliseconds: $0.int64(0)), moves: Int($0.int64(1))) }
        // A rule's name and action go with its id (rules.id is the key): grouping by them too changes nothing.
        let ruleJobs = try db.rows(
            """
            SELECT j.rule, r.name, r.action, j.status, count(*)
            FROM jobs j LEFT JOIN rules r ON r.id = j.rule
            WHERE ($1::bigint IS NULL OR j.pipeline = $1) AND ($2::bigint IS NULL OR j.due_at >= $2)
              AND ($3::bigint IS NULL OR j.due_at < $3)
            GROUP BY j.rule, r.name, r.action, j.status ORDER BY j.rule
            """, period
        ) { (rule: $0.int64(0), name: $0.text(1), action: $0.text(2), status: $0.string(3), jobs: Int($0.int64(4))) }
        for row in ruleJobs {
            if breakdown.jobsPerRule.last?.rule != row.rule {
                breakdown.jobsPerRule.append(
                    MovementReport.RuleJobs(rule: row.rule, name: row.name, action: row.action, jobs: [:]))
            }
            if let status = JobStatus(rawValue: row.status) {
                breakdown.jobsPerRule[breakdown.jobsPerRule.count - 1].jobs[status] = row.jobs
            }
        }
        let messages = try db.rows(
            """
            SELECT o.status, count(*) FROM outbox o JOIN elements e ON e.id = o.element
            WHERE ($1::bigint IS NULL OR e.pipeline = $1) AND ($2::bigint IS NULL OR o.created_at >= $2)
              AND ($3::bigint IS NULL OR o.created_at < $3)
            GROUP BY 1
            """, period
        ) { ($0.string(0), Int($0.int64(1))) }
        for (status, messages) in messages {
            if let status = MessageStatus(rawValue: status) { breakdown.messagesPerStatus[status] = messages }
        }
        return breakdown
    }
}
