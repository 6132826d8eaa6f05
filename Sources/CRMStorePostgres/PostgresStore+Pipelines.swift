import CRMCore
import CRMStorage
import PostgresDB

extension PostgresStore {
    public func findPipeline(id: Int64) throws -> Pipeline? {
        if let cached = pipelineCache[id] { return cached }
        guard
            let (type, name) = try db.firstRow("SELECT type, name FROM pipelines WHERE id = $1", [.integer(id)], {
                ($0.string(0), $0.string(1))
            })
        else { return nil }
        let stages = try db.rows(
            "SELECT code, name, semantic FROM stages WHERE pipeline = $1 ORDER BY position", [.integer(id)]
        ) {
            Stage(code: $0.string(0), name: $0.string(1), semantic: StageSemantic(rawValue: $0.string(2)) ?? .process)
        }
        let pipeline = Pipeline(id: id, type: EntityType(rawValue: type) ?? .deal, name: name, stages: stages)
        pipelineCache[id] = pipeline
        return pipeline
    }

    public func pipelineIDs(type: EntityType?) throws -> [Int64] {
        try db.rows("SELECT id FROM pipelines WHERE $1::text IS NULL OR type = $1 ORDER BY id", [
            PostgresValue(type?.rawValue)
        ]) { $0.int64(0) }
    }

    public func pipelineIDs(named name: String) throws -> [Int64] {
        try db.rows("SELECT id FROM pipelines WHERE name = $1 ORDER BY id", [.text(name)]) { $0.int64(0) }
    }

    public func insertPipeline(type: EntityType, name: String) throws -> Int64 {
        try db.scalarInt64(
            "INSERT INTO pipelines (type, name) VALUES ($1, $2) RETURNING id", [.text(type.rawValue), .text(name)]) ?? 0
    }

    public func writeStages(_ stages: [Stage], pipeline: Int64) throws {
        for (offset, stage) in stages.enumerated() {
            try db.run(
                """
                INSERT INTO stages (pipeline, position, code, name, semantic) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (pipeline, code) DO UPDATE SET position = excluded.position
                """,
                [.integer(pipeline), .integer(Int64(offset + 1)), .text(stage.code), .text(stage.name),
                 .text(stage.semantic.rawValue)])
        }
        pipelineCache[pipeline] = nil
    }
}
