import Foundation

/// A test database's own shell, for what tests check beneath crmctl's commands: sqlite3 on a file, psql
/// on a server's URI (the PostgreSQL pass, `TestDatabase`). Both print a row as its values separated by
/// "|" on a line of its own, NULL as nothing, so a query in the SQL both speak (counts, plain selects)
/// reads the same on both.
public enum DatabaseShell {
    /// crmctl's own test (SPEC §10): a URI names a server, anything else a file.
    public static func isServer(_ database: String) -> Bool {
        database.hasPrefix("postgresql://") || database.hasPrefix("postgres://")
    }

    /// Starts the shell on `database` with `sql` (several statements: sqlite3 prints every result, psql
    /// the last one's).
    public static func start(
        _ database: String, _ sql: String, input: RunInput = .none, directory: URL, timeout: Double
    ) throws -> RunningProcess {
        if isServer(database) {
            return try RunningProcess(
                TestPaths.psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql],
                environment: environment, directory: directory, input: input, timeout: timeout)
        }
        return try RunningProcess(
            TestPaths.sqlite3, [database, sql], environment: environment, directory: directory, input: input,
            timeout: timeout)
    }

    /// Runs `sql` on `database` to its end; throws unless the shell exits 0.
    public static func query(_ database: String, _ sql: String, directory: URL, timeout: Double = 120) throws -> String {
        let result = try start(database, sql, directory: directory, timeout: timeout).wait()
        guard result.exited(0) else { throw HarnessError("\(sql): \(result)") }
        return result.stdout
    }

    /// Everything `database` holds as text, for comparing two databases or one before and after: sqlite3's
    /// `.dump` of a file; on a server every row of every table of the schema, tables by name and rows in
    /// the order of their values (a row's place on disk moves when it is updated).
    public static func contents(_ database: String, directory: URL) throws -> String {
        guard isServer(database) else { return try query(database, ".dump", directory: directory) }
        let tables = try query(
            database,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                + "AND table_type = 'BASE TABLE' ORDER BY table_name",
            directory: directory
        ).split(separator: "\n")
        var text = ""
        for table in tables {
            text += "-- \(table)\n" + (try query(database, "SELECT * FROM \(table) AS r ORDER BY r", directory: directory))
        }
        return text
    }

    /// What the database's own checks find broken: `PRAGMA integrity_check` and `foreign_key_check` of a
    /// file; nothing on a server, which checks every constraint at every write and has no such check.
    public static func integrityProblems(_ database: String, directory: URL) throws -> [String] {
        guard !isServer(database) else { return [] }
        var problems: [String] = []
        let name = URL(fileURLWithPath: database).lastPathComponent
        let integrity = try query(database, "PRAGMA integrity_check;", directory: directory)
        if integrity != "ok\n" { problems.append("integrity_check of \(name): \(integrity.prefix(1000))") }
        let foreign = try query(database, "PRAGMA foreign_key_check;", directory: directory)
        if !foreign.isEmpty { problems.append("foreign_key_check of \(name): \(foreign.prefix(1000))") }
        return problems
    }

    /// The shells' environment: no psqlrc or PG* variables of the user's, no locale surprises.
    private static let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
}
