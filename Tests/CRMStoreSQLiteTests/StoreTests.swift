@testable import CRMApplication
import CRMCore
import CRMStorage
import CRMTestSupport
import Foundation
import JSON
import SQLiteDB
import Testing

@testable import CRMStoreSQLite

func clock(_ now: String = "2026-11-24T09:00:00Z") -> Clock {
    try! Clock(environment: ["CRMCTL_NOW": now])
}

func openStore(_ path: String) throws -> SQLiteStore {
    try SQLiteStore(path: path, busyTimeoutMilliseconds: 2000)
}

/// Creating and moving elements on `store` with the clock at `now`.
func editing(_ store: SQLiteStore, now: String = "2026-11-24T09:00:00Z") -> ElementEditing<SQLiteStore> {
    ElementEditing(store: store, clock: clock(now))
}

/// `element move`: the element and whether it moved.
func moveElement(_ store: SQLiteStore, id: Int64, to stage: String, author: String?) throws -> (Element, Bool) {
    let change = try editing(store).move(id: id, to: stage, author: author)
    return (change.element, change.from != change.element.stage)
}

/// SPEC §1 for the store: the schema, its version, refusals, transactions.
@Suite struct StoreSchemaTests {
    static let schemaFile = TestPaths.file("schema.sql").path

    static func objects(_ db: Connection) throws -> [String] {
        try db.cached("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").rows {
            "\($0.string(0))|\($0.string(1))|\($0.string(2))|\($0.text(3) ?? "NULL")"
        }
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A CLI whose database file is the SQL dump `name` of Fixtures/ loaded as it is (an older version's file).
    static func cli(loading name: String) throws -> CLI {
        let cli = CLI()
        let old = try Connection(path: cli.path("crm.db"), busyTimeoutMilliseconds: 1000)
        try old.execute(try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8))
        return cli
    }

    /// A migrated file is at this crmctl's version with exactly the schema of a new file (one made at
    /// `referencePath`), and no row refers to one that is not there.
    static func expectNewFilesSchema(_ store: SQLiteStore, referencePath: String) throws {
        #expect(try store.db.scalarInt64("PRAGMA user_version") == SQLiteStore.schemaVersion)
        let reference = try Connection(path: referencePath, busyTimeoutMilliseconds: 1000)
        try reference.execute(SQLiteStore.schemaSQL)
        #expect(try objects(store.db) == objects(reference))
        #expect(try store.db.scalarInt64("PRAGMA foreign_key_check") == nil)
    }

    @Test func compiledInSchemaIsSchemaSQL() throws {
        let file = try String(contentsOfFile: Self.schemaFile, encoding: .utf8)
        #expect(SQLiteStore.schemaSQL == file)
    }

    @Test func newDatabaseHasExactlyTheSchemaAndVersion() throws {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        let reference = try Connection(path: dir.file("ref.db"), busyTimeoutMilliseconds: 1000)
        try reference.execute(try String(contentsOfFile: Self.schemaFile, encoding: .utf8))
        #expect(try Self.objects(store.db) == Self.objects(reference))
        #expect(try store.db.scalarInt64("PRAGMA user_version") == SQLiteStore.schemaVersion)
        #expect(try reference.scalarInt64("PRAGMA user_version") == SQLiteStore.schemaVersion)
        // The same rows of the default pipelines.
        let query: StaticString = "SELECT group_concat(pipeline || ':' || position || ':' || code || ':' || name || ':' || semantic, ',') FROM (SELECT * FROM stages ORDER BY pipeline, position)"
        #expect(try store.db.scalarText(query) == reference.scalarText(query))
        #expect(try store.db.scalarText("SELECT group_concat(id || type || name) FROM pipelines")
            == reference.scalarText("SELECT group_concat(id || type || name) FROM pipelines"))
        #expect(try store.db.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try store.db.scalarInt64("PRAGMA foreign_keys") == 1)
    }

