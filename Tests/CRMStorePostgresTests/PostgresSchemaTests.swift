import CRMStorage
import CRMStorePostgres
import CRMStoreSQLite
import CRMTestSupport
import Foundation
import Testing

/// schema.postgres.sql is the schema of a new PostgreSQL database (SPEC §10), and it has the tables and
/// columns of schema.sql, which `crmctl copy` relies on to move rows as they are.
@Suite(.postgresServer) struct PostgresSchemaTests {
    /// Every table and column of the database's current schema, with type, nullability and default, and every
    /// index with its definition: the schema as the server has it.
    private static func catalogue(_ store: PostgresStore) throws -> [String] {
        try store.db.rows(
            """
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '
                   || coalesce(column_default, '') || ' ' || is_identity
            FROM information_schema.columns WHERE table_schema = current_schema()
            UNION ALL
            SELECT indexname || ': ' || regexp_replace(indexdef, ' ON [a-z_0-9]+\\.', ' ON ')
            FROM pg_indexes WHERE schemaname = current_schema()
            ORDER BY 1
            """
        ) { $0.string(0) }
    }

    @Test func aNewDatabaseHasExactlyTheSchemaFile() throws {
        let file = try String(contentsOf: TestPaths.file("schema.postgres.sql"), encoding: .utf8)
        #expect(PostgresStore.schemaSQL == file, "crmctl embeds schema.postgres.sql as it is")

        let created = try PostgresStore(uri: try PostgresServer.newSchemaURI(), busyTimeoutMilliseconds: 5000)
        // The file run by the server's own client, into a schema of its own.
        let byHand = try PostgresServer.newSchemaURI()
        let directory = TempDir(prefix: "crmstore-schema")
        _ = try DatabaseShell.query(byHand, file, directory: directory.url)
        let loaded = try PostgresStore(uri: byHand, busyTimeoutMilliseconds: 5000)
        let expected = try Self.catalogue(loaded)
        #expect(!expected.isEmpty)
        #expect(try Self.catalogue(created) == expected)
        #expect(try created.db.scalarInt64("SELECT version FROM schema_version") == PostgresStore.schemaVersion)
    }

    /// A database of version 5 (with the timeline's forward links) is brought to version 6 with its rows.
    @Test func versionFiveIsMigratedForward() throws {
        let uri = try PostgresServer.newSchemaURI()
        do {
            let store = try PostgresStore(uri: uri, busyTimeoutMilliseconds: 5000)
            _ = try store.db.run("INSERT INTO elements (type, pipeline, stage, title, created_at, updated_at) VALUES ('lead', 1, 'NEW', 'Kept', 0, 0)")
            try store.db.execute("CREATE TABLE timeline_next (id bigint PRIMARY KEY, next bigint NOT NULL)")
            _ = try store.db.run("UPDATE schema_version SET version = 5")
        }
        let migrated = try PostgresStore(uri: uri, busyTimeoutMilliseconds: 5000)
        #expect(try migrated.db.scalarInt64("SELECT version FROM schema_version") == 6)
        #expect(try migrated.db.scalarInt64("SELECT count(*) FROM schema_version") == 1)
        #expect(try migrated.db.scalarText("SELECT title FROM elements") == "Kept")
        #expect(try migrated.db.scalarText("SELECT to_regclass('timeline_next')::text") == nil)
    }

    @Test func everyTableHasTheColumnsOfTheSQLiteSchema() throws {
        let postgres = try PostgresStore(uri: try PostgresServer.newSchemaURI(), busyTimeoutMilliseconds: 5000)
        let directory = TempDir(prefix: "crmstore-schema")
        let sqlite = try SQLiteStore(path: directory.file("crm.db"), busyTimeoutMilliseconds: 5000)
        #expect(PostgresStore.schemaVersion == SQLiteStore.schemaVersion)
        for (table, _) in CopiedTables.all {
            let columns = try postgres.copiedColumns(of: table)
            #expect(!columns.isEmpty, "\(table)")
            #expect(columns == (try sqlite.copiedColumns(of: table)), "\(table)")
        }
    }
}
