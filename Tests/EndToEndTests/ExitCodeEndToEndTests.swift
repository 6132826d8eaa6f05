import CRMTestSupport
import Foundation
import Testing

/// SPEC §3 "Exit codes" and the error line format, through the real binary.
@Suite("E2E: exit codes and error lines")
struct ExitCodeEndToEndTests {
    /// A database with one lead (id 1), at a fixed clock.
    func sandboxWithLead() throws -> Sandbox {
        let box = try Sandbox(name: "exit")
        box.at("2026-11-24T08:00:00Z")
        try box.ok(["init"])
        let id = try box.create(["lead", "create", "--title", "Clara", "--phone", "+49 30 555 0101"])
        #expect(id == 1)
        return box
    }

    /// The text error line: exactly `crmctl: error: MESSAGE` lines on stderr, nothing on stdout.
    func expectTextError(_ result: ProcessResult, exit code: Int32, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == code, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "stdout must stay empty on error: \(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("crmctl: error: "), "\(result)", sourceLocation: sourceLocation)
    }

    @Test("exit 0: init, create, show")
    func success() throws {
        let box = try sandboxWithLead()
        let again = try box.run("init")
        #expect(again.status == 0, "init is idempotent: \(again)")
        let show = try box.run("element", "show", "1", "--json")
        #expect(show.status == 0, "\(show)")
        #expect(try show.jsonObject().string("title") == "Clara")
    }

    @Test("exit 64: an unknown flag, and nothing is created")
    func unknownFlag() throws {
        let box = try sandboxWithLead()
        let result = try box.run("lead", "create", "--title", "Jonas", "--no-such-flag")
        expectTextError(result, exit: 64)
        let list = try box.ok(["element", "list", "--json"]).jsonArray()
        #expect(list.count == 1, "a refused command must not create the lead: \(list)")
    }

    @Test("exit 64: lead create without --title")
    func missingTitle() throws {
        let box = try sandboxWithLead()
        expectTextError(try box.run("lead", "create", "--email", "x@example.com"), exit: 64)
        expectTextError(try box.run("deal", "create"), exit: 64)
        #expect(try box.ok(["element", "list", "--json"]).jsonArray().count == 1)
    }

    @Test("exit 65: trigger add with an unknown trigger code")
    func unknownTriggerCode() throws {
        let box = try sandboxWithLead()
        let result = try box.run("trigger", "add", "--on", "call.lost", "--pipeline", "lead", "--stage", "IN_PROCESS")
        expectTextError(result, exit: 65)
        #expect(try box.ok(["trigger", "list", "--json"]).jsonArray().isEmpty)
    }

    @Test("exit 65: event inject with invalid --data JSON stores nothing")
    func invalidDataJSON() throws {
        let box = try sandboxWithLead()
        for data in ["{bad", "{\"line\":", "[1,2", "{\"a\":1}}"] {
            let result = try box.run("event", "inject", "--type", "call.missed", "--element", "1", "--data", data)
            expectTextError(result, exit: 65)
        }
        #expect(try box.ok(["event", "list", "--json"]).jsonArray().isEmpty)
    }

    @Test("exit 66: element show 999")
    func elementNotFound() throws {
        let box = try sandboxWithLead()
        expectTextError(try box.run("element", "show", "999"), exit: 66)
    }

    @Test("exit 74: a file of random bytes as --db, left as it was", .sqliteOnly)
    func randomBytesDatabase() throws {
        let box = try Sandbox(name: "exit74")
        var generator = SplitMix64(seed: 74)
        // Not starting with the SQLite header, and long enough to look like pages.
        var bytes = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = 0x42
        let file = box.path("random.db")
        try Data(bytes).write(to: file)
        for arguments in [["element", "list"], ["init"], ["lead", "create", "--title", "X"]] {
            let result = try box.run(arguments + ["--db", file.path])
            expectTextError(result, exit: 74)
        }
        // --db given before the subcommand and via $CRMCTL_DB.
        expectTextError(try box.run("--db", file.path, "element", "list"), exit: 74)
        expectTextError(try box.run(["element", "list"], env: ["CRMCTL_DB": file.path]), exit: 74)
        #expect(try Data(contentsOf: file) == Data(bytes), "the foreign file must not be changed")
    }

    @Test("exit 74: a database that cannot be created or opened; a new one is created with mode 0600", .sqliteOnly)
    func databaseCannotBeCreated() throws {
        let box = try Sandbox(name: "exit74c")
        expectTextError(try box.run("init", "--db", box.path("missing-dir/crm.db").path), exit: 74)
        #expect(!FileManager.default.fileExists(atPath: box.path("missing-dir").path))
        let directory = box.path("a-directory")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        expectTextError(try box.run("element", "list", "--db", directory.path), exit: 74)
        let json = try box.run("lead", "create", "--title", "X", "--db", directory.path, "--json")
        #expect(json.status == 74 && json.stdout.isEmpty && json.stderrLines.count == 1, "\(json)")

        // The default: created on first use, mode 0600 (SPEC §1).
        try box.create(["lead", "create", "--title", "First"])
        let mode = try FileManager.default.attributesOfItem(atPath: box.db)[.posixPermissions] as? Int
        #expect(mode == 0o600, "mode \(String(mode ?? -1, radix: 8))")
    }

