import CRMCore
import CRMStorage
import JSON
import PostgresDB

extension PostgresStore {
    static let ruleColumns = "id, name, pipeline, stage, action, options, timing, conditions, as_user, enabled"

    /// The id comes from the table's sequence: a removed rule's id is never given again.
    public func insertRule(_ rule: Rule) throws -> Int64 {
        let id = try db.scalarInt64(
            """
            INSERT INTO rules (name, pipeline, stage, action, options, timing, conditions, as_user, enabled)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            RETURNING id
            """,
            [.text(rule.name), .integer(rule.pipeline), .text(rule.stage), .text(rule.action.rawValue),
             .text(JSONWriter.serialize(rule.options.json)), .text(JSONWriter.serialize(rule.timing.json)),
             .text(StoredConditions.text(rule.conditions)), PostgresValue(rule.asUser),
             PostgresValue(flag: rule.enabled)])
        ruleCache.removeAll(keepingCapacity: true)
        return id ?? 0
    }

    public func findRule(id: Int64) throws -> Rule? {
        try db.firstRow(
            "SELECT \(PostgresStore.ruleColumns) FROM rules WHERE id = $1", [.integer(id)], PostgresStore.rule)
    }

    public func rules(pipeline: Int64?, stage: String?) throws -> [Rule] {
        try db.rows(
            """
            SELECT \(PostgresStore.ruleColumns) FROM rules
            WHERE ($1::bigint IS NULL OR pipeline = $1) AND ($2::text IS NULL OR stage = $2) ORDER BY id
            """, [PostgresValue(pipeline), PostgresValue(stage)], PostgresStore.rule)
    }

    /// Read once per stage and write transaction: every stage entry of a batch asks.
    public func enabledRules(pipeline: Int64, stage: String) throws -> [Rule] {
        let key = "\(pipeline)/\(stage)"
        if let cached = ruleCache[key] { return cached }
        let rules = try db.rows(
            "SELECT \(PostgresStore.ruleColumns) FROM rules WHERE pipeline = $1 AND stage = $2 AND enabled = 1 ORDER BY id",
            [.integer(pipeline), .text(stage)], PostgresStore.rule)
        ruleCache[key] = rules
        return rules
    }

    public func deleteRule(id: Int64) throws {
        try db.run("DELETE FROM rules WHERE id = $1", [.integer(id)])
        ruleCache.removeAll(keepingCapacity: true)
    }

    public func setRule(id: Int64, enabled: Bool) throws {
        try db.run("UPDATE rules SET enabled = $1 WHERE id = $2", [PostgresValue(flag: enabled), .integer(id)])
        ruleCache.removeAll(keepingCapacity: true)
    }

    /// The update locks the rule's row until the transaction ends: writers rotating through the same rule
    /// take their turns one after the other, each a different one.
    public func takeRotationTurn(rule: Int64) throws -> Int64 {
        try db.scalarInt64("UPDATE rules SET rotation = rotation + 1 WHERE id = $1 RETURNING rotation - 1", [.integer(rule)])
            ?? 0
    }

    static func rule(_ row: PostgresRow) -> Rule {
        Rule(
            id: row.int64(0), name: row.string(1), pipeline: row.int64(2), stage: row.string(3),
            action: RuleAction(rawValue: row.string(4)) ?? .note,
            options: RuleOptions(json: (try? JSONParser.parse(row.string(5))) ?? .null),
            timing: RuleTiming(json: (try? JSONParser.parse(row.string(6))) ?? .null),
            conditions: StoredConditions.conditions(row.string(7)), asUser: row.text(8), enabled: row.int64(9) != 0)
    }
}
