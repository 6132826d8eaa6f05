import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    /// The report's breakdown (`MovementReport.Breakdown`) for `period`: ?1 the pipeline (NULL: every one), ?2
    /// and ?3 the period's bounds (NULL: open). Runs inside the report's snapshot.
    func reportBreakdown(_ period: [SQLiteValue]) throws -> MovementReport.Breakdown {
        var breakdown = MovementReport.Breakdown()
        // The day of a time: its milliseconds less the remainder of a day, counted so that times before 1970
        // (negative) fall on their own day too.
        breakdown.movesPerDay = try db.cached(
            """
            SELECT t.at - ((t.at % 86400000) + 86400000) % 86400000, count(*)
            FROM timeline t JOIN elements e ON e.id = t.element
            WHERE t.kind = ?4 AND (?1 IS NULL OR e.pipeline = ?1) AND (?2 IS NULL OR t.at >= ?2)
              AND (?3 IS NULL OR t.at < ?3)
            GROUP BY 1 ORDER BY 1
            """
        ).rows(period + [.text(TimelineKind.stageChanged)]) {
            MovementReport.DayMoves(day: Timestamp(milliseconds: $0.int64(0)), moves: Int($0.int64(1)))
        }
        try db.cached(
            """
            SELECT j.rule, r.name, r.action, j.status, count(*)
            FROM jobs j LEFT JOIN rules r ON r.id = j.rule
            WHERE (?1 IS NULL OR j.pipeline = ?1) AND (?2 IS NULL OR j.due_at >= ?2) AND (?3 IS NULL OR j.due_at < ?3)
            GROUP BY j.rule, j.status ORDER BY j.rule
            """
        ).forEachRow(period) { row in
            let rule = row.int64(0)
            if breakdown.jobsPerRule.last?.rule != rule {
                breakdown.jobsPerRule.append(
                    MovementReport.RuleJobs(rule: rule, name: row.text(1), action: row.text(2), jobs: [:]))
            }
            if let status = JobStatus(rawValue: row.string(3)) {
                breakdown.jobsPerRule[breakdown.jobsPerRule.count - 1].jobs[status] = Int(row.int64(4))
            }
        }
        try db.cached(
            """
            SELECT o.status, count(*) FROM outbox o JOIN elements e ON e.id = o.element
            WHERE (?1 IS NULL OR e.pipeline = ?1) AND (?2 IS NULL OR o.created_at >= ?2) AND (?3 IS NULL OR o.created_at < ?3)
            GROUP BY 1
            """
        ).forEachRow(period) { row in
            if let status = MessageStatus(rawValue: row.string(0)) { breakdown.messagesPerStatus[status] = Int(row.int64(1)) }
        }
        return breakdown
    }
}
