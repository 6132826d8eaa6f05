import CRMTestSupport
import Foundation
import Testing

// End-to-end support: runs the built `crmctl` binary (`TestPaths.crmctl`) as a user would, each test in
// its own temporary directory with its own database and environment, through CRMTestSupport's runner.

enum E2E {
    /// Seconds a single run may take before it is killed and reported as hung.
    static let timeout: Double = 600
}

/// One test's temporary directory, database and environment.
final class Sandbox {
    private let temporary: TempDir
    var dir: URL { temporary.url }
    /// `$CRMCTL_DB` of every run: the file crm.db in the directory, or a schema of its own in the PostgreSQL
    /// pass (`TestDatabase`).
    let db: String
    /// The environment every run gets (a clean one: PATH, HOME, LANG, CRMCTL_DB, and what a test sets).
    var environment: [String: String]

    init(name: String = "e2e") throws {
        temporary = TempDir(prefix: "crmctl-\(name)")
        db = TestDatabase.new("crm.db", in: temporary)
        environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": temporary.path,
            "LANG": "C.UTF-8",
            "CRMCTL_DB": db,
        ]
    }

    func path(_ name: String) -> URL { temporary.fileURL(name) }

    /// Sets the clock (`$CRMCTL_NOW`) for the following runs.
    func at(_ now: String) { environment["CRMCTL_NOW"] = now }

    /// Runs crmctl with `arguments`.
    @discardableResult
    func run(_ arguments: [String], input: RunInput = .none, env extra: [String: String] = [:]) throws -> ProcessResult {
        try program(TestPaths.crmctl.path, arguments, input: input, environment: environment.merging(extra) { $1 })
    }

    @discardableResult
    func run(_ arguments: String..., input: RunInput = .none) throws -> ProcessResult {
        try run(arguments, input: input)
    }

    /// Runs the sqlite3 shell on a database file.
    @discardableResult
    func sqlite(_ file: URL, _ sql: String) throws -> ProcessResult {
        try program(TestPaths.sqlite3.path, [file.path, sql])
    }

    /// Runs `sql` in the shell of this sandbox's database (`DatabaseShell`: sqlite3 or psql); its stdout.
    func query(_ sql: String) throws -> String { try DatabaseShell.query(db, sql, directory: dir, timeout: E2E.timeout) }

    /// What the database's own checks find broken in this sandbox's database (`DatabaseShell`).
    func integrityProblems() throws -> [String] { try DatabaseShell.integrityProblems(db, directory: dir) }

    /// This sandbox's database as text (`DatabaseShell.contents`).
    func contents() throws -> String { try DatabaseShell.contents(db, directory: dir) }

    /// Runs any program in this directory, with this sandbox's environment unless given one; stderr goes
    /// to `stderr` when given (a terminal, say).
    @discardableResult
    func program(
        _ executable: String, _ arguments: [String], input: RunInput = .none, environment: [String: String]? = nil,
        stderr: FileHandle? = nil
    ) throws -> ProcessResult {
        try RunningProcess(
            URL(fileURLWithPath: executable), arguments, environment: environment ?? self.environment, directory: dir,
            input: input, stderr: stderr, timeout: E2E.timeout
        ).wait()
    }

    /// Runs crmctl and requires exit 0; returns the result.
    @discardableResult
    func ok(_ arguments: [String], input: RunInput = .none, sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let result = try run(arguments, input: input)
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        if result.status != 0 { throw HarnessError("command failed: \(result)") }
        return result
    }

    /// Creates something in text mode and returns the id it printed.
    @discardableResult
    func create(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let result = try ok(arguments, sourceLocation: sourceLocation)
        let text = result.stdout
        guard text.hasSuffix("\n"), let id = Int(text.dropLast()), id > 0 else {
            Issue.record("expected the new id alone and a newline on stdout: \(result)", sourceLocation: sourceLocation)
            throw HarnessError("no id printed")
        }
        return id
    }
}
