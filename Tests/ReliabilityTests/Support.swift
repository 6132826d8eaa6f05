import CRMTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Reliability support: runs the real crmctl binary (and the database's shell, sqlite3 or psql) against real
// databases, each test in its own temporary directory, through CRMTestSupport's runner (which reads any
// amount of output without blocking a run).

enum Rel {
    /// A run that takes longer than this is killed and reported as hung.
    static let hangLimit: Double = 180

    /// The fixed clock of every run: all "now"s (created_at, recorded_at, default event times) are equal
    /// in every database a test compares.
    static let now = "2026-11-24T08:00:00Z"
}

/// One test's temporary directory, its database and the environment every run gets. Runs may be started
/// from several threads at once (the environment is only changed before).
final class Scratch: @unchecked Sendable {
    private let temporary: TempDir
    var dir: URL { temporary.url }
    /// `$CRMCTL_DB` of every run: the file crm.db in the directory, or a schema of its own in the PostgreSQL
    /// pass (`TestDatabase`).
    let db: String
    var environment: [String: String]

    init(_ name: String) throws {
        temporary = TempDir(prefix: "crmctl-rel-\(name)")
        db = TestDatabase.new("crm.db", in: temporary)
        environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": temporary.path,
            "LANG": "C.UTF-8",
            "CRMCTL_DB": db,
            "CRMCTL_NOW": Rel.now,
            "CRMCTL_BUSY_TIMEOUT_MS": "20000",
        ]
    }

    func path(_ name: String) -> URL { temporary.fileURL(name) }

    /// Another new database of this test's (see `db`): the file `name` in the directory, or a new schema.
    func newDatabase(_ name: String) -> String { TestDatabase.new(name, in: temporary) }

    /// Starts crmctl (or `executable`) in the background.
    func start(_ arguments: [String], stdin: RunInput = .none, env extra: [String: String] = [:],
               executable: URL = TestPaths.crmctl) throws -> RunningProcess {
        try RunningProcess(
            executable, arguments, environment: environment.merging(extra) { $1 }, directory: dir, input: stdin,
            timeout: Rel.hangLimit)
    }

    /// Runs crmctl to its end.
    @discardableResult
    func run(_ arguments: [String], stdin: RunInput = .none, env extra: [String: String] = [:]) throws -> ProcessResult {
        try start(arguments, stdin: stdin, env: extra).wait()
    }

    /// Runs crmctl and requires exit 0.
    @discardableResult
    func ok(_ arguments: [String], stdin: RunInput = .none, env extra: [String: String] = [:],
            sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let outcome = try run(arguments, stdin: stdin, env: extra)
        guard outcome.exited(0) else { throw HarnessError("expected exit 0 (\(sourceLocation)): \(outcome)") }
        return outcome
    }

    /// Runs crmctl through `sh -c 'umask MASK; exec crmctl …'`.
    func runWithUmask(_ mask: String, _ arguments: [String], stdin: RunInput = .none) throws -> ProcessResult {
        try start(
            ["-c", "umask \(mask); exec \"$0\" \"$@\"", TestPaths.crmctl.path] + arguments, stdin: stdin,
            executable: URL(fileURLWithPath: "/bin/sh")
        ).wait()
    }

    /// Runs the database's shell (`DatabaseShell`: sqlite3 on a file, psql on a server) with `sql` and
    /// returns its stdout; fails on a non-zero exit.
    @discardableResult
    func sql(_ database: String, _ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        do {
            return try DatabaseShell.query(database, sql, directory: dir, timeout: Rel.hangLimit)
        } catch {
            throw HarnessError("the database's shell failed (\(sourceLocation)): \(error)")
        }
    }

    /// One integer from the shell (e.g. a count), or -1 when the output is not a number.
    func scalar(_ database: String, _ query: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        Int(try sql(database, query, sourceLocation: sourceLocation).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// The database's own checks find nothing broken (`DatabaseShell.integrityProblems`).
    func expectIntact(_ database: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for problem in try intactProblems(database) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
    }

    func intactProblems(_ database: String) throws -> [String] {
        try DatabaseShell.integrityProblems(database, directory: dir)
    }

    /// The whole content of a database as text (`DatabaseShell.contents`).
    func dump(_ database: String) throws -> String { try DatabaseShell.contents(database, directory: dir) }

    /// Copies a database file (and its -wal, if one is left) to `name` in this directory; returns its path.
    func copyDatabase(_ source: String, to name: String) throws -> String {
        let target = path(name).path
        for suffix in ["", "-wal", "-shm"] {
            let from = URL(fileURLWithPath: source + suffix)
            let to = URL(fileURLWithPath: target + suffix)
            try? FileManager.default.removeItem(at: to)
            if suffix != "-shm", FileManager.default.fileExists(atPath: from.path) {
                try FileManager.default.copyItem(at: from, to: to)
            }
        }
        return target
    }
}

func octal(_ mode: Int?) -> String { mode.map { "0" + String($0, radix: 8) } ?? "missing" }

/// Where two long texts first differ, for readable failure messages.
func firstDifference(_ a: String, _ b: String) -> String {
    let left = Array(a.utf8), right = Array(b.utf8)
    var index = 0
    while index < left.count, index < right.count, left[index] == right[index] { index += 1 }
    if index == left.count && index == right.count { return "identical" }
    func excerpt(_ bytes: [UInt8]) -> String {
        let start = max(0, index - 120), end = min(bytes.count, index + 200)
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
    return "sizes \(left.count) and \(right.count); first difference at byte \(index):\n  «\(excerpt(left))»\n  «\(excerpt(right))»"
}

/// Polls `condition` every few milliseconds until it holds or `seconds` pass; returns whether it held.
@discardableResult
func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(2_000)
    }
    return condition()
}
