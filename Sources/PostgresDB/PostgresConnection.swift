import CLibPQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One connection to a PostgreSQL server. Owns libpq's handle and the statements prepared on it, keyed by
/// their SQL, so a hot loop has each statement parsed and planned once.
///
/// Inside a transaction, statements whose answer is not needed at once can be sent ahead (`send`, libpq's
/// pipeline mode): they travel with the next statement that waits for its answer, in one round trip. A round
/// trip costs more than most statements (here 55 µs against 2–8 µs for a `SELECT` by key).
public final class PostgresConnection {
    private let pq: UnsafePointer<LibPQ>
    private let handle: OpaquePointer
    public let lockTimeoutMilliseconds: Int32
    /// SQL text → the server-side name of its prepared statement.
    private var preparedNames: [String: String] = [:]
    /// Cursors opened so far, for unique names.
    private var cursorCount = 0
    /// Statements sent in pipeline mode whose results have not been read yet, oldest first.
    private var inFlight: [SentStatement] = []
    /// At most this many statements wait for their results: the server stops reading when the answers it
    /// writes fill the socket, and a client that only sends would then wait for it forever.
    static let maxInFlight = 128

    /// Connects to `uri` in libpq's syntax (`postgresql://user@host/db`, `postgresql:///db?host=/run/x`;
    /// the PG* environment variables and ~/.pgpass fill in what it leaves out). A row or table lock not
    /// granted within `lockTimeoutMilliseconds` fails the statement with `.lockNotAvailable`.
    public init(uri: String, lockTimeoutMilliseconds: Int32) throws(PostgresError) {
        let pq = try LibPQ.loaded()
        guard let handle = pq.pointee.PQconnectdb(uri) else {
            throw PostgresError(kind: .connection, message: "out of memory")
        }
        guard pq.pointee.PQstatus(handle) == CONNECTION_OK else {
            let message = Self.trimmed(pq.pointee.PQerrorMessage(handle))
            pq.pointee.PQfinish(handle)
            throw PostgresError(kind: .connection, message: message)
        }
        // libpq prints the server's notices (`relation … already exists, skipping`) on stderr, which is
        // crmctl's own error channel.
        _ = pq.pointee.PQsetNoticeProcessor(handle, { _, _ in }, nil)
        self.pq = pq
        self.handle = handle
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
        try execute("SET lock_timeout = \(lockTimeoutMilliseconds)")
    }

    deinit { pq.pointee.PQfinish(handle) }

    /// Runs one or more statements that take no values (schema scripts, SET, transaction control).
    public func execute(_ sql: String) throws(PostgresError) {
        try synchronize()
        _ = try checked(pq.pointee.PQexec(handle, sql), sql: sql)
    }

    /// Sends `sql` with `values` without waiting for its answer: inside a transaction it is answered with the
    /// next statement that waits (or `rows(of:)`), and an error it meets is thrown there; the statements sent
    /// after it are then not run, and the transaction is aborted as by any error. Outside a transaction it
    /// runs at once.
    @discardableResult
    public func send(_ sql: String, _ values: [PostgresValue] = []) throws(PostgresError) -> SentStatement {
        let statement = SentStatement(sql: sql)
        guard !inFlight.isEmpty || pq.pointee.PQtransactionStatus(handle) == PQTRANS_INTRANS else {
            statement.outcome = .success(try executePrepared(sql, values))
            return statement
        }
        if inFlight.count >= Self.maxInFlight { try synchronize() }
        // PQprepare waits for its answer, which pipeline mode does not allow: a new statement is prepared
        // between pipelines, once per connection.
        if preparedNames[sql] == nil { try synchronize() }
        let name = try preparedName(sql)
        if inFlight.isEmpty, pq.pointee.PQenterPipelineMode(handle) != 1 { throw connectionError(sql: sql) }
        let sent = try withParameters(values, sql: sql) { parameters throws(PostgresError) in
            // libpq copies the values into its output buffer before it returns.
            pq.pointee.PQsendQueryPrepared(handle, name, Int32(values.count), parameters, nil, nil, 0)
        }
        guard sent == 1 else { throw connectionError(sql: sql) }
        inFlight.append(statement)
        return statement
    }

    /// The rows of a statement sent ahead, mapped by `transform`; waits for its answer if it has not come.
    public func rows<T>(of statement: SentStatement, _ transform: (PostgresRow) throws -> T) throws -> [T] {
        let result = try answer(of: statement)
        return try (0..<result.rowCount).map { try transform(result.row($0)) }
    }

    /// The first row of a statement sent ahead, mapped by `transform`, or nil when there is none.
    public func firstRow<T>(of statement: SentStatement, _ transform: (PostgresRow) throws -> T) throws -> T? {
        let result = try answer(of: statement)
        return result.rowCount > 0 ? try transform(result.row(0)) : nil
    }

    private func answer(of statement: SentStatement) throws(PostgresError) -> PostgresResult {
        if statement.outcome == nil { try synchronize() }
        guard let outcome = statement.outcome else {
            throw PostgresError(kind: .connection, message: "the connection broke before the answer came", sql: statement.sql)
        }
        return try outcome.get()
    }

