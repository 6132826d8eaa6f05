import CRMCore
import SQLiteDB

/// The steps that bring a file of an older schema version forward (SPEC §1). `prepareSchema` runs them in
/// its one write transaction, so a file is migrated whole or not at all. A table a step rebuilds gets the
/// very statement schema.sql creates it with, so a migrated file has exactly the schema of a new one.
extension SQLiteStore {
    func migrate(from version: Int64) throws {
        var current = version
        while current < SQLiteStore.schemaVersion {
            switch current {
            case 1:
                // Version 2: trigger ids are never reused (AUTOINCREMENT). SQLite cannot change a column's
                // definition in place, so the table is rebuilt; no other table refers to it.
                try db.execute("ALTER TABLE triggers RENAME TO triggers_v1")
                try db.execute(try schemaStatement(creatingTable: "triggers"))
                try db.execute(
                    "INSERT INTO triggers SELECT * FROM triggers_v1; DROP TABLE triggers_v1; PRAGMA user_version = 2")
            case 2:
                // Version 3: automation rules, their jobs, the outbox and time (SPEC §7–§9): new tables only.
                for table in ["rules", "jobs", "outbox", "time_watches", "automation_state"] {
                    for statement in try schemaStatements(of: table) { try db.execute(statement) }
                }
                try db.execute("PRAGMA user_version = 3")
            case 3:
                try addElementKeys()
            case 4:
                try migrateToCompactEvents()
            case 5:
                try migrateToVersionSix()
            default:
                throw CRMError(.database, "\(path) has schema version \(current), which this crmctl cannot migrate")
            }
            current += 1
        }
    }

    /// Version 4: element keys (SPEC §3 "Element keys"): a column and a unique index added in place.
    /// Rebuilding `elements` instead would mean rebuilding every table whose foreign keys point at it.
    /// ALTER TABLE writes the column after the last one (`updated_at`), where schema.sql has it too.
    private func addElementKeys() throws {
        try db.execute("ALTER TABLE elements ADD COLUMN key TEXT")
        try db.execute(try schemaStatement(creatingIndex: "elements_by_key"))
        try db.execute("PRAGMA user_version = 4")
    }

    /// Version 6: the timeline's forward links (`timeline_next`) go: history reads the chain backwards
    /// whatever its length. And the checks of `jobs` and `outbox` name their values one by one instead of
    /// `IN (…)`, which SQLite checked through a temporary table built for every row written (schema.sql). A
    /// check cannot change in place, so both tables are rebuilt with their rows and their AUTOINCREMENT
    /// sequences (which may stand above the largest id left, after an element was erased); no foreign key
    /// or view names them.
    private func migrateToVersionSix() throws {
        // A file migrated from version 4 in this transaction never had it.
        try db.execute("DROP TABLE IF EXISTS timeline_next")
        for table in ["jobs", "outbox"] {
            let statements = try schemaStatements(of: table)
            try db.execute("ALTER TABLE \(table) RENAME TO \(table)_v5")
            try db.execute(statements[0])
            try db.execute(
                """
                INSERT INTO \(table) SELECT * FROM \(table)_v5;
                DELETE FROM sqlite_sequence WHERE name = '\(table)';
                UPDATE sqlite_sequence SET name = '\(table)' WHERE name = '\(table)_v5';
                DROP TABLE \(table)_v5
                """)
            // The old table's indexes went with it; the new ones take their names.
            for index in statements.dropFirst() { try db.execute(index) }
        }
        try db.execute("PRAGMA user_version = 6")
    }

    /// schema.sql's statement that creates the index `name`, as SQLite records it.
    private func schemaStatement(creatingIndex name: String) throws -> String {
        let schema = try Connection(path: ":memory:", busyTimeoutMilliseconds: 0)
        try schema.execute(SQLiteStore.schemaSQL)
        let query: StaticString = "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?"
        guard let statement = try schema.scalarText(query, [.text(name)]) else {
            throw CRMError(.internal, "schema.sql has no index \(name)")
        }
        return statement
    }

    /// schema.sql's statement that creates `table`, as SQLite records it.
    private func schemaStatement(creatingTable table: String) throws -> String {
        guard let statement = try schemaStatements(of: table).first else {
            throw CRMError(.internal, "schema.sql has no table \(table)")
        }
        return statement
    }

    /// schema.sql's statements that create `table` and then its indexes, as SQLite records them.
    func schemaStatements(of table: String) throws -> [String] {
        let schema = try Connection(path: ":memory:", busyTimeoutMilliseconds: 0)
        try schema.execute(SQLiteStore.schemaSQL)
        return try schema.cached(
            "SELECT sql FROM sqlite_schema WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type = 'index', rowid"
        ).rows([.text(table)]) { $0.string(0) }
    }
}
