import CRMCommands
import Foundation
import Testing

/// What one in-process crmctl run left behind.
public struct Run: CustomStringConvertible {
    public let code: Int32
    public let out: String
    public let err: String

    public var description: String { "exit \(code)\n--- stdout\n\(out)--- stderr\n\(err)" }

    /// stdout as one JSON document (object or array).
    public var json: Any? { parseJSON(out) }
    public var object: [String: Any] { (json as? [String: Any]) ?? [:] }
    public var array: [[String: Any]] { (json as? [Any])?.compactMap { $0 as? [String: Any] } ?? [] }
    /// stdout as NDJSON: one object per line.
    public var lines: [[String: Any]] { ndjson(out) }
    /// stderr's one JSON error line (`--json` errors).
    public var errorObject: [String: Any] { ((parseJSON(err) as? [String: Any])?["error"] as? [String: Any]) ?? [:] }
    /// The single line of stdout, trimmed (ids printed by create commands).
    public var trimmed: String { out.trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// A crmctl run in this process (`CRMCtl.run` with memory streams), on its own database in its own
/// temporary directory (tests run in parallel).
public final class CLI: @unchecked Sendable {
    private let directory: TempDir
    public var dir: String { directory.path }
    /// `--db` of every run: the file crm.db in the directory, or a schema of its own in the PostgreSQL pass
    /// (`TestDatabase`).
    public let db: String
    /// The default clock (CRMCTL_NOW) of every run unless a run gives its own.
    public var now: String = "2026-11-24T09:00:00Z"

    public init() {
        directory = TempDir(prefix: "crmctl-test")
        db = TestDatabase.new("crm.db", in: directory)
    }

    public func path(_ name: String) -> String { directory.file(name) }

    /// Another new database of this test's (see `db`): the file `name` in the directory, or a new schema.
    public func newDatabase(_ name: String) -> String { TestDatabase.new(name, in: directory) }

    /// What the database holds, to compare before and after a run that must write nothing: the bytes of the
    /// file and of its log, or on a server every row (`DatabaseShell.contents`).
    public func storedState() throws -> [[UInt8]?] {
        guard TestDatabase.isPostgres else { return [fileBytes(db), fileBytes(db + "-wal")] }
        return [Array(try DatabaseShell.contents(db, directory: directory.url).utf8)]
    }

    /// Runs `crmctl ARGS --db DB` with CRMCTL_NOW set.
    @discardableResult
    public func run(_ args: String..., stdin: String = "", now: String? = nil, env: [String: String] = [:]) -> Run {
        runArgs(args + ["--db", db], stdin: stdin, now: now, env: env)
    }

    /// Runs exactly `args` (no `--db` added).
    @discardableResult
    public func runArgs(
        _ args: [String], stdin: String = "", stdinBytes: [UInt8]? = nil, now: String? = nil, env: [String: String] = [:]
    ) -> Run {
        var environment = env
        if environment["CRMCTL_NOW"] == nil { environment["CRMCTL_NOW"] = now ?? self.now }
        let io = ProcessIO.memory(input: stdinBytes ?? Array(stdin.utf8), environment: environment)
        let code = CRMCtl.run(args, io: io)
        return Run(code: code, out: io.output.text, err: io.errors.text)
    }

    // MARK: shortcuts that must succeed

    /// Creates a lead and returns its id.
    public func lead(_ title: String = "Lead", _ extra: String..., now: String? = nil) -> Int {
        created(runArgs(["lead", "create", "--title", title] + extra + ["--db", db], now: now))
    }

    /// Creates a deal and returns its id.
    public func deal(_ title: String = "Deal", _ extra: String..., now: String? = nil) -> Int {
        created(runArgs(["deal", "create", "--title", title] + extra + ["--db", db], now: now))
    }

    /// Adds a trigger and returns its id.
    public func trigger(_ args: String...) -> Int { triggerArgs(args) }

    public func triggerArgs(_ args: [String]) -> Int {
        created(runArgs(["trigger", "add"] + args + ["--db", db]))
    }

    /// `event inject ... --json` that must be accepted; returns the result object.
    public func inject(_ args: String..., now: String? = nil) -> [String: Any] {
        let run = runArgs(["event", "inject"] + args + ["--json", "--db", db], now: now)
        #expect(run.code == 0, "\(run)")
        #expect(run.err.isEmpty, "\(run)")
        return run.object
    }

    public func element(_ id: Int) -> [String: Any] {
        let run = runArgs(["element", "show", String(id), "--json", "--db", db])
        #expect(run.code == 0, "\(run)")
        return run.object
    }

    public func stage(_ id: Int) -> String? { element(id)["stage"] as? String }

    public func history(_ id: Int) -> [[String: Any]] {
        let run = runArgs(["history", String(id), "--json", "--db", db])
        #expect(run.code == 0, "\(run)")
        return run.array
    }

    public func events(_ extra: String...) -> [[String: Any]] {
        let run = runArgs(["event", "list", "--json"] + extra + ["--db", db])
        #expect(run.code == 0, "\(run)")
        return run.array
    }

    private func created(_ run: Run) -> Int {
        #expect(run.code == 0, "\(run)")
        #expect(run.err.isEmpty, "\(run)")
        guard let id = Int(run.trimmed) else {
            Issue.record("expected an id alone on stdout: \(run)")
            return -1
        }
        return id
    }
}
