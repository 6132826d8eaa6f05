import CRMTestSupport
import PostgresDB
import Testing

private func connect(lockTimeoutMilliseconds: Int32 = 10_000) throws -> PostgresConnection {
    try PostgresConnection(uri: PostgresServer.uri, lockTimeoutMilliseconds: lockTimeoutMilliseconds)
}

/// The URI of the suite's server with the first match of `pattern` replaced (another user, another port).
private func uri(replacing pattern: String, with replacement: String) throws -> String {
    PostgresServer.uri.replacing(try Regex(pattern), with: replacement, maxReplacements: 1)
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

@Suite(.postgresServer) struct PostgresConnectionTests {
    @Test func connectsWithTheLockTimeoutSet() throws {
        let db = try connect(lockTimeoutMilliseconds: 250)
        #expect(try db.scalarText("SELECT current_database()") == "crm")
        #expect(try db.scalarText("SHOW lock_timeout") == "250ms")
        #expect(db.lockTimeoutMilliseconds == 250)
        #expect(!db.isInTransaction)
    }

    @Test func refusedLoginUnreachableServerAndBadURIAreConnectionErrors() throws {
        let nobody = try uri(replacing: "user=postgres", with: "user=nobody")
        let refused = postgresError { _ = try PostgresConnection(uri: nobody, lockTimeoutMilliseconds: 100) }
        #expect(refused?.kind == .connection)
        #expect(refused?.message.contains("role \"nobody\" does not exist") == true, "\(String(describing: refused))")
        #expect(refused?.sqlState == nil)

        let portWithoutServer = try uri(replacing: "port=[0-9]+", with: "port=1")
        let noServer = postgresError { _ = try PostgresConnection(uri: portWithoutServer, lockTimeoutMilliseconds: 100) }
        #expect(noServer?.kind == .connection)
        #expect(noServer?.message.contains("No such file or directory") == true, "\(String(describing: noServer))")

        let badURI = postgresError { _ = try PostgresConnection(uri: "postgresql://[::1", lockTimeoutMilliseconds: 100) }
        #expect(badURI?.kind == .connection)
        #expect(badURI?.message.contains("IPv6 host address") == true, "\(String(describing: badURI))")
    }

    @Test func aConnectionTheServerEndsIsAConnectionError() throws {
        let victim = try connect()
        let pid = try #require(try victim.scalarInt64("SELECT pg_backend_pid()"))
        #expect(try connect().scalarText("SELECT pg_terminate_backend($1)::text", [.integer(pid)]) == "true")
        let error = postgresError { _ = try victim.scalarInt64("SELECT 1") }
        #expect(error?.kind == .connection, "\(String(describing: error))")
    }

    @Test func valuesRoundTripAsParametersNeverAsSQLText() throws {
        let db = try connect()
        try db.execute("CREATE TABLE round_trip (id bigint GENERATED ALWAYS AS IDENTITY, s text, i bigint, b boolean)")
        let evil = "Robert'); DROP TABLE round_trip;-- \"é😀 $1 \\x tail\n"
        try db.run("INSERT INTO round_trip (s, i, b) VALUES ($1, $2, $3)", [.text(evil), .integer(.max), true])
        try db.run("INSERT INTO round_trip (s, i, b) VALUES ($1, $2, $3)", ["", .integer(.min), false])
        try db.run("INSERT INTO round_trip (s, i, b) VALUES ($1, $2, $3)", [nil, nil, nil])
        let rows = try db.rows("SELECT s, i, b, b IS NULL FROM round_trip ORDER BY id") { row in
            (row.text(0), row.optionalInt64(1), row.bool(2), row.bool(3))
        }
        #expect(rows.count == 3)
        #expect(rows[0] == (evil, .max, true, false))
        #expect(rows[1] == ("", .min, false, false))
        #expect(rows[2] == (nil, nil, false, true))
        #expect(try db.scalarInt64("SELECT count(*) FROM round_trip WHERE s = $1", [.text(evil)]) == 1)
        #expect(try db.scalarInt64("SELECT i FROM round_trip WHERE s = $1", [PostgresValue(nil as String?)]) == nil)
        #expect(try db.firstRow("SELECT s FROM round_trip WHERE false") { $0.string(0) } == nil)
    }

    @Test func textWithNULIsRefusedBeforeTheServer() throws {
        let db = try connect()
        let error = postgresError { _ = try db.scalarText("SELECT $1::text", ["a\u{0}b"]) }
        #expect(error?.sqlState == "22021")
        #expect(try db.scalarText("SELECT $1::text", ["ab"]) == "ab")
    }

    @Test func aStatementIsPreparedOnceAndServesEveryCall() throws {
        let db = try connect()
        for value in Int64(1)...3 {
            #expect(try db.scalarInt64("SELECT $1::bigint * 2", [.integer(value)]) == value * 2)
        }
        #expect(try db.scalarInt64("SELECT count(*) FROM pg_prepared_statements") == 2)
    }

    @Test func wrongNumberOfValuesIsAnErrorThatLeavesTheConnectionUsable() throws {
        let db = try connect()
        let error = postgresError { try db.run("SELECT $1::int + $2::int", [1]) }
        #expect(error?.kind == .other)
        #expect(error?.sql == "SELECT $1::int + $2::int")
        #expect(try db.scalarInt64("SELECT 1") == 1)
    }

    @Test func runCountsTheRowsItChanged() throws {
        let db = try connect()
        try db.execute("CREATE TABLE keys (k text PRIMARY KEY)")
        #expect(try db.run("INSERT INTO keys VALUES ($1) ON CONFLICT DO NOTHING", ["a"]) == 1)
        #expect(try db.run("INSERT INTO keys VALUES ($1) ON CONFLICT DO NOTHING", ["a"]) == 0)
        #expect(try db.run("DELETE FROM keys") == 1)
    }

    @Test func transactionCommitsOrLeavesNothing() throws {
        let db = try connect()
        try db.execute("CREATE TABLE tx (x int)")
        let value = try db.transaction { () throws -> Int in
            #expect(db.isInTransaction)
            try db.run("INSERT INTO tx VALUES (1)")
            return 7
        }
        #expect(value == 7)
        struct Abandon: Error {}
        #expect(throws: Abandon.self) {
            try db.transaction {
                try db.run("INSERT INTO tx VALUES (2)")
                throw Abandon()
            }
        }
        #expect(!db.isInTransaction)
        let nested = postgresError {
            try db.transaction {
                try db.run("INSERT INTO tx VALUES (3)")
                try db.transaction {}
            }
        }
        #expect(nested?.sqlState == "25001")
        #expect(!db.isInTransaction)
        #expect(try db.rows("SELECT x FROM tx") { $0.int64(0) } == [1])
    }

    @Test func anErrorCaughtInsideATransactionStillRollsItBack() throws {
        let db = try connect()
        try db.execute("CREATE TABLE caught (k text UNIQUE)")
        try db.run("INSERT INTO caught VALUES ('a')")
        let error = postgresError {
            try db.transaction {
                try db.run("INSERT INTO caught VALUES ('b')")
                _ = try? db.run("INSERT INTO caught VALUES ('a')")
            }
        }
        #expect(error?.sqlState == "25P02")
        #expect(!db.isInTransaction)
        #expect(try db.rows("SELECT k FROM caught") { $0.string(0) } == ["a"])
    }

    @Test func errorKindsFollowSQLSTATE() throws {
        let db = try connect()
        try db.execute("CREATE TABLE unique_keys (k text UNIQUE)")
        try db.run("INSERT INTO unique_keys VALUES ($1)", ["a"])
        let duplicate = postgresError { try db.run("INSERT INTO unique_keys VALUES ($1)", ["a"]) }
        #expect(duplicate?.kind == .uniqueViolation)
        #expect(duplicate?.sqlState == "23505")
        #expect(duplicate?.message.contains("unique_keys_k_key") == true)

        let kinds: [(String, PostgresError.Kind)] = [
            ("40001", .serializationFailure), ("40P01", .deadlock), ("55P03", .lockNotAvailable), ("22012", .other),
        ]
        for (sqlState, kind) in kinds {
            let raised = postgresError {
                try db.execute("DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '\(sqlState)'; END $$")
            }
            #expect(raised?.kind == kind, "\(sqlState)")
            #expect(raised?.sqlState == sqlState)
            #expect(raised?.message == "raised")
        }
    }

    @Test func skipLockedGivesTwoConnectionsDifferentRows() throws {
        let first = try connect()
        let second = try connect()
        try first.execute("CREATE TABLE queue (id int PRIMARY KEY); INSERT INTO queue VALUES (1), (2), (3);")
        let claim = "SELECT id FROM queue ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
        let claimed = try first.transaction {
            let mine = try first.scalarInt64(claim)
            let theirs = try second.transaction { try second.scalarInt64(claim) }
            return [mine, theirs]
        }
        #expect(claimed == [1, 2])
    }

    @Test func aRowLockHeldPastTheLockTimeoutIsLockNotAvailable() throws {
        let holder = try connect()
        let waiter = try connect(lockTimeoutMilliseconds: 100)
        try holder.execute("CREATE TABLE locked (id int PRIMARY KEY); INSERT INTO locked VALUES (1);")
        try holder.transaction {
            try holder.run("SELECT id FROM locked WHERE id = 1 FOR UPDATE")
            let error = postgresError {
                _ = try waiter.transaction { try waiter.run("UPDATE locked SET id = 2 WHERE id = 1") }
            }
            #expect(error?.kind == .lockNotAvailable)
            #expect(error?.sqlState == "55P03")
            #expect(!waiter.isInTransaction)
        }
        #expect(try waiter.scalarInt64("SELECT id FROM locked") == 1)
    }
}
