import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    public func findPipeline(id: Int64) throws -> Pipeline? {
        if let cached = pipelineCache[id] { return cached }
        guard
            let (type, name) = try db.cached("SELECT type, name FROM pipelines WHERE id = ?").firstRow([.integer(id)], {
                ($0.string(0), $0.string(1))
            })
        else { return nil }
        let stages = try db.cached(
            "SELECT code, name, semantic FROM stages WHERE pipeline = ? ORDER BY position"
        ).rows([.integer(id)]) {
            Stage(code: $0.string(0), name: $0.string(1), semantic: StageSemantic(rawValue: $0.string(2)) ?? .process)
        }
        let pipeline = Pipeline(id: id, type: EntityType(rawValue: type) ?? .deal, name: name, stages: stages)
        pipelineCache[id] = pipeline
        return pipeline
    }

    public func pipelineIDs(type: EntityType?) throws -> [Int64] {
        try db.cached("SELECT id FROM pipelines WHERE ?1 IS NULL OR type = ?1 ORDER BY id")
            .rows([SQLiteValue(type?.rawValue)]) { $0.int64(0) }
    }

    public func pipelineIDs(named name: String) throws -> [Int64] {
        try db.cached("SELECT id FROM pipelines WHERE name = ? ORDER BY id").rows([.text(name)]) { $0.int64(0) }
    }

    public func insertPipeline(type: EntityType, name: String) throws -> Int64 {
        try db.run("INSERT INTO pipelines (type, name) VALUES (?, ?)", [.text(type.rawValue), .text(name)])
        return db.lastInsertedRowID
    }

    public func writeStages(_ stages: [Stage], pipeline: Int64) throws {
        for (offset, stage) in stages.enumerated() {
            try db.run(
                """
                INSERT INTO stages (pipeline, position, code, name, semantic) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (pipeline, code) DO UPDATE SET position = excluded.position
                """,
                [.integer(pipeline), .integer(Int64(offset + 1)), .text(stage.code), .text(stage.name),
                 .text(stage.semantic.rawValue)])
        }
        pipelineCache[pipeline] = nil
    }
}