    @Test func reopeningKeepsDataAndAddsNothing() throws {
        let dir = TempDir()
        let path = dir.file("crm.db")
        do {
            let store = try openStore(path)
            _ = try store.write { try editing(store).create(NewElement(type: .lead, title: "Kept")).element }
        }
        let store = try openStore(path)
        #expect(try store.allElements().map(\.title) == ["Kept"])
        #expect(try store.pipelines(type: nil).map(\.id) == [1, 2])
    }

    /// A file written by the first released schema (Fixtures/schema-v1.sql, schema.sql as it was at
    /// version 1) is brought to the current version: its rows kept, its schema exactly a new file's.
    @Test func versionOneIsMigratedForward() throws {
        let dir = TempDir()
        let path = dir.file("crm.db")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/schema-v1.sql")
        do {
            let old = try Connection(path: path, busyTimeoutMilliseconds: 1000)
            try old.execute(try String(contentsOf: fixture, encoding: .utf8))
            try old.execute(
                """
                INSERT INTO triggers (name, code, pipeline, stage) VALUES ('one', 'call.missed', 1, 'IN_PROCESS');
                INSERT INTO triggers (name, code, pipeline, stage, enabled) VALUES ('two', 'email.sent', 1, 'PROCESSED', 0);
                """)
        }
        let store = try openStore(path)
        try Self.expectNewFilesSchema(store, referencePath: dir.file("ref.db"))
        #expect(try store.db.scalarText("SELECT group_concat(id || name || enabled, ',') FROM triggers") == "1one1,2two0")

        // Version 2's reason: a removed trigger's id is not given to the next one.
        var settings = TriggerSettings()
        settings.code = "vip"
        let custom = Trigger(
            id: 0, name: "", code: .custom, pipeline: 0, stage: "JUNK", asUser: nil, allowBackwards: false,
            settings: settings, conditions: [], enabled: true)
        #expect(try store.addTrigger(custom, pipelineName: "lead").id == 3)
        _ = try store.removeTrigger(id: 3)
        #expect(try store.addTrigger(custom, pipelineName: "lead").id == 4)
    }

    /// A file of version 2 (Fixtures/schema-v2.sql, before rules, jobs and the outbox) gets the new tables
    /// in one transaction: its rows kept, its schema exactly a new file's.
    @Test func versionTwoIsMigratedForward() throws {
        let dir = TempDir()
        let path = dir.file("crm.db")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/schema-v2.sql")
        do {
            let old = try Connection(path: path, busyTimeoutMilliseconds: 1000)
            try old.execute(try String(contentsOf: fixture, encoding: .utf8))
            try old.execute(
                """
                INSERT INTO elements (type, pipeline, stage, title, created_at, updated_at) VALUES ('lead', 1, 'NEW', 'Kept', 0, 0);
                INSERT INTO triggers (name, code, pipeline, stage) VALUES ('one', 'call.missed', 1, 'IN_PROCESS');
                """)
        }
        let store = try openStore(path)
        try Self.expectNewFilesSchema(store, referencePath: dir.file("ref.db"))
        #expect(try store.db.scalarText("SELECT group_concat(title) FROM elements") == "Kept")
        #expect(try store.db.scalarInt64("SELECT count(*) FROM rules") == 0)
    }

