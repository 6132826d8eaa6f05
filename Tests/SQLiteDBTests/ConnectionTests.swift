import CRMTestSupport
import Foundation
import SQLiteDB
import Testing

@Suite struct ConnectionTests {
    @Test func createsTheFilePrivately() throws {
        let dir = TempDir()
        let path = dir.file("a.db")
        let db = try Connection(path: path, busyTimeoutMilliseconds: 100)
        try db.execute("CREATE TABLE t (x)")
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode.map { $0 & 0o777 } == 0o600)
        #expect(db.path == path)
    }

    @Test func existingFileKeepsItsContents() throws {
        let dir = TempDir()
        let path = dir.file("a.db")
        do {
            let db = try Connection(path: path, busyTimeoutMilliseconds: 100)
            try db.execute("CREATE TABLE t (x); INSERT INTO t VALUES (42);")
        }
        let db = try Connection(path: path, busyTimeoutMilliseconds: 100)
        #expect(try db.scalarInt64("SELECT x FROM t") == 42)
    }

    @Test func cannotOpenInMissingDirectory() {
        let dir = TempDir()
        #expect(throws: SQLiteError.self) {
            _ = try Connection(path: dir.file("missing/dir/a.db"), busyTimeoutMilliseconds: 100)
        }
        do {
            _ = try Connection(path: dir.file("missing/dir/a.db"), busyTimeoutMilliseconds: 100)
        } catch {
            #expect(error.isFileProblem, "\(error)")
            #expect(!error.isBusy)
        }
    }

    @Test func boundValuesRoundTripAndAreNeverSpliced() throws {
        let dir = TempDir()
        let db = try Connection(path: dir.file("a.db"), busyTimeoutMilliseconds: 100)
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, i INTEGER)")
        let evil = "Robert'); DROP TABLE t;-- \"é😀 ?1 :x tail"
        try db.run("INSERT INTO t (s, i) VALUES (?, ?)", [.text(evil), .integer(Int64.max)])
        try db.run("INSERT INTO t (s, i) VALUES (?, ?)", [.null, .null])
        let rows = try db.cached("SELECT s, i FROM t ORDER BY id").rows { row in
            (row.text(0), row.optionalInt64(1))
        }
        #expect(rows.count == 2)
        #expect(rows[0].0 == evil)
        #expect(rows[0].1 == Int64.max)
        #expect(rows[1].0 == nil)
        #expect(rows[1].1 == nil)
        #expect(try db.scalarInt64("SELECT count(*) FROM sqlite_schema WHERE name = 't'") == 1)
        #expect(try db.scalarText("SELECT s FROM t WHERE s = ?", [.text(evil)]) == evil)
        #expect(db.lastInsertedRowID == 2)
    }

    @Test func literalsAndOptionalInitializers() {
        let text: SQLiteValue = "x"
        let number: SQLiteValue = 7
        let null: SQLiteValue = nil
        #expect(text == .text("x"))
        #expect(number == .integer(7))
        #expect(null == .null)
        #expect(SQLiteValue(nil as String?) == .null)
        #expect(SQLiteValue(nil as Int64?) == .null)
        #expect(SQLiteValue(true) == .integer(1))
        #expect(SQLiteValue(false) == .integer(0))
    }

    @Test func wrongNumberOfValuesIsAnError() throws {
        let dir = TempDir()
        let db = try Connection(path: dir.file("a.db"), busyTimeoutMilliseconds: 100)
        try db.execute("CREATE TABLE t (a, b)")
        #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (?, ?)", [.integer(1)]) }
        #expect(try db.scalarInt64("SELECT count(*) FROM t") == 0)
    }

    @Test func badSQLCarriesTheSQLAndMessage() throws {
        let dir = TempDir()
        let db = try Connection(path: dir.file("a.db"), busyTimeoutMilliseconds: 100)
        do {
            try db.execute("SELEC 1")
            Issue.record("expected an error")
        } catch {
            #expect(error.sql == "SELEC 1")
            #expect(!error.message.isEmpty)
            #expect(error.description.contains("SELEC 1"))
        }
        do {
            _ = try db.cached("SELECT * FROM missing")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("missing"))
        }
    }

    @Test func constraintViolationIsRecognised() throws {
        let dir = TempDir()
        let db = try Connection(path: dir.file("a.db"), busyTimeoutMilliseconds: 100)
        try db.execute("CREATE TABLE t (k TEXT UNIQUE)")
        try db.run("INSERT INTO t VALUES (?)", ["a"])
        do {
            try db.run("INSERT INTO t VALUES (?)", ["a"])
            Issue.record("expected a constraint error")
        } catch {
            #expect(error.primaryCode == 19)  // SQLITE_CONSTRAINT
            #expect(error.extendedCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
            #expect(!error.isBusy && !error.isFileProblem)
        }
    }

    @Test func cachedStatementsAreReusedAndReset() throws {
        let dir = TempDir()
        let db = try Connection(path: dir.file("a.db"), busyTimeoutMilliseconds: 100)
        try db.execute("CREATE TABLE t (x INTEGER)")
        let statement = try db.cached("INSERT INTO t VALUES (?)")
        #expect(try db.cached("INSERT INTO t VALUES (?)") === statement)
        for value in 1...5 { try statement.run([.integer(Int64(value))]) }
        let select = try db.cached("SELECT x FROM t WHERE x >= ? ORDER BY x")
        // A half-read statement is reset before its next use.
        #expect(try select.firstRow([.integer(2)]) { $0.int64(0) } == 2)
        #expect(try select.rows([.integer(4)]) { $0.int64(0) } == [4, 5])
        #expect(try select.firstRow([.integer(9)]) { $0.int64(0) } == nil)
        var seen: [Int64] = []
        try select.forEachRow([.integer(0)]) { seen.append($0.int64(0)) }
        #expect(seen == [1, 2, 3, 4, 5])
    }

    @Test func scalarsOfNoRowAndNull() throws {
        let dir = TempDir()
        let db = try Connection(path: dir.file("a.db"), busyTimeoutMilliseconds: 100)
        try db.execute("CREATE TABLE t (x)")
        #expect(try db.scalarInt64("SELECT x FROM t") == nil)
        #expect(try db.scalarText("SELECT NULL") == nil)
        #expect(try db.scalarText("SELECT 'a'") == "a")
        #expect(try db.cached("SELECT NULL").firstRow { $0.string(0) } == "")
    }

    @Test func writeTransactionCommitsOrRollsBack() throws {
        let dir = TempDir()
        let db = try Connection(path: dir.file("a.db"), busyTimeoutMilliseconds: 100)
        try db.execute("CREATE TABLE t (x)")
        let value = try db.writeTransaction { () throws -> Int in
            #expect(db.isInTransaction)
            try db.run("INSERT INTO t VALUES (1)")
            return 7
        }
        #expect(value == 7)
        #expect(!db.isInTransaction)
        #expect(throws: Boom.self) {
            try db.writeTransaction {
                try db.run("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.scalarInt64("SELECT count(*) FROM t") == 1)
        db.rollbackIfOpen()  // nothing open: no effect
        #expect(try db.scalarInt64("SELECT count(*) FROM t") == 1)
    }

    @Test func writeTransactionIsImmediateAndABusyWriterTimesOut() throws {
        let dir = TempDir()
        let path = dir.file("a.db")
        let first = try Connection(path: path, busyTimeoutMilliseconds: 100)
        try first.enableWriteAheadLog()
        try first.execute("CREATE TABLE t (x)")
        let second = try Connection(path: path, busyTimeoutMilliseconds: 50)
        try first.execute("BEGIN IMMEDIATE")
        do {
            // BEGIN IMMEDIATE takes the write lock up front: the second writer fails at BEGIN.
            _ = try second.writeTransaction { Issue.record("the body must not run while another writer holds the lock") }
            Issue.record("expected busy")
        } catch let error as SQLiteError {
            #expect(error.isBusy, "\(error)")
            #expect(!error.isFileProblem)
        }
        #expect(!second.isInTransaction)
        try first.execute("COMMIT")
        try second.writeTransaction { try second.run("INSERT INTO t VALUES (1)") }
        #expect(try first.scalarInt64("SELECT count(*) FROM t") == 1)
    }

    @Test func writeAheadLog() throws {
        let dir = TempDir()
        let db = try Connection(path: dir.file("a.db"), busyTimeoutMilliseconds: 100)
        try db.enableWriteAheadLog()
        #expect(try db.scalarText("PRAGMA journal_mode") == "wal")
        let memory = try Connection(path: ":memory:", busyTimeoutMilliseconds: 100)
        #expect(throws: SQLiteError.self) { try memory.enableWriteAheadLog() }
    }

    @Test func garbageFileIsAFileProblem() throws {
        let dir = TempDir()
        let path = dir.file("junk.db")
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 0xAB, count: 4096))
        let db = try Connection(path: path, busyTimeoutMilliseconds: 100)
        do {
            _ = try db.scalarInt64("PRAGMA user_version")
            _ = try db.scalarInt64("SELECT count(*) FROM sqlite_schema")
            Issue.record("expected an error for a file that is not a database")
        } catch let error as SQLiteError {
            #expect(error.isFileProblem, "\(error)")
        }
    }

    @Test func errorCodes() {
        let busy = SQLiteError(extendedCode: 5 | (1 << 8), message: "locked")  // SQLITE_BUSY_RECOVERY
        #expect(busy.primaryCode == 5)
        #expect(busy.isBusy)
        let notADB = SQLiteError(extendedCode: 26, message: "not a database")
        #expect(notADB.isFileProblem)
        #expect(!notADB.isBusy)
        #expect(SQLiteError(extendedCode: 6, message: "table locked").isBusy)  // SQLITE_LOCKED
        #expect(SQLiteError(extendedCode: 19 | (8 << 8), message: "unique").primaryCode == 19)
        #expect(!SQLiteError(extendedCode: 1, message: "error").isFileProblem)
    }
}
