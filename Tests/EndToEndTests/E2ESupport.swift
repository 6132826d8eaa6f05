import Foundation
import Testing

// End-to-end support: runs the built `crmctl` binary as a user would, each test in its own temporary
// directory with its own database and environment.

/// Where the binary under test is: `$CRMCTL_BIN`, else `<root>/.build/debug/crmctl`, else
/// `<root>/.build-e2e/debug/crmctl`, where `<root>` is the package root found above this file.
enum E2E {
    static let packageRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return dir
            }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }()

    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["CRMCTL_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let candidates = [
            packageRoot.appendingPathComponent(".build/debug/crmctl"),
            packageRoot.appendingPathComponent(".build-e2e/debug/crmctl"),
        ]
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        return candidates[0]
    }()

    static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")

    /// Seconds a single run may take before it is killed and reported as hung.
    static let timeout: Double = 600

    /// A crmctl that exits without reading its piped stdin must fail its test, not kill the test runner
    /// with SIGPIPE: writes to a closed pipe then fail with EPIPE instead.
    static let ignoreSIGPIPE: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()
}

/// What a run of the binary produced.
struct RunResult: CustomStringConvertible {
    var status: Int32
    var stdoutData: Data
    var stderrData: Data
    var command: [String]

    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    var stderr: String { String(decoding: stderrData, as: UTF8.self) }

    /// stdout split into lines (without the final empty piece after the last newline).
    var stdoutLines: [String] { Self.lines(stdout) }
    var stderrLines: [String] { Self.lines(stderr) }

    static func lines(_ text: String) -> [String] {
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    /// stdout as one JSON document.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: stdoutData, options: [.fragmentsAllowed])
    }

    func jsonObject() throws -> [String: Any] {
        guard let object = try json() as? [String: Any] else { throw E2EError("stdout is not a JSON object: \(stdout)") }
        return object
    }

    func jsonArray() throws -> [[String: Any]] {
        guard let array = try json() as? [[String: Any]] else { throw E2EError("stdout is not a JSON array of objects: \(stdout.prefix(500))") }
        return array
    }

    /// stdout as NDJSON: one object per line.
    func ndjson() throws -> [[String: Any]] {
        try stdoutLines.map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw E2EError("not a JSON object line: \(line.prefix(300))")
            }
            return object
        }
    }

    var description: String {
        "crmctl \(command.joined(separator: " ")) → exit \(status)\nstdout: \(stdout.prefix(2000))\nstderr: \(stderr.prefix(2000))"
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Where a run's standard input comes from.
enum Input {
    /// /dev/null.
    case none
    /// A pipe fed from a background thread, closed at the end of the data.
    case pipe(Data)
    /// A file opened for reading (like `< file` in a shell).
    case file(URL)
}

/// One test's temporary directory, database and environment.
final class Sandbox {
    let dir: URL
    let db: URL
    /// The environment every run gets (a clean one: PATH, HOME, LANG, CRMCTL_DB, and what a test sets).
    var environment: [String: String]
    private var runCount = 0

    init(name: String = "e2e") throws {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("crmctl-\(name)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        dir = base
        db = base.appendingPathComponent("crm.db")
        environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": base.path,
            "LANG": "C.UTF-8",
            "CRMCTL_DB": db.path,
        ]
    }

    deinit {
        try? FileManager.default.removeItem(at: dir)
    }

    func path(_ name: String) -> URL { dir.appendingPathComponent(name) }

    /// Sets the clock (`$CRMCTL_NOW`) for the following runs.
    func at(_ now: String) { environment["CRMCTL_NOW"] = now }

    /// Runs crmctl with `arguments`; stdout and stderr go to files (so any size is read fully).
    @discardableResult
    func run(_ arguments: [String], input: Input = .none, env extra: [String: String] = [:]) throws -> RunResult {
        try Self.execute(E2E.binary, arguments, input: input, environment: environment.merging(extra) { $1 }, scratch: dir, counter: &runCount)
    }

    @discardableResult
    func run(_ arguments: String..., input: Input = .none) throws -> RunResult {
        try run(arguments, input: input)
    }

    /// Runs the sqlite3 shell on a database file.
    @discardableResult
    func sqlite(_ file: URL, _ sql: String) throws -> RunResult {
        try Self.execute(E2E.sqlite3, [file.path, sql], input: .none, environment: environment, scratch: dir, counter: &runCount)
    }

    /// Runs crmctl and requires exit 0; returns the result.
    @discardableResult
    func ok(_ arguments: [String], input: Input = .none, sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        let result = try run(arguments, input: input)
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        if result.status != 0 { throw E2EError("command failed: \(result)") }
        return result
    }

    /// Creates something in text mode and returns the id it printed.
    @discardableResult
    func create(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let result = try ok(arguments, sourceLocation: sourceLocation)
        let text = result.stdout
        guard text.hasSuffix("\n"), let id = Int(text.dropLast()), id > 0 else {
            Issue.record("expected the new id alone and a newline on stdout: \(result)", sourceLocation: sourceLocation)
            throw E2EError("no id printed")
        }
        return id
    }

    private static func execute(_ executable: URL, _ arguments: [String], input: Input, environment: [String: String],
                                scratch: URL, counter: inout Int) throws -> RunResult {
        counter += 1
        let outURL = scratch.appendingPathComponent(".run-\(counter).out")
        let errURL = scratch.appendingPathComponent(".run-\(counter).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = scratch
        process.standardOutput = outHandle
        process.standardError = errHandle

        var feeder: Thread?
        var inputHandle: FileHandle?
        let pipe = Pipe()
        switch input {
        case .none:
            process.standardInput = FileHandle.nullDevice
        case .file(let url):
            let handle = try FileHandle(forReadingFrom: url)
            inputHandle = handle
            process.standardInput = handle
        case .pipe(let data):
            E2E.ignoreSIGPIPE
            process.standardInput = pipe
            let writer = pipe.fileHandleForWriting
            feeder = Thread {
                // A reader that stops early closes its end: write errors are not ours to report.
                try? writer.write(contentsOf: data)
                try? writer.close()
            }
        }

        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if case .pipe = input { try? pipe.fileHandleForReading.close() }
        feeder?.start()
        if finished.wait(timeout: .now() + E2E.timeout) == .timedOut {
            process.terminate()
            process.waitUntilExit()
            throw E2EError("\(executable.lastPathComponent) \(arguments.prefix(6).joined(separator: " ")) hung for \(E2E.timeout) s")
        }
        process.waitUntilExit()
        try? inputHandle?.close()
        try outHandle.synchronize()
        return RunResult(
            status: process.terminationStatus,
            stdoutData: try Data(contentsOf: outURL),
            stderrData: try Data(contentsOf: errURL),
            command: arguments
        )
    }
}

// Small helpers for JSON values read with JSONSerialization.
extension Dictionary where Key == String, Value == Any {
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue ?? (self[key] as? Int) }
    func string(_ key: String) -> String? { self[key] as? String }
    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    func array(_ key: String) -> [[String: Any]]? { self[key] as? [[String: Any]] }
    func isNull(_ key: String) -> Bool { self[key] is NSNull }
}

/// Serializes a JSON object (sorted keys, so the output is stable) as one line.
func jsonLine(_ object: [String: Any]) -> String {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}
