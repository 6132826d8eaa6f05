import Foundation
import Testing

/// The database under test. `make test` runs the suite twice: first on SQLite files, then with
/// `$CRMCTL_TEST_POSTGRES` set to the URI of a throwaway PostgreSQL server it started, where every test
/// database is a schema of its own on that server instead (SPEC §10: every command behaves the same on both).
public enum TestDatabase {
    /// The server of the PostgreSQL pass; nil in the SQLite pass.
    public static let server: String? = {
        guard let uri = ProcessInfo.processInfo.environment["CRMCTL_TEST_POSTGRES"], !uri.isEmpty else { return nil }
        return uri
    }()

    public static var isPostgres: Bool { server != nil }

    /// A new, empty database for one test, as `--db` takes it: the file `name` in `directory` (crmctl
    /// creates it on first use), or in the PostgreSQL pass a new schema on the server.
    public static func new(_ name: String, in directory: TempDir) -> String {
        guard isPostgres else { return directory.file(name) }
        do {
            return try PostgresServer.newSchemaURI()
        } catch {
            // Not a crash of the whole run: this test fails, on a schema that does not exist (crmctl then
            // refuses to create tables anywhere else).
            Issue.record("cannot make a schema on \(server ?? ""): \(error)")
            return PostgresServer.schemaURI(on: server ?? "", schema: "t_missing")
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// For tests about the SQLite file itself (its bytes, modes, WAL, old and foreign files, the sqlite3
    /// shell on it, SQLiteStore and Connection used directly): they have no PostgreSQL counterpart.
    public static var sqliteOnly: Self {
        .enabled(if: !TestDatabase.isPostgres, "about the SQLite file itself: not run against PostgreSQL")
    }
}
