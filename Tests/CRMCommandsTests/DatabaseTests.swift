import CRMStoreSQLite
import CRMTestSupport
import Foundation
import SQLiteDB
import Testing

@testable import CRMCommands

/// SPEC §1: the database file, its schema and version, its mode, and how it is named. The tests about the
/// file itself (`.sqliteOnly`) have no PostgreSQL counterpart; the others run on both.
@Suite struct DatabaseTests {
    static let schemaFile = TestPaths.file("schema.sql").path

    /// The objects of a database, without rootpage (which depends on creation order).
    static func schemaRows(_ path: String) throws -> [String] {
        let db = try Connection(path: path, busyTimeoutMilliseconds: 1000)
        return try db.cached("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").rows {
            "\($0.string(0))|\($0.string(1))|\($0.string(2))|\($0.text(3) ?? "NULL")"
        }
    }

    static func userVersion(_ path: String) throws -> Int64? {
        let db = try Connection(path: path, busyTimeoutMilliseconds: 1000)
        return try db.scalarInt64("PRAGMA user_version")
    }

    @Test func initCreatesTheFileAndIsIdempotent() throws {
        let cli = CLI()
        let first = cli.run("init")
        #expect(first.code == 0, "\(first)")
        #expect(first.err.isEmpty)
        #expect(TestDatabase.isPostgres || FileManager.default.fileExists(atPath: cli.db))
        let lead = cli.lead("Kept across init")
        let second = cli.run("init")
        #expect(second.code == 0, "\(second)")
        #expect(second.err.isEmpty)
        // Idempotent: the data is still there, no pipeline was added twice.
        #expect(cli.element(lead)["title"] as? String == "Kept across init")
        let pipelines = cli.run("pipeline", "list", "--json")
        #expect(pipelines.array.count == 2, "\(pipelines)")
        let json = cli.run("init", "--json")
        #expect(json.code == 0)
        #expect(parseJSON(json.out) is [String: Any], "init --json prints one JSON document: \(json)")
    }

    /// SPEC §10: a URI names a server, never a file: one that cannot be reached is 74, and no file is made.
    @Test func aServerURIIsNotTakenForAFileName() {
        let cli = CLI()
        for uri in ["postgresql://crm@127.0.0.1:1/crm", "postgres:///crm?host=/nonexistent"] {
            let run = cli.runArgs(["element", "list", "--db", uri])
            #expect(run.code == 74 && run.err.hasPrefix("crmctl: error: cannot use the database \(uri): "), "\(run)")
        }
        #expect(!FileManager.default.fileExists(atPath: "postgresql:") && !FileManager.default.fileExists(atPath: "postgres:"))
    }

    @Test func anyCommandCreatesTheDatabaseOnFirstUse() {
        let cli = CLI()
        let run = cli.run("pipeline", "list", "--json")
        #expect(run.code == 0, "\(run)")
        #expect(run.array.map { int($0["id"]) } == [1, 2])
        #expect(TestDatabase.isPostgres || FileManager.default.fileExists(atPath: cli.db))
    }