    /// A file of version 3 (Fixtures/schema-v3.sql, before element keys, with a little data) gets the key
    /// column and its unique index in one transaction: its rows kept, its schema exactly a new file's.
    @Test func versionThreeIsMigratedForward() throws {
        let dir = TempDir()
        let path = dir.file("crm.db")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/schema-v3.sql")
        do {
            let old = try Connection(path: path, busyTimeoutMilliseconds: 1000)
            try old.execute(try String(contentsOf: fixture, encoding: .utf8))
        }
        let store = try openStore(path)
        try Self.expectNewFilesSchema(store, referencePath: dir.file("ref.db"))

        // The rows as they were, the old elements without a key.
        let clara = try #require(try store.findElement(id: 1))
        #expect(clara.key == nil)
        #expect(clara.title == "Clara Weiss" && clara.stage == "IN_PROCESS" && clara.fields == ["source": "fair"])
        #expect(try store.db.scalarText("SELECT group_concat(title) FROM elements") == "Clara Weiss,Tom Berger")
        #expect(try store.event(named: "tel-1").element == 1)
        #expect(try store.db.scalarInt64("SELECT count(*) FROM timeline") == 4)
        #expect(try store.elementID(for: .email("clara@example.com")) == 1)

        // Version 4's reason: a key names one element.
        let keyed = try store.write { try editing(store).create(NewElement(key: "crm-1", type: .lead, title: "Keyed")) }
        #expect(keyed.status == .created && keyed.element.id == 3)
        let again = try store.write { try editing(store).create(NewElement(key: "crm-1", type: .lead, title: "Keyed")) }
        #expect(again.status == .duplicate && again.element.id == 3)
        #expect(throws: SQLiteError.self) {
            try store.db.execute("UPDATE elements SET key = 'crm-1' WHERE id = 2")
        }
    }

    /// A file of version 4 (Fixtures/events-v4.sql: the dump of a file crmctl wrote before compact events —
    /// the bench's mix of events, a disabled trigger, a removed one, field and responsible changes, chats
    /// answered late and never) is migrated to compact events in one transaction, and every event list,
    /// explanation, history and report prints exactly what it printed before (Fixtures/events-v4-outputs.txt).
    @Test func versionFourIsMigratedToCompactEventsPrintingTheSame() throws {
        let cli = try Self.cli(loading: "events-v4.sql")
        var printed = cli.run("event", "list", "--json").out
        for event in 1...69 {
            printed += cli.run("event", "explain", String(event), "--json").out
            printed += cli.run("event", "explain", String(event)).out
        }
        for element in 1...12 {
            printed += cli.run("history", String(element), "--json").out
            printed += cli.run("history", String(element)).out
        }
        printed += cli.run("report", "--json").out + cli.run("report").out
        let expected = try String(contentsOf: Self.fixtures.appendingPathComponent("events-v4-outputs.txt"), encoding: .utf8)
        #expect(printed == expected)

        let store = try openStore(cli.path("crm.db"))
        try Self.expectNewFilesSchema(store, referencePath: cli.path("ref.db"))
        #expect(try store.db.scalarInt64("SELECT count(*) FROM timeline WHERE details IS NULL") == 69, "every event's own entry")
        #expect(try store.db.scalarText("SELECT group_concat(id || ':' || name || ':' || stage) FROM removed_triggers") == "25:gone soon:CONVERTED")
        #expect(try store.db.scalarInt64("SELECT count(*) FROM events WHERE length(fingerprint) != 16") == 0)
    }

    /// A file of version 5 (Fixtures/schema-v5.sql: jobs of every status, messages delivered, dead, discarded
    /// and leased, two leads erased) loses the timeline's forward links and gets jobs and an outbox whose
    /// checks name their values one by one: every job, message and history prints as before
    /// (Fixtures/schema-v5-outputs.txt, printed by crmctl at version 5), and the next ids follow the
    /// sequences, not the largest ids left.
    @Test func versionFiveIsMigratedForwardPrintingTheSame() throws {
        let cli = try Self.cli(loading: "schema-v5.sql")
        var printed = ""
        for command in [["job", "list", "--json"], ["job", "list"], ["outbox", "list", "--json"], ["outbox", "list"],
                        ["history", "1", "--json"], ["history", "2"]] {
            printed += cli.runArgs(command + ["--db", cli.db]).out
        }
        for id in ["1", "2", "4", "6", "8"] {
            printed += cli.run("outbox", "show", id, "--json").out + cli.run("job", "show", id).out
        }
        let expected = try String(contentsOf: Self.fixtures.appendingPathComponent("schema-v5-outputs.txt"), encoding: .utf8)
        #expect(printed == expected)

        let store = try openStore(cli.path("crm.db"))
        try Self.expectNewFilesSchema(store, referencePath: cli.path("ref.db"))
        #expect(try store.db.scalarText("SELECT group_concat(name || ':' || seq) FROM sqlite_sequence") == "rules:6,jobs:20,outbox:9")

        // Lead 2 back into IN_PROCESS: its jobs and messages take the ids after the erased leads' ones.
        #expect(cli.run("element", "move", "2", "--stage", "NEW").code == 0)
        #expect(cli.run("element", "move", "2", "--stage", "IN_PROCESS").code == 0)
        #expect(try store.db.scalarText("SELECT group_concat(id) FROM jobs WHERE id > 14") == "21,22,23,24")
        #expect(try store.db.scalarText("SELECT group_concat(id) FROM outbox WHERE id > 8") == "10,11")
        // The checks still hold.
        #expect(throws: SQLiteError.self) { try store.db.execute("UPDATE jobs SET status = 'lost' WHERE id = 1") }
        #expect(throws: SQLiteError.self) { try store.db.execute("UPDATE outbox SET kind = 'fax' WHERE id = 1") }
        #expect(throws: SQLiteError.self) { try store.db.execute("UPDATE outbox SET status = 'gone' WHERE id = 1") }
    }

    @Test func newerDatabaseIsRefusedUntouched() throws {
        let dir = TempDir()
        let path = dir.file("crm.db")
        do {
            let db = try Connection(path: path, busyTimeoutMilliseconds: 1000)
            try db.execute("PRAGMA user_version = \(SQLiteStore.schemaVersion + 1)")
        }
        let before = FileManager.default.contents(atPath: path)
        do {
            _ = try openStore(path)
            Issue.record("expected a refusal")
        } catch let error as CRMError {
            #expect(error.kind == .database)
            #expect(error.kind.exitCode == 74)
            #expect(error.code == "database")
        }
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test func otherProgramsDatabaseIsRefused() throws {
        let dir = TempDir()
        let path = dir.file("crm.db")
        do {
            let db = try Connection(path: path, busyTimeoutMilliseconds: 1000)
            try db.execute("CREATE TABLE mine (x)")
        }
        #expect(throws: CRMError.self) { _ = try openStore(path) }
        do { _ = try openStore(path) } catch let error as CRMError { #expect(error.kind == .database) }
    }

    @Test func clockReadsCrmctlNow() throws {
        #expect(clock("2026-11-24T10:30:00+01:00").now().rfc3339 == "2026-11-24T09:30:00Z")
        #expect(throws: CRMError.self) { _ = try Clock(environment: ["CRMCTL_NOW": "tomorrow"]) }
        let system = try Clock(environment: [:]).now()
        #expect(abs(system.milliseconds - Timestamp.systemNow().milliseconds) < 60_000)
    }

    @Test func writeRollsBackOnError() throws {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        #expect(throws: Boom.self) {
            try store.write {
                _ = try editing(store).create(NewElement(type: .lead, title: "Lost")).element
                throw Boom()
            }
        }
        #expect(try store.allElements().isEmpty)
        #expect(try store.db.scalarInt64("SELECT count(*) FROM timeline") == 0)
    }

    @Test func busyWriterIsMappedToBusy() throws {
        let dir = TempDir()
        let path = dir.file("crm.db")
        _ = try openStore(path)
        let holder = try Connection(path: path, busyTimeoutMilliseconds: 100)
        try holder.execute("BEGIN IMMEDIATE")
        defer { try? holder.execute("ROLLBACK") }
        let store = try SQLiteStore(path: path, busyTimeoutMilliseconds: 30)
        do {
            _ = try store.write { try editing(store).create(NewElement(type: .lead, title: "Blocked")).element }
            Issue.record("expected busy")
        } catch let error as CRMError {
            #expect(error.kind == .busy)
            #expect(error.kind.exitCode == 75)
        }
    }

    @Test func concurrentFirstOpensBothSucceed() async throws {
        let dir = TempDir()
        let path = dir.file("crm.db")
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    // A generous timeout: a loaded machine may keep the creating transaction for a while.
                    let store = try SQLiteStore(path: path, busyTimeoutMilliseconds: 60_000)
                    return try store.pipelines(type: nil).count
                }
            }
            for try await count in group { #expect(count == 2) }
        }
        let db = try Connection(path: path, busyTimeoutMilliseconds: 1000)
        #expect(try db.scalarInt64("SELECT count(*) FROM pipelines") == 2)
        #expect(try db.scalarInt64("SELECT count(*) FROM stages") == 12)
    }
}

