import CRMTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Reliability support: runs the real crmctl binary (and /usr/bin/sqlite3) against real database files,
// each test in its own temporary directory, through CRMTestSupport's runner (which reads any amount of
// output without blocking a run).

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
    let db: URL
    var environment: [String: String]

    init(_ name: String) throws {
        temporary = TempDir(prefix: "crmctl-rel-\(name)")
        db = temporary.fileURL("crm.db")
        environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": temporary.path,
            "LANG": "C.UTF-8",
            "CRMCTL_DB": db.path,
            "CRMCTL_NOW": Rel.now,
            "CRMCTL_BUSY_TIMEOUT_MS": "20000",
        ]
    }

    func path(_ name: String) -> URL { temporary.fileURL(name) }

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

    /// Runs /usr/bin/sqlite3 on `file` with `sql` and returns its stdout; fails on a non-zero exit.
    @discardableResult
    func sql(_ file: URL, _ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let outcome = try start([file.path, sql], executable: TestPaths.sqlite3).wait()
        guard outcome.exited(0) else { throw HarnessError("sqlite3 failed (\(sourceLocation)): \(outcome)") }
        return outcome.stdout
    }

    /// One integer from sqlite3 (e.g. a count), or -1 when the output is not a number.
    func scalar(_ file: URL, _ query: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        Int(try sql(file, query, sourceLocation: sourceLocation).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// `PRAGMA integrity_check` and `PRAGMA foreign_key_check` of `file`: "ok" and nothing.
    func expectIntact(_ file: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for problem in try intactProblems(file) { Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation) }
    }

    /// What `PRAGMA integrity_check` and `PRAGMA foreign_key_check` found wrong (nothing when intact).
    func intactProblems(_ file: URL) throws -> [String] {
        var problems: [String] = []
        let integrity = try sql(file, "PRAGMA integrity_check;")
        if integrity != "ok\n" { problems.append("integrity_check of \(file.lastPathComponent): \(integrity.prefix(1000))") }
        let foreign = try sql(file, "PRAGMA foreign_key_check;")
        if !foreign.isEmpty { problems.append("foreign_key_check of \(file.lastPathComponent): \(foreign.prefix(1000))") }
        return problems
    }

    /// The whole content of a database as SQL text (schema and every row, in key order).
    func dump(_ file: URL) throws -> String { try sql(file, ".dump") }

    /// Copies a database (and its -wal, if one is left) to `name` in this directory.
    func copyDatabase(_ source: URL, to name: String) throws -> URL {
        let target = path(name)
        for suffix in ["", "-wal", "-shm"] {
            let from = URL(fileURLWithPath: source.path + suffix)
            let to = URL(fileURLWithPath: target.path + suffix)
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