    /// Ends the pipeline: asks for the answers of every statement in flight, keeps each with its statement
    /// and leaves pipeline mode. Throws the first error among them; the server skipped the ones after it.
    private func synchronize() throws(PostgresError) {
        guard let oldest = inFlight.first else { return }
        let statements = inFlight
        inFlight.removeAll(keepingCapacity: true)
        guard pq.pointee.PQpipelineSync(handle) == 1 else { throw connectionError(sql: oldest.sql) }
        var firstError: PostgresError?
        for statement in statements {
            guard let answer = pq.pointee.PQgetResult(handle) else { throw connectionError(sql: statement.sql) }
            if pq.pointee.PQresultStatus(answer) == PGRES_PIPELINE_ABORTED {
                pq.pointee.PQclear(answer)
                statement.outcome = .failure(
                    firstError
                        ?? PostgresError(kind: .other, message: "not run: an earlier statement failed", sql: statement.sql))
            } else {
                do throws(PostgresError) {
                    statement.outcome = .success(try checked(answer, sql: statement.sql))
                } catch {
                    statement.outcome = .failure(error)
                    firstError = firstError ?? error
                }
            }
            // A statement's answer ends with a NULL.
            while let extra = pq.pointee.PQgetResult(handle) { pq.pointee.PQclear(extra) }
        }
        guard let end = pq.pointee.PQgetResult(handle) else { throw connectionError(sql: oldest.sql) }
        let ended = pq.pointee.PQresultStatus(end) == PGRES_PIPELINE_SYNC
        pq.pointee.PQclear(end)
        guard ended, pq.pointee.PQexitPipelineMode(handle) == 1 else { throw connectionError(sql: oldest.sql) }
        if let firstError { throw firstError }
    }

    /// Runs `sql` with `values` for `$1`, `$2`, …; returns how many rows it inserted, updated or deleted
    /// (for a SELECT, how many it returned).
    @discardableResult
    public func run(_ sql: String, _ values: [PostgresValue] = []) throws(PostgresError) -> Int {
        try executePrepared(sql, values).changedRowCount
    }

    /// The rows mapped by `transform`.
    public func rows<T>(_ sql: String, _ values: [PostgresValue] = [], _ transform: (PostgresRow) throws -> T) throws
        -> [T]
    {
        let result = try executePrepared(sql, values)
        return try (0..<result.rowCount).map { try transform(result.row($0)) }
    }

    /// The first row mapped by `transform`, or nil when there is none.
    public func firstRow<T>(_ sql: String, _ values: [PostgresValue] = [], _ transform: (PostgresRow) throws -> T)
        throws -> T?
    {
        let result = try executePrepared(sql, values)
        return result.rowCount > 0 ? try transform(result.row(0)) : nil
    }

    /// The first column of the first row as an integer, or nil when there is no row or it is NULL.
    public func scalarInt64(_ sql: String, _ values: [PostgresValue] = []) throws -> Int64? {
        try firstRow(sql, values) { $0.optionalInt64(0) } ?? nil
    }

    /// The first column of the first row as text, or nil when there is no row or it is NULL.
    public func scalarText(_ sql: String, _ values: [PostgresValue] = []) throws -> String? {
        try firstRow(sql, values) { $0.text(0) } ?? nil
    }

    /// Inside BEGIN … COMMIT, or in a transaction an error has aborted.
    public var isInTransaction: Bool { pq.pointee.PQtransactionStatus(handle) != PQTRANS_IDLE }