    @Test("exit 74: a database with user_version 99 (newer crmctl) is refused and left byte-for-byte untouched",
          .sqliteOnly, arguments: ["plain", "crmctl"])
    func newerSchema(origin: String) throws {
        let box = try Sandbox(name: "exit74v")
        let file = box.path("newer.db")
        if origin == "plain" {
            // A database made with the sqlite3 shell only.
            let made = try box.sqlite(file, "CREATE TABLE future(x); INSERT INTO future VALUES (1); PRAGMA user_version=99;")
            #expect(made.status == 0, "\(made)")
        } else {
            // A crmctl database that a newer crmctl has migrated to version 99.
            try box.ok(["init", "--db", file.path])
            try box.ok(["lead", "create", "--title", "Kept", "--db", file.path])
            let made = try box.sqlite(file, "PRAGMA user_version=99;")
            #expect(made.status == 0, "\(made)")
        }
        let version = try box.sqlite(file, "PRAGMA user_version;")
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "99")
        let before = try Data(contentsOf: file)
        let attributesBefore = try FileManager.default.attributesOfItem(atPath: file.path)

        for arguments in [["element", "list"], ["init"], ["lead", "create", "--title", "X"],
                          ["event", "inject", "--type", "call.missed", "--element", "1"]] {
            let result = try box.run(arguments + ["--db", file.path])
            expectTextError(result, exit: 74)
        }
        let json = try box.run("--json", "init", "--db", file.path)
        #expect(json.status == 74, "\(json)")
        #expect(json.stdout.isEmpty)

        #expect(try Data(contentsOf: file) == before, "a newer database must be left byte-for-byte untouched")
        let attributesAfter = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect(attributesAfter[.posixPermissions] as? Int == attributesBefore[.posixPermissions] as? Int)
        // No journal of an attempted write left behind either.
        for suffix in ["-journal", "-wal"] {
            let side = file.path + suffix
            if let size = (try? FileManager.default.attributesOfItem(atPath: side))?[.size] as? Int {
                #expect(size == 0, "\(side) has \(size) bytes: something was written")
            }
        }
        let still = try box.sqlite(file, "PRAGMA user_version;")
        #expect(still.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "99")
    }

    /// Each failing command with `--json`: exactly one JSON line on stderr, stdout empty.
    struct JSONErrorCase: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var exit: Int32
        var codes: Set<String>
        var testDescription: String { name }
    }

    static let jsonErrorCases: [JSONErrorCase] = [
        .init(name: "unknown flag", arguments: ["lead", "create", "--title", "X", "--no-such-flag", "--json"], exit: 64, codes: ["usage"]),
        .init(name: "missing --title", arguments: ["--json", "lead", "create"], exit: 64, codes: ["usage"]),
        .init(name: "unknown trigger code", arguments: ["trigger", "add", "--on", "nope", "--pipeline", "lead", "--stage", "IN_PROCESS", "--json"], exit: 65, codes: ["invalid"]),
        .init(name: "invalid --data JSON", arguments: ["--json", "event", "inject", "--type", "call.missed", "--element", "1", "--data", "{bad"], exit: 65, codes: ["invalid", "invalid_json"]),
        .init(name: "element show 999", arguments: ["element", "show", "999", "--json"], exit: 66, codes: ["not_found"]),
        .init(name: "database from random bytes", arguments: ["element", "list", "--json", "--db", "RANDOM"], exit: 74, codes: ["database"]),
        .init(name: "database from a newer crmctl", arguments: ["--json", "--db", "NEWER", "element", "list"], exit: 74, codes: ["database"]),
    ]

    @Test("--json errors: one JSON line on stderr, stdout empty", arguments: jsonErrorCases)
    func jsonErrors(_ testCase: JSONErrorCase) throws {
        let box = try sandboxWithLead()
        let random = box.path("random.db")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }).write(to: random)
        let newer = box.path("newer.db")
        #expect(try box.sqlite(newer, "CREATE TABLE t(x); PRAGMA user_version=99;").status == 0)
        let arguments = testCase.arguments.map { $0 == "RANDOM" ? random.path : $0 == "NEWER" ? newer.path : $0 }

        let result = try box.run(arguments)
        #expect(result.status == testCase.exit, "\(result)")
        #expect(result.stdout.isEmpty, "stdout must be empty: \(result)")
        #expect(result.stderr.hasSuffix("\n"), "\(result)")
        let lines = result.stderrLines
        #expect(lines.count == 1, "exactly one line on stderr: \(result)")
        guard let line = lines.first else { return }
        let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(parsed != nil, "stderr is not a JSON object: \(line)")
        #expect(parsed?.keys.sorted() == ["error"], "\(line)")
        let error = parsed?.object("error")
        #expect(testCase.codes.contains(error?.string("code") ?? "-"), "expected code \(testCase.codes): \(line)")
        #expect((error?.string("message") ?? "").isEmpty == false, "\(line)")
    }
}

/// A small seeded generator so generated inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
