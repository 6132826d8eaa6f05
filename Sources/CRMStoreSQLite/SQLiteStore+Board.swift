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
                // The entry into the current stage is the element's last creation or stage change entry (by id:
                // entries are appended as things happen); an element written without one (only a store's own
                // tests do that) has been in its stage since its creation.
                let cards = try db.cached(
                    """
                    SELECT \(SQLiteStore.elementColumns),
                           coalesce((SELECT t.at FROM timeline t WHERE t.element = elements.id AND t.kind IN (?4, ?5)
                                     ORDER BY t.id DESC LIMIT 1), created_at)
                    FROM elements WHERE pipeline = ?1 AND stage = ?2 ORDER BY id DESC LIMIT ?3
                    """
                ).rows(
                    [.integer(pipeline.id), .text(stage.code), .integer(Int64(newest)), .text(TimelineKind.created),
                     .text(TimelineKind.stageChanged)]
                ) { row in
                    BoardCard(element: SQLiteStore.element(row), inStageSince: Timestamp(milliseconds: row.int64(SQLiteStore.elementColumnCount)))
                }
                return BoardColumn(stage: stage, count: counts[stage.code] ?? 0, newest: cards)
            }
        }
    }
}
