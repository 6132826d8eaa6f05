import CRMCore
import CRMStorage
import JSON
import SQLiteDB

extension SQLiteStore {
    static let triggerColumns =
        "id, name, code, pipeline, stage, as_user, allow_backwards, settings, conditions, enabled"

    public func insertTrigger(_ trigger: Trigger) throws -> Int64 {
        try db.run(
            """
            INSERT INTO triggers (name, code, pipeline, stage, as_user, allow_backwards, settings, conditions, enabled)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(trigger.name), .text(trigger.code.rawValue), .integer(trigger.pipeline), .text(trigger.stage),
             SQLiteValue(trigger.asUser), SQLiteValue(trigger.allowBackwards),
             .text(JSONWriter.serialize(trigger.settings.json)),
             .text(StoredConditions.text(trigger.conditions)),
             SQLiteValue(trigger.enabled)])
        return db.lastInsertedRowID
    }

    public func findTrigger(id: Int64) throws -> Trigger? {
        try db.cached(built: "SELECT \(SQLiteStore.triggerColumns) FROM triggers WHERE id = ?")
            .firstRow([.integer(id)], SQLiteStore.trigger)
    }

    public func triggers(pipeline: Int64?, code: TriggerCode?) throws -> [Trigger] {
        try db.cached(
            built: """
            SELECT \(SQLiteStore.triggerColumns) FROM triggers
            WHERE (?1 IS NULL OR pipeline = ?1) AND (?2 IS NULL OR code = ?2) ORDER BY id
            """
        ).rows([SQLiteValue(pipeline), SQLiteValue(code?.rawValue)], SQLiteStore.trigger)
    }

    public func triggerLabel(id: Int64) throws -> TriggerLabel? {
        try db.cached(
            "SELECT name, stage FROM triggers WHERE id = ?1 UNION ALL SELECT name, stage FROM removed_triggers WHERE id = ?1"
        ).firstRow([.integer(id)]) { TriggerLabel(name: $0.string(0), stage: $0.string(1)) }
    }

    /// Each (pipeline, code) is read once per write transaction, so a batch does not read or copy every
    /// trigger for every event, and a single event reads only the codes it signals.
    public func engineTriggers(pipeline: Int64, codes: [TriggerCode]) throws -> [Trigger] {
        var found: [Trigger] = []
        for code in codes {
            let triggers: [Trigger]
            if let cached = triggerCache[pipeline]?[code] {
                triggers = cached
            } else {
                triggers = try self.triggers(pipeline: pipeline, code: code)
                triggerCache[pipeline, default: [:]][code] = triggers
            }
            // An event mostly signals one code: its triggers are the cached array itself, not a copy.
            if found.isEmpty { found = triggers } else { found += triggers }
        }
        return found
    }

    /// Forgets cached pipelines and triggers: another process may have changed them between transactions.
    func forgetCachedModel() {
        triggerCache.removeAll(keepingCapacity: true)
        pipelineCache.removeAll(keepingCapacity: true)
    }

    /// The trigger's name and stage stay in `removed_triggers`: stored verdicts name triggers by id.
    public func deleteTrigger(id: Int64) throws {
        try db.run("INSERT INTO removed_triggers (id, name, stage) SELECT id, name, stage FROM triggers WHERE id = ?", [.integer(id)])
        try db.run("DELETE FROM triggers WHERE id = ?", [.integer(id)])
        triggerCache.removeAll(keepingCapacity: true)
    }

    public func setTrigger(id: Int64, enabled: Bool) throws {
        try db.run("UPDATE triggers SET enabled = ? WHERE id = ?", [SQLiteValue(enabled), .integer(id)])
        triggerCache.removeAll(keepingCapacity: true)
    }

    static func trigger(_ row: Row) -> Trigger {
        Trigger(
            id: row.int64(0), name: row.string(1), code: TriggerCode(rawValue: row.string(2)) ?? .custom,
            pipeline: row.int64(3), stage: row.string(4), asUser: row.text(5), allowBackwards: row.bool(6),
            settings: TriggerSettings(json: (try? JSONParser.parse(row.string(7))) ?? .null),
            conditions: StoredConditions.conditions(row.string(8)), enabled: row.bool(9))
    }
}