/// The model rules through the store API.
@Suite struct StoreModelTests {
    @Test func pipelineNames() throws {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        #expect(try store.pipeline(named: "lead").id == 1)
        #expect(try store.pipeline(named: "deal").id == 2)
        #expect(try store.pipeline(named: "2").name == "General")
        do { _ = try store.pipeline(named: "9"); Issue.record("expected not found") } catch let error as CRMError {
            #expect(error.kind == .notFound)
        }
    }

    @Test func createPipelineRules() throws {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        let stages = [
            Stage(code: "A", name: "A", semantic: .process), Stage(code: "W", name: "W", semantic: .success),
            Stage(code: "L", name: "L", semantic: .failure),
        ]
        let made = try store.createPipeline(type: .deal, name: "Extra", stages: stages)
        #expect(made.id == 3)
        #expect(made.stages == stages)
        do { _ = try store.createPipeline(type: .lead, name: "Two", stages: stages); Issue.record("lead") } catch let error as CRMError {
            #expect(error.kind == .invalid)
        }
        do {
            _ = try store.createPipeline(type: .deal, name: "Bad", stages: [stages[1], stages[0], stages[2]])
            Issue.record("success before process")
        } catch let error as CRMError {
            #expect(error.kind == .invalid)
        }
        #expect(try store.pipelines(type: .deal).map(\.id) == [2, 3])
    }

