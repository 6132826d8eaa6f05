import Foundation
import Testing

@testable import CRMCommands

/// What one in-process crmctl run left behind.
struct Run: CustomStringConvertible {
    let code: Int32
    let out: String
    let err: String

    var description: String { "exit \(code)\n--- stdout\n\(out)--- stderr\n\(err)" }

    /// stdout as one JSON document (object or array).
    var json: Any? { parseJSON(out) }
    var object: [String: Any] { (json as? [String: Any]) ?? [:] }
    var array: [[String: Any]] { (json as? [Any])?.compactMap { $0 as? [String: Any] } ?? [] }
    /// stdout as NDJSON: one object per line.
    var lines: [[String: Any]] { ndjson(out) }
    /// stderr's one JSON error line (`--json` errors).
    var errorObject: [String: Any] { ((parseJSON(err) as? [String: Any])?["error"] as? [String: Any]) ?? [:] }
    /// The single line of stdout, trimmed (ids printed by create commands).
    var trimmed: String { out.trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// A crmctl on its own database in its own temporary directory (tests run in parallel).
final class CLI: @unchecked Sendable {
    let dir: String
    let db: String
    /// The default clock (CRMCTL_NOW) of every run unless a run gives its own.
    var now: String = "2026-11-24T09:00:00Z"

    init(file: String = "crm.db") {
        dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("crmctl-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        db = (dir as NSString).appendingPathComponent(file)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }

    /// Runs `crmctl ARGS --db DB` with CRMCTL_NOW set.
    @discardableResult
    func run(_ args: String..., stdin: String = "", now: String? = nil, env: [String: String] = [:]) -> Run {
        runArgs(args + ["--db", db], stdin: stdin, now: now, env: env)
    }

    /// Runs exactly `args` (no `--db` added).
    @discardableResult
    func runArgs(
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
    func lead(_ title: String = "Lead", _ extra: String..., now: String? = nil) -> Int {
        created(runArgs(["lead", "create", "--title", title] + extra + ["--db", db], now: now))
    }

    /// Creates a deal and returns its id.
    func deal(_ title: String = "Deal", _ extra: String..., now: String? = nil) -> Int {
        created(runArgs(["deal", "create", "--title", title] + extra + ["--db", db], now: now))
    }

    /// Adds a trigger and returns its id.
    func trigger(_ args: String...) -> Int { triggerArgs(args) }

    func triggerArgs(_ args: [String]) -> Int {
        created(runArgs(["trigger", "add"] + args + ["--db", db]))
    }

    /// `event inject ... --json` that must be accepted; returns the result object.
    func inject(_ args: String..., now: String? = nil) -> [String: Any] {
        let run = runArgs(["event", "inject"] + args + ["--json", "--db", db], now: now)
        #expect(run.code == 0, "\(run)")
        #expect(run.err.isEmpty, "\(run)")
        return run.object
    }

    func element(_ id: Int) -> [String: Any] {
        let run = runArgs(["element", "show", String(id), "--json", "--db", db])
        #expect(run.code == 0, "\(run)")
        return run.object
    }

    func stage(_ id: Int) -> String? { element(id)["stage"] as? String }

    func history(_ id: Int) -> [[String: Any]] {
        let run = runArgs(["history", String(id), "--json", "--db", db])
        #expect(run.code == 0, "\(run)")
        return run.array
    }

    func events(_ extra: String...) -> [[String: Any]] {
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

func parseJSON(_ text: String) -> Any? {
    guard let data = text.data(using: .utf8), !text.isEmpty else { return nil }
    return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
}

func ndjson(_ text: String) -> [[String: Any]] {
    text.split(separator: "\n", omittingEmptySubsequences: true).map { line in
        (parseJSON(String(line)) as? [String: Any]) ?? ["unparsable": String(line)]
    }
}

/// A JSON integer (NSNumber that is not a Bool).
func int(_ value: Any?) -> Int? {
    guard let number = value as? NSNumber, !isBool(value) else { return nil }
    return number.intValue
}

func str(_ value: Any?) -> String? { value as? String }

func isBool(_ value: Any?) -> Bool {
    guard let number = value as? NSNumber else { return false }
    return String(cString: number.objCType) == "c"
}

func bool(_ value: Any?) -> Bool? { isBool(value) ? (value as? Bool) : nil }

func isNull(_ value: Any?) -> Bool { value is NSNull }

/// The moves of an event result as (trigger, from, to).
func moves(_ result: [String: Any]) -> [(trigger: Int, from: String, to: String)] {
    ((result["moves"] as? [Any]) ?? []).compactMap { item in
        guard let move = item as? [String: Any], let trigger = int(move["trigger"]),
            let from = str(move["from"]), let to = str(move["to"])
        else { return nil }
        return (trigger, from, to)
    }
}

/// "FROM>TO" per move, for compact comparisons.
func movePath(_ result: [String: Any]) -> [String] { moves(result).map { "\($0.from)>\($0.to)" } }

func keys(_ object: [String: Any]) -> Set<String> { Set(object.keys) }

/// Expects every key of `required` in `object`.
func expectKeys(_ object: [String: Any], _ required: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let wanted = Set(required.split(separator: " ").map(String.init))
    let missing = wanted.subtracting(object.keys)
    #expect(missing.isEmpty, "missing keys \(missing.sorted()) in \(object)", sourceLocation: sourceLocation)
}

/// The verdicts of one signal in an `event explain --json` object: trigger id → verdict.
func verdicts(_ explanation: [String: Any], signal: String) -> [Int: String] {
    var result: [Int: String] = [:]
    for item in (explanation["signals"] as? [Any]) ?? [] {
        guard let entry = item as? [String: Any], str(entry["signal"]) == signal else { continue }
        for verdict in (entry["verdicts"] as? [Any]) ?? [] {
            guard let verdict = verdict as? [String: Any], let id = int(verdict["trigger"]) else { continue }
            result[id] = str(verdict["verdict"])
        }
    }
    return result
}

func fileBytes(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { Array($0) }
}

func fileMode(_ path: String) -> Int? {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
        let mode = attributes[.posixPermissions] as? NSNumber
    else { return nil }
    return mode.intValue & 0o777
}
