import CRMTestSupport
import PostgresDB
import Testing

/// Statements sent ahead (`send`): answered with the next statement that waits, in order, and never
/// committed past an error.
@Suite(.postgresServer) struct PipelineTests {
    private func connect() throws -> PostgresConnection {
        try PostgresConnection(uri: PostgresServer.uri, lockTimeoutMilliseconds: 10_000)
    }

    @Test func sentStatementsRunInOrderBeforeTheNextOneThatWaits() throws {
        let db = try connect()
        try db.execute("CREATE TABLE sent (x int PRIMARY KEY)")
        let total = try db.transaction { () throws -> Int64? in
            for x in 1...3 { try db.send("INSERT INTO sent VALUES ($1)", [.integer(Int64(x))]) }
            let doubled = try db.send("UPDATE sent SET x = x * 10 WHERE x = 2 RETURNING x")
            let first = try db.send("SELECT sum(x) FROM sent")
            try db.send("INSERT INTO sent VALUES (4)")
            #expect(try db.firstRow(of: doubled) { $0.int64(0) } == 20)
            #expect(try db.firstRow(of: first) { $0.int64(0) } == 24)
            // A statement that waits sees what was sent before it.
            return try db.scalarInt64("SELECT sum(x) FROM sent")
        }
        #expect(total == 28)
        #expect(try db.rows("SELECT x FROM sent ORDER BY x") { $0.int64(0) } == [1, 3, 4, 20])
    }

    @Test func anErrorInASentStatementIsThrownWhereTheAnswersAreReadAndNothingIsCommitted() throws {
        let db = try connect()
        try db.execute("CREATE TABLE unique_sent (k text UNIQUE)")
        try db.run("INSERT INTO unique_sent VALUES ('a')")
        var afterTheError: SentStatement?
        var error: PostgresError?
        do {
            try db.transaction {
                let insert = "INSERT INTO unique_sent VALUES ($1) RETURNING k"
                try db.send(insert, ["b"])
                try db.send(insert, ["a"])
                afterTheError = try db.send(insert, ["c"])
                _ = try db.scalarText("SELECT 'never answered'")
                Issue.record("the waiting statement must throw the sent one's error")
            }
        } catch let thrown as PostgresError {
            error = thrown
        }
        #expect(error?.kind == .uniqueViolation)
        #expect(error?.sql == "INSERT INTO unique_sent VALUES ($1) RETURNING k")
        // The statements sent after the failed one were not run; reading one throws the same error.
        let skipped = try #require(afterTheError)
        #expect(throws: PostgresError.self) { _ = try db.firstRow(of: skipped) { $0.string(0) } }
        #expect(!db.isInTransaction)
        #expect(try db.rows("SELECT k FROM unique_sent ORDER BY k") { $0.string(0) } == ["a"])
    }

    @Test func aSentErrorCaughtInsideTheTransactionStillRollsItBack() throws {
        let db = try connect()
        try db.execute("CREATE TABLE caught_sent (k text UNIQUE)")
        try db.run("INSERT INTO caught_sent VALUES ('a')")
        let error = postgresError {
            try db.transaction {
                try db.send("INSERT INTO caught_sent VALUES ('b')")
                let duplicate = try db.send("INSERT INTO caught_sent VALUES ('a')")
                _ = try? db.rows(of: duplicate) { $0 }
            }
        }
        #expect(error?.sqlState == "25P02")
        #expect(try db.rows("SELECT k FROM caught_sent") { $0.string(0) } == ["a"])
    }

    @Test func aRollbackDropsWhatWasSent() throws {
        let db = try connect()
        try db.execute("CREATE TABLE dropped (x int)")
        struct Abandon: Error {}
        #expect(throws: Abandon.self) {
            try db.transaction {
                try db.send("INSERT INTO dropped VALUES (1)")
                throw Abandon()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.scalarInt64("SELECT count(*) FROM dropped") == 0)
    }

    @Test func outsideATransactionASentStatementRunsAtOnce() throws {
        let db = try connect()
        try db.execute("CREATE TABLE at_once (x int PRIMARY KEY)")
        let inserted = try db.send("INSERT INTO at_once VALUES (1) RETURNING x")
        #expect(try db.firstRow(of: inserted) { $0.int64(0) } == 1)
        let error = postgresError { try db.send("INSERT INTO at_once VALUES (1)") }
        #expect(error?.kind == .uniqueViolation)
        #expect(try db.scalarInt64("SELECT count(*) FROM at_once") == 1)
    }

    @Test func moreStatementsThanMayWaitAtOnceAreAllRunOnce() throws {
        let db = try connect()
        try db.execute("CREATE TABLE many (x int PRIMARY KEY)")
        let count = 1_000
        try db.transaction {
            for x in 0..<count { try db.send("INSERT INTO many VALUES ($1)", [.integer(Int64(x))]) }
        }
        #expect(try db.scalarInt64("SELECT count(*) FROM many") == Int64(count))
        #expect(try db.scalarInt64("SELECT sum(x) FROM many") == Int64(count * (count - 1) / 2))
    }

    @Test func aStatementNotYetPreparedCanJoinStatementsInFlight() throws {
        let db = try connect()
        try db.execute("CREATE TABLE joined (x int)")
        let rows = try db.transaction { () throws -> [Int64] in
            try db.send("INSERT INTO joined VALUES (1)")
            try db.send("INSERT INTO joined VALUES (2), (3)")
            let cursorRows = try db.rows("SELECT x FROM joined ORDER BY x") { $0.int64(0) }
            try db.send("INSERT INTO joined VALUES (4)")
            var streamed: [Int64] = []
            try db.forEachRow("SELECT x FROM joined ORDER BY x") { streamed.append($0.int64(0)) }
            #expect(streamed == [1, 2, 3, 4])
            return cursorRows
        }
        #expect(rows == [1, 2, 3])
    }

    /// The error `body` throws, failing the test when it throws none or another type.
    private func postgresError(_ body: () throws -> Void) -> PostgresError? {
        do {
            try body()
            Issue.record("expected a PostgresError")
        } catch let error as PostgresError {
            return error
        } catch {
            Issue.record("expected a PostgresError, got \(error)")
        }
        return nil
    }
}
