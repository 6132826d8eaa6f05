import CSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One open SQLite database. Owns the handle and a cache of prepared statements keyed by their SQL (a
/// literal's by its address), so a hot loop prepares each statement once.
public final class Connection {
    let handle: OpaquePointer
    public let path: String
    public let busyTimeoutMilliseconds: Int32
    private var statementCache: [String: Statement] = [:]
    private var literalStatements: [UnsafeRawPointer: Statement] = [:]

    /// Opens (and creates, mode 0600) the database at `path`, waiting up to `busyTimeoutMilliseconds`
    /// for other writers' locks.
    public init(path: String, busyTimeoutMilliseconds: Int32) throws(SQLiteError) {
        _ = Connection.configured
        try Connection.createPrivately(path)
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw SQLiteError(extendedCode: code, message: message)
        }
        self.handle = handle
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    }

    /// SQLite's process-wide settings, made once before the first connection opens.
    private static let configured: Void = { _ = crmctl_sqlite3_config_no_memory_statistics() }()

    deinit {
        literalStatements.removeAll()
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// SQLite gives its -wal and -shm files the main file's mode, so creating that file 0600 first
    /// keeps all three private whatever the umask.
    private static func createPrivately(_ path: String) throws(SQLiteError) {
        guard path != ":memory:", !path.isEmpty else { return }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
            return
        }
        let failure = errno
        if failure == EEXIST { return }
        throw SQLiteError(
            extendedCode: SQLITE_CANTOPEN,
            message: "cannot create \(path): \(String(cString: strerror(failure)))")
    }

    /// Runs one or more statements that take no values (schema scripts, pragmas).
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// The prepared statement for a SQL literal, prepared on first use and reused afterwards. A literal's
    /// text stays at one address for the life of the process, so the statement is found by that address:
    /// an integer's hash, where hashing and comparing the SQL took 4 % of an ingest's instructions.
    public func cached(_ sql: StaticString) throws(SQLiteError) -> Statement {
        guard sql.hasPointerRepresentation else { return try cached(built: sql.description) }
        let address = UnsafeRawPointer(sql.utf8Start)
        if let statement = literalStatements[address] { return statement }
        let statement = try cached(built: sql.description)
        literalStatements[address] = statement
        return statement
    }

    /// The prepared statement for SQL made at run time, found by its text.
    public func cached(built sql: String) throws(SQLiteError) -> Statement {
        if let statement = statementCache[sql] { return statement }
        let statement = try Statement(connection: self, sql: sql, persistent: true)
        statementCache[sql] = statement
        return statement
    }

    /// Runs `sql` with `values` through the statement cache.
    public func run(_ sql: StaticString, _ values: [SQLiteValue] = []) throws(SQLiteError) {
        try cached(sql).run(values)
    }

    /// Runs SQL made at run time with `values` through the statement cache.
    public func run(built sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) {
        try cached(built: sql).run(values)
    }

    /// The first column of the first row as an integer, or nil when there is no row or it is NULL.
    public func scalarInt64(_ sql: StaticString, _ values: [SQLiteValue] = []) throws -> Int64? {
        try cached(sql).firstRow(values) { $0.optionalInt64(0) } ?? nil
    }

    /// `scalarInt64` for SQL made at run time.
    public func scalarInt64(built sql: String, _ values: [SQLiteValue] = []) throws -> Int64? {
        try cached(built: sql).firstRow(values) { $0.optionalInt64(0) } ?? nil
    }

    /// The first column of the first row as text, or nil when there is no row or it is NULL.
    public func scalarText(_ sql: StaticString, _ values: [SQLiteValue] = []) throws -> String? {
        try cached(sql).firstRow(values) { $0.text(0) } ?? nil
    }

    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows the last INSERT, UPDATE or DELETE changed.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so a busy
    /// database waits the busy timeout here instead of failing at the first write. Rolls back on error.
    public func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            rollbackIfOpen()
            throw error
        }
    }

    /// Rolls back the open transaction, if any; SQLite may already have rolled it back itself.
    public func rollbackIfOpen() {
        if isInTransaction { try? execute("ROLLBACK") }
    }

    /// Switches to write-ahead logging and checks that SQLite agreed (it refuses on some file systems).
    /// Two processes switching a new file at once get SQLITE_BUSY at once, whatever the busy timeout, so
    /// the switch is retried until that timeout has passed.
    public func enableWriteAheadLog() throws {
        var waited: Int32 = 0
        var mode: String?
        while true {
            do {
                mode = try scalarText("PRAGMA journal_mode = WAL")
                break
            } catch let error as SQLiteError where error.isBusy && waited < busyTimeoutMilliseconds {
                usleep(2_000)
                waited += 2
            }
        }
        guard mode?.lowercased() == "wal" else {
            throw SQLiteError(
                extendedCode: SQLITE_ERROR,
                message: "the database refused write-ahead logging (journal mode is \(mode ?? "unknown"))")
        }
    }

    func error(code: Int32, sql: String?) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        return SQLiteError(
            extendedCode: extended != 0 ? extended : code,
            message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
