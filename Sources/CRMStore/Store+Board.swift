import CRMCore
import SQLiteDB

/// One stage of a pipeline's board: how many elements it holds and the newest of them.
public struct BoardColumn: Sendable {
    public var stage: Stage
    public var count: Int
    /// The newest elements in the stage (highest ids first).
    public var newest: [Element]
}

extension Store {
    /// The pipeline's stages in order with their element counts and their `newest` newest elements.
    public func board(of pipeline: Pipeline, newest: Int) throws -> [BoardColumn] {
        try readSnapshot {
            var counts: [String: Int] = [:]
            try db.cached("SELECT stage, count(*) FROM elements WHERE pipeline = ? GROUP BY stage")
                .forEachRow([.integer(pipeline.id)]) { counts[$0.string(0)] = Int($0.int64(1)) }
            return try pipeline.stages.map { stage in
                let elements = try db.cached(
                    "SELECT \(Store.elementColumns) FROM elements WHERE pipeline = ? AND stage = ? ORDER BY id DESC LIMIT ?"
                ).rows([.integer(pipeline.id), .text(stage.code), .integer(Int64(newest))], Store.element)
                return BoardColumn(stage: stage, count: counts[stage.code] ?? 0, newest: elements)
            }
        }
    }
}
