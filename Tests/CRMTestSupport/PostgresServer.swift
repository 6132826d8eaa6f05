import Foundation
import PostgresDB
import Testing

/// The suite's throwaway PostgreSQL server: scripts/pg-server.sh starts it in a directory of its own before
/// the suite's first test and stops it, removing the directory, after the last. Tests read its URI from
/// `PostgresServer.uri`; outside such a suite, in the PostgreSQL pass of `make test`, that is the pass's
/// server (`TestDatabase.server`).
public struct PostgresServer: SuiteTrait, TestScoping {
    @TaskLocal public static var uri = TestDatabase.server ?? ""

    public init() {}

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // Under /tmp and short: the server's unix socket lives here, and its path is limited to 107 bytes. One
        // of its own per suite: suites run at the same time, and the first to end would stop a shared server.
        let directory = "/tmp/crmctl-pg-\(getpid())-" + UUID().uuidString.prefix(8).lowercased()
        let uri = try Self.script("start", directory).trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? Self.script("stop", directory) }
        try await Self.$uri.withValue(uri) { try await function() }
    }

    /// Runs scripts/pg-server.sh with system(3) and returns what it printed. Not through `RunningProcess`:
    /// started from a suite's scope, the finished script stayed a zombie that Foundation's Process never
    /// reaped, and the wait for it hung.
    private static func script(_ action: String, _ directory: String) throws -> String {
        let output = directory + ".out"
        defer { unlink(output) }
        let command = ["/bin/bash", TestPaths.file("scripts/pg-server.sh").path, action, directory]
            .map { "'" + $0 + "'" }.joined(separator: " ") + " > '\(output)'"
        // The threads tests run on block nearly every signal, and a child inherits that mask: pg_ctl and
        // runuser must see their children end, so the script starts with none blocked.
        var none = sigset_t()
        var kept = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &kept)
        let status = system(command)
        pthread_sigmask(SIG_SETMASK, &kept, nil)
        guard status == 0 else { throw HarnessError("pg-server.sh \(action) \(directory) failed with status \(status)") }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
}

extension Trait where Self == PostgresServer {
    public static var postgresServer: Self { Self() }
}

extension PostgresServer {
    /// A URI on the suite's server whose search path is a new, empty schema of its own: a database of its
    /// own for one test, made in a few milliseconds (a new database would take a template copy).
    public static func newSchemaURI() throws -> String {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let connection = try PostgresConnection(uri: uri, lockTimeoutMilliseconds: 5000)
        try connection.execute("CREATE SCHEMA \(schema)")
        return schemaURI(on: uri, schema: schema)
    }

    /// `server`'s URI (libpq's, with a query part) with `schema` as the search path.
    static func schemaURI(on server: String, schema: String) -> String {
        server + "&options=-csearch_path%3D" + schema
    }
}