    @Test func defaultPipelinesAreExactlyThoseOfSpec() {
        let cli = CLI()
        let list = cli.run("pipeline", "list", "--json")
        #expect(list.code == 0)
        #expect(list.err.isEmpty)
        let pipelines = list.array
        #expect(pipelines.count == 2)
        for pipeline in pipelines { expectKeys(pipeline, "id type name stages") }

        func stages(_ pipeline: [String: Any]) -> [String] {
            ((pipeline["stages"] as? [Any]) ?? []).compactMap { item in
                guard let stage = item as? [String: Any] else { return nil }
                return "\(stage["code"] as? String ?? "?")|\(stage["name"] as? String ?? "?")|\(stage["semantic"] as? String ?? "?")"
            }
        }
        let lead = pipelines.first { int($0["id"]) == 1 } ?? [:]
        #expect(str(lead["type"]) == "lead")
        #expect(str(lead["name"]) == "Leads")
        #expect(
            stages(lead) == [
                "NEW|Unprocessed|process", "IN_PROCESS|In progress|process", "PROCESSED|Processed|process",
                "CONVERTED|Good lead|success", "JUNK|Junk lead|failure",
            ])
        let deal = pipelines.first { int($0["id"]) == 2 } ?? [:]
        #expect(str(deal["type"]) == "deal")
        #expect(str(deal["name"]) == "General")
        #expect(
            stages(deal) == [
                "NEW|New|process", "PREPARATION|Preparing documents|process",
                "PREPAYMENT_INVOICE|Prepayment invoice|process", "EXECUTING|In progress|process",
                "FINAL_INVOICE|Final invoice|process", "WON|Won|success", "LOSE|Lost|failure",
            ])
        // `lead` and `deal` name the type's first pipeline; a number names one by id.
        #expect(int(cli.run("pipeline", "show", "lead", "--json").object["id"]) == 1)
        #expect(int(cli.run("pipeline", "show", "deal", "--json").object["id"]) == 2)
        #expect(str(cli.run("pipeline", "show", "2", "--json").object["name"]) == "General")
    }

    @Test(.sqliteOnly) func newDatabaseHasExactlyTheSchemaOfSchemaSQL() throws {
        let cli = CLI()
        #expect(cli.run("init").code == 0)
        let reference = cli.path("reference.db")
        do {
            let db = try Connection(path: reference, busyTimeoutMilliseconds: 1000)
            let sql = try String(contentsOfFile: DatabaseTests.schemaFile, encoding: .utf8)
            try db.execute(sql)
        }
        let made = try DatabaseTests.schemaRows(cli.db)
        let expected = try DatabaseTests.schemaRows(reference)
        #expect(!expected.isEmpty)
        #expect(made == expected)
        #expect(try DatabaseTests.userVersion(cli.db) == SQLiteStore.schemaVersion)
        #expect(try DatabaseTests.userVersion(reference) == SQLiteStore.schemaVersion)
        // The file is in WAL mode (SPEC §1).
        let db = try Connection(path: cli.db, busyTimeoutMilliseconds: 1000)
        #expect(try db.scalarText("PRAGMA journal_mode")?.lowercased() == "wal")
    }

    @Test(.sqliteOnly) func databaseFromNewerCrmctlIsRefusedAndLeftUntouched() throws {
        let cli = CLI()
        do {
            let db = try Connection(path: cli.db, busyTimeoutMilliseconds: 1000)
            try db.execute("CREATE TABLE future (x INTEGER); INSERT INTO future VALUES (1); PRAGMA user_version = 99;")
        }
        let before = fileBytes(cli.db)
        #expect(before != nil)
        for args in [["init"], ["lead", "create", "--title", "X"], ["pipeline", "list"]] {
            let run = cli.runArgs(args + ["--db", cli.db])
            #expect(run.code == 74, "\(args): \(run)")
            #expect(run.out.isEmpty, "\(run)")
            #expect(run.err.hasPrefix("crmctl: error: "), "\(run)")
        }
        let json = cli.run("init", "--json")
        #expect(json.code == 74)
        #expect(str(json.errorObject["code"]) == "database", "\(json)")
        let unchanged = fileBytes(cli.db) == before
        #expect(unchanged, "the file of a newer crmctl must stay byte-for-byte untouched")
        #expect(!FileManager.default.fileExists(atPath: cli.db + "-wal"))
    }

    @Test(.sqliteOnly) func randomBytesAreRefusedWithAMessage() {
        let cli = CLI()
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
        _ = FileManager.default.createFile(atPath: cli.db, contents: Data(garbage))
        let run = cli.run("lead", "create", "--title", "X")
        #expect(run.code == 74, "\(run)")
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("crmctl: error: "), "\(run)")
        #expect(run.err.count > "crmctl: error: \n".count)
        let unchanged = fileBytes(cli.db) == garbage
        #expect(unchanged, "a file that is not a database is left as it was")
    }

    @Test(.sqliteOnly) func databaseOfAnotherProgramIsRefused() throws {
        let cli = CLI()
        do {
            let db = try Connection(path: cli.db, busyTimeoutMilliseconds: 1000)
            try db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine');")
        }
        let run = cli.run("lead", "create", "--title", "X")
        #expect(run.code == 74, "\(run)")
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("crmctl: error: "), "\(run)")
        let db = try Connection(path: cli.db, busyTimeoutMilliseconds: 1000)
        #expect(try db.scalarText("SELECT body FROM notes") == "mine")
        #expect(try db.scalarInt64("SELECT count(*) FROM sqlite_schema WHERE name = 'elements'") == 0)
    }

    @Test(.sqliteOnly) func databaseThatCannotBeCreatedIs74() {
        let cli = CLI()
        let run = cli.runArgs(["init", "--db", cli.path("no/such/dir/crm.db")])
        #expect(run.code == 74, "\(run)")
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("crmctl: error: "))
    }

    @Test(.sqliteOnly) func databaseFilesArePrivate() throws {
        let cli = CLI()
        #expect(cli.run("init").code == 0)
        #expect(fileMode(cli.db) == 0o600)
        // Hold the database open so that its -wal and -shm files exist while crmctl writes.
        let holder = try Connection(path: cli.db, busyTimeoutMilliseconds: 1000)
        _ = try holder.scalarInt64("SELECT count(*) FROM elements")
        _ = cli.lead("With WAL open")
        #expect(FileManager.default.fileExists(atPath: cli.db + "-wal"))
        #expect(FileManager.default.fileExists(atPath: cli.db + "-shm"))
        #expect(fileMode(cli.db) == 0o600)
        #expect(fileMode(cli.db + "-wal") == 0o600)
        #expect(fileMode(cli.db + "-shm") == 0o600)
        _ = holder
    }

    @Test func dbOptionBeforeOrAfterTheSubcommand() {
        let cli = CLI()
        let before = cli.runArgs(["--db", cli.db, "lead", "create", "--title", "Before"])
        #expect(before.code == 0, "\(before)")
        let after = cli.runArgs(["lead", "create", "--title", "After", "--db", cli.db])
        #expect(after.code == 0, "\(after)")
        let jsonFirst = cli.runArgs(["--json", "--db", cli.db, "element", "list"])
        #expect(jsonFirst.code == 0, "\(jsonFirst)")
        #expect(jsonFirst.array.compactMap { str($0["title"]) } == ["Before", "After"])
    }

    @Test func crmctlDBEnvironmentIsTheFallback() {
        let cli = CLI()
        let envDB = cli.newDatabase("from-env.db")
        let run = cli.runArgs(["lead", "create", "--title", "Env"], env: ["CRMCTL_DB": envDB])
        #expect(run.code == 0, "\(run)")
        if !TestDatabase.isPostgres {
            #expect(FileManager.default.fileExists(atPath: envDB))
            #expect(!FileManager.default.fileExists(atPath: cli.db))
        }
        // --db wins over the environment.
        let explicit = cli.runArgs(["lead", "create", "--title", "Explicit", "--db", cli.db], env: ["CRMCTL_DB": envDB])
        #expect(explicit.code == 0)
        let fromEnv = cli.runArgs(["element", "list", "--json"], env: ["CRMCTL_DB": envDB])
        #expect(fromEnv.array.compactMap { str($0["title"]) } == ["Env"])
        #expect(cli.run("element", "list", "--json").array.compactMap { str($0["title"]) } == ["Explicit"])
    }

    @Test func crmctlNowIsTheClock() {
        let cli = CLI()
        let run = cli.run("lead", "create", "--title", "Clocked", "--json", now: "2026-11-24T11:30:00+02:00")
        #expect(run.code == 0, "\(run)")
        #expect(str(run.object["created_at"]) == "2026-11-24T09:30:00Z")
        #expect(str(run.object["updated_at"]) == "2026-11-24T09:30:00Z")
        let history = cli.history(int(run.object["id"]) ?? 0)
        #expect(str(history.first?["at"]) == "2026-11-24T09:30:00Z")
    }

    @Test(.sqliteOnly) func lockedDatabaseIs75AndWritesNothing() throws {
        let cli = CLI()
        #expect(cli.run("init").code == 0)
        let holder = try Connection(path: cli.db, busyTimeoutMilliseconds: 1000)
        try holder.execute("BEGIN IMMEDIATE")
        let run = cli.run("lead", "create", "--title", "Blocked", env: ["CRMCTL_BUSY_TIMEOUT_MS": "50"])
        try holder.execute("ROLLBACK")
        #expect(run.code == 75, "\(run)")
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("crmctl: error: "))
        #expect(cli.run("element", "list", "--json").trimmed == "[]")
    }
    @Test(.sqliteOnly) func emptyFileIsInitialised() {
        let cli = CLI()
        _ = FileManager.default.createFile(atPath: cli.db, contents: Data())
        let run = cli.run("init")
        #expect(run.code == 0, "\(run)")
        #expect(cli.run("pipeline", "list", "--json").array.count == 2)
    }
    /// SPEC §1/§3: a busy timeout applies to opening too; 75 means "stayed locked past the busy timeout".
    /// Two crmctl runs starting at once on a new file: one reads while the other sets up the database.
    @Test(.sqliteOnly) func firstUseWaitsForAReaderWithinTheBusyTimeout() throws {
        let cli = CLI()
        let holder = LockHolder(try Connection(path: cli.db, busyTimeoutMilliseconds: 1000))
        try holder.db.execute("BEGIN")
        _ = try holder.db.scalarInt64("SELECT count(*) FROM sqlite_schema")  // a reader's shared lock
        let released = holder.release(after: 0.3)
        let started = Date()
        let run = cli.run("init", env: ["CRMCTL_BUSY_TIMEOUT_MS": "5000"])
        let waited = Date().timeIntervalSince(started)
        released.wait()
        #expect(run.code == 0, "waited \(waited) s of a 5 s busy timeout for a lock released after 0.3 s: \(run)")
        #expect(run.err.isEmpty)
        #expect(cli.run("pipeline", "list", "--json").array.count == 2)
    }

    /// Cron jobs starting at once on a new file: each run waits its turn (busy timeout 10 s here), none
    /// fails at once. The race is timing-dependent: a pass does not prove it absent, a failure shows it.
    @Test func simultaneousFirstUsesAllSucceed() async {
        var failures: [String] = []
        for _ in 0..<200 {
            let cli = CLI()
            let results = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let started = Date()
                        let run = cli.run("init", env: ["CRMCTL_BUSY_TIMEOUT_MS": "10000"])
                        let waited = Date().timeIntervalSince(started)
                        return run.code == 0 ? nil : "exit \(run.code) after \(String(format: "%.3f", waited)) s: \(run.err)"
                    }
                }
                var failed: [String] = []
                for await result in group { if let result { failed.append(result) } }
                return failed
            }
            failures += results
        }
        #expect(failures.isEmpty, "\(failures.count) of 1600 simultaneous first uses failed, e.g. \(failures.prefix(3))")
    }
}

/// Holds a connection's lock and releases it from another thread.
final class LockHolder: @unchecked Sendable {
    let db: Connection
    init(_ db: Connection) { self.db = db }
    func release(after seconds: Double) -> DispatchGroup {
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            try? self.db.execute("COMMIT")
            group.leave()
        }
        return group
    }
}