    @Test func elementDefaultsAndTimeline() throws {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        let element = try store.write {
            try editing(store, now: "2026-11-24T08:00:00Z").create(NewElement(type: .deal, title: "D", responsible: "anna", email: "A@B.example", fields: ["k": "v"])).element
        }
        #expect(element.pipeline == 2)
        #expect(element.stage == "NEW")
        #expect(element.createdAt.rfc3339 == "2026-11-24T08:00:00Z")
        #expect(try store.element(id: element.id) == element)
        var kinds: [String] = []
        try store.forEachTimelineEntry(element: element.id) { kinds.append($0.kind) }
        #expect(kinds == ["created"])
        #expect(try store.elementID(for: .email("a@b.EXAMPLE")) == element.id)
        do { _ = try store.element(id: 99); Issue.record("expected not found") } catch let error as CRMError {
            #expect(error.kind == .notFound)
        }
    }

    @Test func contactResolutionSkipsClosedElements() throws {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        let (old, new, closed) = try store.write {
            (try editing(store).create(NewElement(type: .lead, title: "old", phone: "+49 30 1234")).element,
             try editing(store).create(NewElement(type: .deal, title: "new", phone: "+49-30-1234")).element,
             try editing(store).create(NewElement(type: .deal, stage: "WON", title: "won", phone: "+49301234")).element)
        }
        _ = closed
        #expect(try store.elementID(for: .phone("+49 (30) 12 34")) == new.id)
        _ = try moveElement(store, id: new.id, to: "LOSE", author: nil)
        #expect(try store.elementID(for: .phone("+49301234")) == old.id)
        #expect(try store.elementID(for: .phone("0049301234")) == nil)
        #expect(try store.elementID(for: .email("none@example.com")) == nil)
    }

