import CRMCore
import SQLiteDB

extension Store {
    /// The pipeline a command names: `lead` or `deal` for the type's first pipeline, a number for an id.
    public func pipeline(named name: String) throws -> Pipeline {
        if let type = EntityType(rawValue: name) {
            guard let id = try db.scalarInt64("SELECT min(id) FROM pipelines WHERE type = ?", [.text(type.rawValue)])
            else { throw CRMError.notFound("there is no \(type.rawValue) pipeline") }
            return try pipeline(id: id)
        }
        if let id = Int64(name), id > 0 { return try pipeline(id: id) }
        // Beyond SPEC: a pipeline's own name works too, when it is unambiguous.
        let named = try db.cached("SELECT id FROM pipelines WHERE name = ? ORDER BY id LIMIT 2").rows([.text(name)]) {
            $0.int64(0)
        }
        guard named.count == 1 else {
            throw CRMError.notFound(
                named.isEmpty
                    ? "there is no pipeline \"\(name)\" (name one by lead, deal, its id or its name)"
                    : "more than one pipeline is named \"\(name)\": name it by its id")
        }
        return try pipeline(id: named[0])
    }

    public func pipeline(id: Int64) throws -> Pipeline {
        if let cached = pipelineCache[id] { return cached }
        guard
            let (type, name) = try db.cached("SELECT type, name FROM pipelines WHERE id = ?").firstRow([.integer(id)], {
                ($0.string(0), $0.string(1))
            })
        else { throw CRMError.notFound("pipeline \(id) does not exist") }
        let stages = try db.cached(
            "SELECT code, name, semantic FROM stages WHERE pipeline = ? ORDER BY position"
        ).rows([.integer(id)]) {
            Stage(code: $0.string(0), name: $0.string(1), semantic: StageSemantic(rawValue: $0.string(2)) ?? .process)
        }
        let pipeline = Pipeline(id: id, type: EntityType(rawValue: type) ?? .deal, name: name, stages: stages)
        pipelineCache[id] = pipeline
        return pipeline
    }

    public func pipelines(type: EntityType?) throws -> [Pipeline] {
        let ids = try db.cached("SELECT id FROM pipelines WHERE ?1 IS NULL OR type = ?1 ORDER BY id")
            .rows([SQLiteValue(type?.rawValue)]) { $0.int64(0) }
        return try ids.map { try pipeline(id: $0) }
    }

    /// Creates a deal pipeline; leads have exactly one.
    public func createPipeline(type: EntityType, name: String, stages: [Stage]) throws -> Pipeline {
        guard type == .deal else { throw CRMError.invalid("leads have one pipeline; only deals may have more") }
        guard !name.isEmpty else { throw CRMError.invalid("a pipeline needs a name") }
        try validate(stages)
        return try write {
            try db.run("INSERT INTO pipelines (type, name) VALUES (?, ?)", [.text(type.rawValue), .text(name)])
            let id = db.lastInsertedRowID
            try writeStages(stages, pipeline: id)
            return try pipeline(id: id)
        }
    }

    /// Adds a stage after `after`, else after the last process stage (process) or at the end (success, failure).
    public func addStage(_ stage: Stage, to pipelineName: String, after: String?) throws -> Pipeline {
        try write {
            let current = try pipeline(named: pipelineName)
            var stages = current.stages
            guard current.stage(stage.code) == nil else {
                throw CRMError.invalid("pipeline \(current.id) already has a stage \(stage.code)")
            }
            let index: Int
            if let after {
                guard let position = current.position(of: after) else {
                    throw CRMError.notFound("pipeline \(current.id) has no stage \(after)")
                }
                index = position + 1
            } else if stage.semantic == .process {
                index = (stages.lastIndex { $0.semantic == .process } ?? -1) + 1
            } else {
                index = stages.count
            }
            stages.insert(stage, at: index)
            try validate(stages)
            try writeStages(stages, pipeline: current.id)
            pipelineCache[current.id] = nil
            return try pipeline(id: current.id)
        }
    }

    private func validate(_ stages: [Stage]) throws {
        do {
            try Pipeline.validate(stages: stages)
        } catch {
            throw CRMError.invalid(error.message)
        }
    }

    /// Writes every stage with its position; existing stages keep their row and get the new position.
    private func writeStages(_ stages: [Stage], pipeline: Int64) throws {
        for (offset, stage) in stages.enumerated() {
            try db.run(
                """
                INSERT INTO stages (pipeline, position, code, name, semantic) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (pipeline, code) DO UPDATE SET position = excluded.position
                """,
                [.integer(pipeline), .integer(Int64(offset + 1)), .text(stage.code), .text(stage.name),
                 .text(stage.semantic.rawValue)])
        }
    }
}
