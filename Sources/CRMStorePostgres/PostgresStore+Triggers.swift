import CRMCore
import CRMStorage
import JSON
import PostgresDB

extension PostgresStore {
    static let triggerColumns =
        "id, name, code, pipeline, stage, as_user, allow_backwards, settings, conditions, enabled"

    /// The id comes from the table's sequence: a removed trigger's id is never given again.
    public func insertTrigger(_ trigger: Trigger) throws -> Int64 {
        try db.scalarInt64(
            """
            INSERT INTO triggers (name, code, pipeline, stage, as_user, allow_backwards, settings, conditions, enabled)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            RETURNING id
            """,
            [.text(trigger.name), .text(trigger.code.rawValue), .integer(trigger.pipeline), .text(trigger.stage),
             PostgresValue(trigger.asUser), PostgresValue(flag: trigger.allowBackwards),
             .text(JSONWriter.serialize(trigger.settings.json)), .text(StoredConditions.text(trigger.conditions)),
             PostgresValue(flag: trigger.enabled)]) ?? 0
    }

    public func findTrigger(id: Int64) throws -> Trigger? {
        try db.firstRow(
            "SELECT \(PostgresStore.triggerColumns) FROM triggers WHERE id = $1", [.integer(id)], PostgresStore.trigger)
    }

    public func triggers(pipeline: Int64?, code: TriggerCode?) throws -> [Trigger] {
        try db.rows(
            """
            SELECT \(PostgresStore.triggerColumns) FROM triggers
            WHERE ($1::bigint IS NULL OR pipeline = $1) AND ($2::text IS NULL OR code = $2) ORDER BY id
            """, [PostgresValue(pipeline), PostgresValue(code?.rawValue)], PostgresStore.trigger)
    }

    /// Each (pipeline, code) is read once per write transaction, so a batch does not read every trigger for
    /// every event, and a single event reads only the codes it signals.
    public func engineTriggers(pipeline: Int64, codes: [TriggerCode]) throws -> [Trigger] {
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

    /// The trigger's name and stage stay in `removed_triggers`: stored verdicts name triggers by id.
    public func deleteTrigger(id: Int64) throws {
        try db.run(
            "INSERT INTO removed_triggers (id, name, stage) SELECT id, name, stage FROM triggers WHERE id = $1",
            [.integer(id)])
        try db.run("DELETE FROM triggers WHERE id = $1", [.integer(id)])
        triggerCache.removeAll(keepingCapacity: true)
    }

    public func setTrigger(id: Int64, enabled: Bool) throws {
        try db.run("UPDATE triggers SET enabled = $1 WHERE id = $2", [PostgresValue(flag: enabled), .integer(id)])
        triggerCache.removeAll(keepingCapacity: true)
    }

    static func trigger(_ row: PostgresRow) -> Trigger {
        Trigger(
            id: row.int64(0), name: row.string(1), code: TriggerCode(rawValue: row.string(2)) ?? .custom,
            pipeline: row.int64(3), stage: row.string(4), asUser: row.text(5), allowBackwards: row.int64(6) != 0,
            settings: TriggerSettings(json: (try? JSONParser.parse(row.string(7))) ?? .null),
            conditions: StoredConditions.conditions(row.string(8)), enabled: row.int64(9) != 0)
    }
}
