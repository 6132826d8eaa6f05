import CRMCore
import CRMStorage
import PostgresDB

extension PostgresStore {
    /// The report for `pipeline` (nil: every pipeline) over `since` (inclusive) to `until` (exclusive); a
    /// missing bound leaves that side open. The breakdown, when asked for, is read on the same snapshot.
    /// Stage codes and event types are ordered byte by byte (`COLLATE "C"`), as SQLite orders text, whatever
    /// the database's collation. The figures are a few grouped rows each: they come back whole (`rows`), where a
    /// cursor would only add round trips.
    public func movementReport(pipeline: Int64?, since: Timestamp?, until: Timestamp?, breakdown: Bool) throws
        -> MovementReport
    {
        // $1 the pipeline, $2 and $3 the period, $4 the kind of timeline entry. Each query is written out in
        // full: SQL text is never pieced together.
        let period = [PostgresValue(pipeline), PostgresValue(since?.milliseconds), PostgresValue(until?.milliseconds)]
        let stageChanges = period + [.text(TimelineKind.stageChanged)]
        return try readSnapshot {
            var report = MovementReport()
            let triggerMoves = try db.rows(
                """
                SELECT m.trigger, tr.name, tr.code, m.moves
                FROM (SELECT (t.details::jsonb ->> 'trigger')::bigint AS trigger, count(*) AS moves
                      FROM timeline t JOIN elements e ON e.id = t.element
                      WHERE t.kind = $4 AND ($1::bigint IS NULL OR e.pipeline = $1)
                        AND ($2::bigint IS NULL OR t.at >= $2) AND ($3::bigint IS NULL OR t.at < $3)
                      GROUP BY 1) m
                LEFT JOIN triggers tr ON tr.id = m.trigger
                ORDER BY m.moves DESC, m.trigger NULLS FIRST
                """, stageChanges
            ) { (trigger: $0.optionalInt64(0), name: $0.text(1), code: $0.text(2), moves: Int($0.int64(3))) }
            for row in triggerMoves {
                guard let trigger = row.trigger else {
                    report.manualMoves = row.moves
                    continue
                }
                report.byTrigger.append(
                    MovementReport.TriggerMoves(trigger: trigger, name: row.name, code: row.code, moves: row.moves))
            }
            report.byStage = try db.rows(
                """
                SELECT e.pipeline, (t.details::jsonb ->> 'from') COLLATE "C", (t.details::jsonb ->> 'to') COLLATE "C",
                       count(*)
                FROM timeline t JOIN elements e ON e.id = t.element
                WHERE t.kind = $4 AND ($1::bigint IS NULL OR e.pipeline = $1)
                  AND ($2::bigint IS NULL OR t.at >= $2) AND ($3::bigint IS NULL OR t.at < $3)
                GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3
                """, stageChanges
            ) {
                MovementReport.StageMoves(pipeline: $0.int64(0), from: $0.string(1), to: $0.string(2), moves: Int($0.int64(3)))
            }
            report.events = try db.rows(
                """
                SELECT v.type COLLATE "C", count(*) FROM events v JOIN elements e ON e.id = v.element
                WHERE ($1::bigint IS NULL OR e.pipeline = $1) AND ($2::bigint IS NULL OR v.at >= $2)
                  AND ($3::bigint IS NULL OR v.at < $3)
                GROUP BY 1 ORDER BY 2 DESC, 1
                """, period
            ) { MovementReport.TypeCount(type: $0.string(0), events: Int($0.int64(1))) }
            report.createdByStage = try db.rows(
                """
                SELECT e.pipeline, (t.details::jsonb ->> 'stage') COLLATE "C", count(*)
                FROM timeline t JOIN elements e ON e.id = t.element
                WHERE t.kind = $4 AND ($1::bigint IS NULL OR e.pipeline = $1)
                  AND ($2::bigint IS NULL OR t.at >= $2) AND ($3::bigint IS NULL OR t.at < $3)
                GROUP BY 1, 2 ORDER BY 1, 2
                """, period + [.text(TimelineKind.created)]
            ) { MovementReport.CreatedInStage(pipeline: $0.int64(0), stage: $0.string(1), created: Int($0.int64(2))) }
            report.created = report.createdByStage.reduce(0) { $0 + $1.created }
            let reached = try db.rows(
                """
                SELECT s.semantic, count(DISTINCT t.element)
                FROM timeline t JOIN elements e ON e.id = t.element
                JOIN stages s ON s.pipeline = e.pipeline AND s.code = t.details::jsonb ->> 'to'
                WHERE t.kind = $4 AND ($1::bigint IS NULL OR e.pipeline = $1)
                  AND ($2::bigint IS NULL OR t.at >= $2) AND ($3::bigint IS NULL OR t.at < $3)
                  AND s.semantic != 'process'
                GROUP BY 1
                """, stageChanges
            ) { ($0.string(0), Int($0.int64(1))) }
            for (semantic, elements) in reached {
                if semantic == StageSemantic.success.rawValue { report.reachedSuccess = elements }
                if semantic == StageSemantic.failure.rawValue { report.reachedFailure = elements }
            }
            if breakdown { report.breakdown = try reportBreakdown(period) }
            return report
        }
    }
}
