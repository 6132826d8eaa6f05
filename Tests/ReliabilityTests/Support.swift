import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Reliability support: runs the real crmctl binary (and /usr/bin/sqlite3) against real database files,
// each test in its own temporary directory. Standard output and error always go to files, so any amount
// of output is read fully and no pipe can fill up and deadlock a run.

enum Rel {
    /// The package root: the first directory above this file that holds Package.swift.
    static let packageRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }()

    /// `$CRMCTL_BIN`, else `<package root>/.build/debug/crmctl`.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["CRMCTL_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent(".build/debug/crmctl")
    }()

    static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")

    /// A run that takes longer than this is killed and reported as hung.
    static let hangLimit: Double = 180

    /// The fixed clock of every run: all "now"s (created_at, recorded_at, default event times) are equal
    /// in every database a test compares.
    static let now = "2026-11-24T08:00:00Z"
}

struct RelError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What one finished run produced.
struct Outcome: CustomStringConvertible {
    var status: Int32
    /// Ended by a signal (a crash, or our own SIGKILL) rather than by exit.
    var signalled: Bool
    var stdoutData: Data
    var stderrData: Data
    var command: [String]
    var seconds: Double

    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    var stderr: String { String(decoding: stderrData, as: UTF8.self) }

    /// Exited (not signalled) with `code`.
    func exited(_ code: Int32) -> Bool { !signalled && status == code }

    var stdoutLines: [String] {
        var parts = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    /// stdout as NDJSON objects.
    func ndjson() throws -> [[String: Any]] {
        try stdoutLines.map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw RelError("not a JSON object line: \(line.prefix(300))")
            }
            return object
        }
    }

    func jsonArray() throws -> [[String: Any]] {
        guard let array = try JSONSerialization.jsonObject(with: stdoutData) as? [[String: Any]] else {
            throw RelError("stdout is not a JSON array of objects: \(stdout.prefix(300))")
        }
        return array
    }

    func jsonObject() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: stdoutData) as? [String: Any] else {
            throw RelError("stdout is not a JSON object: \(stdout.prefix(300))")
        }
        return object
    }

    var description: String {
        let how = signalled ? "killed by signal \(status)" : "exit \(status)"
        return "\(command.prefix(8).joined(separator: " ")) → \(how) after \(String(format: "%.2f", seconds)) s\n"
            + "stdout: \(stdout.prefix(1500))\nstderr: \(stderr.prefix(1500))"
    }
}

/// Where a run's standard input comes from.
enum Stdin {
    /// /dev/null.
    case none
    /// These bytes (written to a file first, which the run reads like `< file`).
    case bytes(Data)
    /// An open pipe the test writes to while the run goes on (see `Running.feed` and `Running.closeInput`).
    case pipe
}

/// A process started in the background. Its output goes to files in the scratch directory.
final class Running {
    let process: Process
    let stdoutURL: URL
    let stderrURL: URL
    let command: [String]
    let started = Date()
    private let finished = DispatchSemaphore(value: 0)
    private var outcome: Outcome?
    private var handles: [FileHandle] = []
    private(set) var input: FileHandle?

    init(executable: URL, arguments: [String], environment: [String: String], directory: URL, stdin: Stdin,
         name: String) throws {
        stdoutURL = directory.appendingPathComponent("\(name).out")
        stderrURL = directory.appendingPathComponent("\(name).err")
        command = [executable.lastPathComponent] + arguments
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: stdoutURL)
        let err = try FileHandle(forWritingTo: stderrURL)
        handles = [out, err]

        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardOutput = out
        process.standardError = err
        var pipe: Pipe?
        switch stdin {
        case .none:
            process.standardInput = FileHandle.nullDevice
        case .bytes(let data):
            let inURL = directory.appendingPathComponent("\(name).in")
            try data.write(to: inURL)
            let handle = try FileHandle(forReadingFrom: inURL)
            handles.append(handle)
            process.standardInput = handle
        case .pipe:
            let made = Pipe()
            pipe = made
            process.standardInput = made
        }
        let semaphore = finished
        process.terminationHandler = { _ in semaphore.signal() }
        try process.run()
        if let pipe {
            try? pipe.fileHandleForReading.close()
            input = pipe.fileHandleForWriting
        }
    }

    var pid: pid_t { process.processIdentifier }

    /// Bytes written to stdout so far.
    var stdoutSize: Int {
        var info = stat()
        return stat(stdoutURL.path, &info) == 0 ? Int(info.st_size) : 0
    }

    var isRunning: Bool { process.isRunning }

    /// Writes to the run's standard input (only with `.pipe`).
    func feed(_ data: Data) throws {
        guard let input else { throw RelError("this run has no input pipe") }
        try input.write(contentsOf: data)
    }

    func closeInput() {
        try? input?.close()
        input = nil
    }

    /// SIGKILL: the process dies at once, wherever it is.
    func kill9() { _ = kill(pid, SIGKILL) }

    /// Waits for the end (killing it after `Rel.hangLimit` seconds) and returns what it produced.
    @discardableResult
    func wait() throws -> Outcome {
        if let outcome { return outcome }
        closeInput()
        if finished.wait(timeout: .now() + Rel.hangLimit) == .timedOut {
            kill9()
            process.waitUntilExit()
            throw RelError("\(command.prefix(6).joined(separator: " ")) hung for \(Rel.hangLimit) s and was killed")
        }
        process.waitUntilExit()
        for handle in handles { try? handle.close() }
        let result = Outcome(
            status: process.terminationStatus,
            signalled: process.terminationReason == .uncaughtSignal,
            stdoutData: (try? Data(contentsOf: stdoutURL)) ?? Data(),
            stderrData: (try? Data(contentsOf: stderrURL)) ?? Data(),
            command: command,
            seconds: Date().timeIntervalSince(started))
        outcome = result
        return result
    }
}