    @Test func manualMoveRecordsAuthorAndNothingForSameStage() throws {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        let element = try store.write { try editing(store).create(NewElement(type: .lead, title: "M", responsible: "anna")).element }
        let (moved, didMove) = try moveElement(store, id: element.id, to: "JUNK", author: nil)
        #expect(didMove)
        #expect(moved.stage == "JUNK")
        let (_, again) = try moveElement(store, id: element.id, to: "JUNK", author: "x")
        #expect(!again)
        var entries: [TimelineEntry] = []
        try store.forEachTimelineEntry(element: element.id) { entries.append($0) }
        #expect(entries.map(\.kind) == ["created", "stage_changed"])
        #expect(entries.last?.author == "anna")
        #expect(entries.last?.details["trigger"]?.isNull == true)
        do { _ = try moveElement(store, id: element.id, to: "WON", author: nil); Issue.record("unknown stage") } catch let error as CRMError {
            #expect(error.kind == .notFound)
        }
    }

    @Test func triggerValidationInTheStore() throws {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        var settings = TriggerSettings()
        settings.seconds = 600
        let late = Trigger(
            id: 0, name: "", code: .chatAnswerLate, pipeline: 0, stage: "JUNK", asUser: nil, allowBackwards: true,
            settings: settings, conditions: [], enabled: true)
        let added = try store.addTrigger(late, pipelineName: "lead")
        #expect(added.id == 1)
        #expect(added.pipeline == 1)
        #expect(!added.name.isEmpty)
        #expect(try store.trigger(id: 1).settings.seconds == 600)
        var missing = late
        missing.settings = TriggerSettings()
        do { _ = try store.addTrigger(missing, pipelineName: "lead"); Issue.record("missing seconds") } catch let error as CRMError {
            #expect(error.kind == .invalid)
        }
        var wrongStage = late
        wrongStage.stage = "WON"
        do { _ = try store.addTrigger(wrongStage, pipelineName: "lead"); Issue.record("unknown stage") } catch let error as CRMError {
            #expect(error.kind == .notFound)
        }
        #expect(try store.triggers(pipeline: nil, code: nil).count == 1)
        #expect(try store.setTrigger(id: 1, enabled: false).enabled == false)
        #expect(try store.removeTrigger(id: 1).id == 1)
        #expect(try store.triggers(pipeline: nil, code: nil).isEmpty)
    }
}

/// The event intake (SPEC §6) through the store API.
@Suite struct EventIntakeStoreTests {
    func setup() throws -> (TempDir, SQLiteStore, Element) {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        let element = try store.write { try editing(store).create(NewElement(type: .lead, title: "E", responsible: "anna")).element }
        let trigger = Trigger(
            id: 0, name: "missed", code: .callMissed, pipeline: 0, stage: "IN_PROCESS", asUser: nil,
            allowBackwards: false, settings: TriggerSettings(), conditions: [], enabled: true)
        _ = try store.addTrigger(trigger, pipelineName: "lead")
        return (dir, store, element)
    }

    @Test func applyMovesRecordsAndDuplicates() throws {
        let (dir, store, element) = try setup()
        _ = dir
        let input = EventInput(key: "k", type: .callMissed, target: .element(element.id), at: nil, by: nil, data: ["line": "x"])
        let intake = EventIntake(store: store, clock: clock())
        let first = try store.write { try intake.apply(input) }
        #expect(first.status == .moved)
        #expect(first.moves.map(\.to) == ["IN_PROCESS"])
        #expect(first.moves.first?.author == "anna")
        #expect(try store.element(id: element.id).stage == "IN_PROCESS")
        let again = try store.write { try intake.apply(input) }
        #expect(again.status == .duplicate)
        #expect(again.event == first.event)
        #expect(again.moves == first.moves)
        #expect(try store.allEvents().count == 1)
        var other = input
        other = EventInput(key: "k", type: .callMissed, target: .element(element.id), at: nil, by: nil, data: ["line": "y"])
        let reused = try store.write { try intake.apply(other) }
        #expect(reused.status == .rejected)
        #expect(reused.error?.code == "key_reused")
    }

