import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    /// The report for `pipeline` (nil: every pipeline) over `since` (inclusive) to `until` (exclusive); a
    /// missing bound leaves that side open. The breakdown, when asked for, is read on the same snapshot.
    public func movementReport(pipeline: Int64?, since: Timestamp?, until: Timestamp?, breakdown: Bool) throws
        -> MovementReport
    {
        // ?1 the pipeline, ?2 and ?3 the period, ?4 the kind of timeline entry. Each query is written out in
        // full: SQL text is never pieced together.
        let period: [SQLiteValue] = [SQLiteValue(pipeline), SQLiteValue(since?.milliseconds), SQLiteValue(until?.milliseconds)]
        let stageChanges = period + [.text(TimelineKind.stageChanged)]
        return try readSnapshot {
            var report = MovementReport()
            try db.cached(
                """
                SELECT m.trigger, tr.name, tr.code, m.moves
                FROM (SELECT json_extract(t.details, '$.trigger') AS trigger, count(*) AS moves
                      FROM timeline t JOIN elements e ON e.id = t.element
                      WHERE t.kind = ?4 AND (?1 IS NULL OR e.pipeline = ?1) AND (?2 IS NULL OR t.at >= ?2)
                        AND (?3 IS NULL OR t.at < ?3)
                      GROUP BY 1) m
                LEFT JOIN triggers tr ON tr.id = m.trigger
                ORDER BY m.moves DESC, m.trigger
                """
            ).forEachRow(stageChanges) { row in
                guard let trigger = row.optionalInt64(0) else {
                    report.manualMoves = Int(row.int64(3))
                    return
                }
                report.byTrigger.append(
                    MovementReport.TriggerMoves(trigger: trigger, name: row.text(1), code: row.text(2), moves: Int(row.int64(3))))
            }
            report.byStage = try db.cached(
                """
                SELECT e.pipeline, json_extract(t.details, '$.from'), json_extract(t.details, '$.to'), count(*)
                FROM timeline t JOIN elements e ON e.id = t.element
                WHERE t.kind = ?4 AND (?1 IS NULL OR e.pipeline = ?1) AND (?2 IS NULL OR t.at >= ?2)
                  AND (?3 IS NULL OR t.at < ?3)
                GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3
                """
            ).rows(stageChanges) {
                MovementReport.StageMoves(pipeline: $0.int64(0), from: $0.string(1), to: $0.string(2), moves: Int($0.int64(3)))
            }
            report.events = try db.cached(
                """
                SELECT v.type, count(*) FROM events v JOIN elements e ON e.id = v.element
                WHERE (?1 IS NULL OR e.pipeline = ?1) AND (?2 IS NULL OR v.at >= ?2) AND (?3 IS NULL OR v.at < ?3)
                GROUP BY 1 ORDER BY 2 DESC, 1
                """
            ).rows(period) { MovementReport.TypeCount(type: $0.string(0), events: Int($0.int64(1))) }
            report.createdByStage = try db.cached(
                """
                SELECT e.pipeline, json_extract(t.details, '$.stage'), count(*)
                FROM timeline t JOIN elements e ON e.id = t.element
                WHERE t.kind = ?4 AND (?1 IS NULL OR e.pipeline = ?1) AND (?2 IS NULL OR t.at >= ?2)
                  AND (?3 IS NULL OR t.at < ?3)
                GROUP BY 1, 2 ORDER BY 1, 2
                """
            ).rows(period + [.text(TimelineKind.created)]) {
                MovementReport.CreatedInStage(pipeline: $0.int64(0), stage: $0.string(1), created: Int($0.int64(2)))
            }
            report.created = report.createdByStage.reduce(0) { $0 + $1.created }
            try db.cached(
                """
                SELECT s.semantic, count(DISTINCT t.element)
                FROM timeline t JOIN elements e ON e.id = t.element
                JOIN stages s ON s.pipeline = e.pipeline AND s.code = json_extract(t.details, '$.to')
                WHERE t.kind = ?4 AND (?1 IS NULL OR e.pipeline = ?1) AND (?2 IS NULL OR t.at >= ?2)
                  AND (?3 IS NULL OR t.at < ?3) AND s.semantic != 'process'
                GROUP BY 1
                """
            ).forEachRow(stageChanges) { row in
                if row.string(0) == StageSemantic.success.rawValue { report.reachedSuccess = Int(row.int64(1)) }
                if row.string(0) == StageSemantic.failure.rawValue { report.reachedFailure = Int(row.int64(1)) }
            }
            if breakdown { report.breakdown = try reportBreakdown(period) }
            return report
        }
    }
}
