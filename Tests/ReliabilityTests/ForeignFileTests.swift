import CRMTestSupport
import Foundation
import Testing

// crmctl pointed at the wrong file: it refuses with exit 74, says why, and leaves the file as it was.

@Suite("Reliability: foreign and unusable database files", .sqliteOnly)
struct ForeignFileTests {
    /// Commands that would read or write the database; each must be refused.
    static func commands(_ scratch: Scratch) throws -> [(arguments: [String], stdin: RunInput)] {
        let batch = scratch.path("batch.ndjson")
        try Data((#"{"key":"f-1","type":"custom","element":1,"data":{"code":"x"}}"# + "\n").utf8).write(to: batch)
        return [
            (["init"], .none),
            (["lead", "create", "--title", "x"], .none),
            (["element", "list"], .none),
            (["element", "show", "1"], .none),
            (["pipeline", "list"], .none),
            (["history", "1"], .none),
            (["event", "inject", "--type", "custom", "--element", "1", "--set", "code=x"], .none),
            (["event", "ingest", batch.path], .none),
            (["element", "import"], .bytes(Data(#"{"type":"lead","title":"x"}"#.utf8))),
            (["trigger", "add", "--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS"], .none),
        ]
    }

    static func sidecars(_ db: URL) -> [String] {
        ["-wal", "-shm", "-journal"].filter { fileExists(URL(fileURLWithPath: db.path + $0)) }
    }

    /// Runs every command against `db` and checks: exit 74, an error message (containing `says` if
    /// given), and the file byte-for-byte as before with no sidecar files left.
    static func expectRefusedUntouched(_ scratch: Scratch, _ db: URL, says: String? = nil,
                                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let original = try Data(contentsOf: db)
        let sidecarsBefore = sidecars(db)
        for (arguments, stdin) in try commands(scratch) {
            let outcome = try scratch.run(arguments + ["--db", db.path], stdin: stdin)
            #expect(outcome.exited(74), "expected exit 74: \(outcome)", sourceLocation: sourceLocation)
            #expect(outcome.stderr.hasPrefix("crmctl: error: ") && outcome.stderr.count > 20, "a message: \(outcome)",
                    sourceLocation: sourceLocation)
            if let says {
                #expect(outcome.stderr.contains(says), "the message says \"\(says)\": \(outcome)", sourceLocation: sourceLocation)
            }
            #expect(outcome.stdout.isEmpty, "nothing on stdout: \(outcome)", sourceLocation: sourceLocation)
            let now = try Data(contentsOf: db)
            #expect(now == original, "\(arguments.prefix(2).joined(separator: " ")) changed the file (\(original.count) → \(now.count) bytes, first difference at byte \(Array(zip(original, now)).firstIndex { $0 != $1 } ?? min(original.count, now.count)))",
                    sourceLocation: sourceLocation)
            #expect(sidecars(db) == sidecarsBefore, "\(arguments.prefix(2).joined(separator: " ")) left \(sidecars(db))",
                    sourceLocation: sourceLocation)
            if now != original || sidecars(db) != sidecarsBefore {
                // Put the file back, so that each command is judged on the original.
                for suffix in sidecars(db) where !sidecarsBefore.contains(suffix) {
                    try? FileManager.default.removeItem(atPath: db.path + suffix)
                }
                try original.write(to: db)
            }
        }
        let json = try scratch.run(["lead", "create", "--title", "x", "--json", "--db", db.path])
        #expect(json.exited(74), "\(json)", sourceLocation: sourceLocation)
        let error = try? JSONSerialization.jsonObject(with: json.stderrData) as? [String: Any]
        #expect(error?.object("error")?.string("code") == "database", "JSON error: \(json)", sourceLocation: sourceLocation)
        #expect(try Data(contentsOf: db) == original, sourceLocation: sourceLocation)
    }

    @Test("a database from a newer crmctl (user_version ahead): exit 74, byte-for-byte untouched",
          arguments: ["wal", "delete"])
    func newerSchemaVersion(journalMode: String) throws {
        let scratch = try Scratch("newer-\(journalMode)")
        let db = URL(fileURLWithPath: scratch.db)
        try scratch.ok(["lead", "create", "--title", "from an older crmctl"])
        let current = try scratch.scalar(db.path, "PRAGMA user_version;")
        #expect(current >= 1)
        try scratch.sql(db.path, "PRAGMA journal_mode = \(journalMode.uppercased()); PRAGMA user_version = \(current + 1);")
        #expect(ForeignFileTests.sidecars(db).isEmpty)
        try Self.expectRefusedUntouched(scratch, db, says: "newer")
        #expect(try scratch.scalar(db.path, "PRAGMA user_version;") == current + 1)
    }

    @Test("random bytes, or an SQLite header followed by garbage: exit 74 with a message, file untouched")
    func randomBytes() throws {
        let scratch = try Scratch("random")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ count: Int) -> Data {
            Data((0..<count).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 56)
            })
        }
        let files: [(String, Data)] = [
            ("random-16k.db", random(16 * 1024)),
            ("random-100.db", random(100)),
            ("header-then-garbage.db", Data("SQLite format 3\0".utf8) + random(8192)),
            ("text.db", Data("name,email\nClara,clara@example.com\n".utf8)),
        ]
        for (name, content) in files {
            let db = scratch.path(name)
            try content.write(to: db)
            try Self.expectRefusedUntouched(scratch, db)
        }
    }

    @Test("a database path that cannot be created: exit 74 with a message, nothing created")
    func uncreatablePath() throws {
        let scratch = try Scratch("uncreatable")
        // Tests run as root, which ignores permission bits: use places no one can create a file in.
        let regularFile = scratch.path("afile")
        try Data("not a directory\n".utf8).write(to: regularFile)
        let directory = scratch.path("adir")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let paths = [
            regularFile.appendingPathComponent("crm.db"),
            scratch.path("missing").appendingPathComponent("deeper").appendingPathComponent("crm.db"),
            directory,
        ]
        for db in paths {
            for (arguments, stdin) in try Self.commands(scratch) {
                let outcome = try scratch.run(arguments + ["--db", db.path], stdin: stdin)
                #expect(outcome.exited(74), "expected exit 74: \(outcome)")
                #expect(outcome.stderr.hasPrefix("crmctl: error: ") && outcome.stderr.count > 20, "a message: \(outcome)")
                #expect(outcome.stdout.isEmpty, "\(outcome)")
            }
            // Through $CRMCTL_DB as well, and with --json.
            let viaEnvironment = try scratch.run(["lead", "create", "--title", "x", "--json"], env: ["CRMCTL_DB": db.path])
            #expect(viaEnvironment.exited(74), "\(viaEnvironment)")
            let error = try? JSONSerialization.jsonObject(with: viaEnvironment.stderrData) as? [String: Any]
            #expect(error?.object("error")?.string("code") == "database", "\(viaEnvironment)")
        }
        #expect(try Data(contentsOf: regularFile) == Data("not a directory\n".utf8))
        #expect(!fileExists(scratch.path("missing")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("an SQLite database of another program: exit 74, and its file is left byte-for-byte as it was")
    func otherProgramsDatabase() throws {
        let scratch = try Scratch("other-program")
        let db = scratch.path("notes.db")
        try scratch.sql(db.path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me');")
        try Self.expectRefusedUntouched(scratch, db, says: "another program")
        #expect(try scratch.sql(db.path, "SELECT body FROM notes;") == "keep me\n")
        #expect(try scratch.sql(db.path, "PRAGMA journal_mode;") == "delete\n", "the other program's journal mode was changed")
    }
}