    @Test func rejectedEventLeavesNothingBehind() throws {
        let (dir, store, element) = try setup()
        _ = dir
        let intake = EventIntake(store: store, clock: clock())
        let bad = EventInput(
            key: "d", type: .documentSigned, target: .element(element.id), at: nil, by: nil,
            data: ["document": "missing", "party": "sender"])
        let result = try store.write { try intake.apply(bad) }
        #expect(result.status == .rejected)
        #expect(result.error?.kind == .notFound)
        #expect(try store.allEvents().isEmpty)
        var count = 0
        try store.forEachTimelineEntry(element: element.id) { _ in count += 1 }
        #expect(count == 1)
        let nobody = EventInput(key: nil, type: .callMissed, target: .email("x@y"), at: nil, by: nil, data: [:])
        let none = try store.write { try intake.apply(nobody) }
        #expect(none.error?.code == "no_element")
        #expect(none.error?.kind.exitCode == 66)
    }

    @Test func eventNamedByIdFirstThenKey() throws {
        let (dir, store, element) = try setup()
        _ = dir
        let intake = EventIntake(store: store, clock: clock())
        _ = try store.write {
            try intake.apply(EventInput(key: "2", type: .callIncoming, target: .element(element.id), at: nil, by: nil, data: [:]))
        }
        _ = try store.write {
            try intake.apply(EventInput(key: "second", type: .callOutgoing, target: .element(element.id), at: nil, by: nil, data: [:]))
        }
        #expect(try store.event(named: "2").type == "call.outgoing")
        #expect(try store.event(named: "second").id == 2)
        #expect(try store.event(named: "1").key == "2")
        do { _ = try store.event(named: "nope"); Issue.record("not found") } catch let error as CRMError {
            #expect(error.kind == .notFound)
        }
    }
}

/// SPEC §7 rule 5's second half, which only a later run (a tick) reaches: a job whose rule was disabled or
/// removed before it ran is cancelled when it comes due.
@Suite struct DueJobTests {
    @Test func aJobOfADisabledOrRemovedRuleIsCancelledWhenItComesDue() throws {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        var options = RuleOptions()
        options.text = "later"
        let rule = Rule(id: 0, name: "", pipeline: 0, stage: "NEW", action: .note, options: options, timing: RuleTiming(after: "1h"))
        let first = try store.addRule(rule, pipelineName: "lead")
        let second = try store.addRule(rule, pipelineName: "lead")
        let element = try store.write { try editing(store).create(NewElement(type: .lead, title: "L")).element }
        var jobs: [Job] = []
        try store.forEachJob(element: element.id, rule: nil, status: .pending, limit: nil) { jobs.append($0) }
        #expect(jobs.map(\.rule) == [first.id, second.id])
        _ = try store.setRule(id: first.id, enabled: false)
        _ = try store.removeRule(id: second.id)
        let later = clock("2026-11-24T10:00:00Z")
        try store.write {
            let runner = RuleRunner(store: store, clock: later, cascade: Cascade())
            for job in jobs { try runner.run(job, rule: try store.findRule(id: job.rule)) }
        }
        let ended = try jobs.map { try store.job(id: $0.id) }
        #expect(ended.map(\.status) == [.cancelled, .cancelled])
        #expect(ended.map(\.detail) == [
            "rule \(first.id) was disabled before the job ran", "rule \(second.id) was removed before the job ran",
        ])
        var kinds: [String] = []
        try store.forEachTimelineEntry(element: element.id) { kinds.append($0.kind) }
        #expect(kinds == ["created", "rule", "rule"])
    }
}

/// SPEC §9 in the store: which message is due, leases and takeovers, the counts for `status`.
@Suite struct OutboxStoreTests {
    static func message(_ id: Int64, element: Int64, kind: MessageKind, due: String, created: String) -> OutboxMessage {
        OutboxMessage(
            id: id, kind: kind, element: element, rule: 1, job: 1, to: "x", subject: nil, text: "t", url: nil,
            payload: "{}", status: .pending, attempts: 0, nextAttemptAt: Timestamp(rfc3339: due)!, lastError: nil,
            createdAt: Timestamp(rfc3339: created)!, deliveredAt: nil)
    }

