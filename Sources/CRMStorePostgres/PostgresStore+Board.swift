import CRMCore
import CRMStorage
import PostgresDB

extension PostgresStore {
    /// The pipeline's stages in order with their element counts and their `newest` newest elements, each with
    /// the time it entered its stage.
    public func board(of pipeline: Pipeline, newest: Int) throws -> [BoardColumn] {
        try readSnapshot {
            let counts = Dictionary(
                uniqueKeysWithValues: try db.rows(
                    "SELECT stage, count(*) FROM elements WHERE pipeline = $1 GROUP BY stage", [.integer(pipeline.id)]
                ) { ($0.string(0), Int($0.int64(1))) })
            return try pipeline.stages.map { stage in
                let cards = try newestCards(pipeline: pipeline.id, stage: stage.code, newest: newest)
                return BoardColumn(stage: stage, count: counts[stage.code] ?? 0, newest: cards)
            }
        }
    }

    /// The stage's newest elements, highest id first. The entry into the element's current stage is its last
    /// creation or stage change entry, found walking its timeline back from the newest entry (entries are
    /// appended as things happen); an element written without one (only a store's own tests do that) has
    /// been in its stage since its creation. The elements themselves are read by `findElement`, the one place
    /// that maps an element's row.
    private func newestCards(pipeline: Int64, stage: String, newest: Int) throws -> [BoardCard] {
        let entered = try db.rows(
            """
            SELECT e.id, (
              WITH RECURSIVE back (kind, at, previous) AS (
                SELECT t.kind, t.at, t.previous FROM timeline_heads h JOIN timeline t ON t.id = h.last
                WHERE h.element = e.id
                UNION ALL
                SELECT t.kind, t.at, t.previous FROM back b JOIN timeline t ON t.id = b.previous
                WHERE b.kind NOT IN ($4, $5))
              SELECT at FROM back WHERE kind IN ($4, $5) LIMIT 1)
            FROM elements e WHERE e.pipeline = $1 AND e.stage = $2 ORDER BY e.id DESC LIMIT $3
            """,
            [.integer(pipeline), .text(stage), .integer(Int64(newest)), .text(TimelineKind.created),
             .text(TimelineKind.stageChanged)]
        ) { (id: $0.int64(0), at: $0.optionalInt64(1)) }
        return try entered.compactMap { card in
            try findElement(id: card.id).map {
                BoardCard(element: $0, inStageSince: card.at.map(Timestamp.init(milliseconds:)) ?? $0.createdAt)
            }
        }
    }
}