    /// Runs `body` in a transaction (read committed: a store takes the row locks it needs with
    /// `SELECT … FOR UPDATE`). Commits when `body` returns, rolls back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        // PostgreSQL only warns of a BEGIN inside a transaction, and the inner COMMIT would commit the outer
        // transaction half done.
        guard !isInTransaction else {
            throw PostgresError(kind: .other, sqlState: "25001", message: "transactions do not nest")
        }
        try execute("BEGIN")
        do {
            let result = try body()
            // The statements still in flight first: an error among them is the transaction's.
            try synchronize()
            // After an error PostgreSQL answers COMMIT with a silent ROLLBACK: an error that `body` caught
            // and did not rethrow must not pass for a commit.
            if pq.pointee.PQtransactionStatus(handle) == PQTRANS_INERROR {
                throw PostgresError(
                    kind: .other, sqlState: "25P02",
                    message: "the transaction was aborted by an earlier error and is rolled back")
            }
            try execute("COMMIT")
            return result
        } catch {
            rollbackIfOpen()
            throw error
        }
    }

    /// Rolls back the open transaction, if any (an aborted one included); the answers still in flight
    /// are read and dropped first.
    public func rollbackIfOpen() {
        try? synchronize()
        if isInTransaction { try? execute("ROLLBACK") }
    }

    /// Calls `body` with each row of `sql`, read through a cursor a batch of `batchSize` rows at a time, so
    /// that a long list streams instead of arriving whole in memory. A cursor lives in a transaction: without
    /// one open, the rows are read in a read-only transaction of their own.
    public func forEachRow(
        _ sql: String, _ values: [PostgresValue] = [], batchSize: Int = 1000, _ body: (PostgresRow) throws -> Void
    ) throws {
        try synchronize()
        guard isInTransaction else {
            try execute("BEGIN READ ONLY")
            defer { rollbackIfOpen() }
            return try forEachRow(sql, values, batchSize: batchSize, body)
        }
        cursorCount += 1
        let cursor = "crmctl_rows_\(cursorCount)"
        let declare = "DECLARE \(cursor) NO SCROLL CURSOR FOR \(sql)"
        _ = try withParameters(values, sql: sql) { parameters throws(PostgresError) in
            try checked(
                pq.pointee.PQexecParams(handle, declare, Int32(values.count), nil, parameters, nil, nil, 0), sql: sql)
        }
        defer {
            // In a transaction an error has aborted the cursor is gone with everything else.
            if pq.pointee.PQtransactionStatus(handle) == PQTRANS_INTRANS { try? execute("CLOSE \(cursor)") }
        }
        let fetch = "FETCH \(batchSize) FROM \(cursor)"
        while true {
            let batch = try checked(pq.pointee.PQexec(handle, fetch), sql: sql)
            for index in 0..<batch.rowCount { try body(batch.row(index)) }
            if batch.rowCount < batchSize { return }
        }
    }

    /// Prepares `sql` on its first use (PostgreSQL prepares outside transactions: a rollback keeps the
    /// statement), then executes it with `values` in text format. With statements in flight, it joins them
    /// and all are answered in one round trip.
    private func executePrepared(_ sql: String, _ values: [PostgresValue]) throws(PostgresError) -> PostgresResult {
        if !inFlight.isEmpty { return try answer(of: send(sql, values)) }
        let name = try preparedName(sql)
        return try withParameters(values, sql: sql) { parameters throws(PostgresError) in
            try checked(
                pq.pointee.PQexecPrepared(handle, name, Int32(values.count), parameters, nil, nil, 0), sql: sql)
        }
    }

    /// `values` as the C strings libpq takes (NULL for SQL NULL), alive while `body` runs.
    private func withParameters<T>(
        _ values: [PostgresValue], sql: String, _ body: ([UnsafePointer<CChar>?]) throws(PostgresError) -> T
    ) throws(PostgresError) -> T {
        var parameters: [UnsafePointer<CChar>?] = []
        parameters.reserveCapacity(values.count)
        defer { for parameter in parameters { free(UnsafeMutablePointer(mutating: parameter)) } }
        for value in values {
            parameters.append(try value.parameterText(sql: sql).map { UnsafePointer(strdup($0)!) })
        }
        return try body(parameters)
    }

    private func preparedName(_ sql: String) throws(PostgresError) -> String {
        if let name = preparedNames[sql] { return name }
        let name = "s\(preparedNames.count + 1)"
        _ = try checked(pq.pointee.PQprepare(handle, name, sql, 0, nil), sql: sql)
        preparedNames[sql] = name
        return name
    }

    /// The result when the statement succeeded; else the error, cleared.
    private func checked(_ handle: OpaquePointer?, sql: String) throws(PostgresError) -> PostgresResult {
        guard let handle else { throw connectionError(sql: sql) }
        let result = PostgresResult(handle: handle, pq: pq)
        switch pq.pointee.PQresultStatus(handle) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        default:
            if pq.pointee.PQstatus(self.handle) != CONNECTION_OK { throw connectionError(sql: sql) }
            // The fields point into the result: it must stay alive until they are copied.
            let (sqlState, message) = withExtendedLifetime(result) {
                (
                    pq.pointee.PQresultErrorField(handle, LIBPQ_DIAG_SQLSTATE).map { String(cString: $0) },
                    pq.pointee.PQresultErrorField(handle, LIBPQ_DIAG_MESSAGE_PRIMARY).map { String(cString: $0) }
                        ?? Self.trimmed(pq.pointee.PQresultErrorMessage(handle))
                )
            }
            throw PostgresError(sqlState: sqlState, message: message, sql: sql)
        }
    }

    /// The server went away, or libpq could not even allocate a result.
    private func connectionError(sql: String) -> PostgresError {
        PostgresError(kind: .connection, message: Self.trimmed(pq.pointee.PQerrorMessage(handle)), sql: sql)
    }

    /// libpq's messages end in a newline.
    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        var text = message.map { String(cString: $0) } ?? ""
        while text.last?.isNewline == true { text.removeLast() }
        return text.isEmpty ? "unknown libpq error" : text
    }
}

/// A statement sent ahead in a pipeline (`PostgresConnection.send`); its answer is kept here when it comes.
public final class SentStatement {
    let sql: String
    fileprivate(set) var outcome: Result<PostgresResult, PostgresError>?

    fileprivate init(sql: String) { self.sql = sql }
}
