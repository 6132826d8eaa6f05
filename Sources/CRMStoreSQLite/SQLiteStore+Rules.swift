import CRMCore
import CRMStorage
import JSON
import SQLiteDB

extension SQLiteStore {
    static let ruleColumns = "id, name, pipeline, stage, action, options, timing, conditions, as_user, enabled"

    public func insertRule(_ rule: Rule) throws -> Int64 {
        try db.run(
            """
            INSERT INTO rules (name, pipeline, stage, action, options, timing, conditions, as_user, enabled)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(rule.name), .integer(rule.pipeline), .text(rule.stage), .text(rule.action.rawValue),
             .text(JSONWriter.serialize(rule.options.json)), .text(JSONWriter.serialize(rule.timing.json)),
             .text(StoredConditions.text(rule.conditions)),
             SQLiteValue(rule.asUser), SQLiteValue(rule.enabled)])
        ruleCache.removeAll(keepingCapacity: true)
        return db.lastInsertedRowID
    }

    public func findRule(id: Int64) throws -> Rule? {
        try db.cached(built: "SELECT \(SQLiteStore.ruleColumns) FROM rules WHERE id = ?").firstRow([.integer(id)], SQLiteStore.rule)
    }

    public func rules(pipeline: Int64?, stage: String?) throws -> [Rule] {
        try db.cached(
            built: """
            SELECT \(SQLiteStore.ruleColumns) FROM rules
            WHERE (?1 IS NULL OR pipeline = ?1) AND (?2 IS NULL OR stage = ?2) ORDER BY id
            """
        ).rows([SQLiteValue(pipeline), SQLiteValue(stage)], SQLiteStore.rule)
    }

    /// Read once per stage and write transaction: every stage entry of a batch asks.
    public func enabledRules(pipeline: Int64, stage: String) throws -> [Rule] {
        let key = "\(pipeline)/\(stage)"
        if let cached = ruleCache[key] { return cached }
        let rules = try db.cached(
            built: "SELECT \(SQLiteStore.ruleColumns) FROM rules WHERE pipeline = ? AND stage = ? AND enabled ORDER BY id"
        ).rows([.integer(pipeline), .text(stage)], SQLiteStore.rule)
        ruleCache[key] = rules
        return rules
    }

    public func deleteRule(id: Int64) throws {
        try db.run("DELETE FROM rules WHERE id = ?", [.integer(id)])
        ruleCache.removeAll(keepingCapacity: true)
    }

    public func setRule(id: Int64, enabled: Bool) throws {
        try db.run("UPDATE rules SET enabled = ? WHERE id = ?", [SQLiteValue(enabled), .integer(id)])
        ruleCache.removeAll(keepingCapacity: true)
    }

    public func takeRotationTurn(rule: Int64) throws -> Int64 {
        try db.scalarInt64("UPDATE rules SET rotation = rotation + 1 WHERE id = ? RETURNING rotation - 1", [.integer(rule)])
            ?? 0
    }

    static func rule(_ row: Row) -> Rule {
        Rule(
            id: row.int64(0), name: row.string(1), pipeline: row.int64(2), stage: row.string(3),
            action: RuleAction(rawValue: row.string(4)) ?? .note,
            options: RuleOptions(json: (try? JSONParser.parse(row.string(5))) ?? .null),
            timing: RuleTiming(json: (try? JSONParser.parse(row.string(6))) ?? .null),
            conditions: StoredConditions.conditions(row.string(7)), asUser: row.text(8), enabled: row.bool(9))
    }
}