    @Test func leasesTheEarliestDueThenTakesOverRunOutLeases() throws {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        let element = try store.write { try editing(store).create(NewElement(type: .lead, title: "L")).element }
        try store.write {
            try store.insertMessage(Self.message(1, element: element.id, kind: .sms, due: "2026-11-24T09:05:00Z", created: "2026-11-24T08:00:00Z"))
            try store.insertMessage(Self.message(2, element: element.id, kind: .email, due: "2026-11-24T09:01:00Z", created: "2026-11-24T08:30:00Z"))
            try store.insertMessage(Self.message(3, element: element.id, kind: .sms, due: "2026-11-24T09:01:00Z", created: "2026-11-24T08:40:00Z"))
        }
        #expect(try store.outboxFigures(now: Timestamp(milliseconds: 0)).oldestUndelivered == Timestamp(rfc3339: "2026-11-24T08:00:00Z"))
        let now = Timestamp(rfc3339: "2026-11-24T09:02:00Z")!
        let until = now.adding(milliseconds: 60_000)
        func lease(_ kinds: [MessageKind] = [], at time: Timestamp = now) throws -> OutboxMessage? {
            try store.write { try store.leaseDueMessage(now: time, kinds: kinds, leaseUntil: time.adding(milliseconds: 60_000)) }
        }
        let first = try #require(try lease([.sms]))
        #expect(first.id == 3 && first.status == .delivering && first.attempts == 1 && first.leases == 1)
        #expect(first.leaseUntil == until && !first.takenOver)
        #expect(try lease()?.id == 2)
        #expect(try lease() == nil, "message 1 is not due yet; 2 and 3 are leased")
        #expect(try store.outboxFigures(now: Timestamp(milliseconds: 0)).counts == [.delivering: 2, .pending: 1])
        // Past the leases (both ran out at 09:03: by id) and message 1's due time (09:05, after them).
        let later = Timestamp(rfc3339: "2026-11-24T09:10:00Z")!
        #expect(try lease(at: later)?.id == 2)
        let takenOver = try #require(try lease(at: later))
        #expect(takenOver.id == 3 && takenOver.takenOver && takenOver.leases == 2 && takenOver.attempts == 2)
        let fresh = try #require(try lease(at: later))
        #expect(fresh.id == 1 && !fresh.takenOver)
        var delivered = fresh
        delivered.status = .delivered
        delivered.deliveredAt = later
        delivered.leaseUntil = nil
        try store.write { try store.saveDeliveryState(delivered) }
        #expect(try store.findMessage(id: 1) == delivered)
        #expect(try store.outboxFigures(now: Timestamp(milliseconds: 0)).oldestUndelivered == Timestamp(rfc3339: "2026-11-24T08:30:00Z"))
    }

    @Test func deliverWritesOnlyWhileItHoldsTheLease() throws {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        let element = try store.write { try editing(store).create(NewElement(type: .lead, title: "L")).element }
        try store.write {
            for id in 1...3 {
                try store.insertMessage(Self.message(Int64(id), element: element.id, kind: .sms, due: "2026-11-24T08:00:00Z", created: "2026-11-24T08:00:00Z"))
            }
        }
        var lines: [DeliveryReport] = []
        let summary = try store.deliver(
            kinds: [], limit: nil, maxAttempts: 2, timeoutMilliseconds: 1000, clock: clock(),
            send: { message in
                switch message.id {
                case 1: return .succeeded
                case 2:
                    // Someone discards it while its command runs.
                    _ = try? store.discardMessage(id: 2)
                    return .succeeded
                default: return .failed(code: "command_failed", message: "exit 1")
                }
            }, report: { lines.append($0) })
        #expect(lines.map(\.message.status) == [.delivered, .discarded, .pending])
        #expect(lines.map { $0.error?.code } == [nil, "lease_lost", "command_failed"])
        #expect(summary.delivered == 1 && summary.leaseLost == 1 && summary.failed == 1 && summary.hadFailures)
        #expect(try store.findMessage(id: 3)?.nextAttemptAt == Timestamp(rfc3339: "2026-11-24T09:01:00Z"))
    }
}