/// One test's temporary directory, its database and the environment every run gets. Runs may be started
/// from several threads at once (the environment is only changed before).
final class Scratch: @unchecked Sendable {
    let dir: URL
    let db: URL
    var environment: [String: String]
    private var counter = 0
    private let counterLock = NSLock()

    init(_ name: String) throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("crmctl-rel-\(name)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        db = dir.appendingPathComponent("crm.db")
        environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": dir.path,
            "LANG": "C.UTF-8",
            "CRMCTL_DB": db.path,
            "CRMCTL_NOW": Rel.now,
            "CRMCTL_BUSY_TIMEOUT_MS": "20000",
        ]
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> URL { dir.appendingPathComponent(name) }

    private func nextName(_ prefix: String) -> String {
        counterLock.lock()
        defer { counterLock.unlock() }
        counter += 1
        return "\(prefix)-\(counter)"
    }

    /// Starts crmctl in the background.
    func start(_ arguments: [String], stdin: Stdin = .none, env extra: [String: String] = [:],
               executable: URL = Rel.binary) throws -> Running {
        try Running(
            executable: executable, arguments: arguments, environment: environment.merging(extra) { $1 },
            directory: dir, stdin: stdin, name: nextName(".run"))
    }

    /// Runs crmctl to its end.
    @discardableResult
    func run(_ arguments: [String], stdin: Stdin = .none, env extra: [String: String] = [:]) throws -> Outcome {
        try start(arguments, stdin: stdin, env: extra).wait()
    }

    /// Runs crmctl and requires exit 0.
    @discardableResult
    func ok(_ arguments: [String], stdin: Stdin = .none, env extra: [String: String] = [:],
            sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        let outcome = try run(arguments, stdin: stdin, env: extra)
        guard outcome.exited(0) else { throw RelError("expected exit 0 (\(sourceLocation)): \(outcome)") }
        return outcome
    }

    /// Runs crmctl through `sh -c 'umask MASK; exec crmctl …'`.
    func runWithUmask(_ mask: String, _ arguments: [String], stdin: Stdin = .none) throws -> Outcome {
        try start(
            ["-c", "umask \(mask); exec \"$0\" \"$@\"", Rel.binary.path] + arguments, stdin: stdin,
            executable: URL(fileURLWithPath: "/bin/sh")
        ).wait()
    }

    /// Runs /usr/bin/sqlite3 on `file` with `sql` and returns its stdout; fails on a non-zero exit.
    @discardableResult
    func sql(_ file: URL, _ sql: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let outcome = try start([file.path, sql], executable: Rel.sqlite3).wait()
        guard outcome.exited(0) else { throw RelError("sqlite3 failed (\(sourceLocation)): \(outcome)") }
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

/// A file's permission bits (`st_mode & 0o777`), or nil when it does not exist.
func permissions(_ url: URL) -> Int? {
    var info = stat()
    guard stat(url.path, &info) == 0 else { return nil }
    return Int(info.st_mode & 0o777)
}

func octal(_ mode: Int?) -> String { mode.map { "0" + String($0, radix: 8) } ?? "missing" }

func fileExists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

/// One JSON object as a compact line.
func jsonLine(_ object: Any) -> String {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}

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

extension Dictionary where Key == String, Value == Any {
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    func string(_ key: String) -> String? { self[key] as? String }
    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
}
