import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    /// The pipeline's stages in order with their element counts and their `newest` newest elements, each with
    /// the time it entered its stage.
    public func board(of pipeline: Pipeline, newest: Int) throws -> [BoardColumn] {
        try readSnapshot {
            var counts: [String: Int] = [:]
            try db.cached("SELECT stage, count(*) FROM elements WHERE pipeline = ? GROUP BY stage")
                .forEachRow([.integer(pipeline.id)]) { counts[$0.string(0)] = Int($0.int64(1)) }
            return try pipeline.stages.map { stage in
                let cards = try db.cached(
                    built: "SELECT \(SQLiteStore.elementColumns) FROM elements WHERE pipeline = ?1 AND stage = ?2 ORDER BY id DESC LIMIT ?3"
                ).rows([.integer(pipeline.id), .text(stage.code), .integer(Int64(newest))], SQLiteStore.element)
                    .map { BoardCard(element: $0, inStageSince: try enteredStage($0)) }
                return BoardColumn(stage: stage, count: counts[stage.code] ?? 0, newest: cards)
            }
        }
    }

    /// The entry into the element's current stage: its last creation or stage change entry, found walking its
    /// timeline back from the newest entry (entries are appended as things happen); an element written
    /// without one (only a store's own tests do that) has been in its stage since its creation.
    private func enteredStage(_ element: Element) throws -> Timestamp {
        let at = try db.scalarInt64(
            """
            WITH RECURSIVE chain (kind, at, previous) AS (
              SELECT t.kind, t.at, t.previous FROM timeline_heads h JOIN timeline t ON t.id = h.last WHERE h.element = ?1
              UNION ALL SELECT t.kind, t.at, t.previous FROM chain c JOIN timeline t ON t.id = c.previous
              WHERE c.kind NOT IN (?2, ?3))
            SELECT at FROM chain WHERE kind IN (?2, ?3) LIMIT 1
            """, [.integer(element.id), .text(TimelineKind.created), .text(TimelineKind.stageChanged)])
        return at.map(Timestamp.init(milliseconds:)) ?? element.createdAt
    }
}
