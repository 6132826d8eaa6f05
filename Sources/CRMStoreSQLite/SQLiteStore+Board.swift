import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    /// The pipeline's stages in order with their element counts and their `newest` newest elements.
    public func board(of pipeline: Pipeline, newest: Int) throws -> [BoardColumn] {
        try readSnapshot {
            var counts: [String: Int] = [:]
            try db.cached("SELECT stage, count(*) FROM elements WHERE pipeline = ? GROUP BY stage")
                .forEachRow([.integer(pipeline.id)]) { counts[$0.string(0)] = Int($0.int64(1)) }
            return try pipeline.stages.map { stage in
                let elements = try db.cached(
                    "SELECT \(SQLiteStore.elementColumns) FROM elements WHERE pipeline = ? AND stage = ? ORDER BY id DESC LIMIT ?"
                ).rows([.integer(pipeline.id), .text(stage.code), .integer(Int64(newest))], SQLiteStore.element)
                return BoardColumn(stage: stage, count: counts[stage.code] ?? 0, newest: elements)
            }
        }
    }
}
