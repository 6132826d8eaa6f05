import CRMCore
import SQLiteDB

extension Store {
    static let triggerColumns =
        "id, name, code, pipeline, stage, as_user, allow_backwards, settings, conditions, enabled"

    /// Adds a trigger after checking its code's settings and its stage; `trigger.id` is ignored.
    public func addTrigger(_ trigger: Trigger, pipelineName: String) throws -> Trigger {
        do {
            try trigger.settings.validate(for: trigger.code)
        } catch {
            throw CRMError.invalid(error.message)
        }
        return try write {
            var trigger = trigger
            trigger.asUser = trigger.asUser.userName
            let pipeline = try self.pipeline(named: pipelineName)
            guard pipeline.stage(trigger.stage) != nil else {
                throw CRMError.notFound("pipeline \(pipeline.id) has no stage \(trigger.stage)")
            }
            trigger.pipeline = pipeline.id
            if trigger.name.isEmpty { trigger.name = "\(trigger.code.rawValue) → \(trigger.stage)" }
            try db.run(
                """
                INSERT INTO triggers (name, code, pipeline, stage, as_user, allow_backwards, settings, conditions, enabled)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(trigger.name), .text(trigger.code.rawValue), .integer(pipeline.id), .text(trigger.stage),
                 SQLiteValue(trigger.asUser), SQLiteValue(trigger.allowBackwards),
                 .text(JSONWriter.serialize(trigger.settings.json)),
                 .text(JSONWriter.serialize(.array(trigger.conditions.map(Store.conditionJSON)))),
                 SQLiteValue(trigger.enabled)])
            trigger.id = db.lastInsertedRowID
            return trigger
        }
    }

    public func trigger(id: Int64) throws -> Trigger {
        guard
            let trigger = try db.cached("SELECT \(Store.triggerColumns) FROM triggers WHERE id = ?")
                .firstRow([.integer(id)], Store.trigger)
        else { throw CRMError.notFound("trigger \(id) does not exist") }
        return trigger
    }

    public func triggers(pipeline: Int64?, code: TriggerCode?) throws -> [Trigger] {
        try db.cached(
            """
            SELECT \(Store.triggerColumns) FROM triggers
            WHERE (?1 IS NULL OR pipeline = ?1) AND (?2 IS NULL OR code = ?2) ORDER BY id
            """
        ).rows([SQLiteValue(pipeline), SQLiteValue(code?.rawValue)], Store.trigger)
    }

    /// The pipeline's triggers with one of `codes`, for the engine. Each (pipeline, code) is read once per
    /// write transaction, so a batch does not read or copy every trigger for every event, and a single
    /// event reads only the codes it signals.
    func engineTriggers(pipeline: Int64, codes: [TriggerCode]) throws -> [Trigger] {
        var found: [Trigger] = []
        for code in codes {
            if let cached = triggerCache[pipeline]?[code] {
                found += cached
                continue
            }
            let triggers = try self.triggers(pipeline: pipeline, code: code)
            triggerCache[pipeline, default: [:]][code] = triggers
            found += triggers
        }
        return found
    }

    /// Forgets cached pipelines and triggers: another process may have changed them between transactions.
    func forgetCachedModel() {
        triggerCache.removeAll(keepingCapacity: true)
        pipelineCache.removeAll(keepingCapacity: true)
    }

    public func removeTrigger(id: Int64) throws -> Trigger {
        try write {
            let trigger = try self.trigger(id: id)
            try db.run("DELETE FROM triggers WHERE id = ?", [.integer(id)])
            return trigger
        }
    }

    public func setTrigger(id: Int64, enabled: Bool) throws -> Trigger {
        try write {
            _ = try self.trigger(id: id)
            try db.run("UPDATE triggers SET enabled = ? WHERE id = ?", [SQLiteValue(enabled), .integer(id)])
            return try self.trigger(id: id)
        }
    }

    static func conditionJSON(_ condition: Condition) -> JSONValue {
        ["field": .string(condition.field), "op": .string(condition.op.rawValue), "value": .string(condition.value)]
    }

    static func trigger(_ row: Row) -> Trigger {
        let conditions = (try? JSONParser.parse(row.string(8)))?.arrayValue?.compactMap { value -> Condition? in
            guard let object = value.objectValue, let field = object["field"]?.stringValue,
                let op = object["op"]?.stringValue.flatMap(Condition.Operator.init(rawValue:)),
                let text = object["value"]?.stringValue
            else { return nil }
            return Condition(field: field, op: op, value: text)
        }
        return Trigger(
            id: row.int64(0), name: row.string(1), code: TriggerCode(rawValue: row.string(2)) ?? .custom,
            pipeline: row.int64(3), stage: row.string(4), asUser: row.text(5), allowBackwards: row.bool(6),
            settings: TriggerSettings(json: (try? JSONParser.parse(row.string(7))) ?? .null),
            conditions: conditions ?? [], enabled: row.bool(9))
    }
}
