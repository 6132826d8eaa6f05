import CRMCore
import CRMStorage
import CSchema
import PostgresDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The crmctl database on a PostgreSQL server (SPEC §10): connects, checks and creates the schema, and
/// implements the storage protocols with SQL. Where SQLite locks the whole file for a writer, this store
/// locks what a writer touches: the element's row (`findElement` in a write transaction takes it `FOR
/// UPDATE`), the event key (an advisory lock), and the job, watch or message a tick or a delivery claims
/// (`FOR UPDATE SKIP LOCKED`). So writers on different elements run side by side.
public final class PostgresStore: CRMStore {
    /// The version schema.postgres.sql writes into `schema_version`: the SQLite file's version, whose end
    /// state it is.
    public static let schemaVersion: Int64 = 6
    public var schemaVersion: Int64 { PostgresStore.schemaVersion }
    public static var schemaSQL: String { String(cString: crm_schema_postgres_sql()) }
    /// The tables schema.postgres.sql creates: those `crmctl copy` moves, and the version.
    static let tables = ["schema_version"] + CopiedTables.all.map(\.name)

    public let db: PostgresConnection
    /// The URI as given (another connection to the same database uses it).
    public let uri: String
    /// The URI, its password hidden: it is printed in messages.
    public let location: String
    /// Inside `transaction`: reads that lead to a write lock what they read.
    public private(set) var isWriting = false
    /// Inside `transactionOnce`, the attempt at a chunk of a batch (see `lockedElement`).
    private(set) var isChunkAttempt = false
    /// Whether this transaction has locked an element's row yet.
    var holdsElementLock = false
    var pipelineCache: [Int64: Pipeline] = [:]
    var triggerCache: [Int64: [TriggerCode: [Trigger]]] = [:]
    var ruleCache: [String: [Rule]] = [:]

    /// Connects to `uri` (libpq's syntax; PG* variables and ~/.pgpass apply). A lock not granted within
    /// `busyTimeoutMilliseconds` fails the command with `busy`.
    public init(uri: String, busyTimeoutMilliseconds: Int32) throws(CRMError) {
        self.uri = uri
        location = PostgresStore.withoutPassword(uri)
        do {
            db = try PostgresConnection(uri: uri, lockTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch {
            throw CRMError(error, location: location, uri: uri)
        }
        do {
            try prepareSchema()
        } catch let error as CRMError {
            throw error
        } catch let error as PostgresError {
            throw CRMError(error, location: location, uri: uri)
        } catch {
            throw CRMError(.internal, "\(error)")
        }
    }

    /// A database without crmctl's tables gets them, in one transaction; one from a newer crmctl is refused.
    private func prepareSchema() throws {
        let version = try installedVersion()
        try refuseNewer(version)
        guard version < PostgresStore.schemaVersion else { return }
        // Another crmctl may be creating the schema at this moment: the second waits for the first's lock, a
        // session lock, so that it looks again in a transaction of its own — a statement of the transaction
        // that waited could still take the tables for missing from the catalogue it cached before.
        try db.run("SELECT pg_advisory_lock($1)", [.integer(PostgresStore.schemaLockKey)])
        defer { _ = try? db.run("SELECT pg_advisory_unlock($1)", [.integer(PostgresStore.schemaLockKey)]) }
        let lockedVersion = try installedVersion()
        try refuseNewer(lockedVersion)
        // The other crmctl made it while this one waited.
        guard lockedVersion < PostgresStore.schemaVersion else { return }
        if lockedVersion == 5 {
            // Version 6 dropped the timeline's forward links (history reads the chain backwards); its other
            // change, how SQLite's file checks the values of jobs and the outbox, PostgreSQL does not need.
            try db.transaction {
                try db.execute("DROP TABLE timeline_next")
                _ = try db.run("UPDATE schema_version SET version = 6")
            }
            return
        }
        guard lockedVersion == 0 else {
            throw CRMError(
                .database, "\(location) has crmctl schema version \(lockedVersion), which this crmctl cannot migrate")
        }
        try db.transaction {
            guard let schema = try db.scalarText("SELECT current_schema()") else {
                throw CRMError(
                    .database, "\(location) has no schema to create crmctl's tables in (see its search_path)")
            }
            let present = try db.rows(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY($1) ORDER BY 1",
                [.text("{" + PostgresStore.tables.joined(separator: ",") + "}")]
            ) { $0.string(0) }
            guard present.isEmpty else {
                throw CRMError(
                    .database,
                    "the schema \(schema) of \(location) has tables of another program (\(present.joined(separator: ", "))); crmctl adds none of its own there"
                )
            }
            try db.execute(PostgresStore.schemaSQL)
        }
    }

    /// The advisory lock that serializes creating the schema ("crmctl" in ASCII).
    private static let schemaLockKey: Int64 = 0x63_72_6d_63_74_6c

    /// The version in `schema_version`, 0 when the current schema has no crmctl tables.
    private func installedVersion() throws -> Int64 {
        guard try db.scalarText("SELECT to_regclass('schema_version')::text") != nil else { return 0 }
        return try db.scalarInt64("SELECT max(version) FROM schema_version") ?? 0
    }

    private func refuseNewer(_ version: Int64) throws(CRMError) {
        guard version <= PostgresStore.schemaVersion else {
            throw CRMError(
                .database,
                "\(location) was written by a newer crmctl (schema version \(version); this one knows up to \(PostgresStore.schemaVersion)); it was left untouched"
            )
        }
    }

    /// The server keeps its own cache: a batch needs nothing set.
    public func useBatchCache() throws {}

    /// How many times a transaction that lost a deadlock or a race for a unique key is run again.
    static let conflictAttempts = 10

    /// One transaction, run again from the start when it conflicted with another writer: PostgreSQL ends
    /// one of two transactions that wait for each other (deadlock), and one that inserts a key another
    /// committed first (unique violation; run again, it finds that row). `body` may therefore run more than
    /// once; it sees a fresh transaction each time.
    public func transaction<T>(_ body: () throws -> TransactionEnd<T>) throws -> T {
        try transaction(attempts: PostgresStore.conflictAttempts, body)
    }

    /// One attempt, for a chunk of a batch: a conflict rolls back and throws `busy` with the code `conflict`,
    /// and so does an element or key another writer holds once this one holds an element (`lockedElement`).
    public func transactionOnce<T>(_ body: () throws -> TransactionEnd<T>) throws -> T {
        try transaction(attempts: 1, body)
    }

    /// Cached pipelines, triggers and rules are dropped before each attempt: another process may have
    /// changed them meanwhile.
    private func transaction<T>(attempts: Int, _ body: () throws -> TransactionEnd<T>) throws -> T {
        var attempt = 1
        while true {
            forgetTransactionState()
            do {
                try db.execute("BEGIN")
                isWriting = true
                isChunkAttempt = attempts == 1
                holdsElementLock = false
                defer {
                    isWriting = false
                    isChunkAttempt = false
                    db.rollbackIfOpen()
                }
                switch try body() {
                case .commit(let value):
                    try db.execute("COMMIT")
                    return value
                case .rollback(let value):
                    return value
                }
            } catch is ContendedLock {
                throw CRMError(
                    .busy, "another writer of \(location) holds an element or key this chunk needs",
                    code: CRMError.conflictCode)
            } catch let error as PostgresError where error.isConflict {
                guard attempt < attempts else {
                    throw CRMError(
                        .busy,
                        "another writer of \(location) needed the same elements or keys at the same time; nothing was written, try again",
                        code: CRMError.conflictCode)
                }
                // Both of two deadlocked writers may be run again at once: a random pause lets one go first.
                usleep(UInt32.random(in: 1_000...(5_000 * UInt32(attempt))))
                attempt += 1
            } catch let error as PostgresError {
                throw CRMError(error, location: location)
            }
        }
    }

    private func forgetTransactionState() {
        pipelineCache.removeAll(keepingCapacity: true)
        triggerCache.removeAll(keepingCapacity: true)
        ruleCache.removeAll(keepingCapacity: true)
    }

    public func read<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError {
            throw CRMError(error, location: location)
        }
    }

    /// Several reads on one snapshot (repeatable read), so figures read apart add up while others write.
    public func readSnapshot<T>(_ body: () throws -> T) throws -> T {
        try read {
            try db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            defer { db.rollbackIfOpen() }
            return try body()
        }
    }

    /// Event ids come from the events table's sequence (its identity column's, named by PostgreSQL's rule):
    /// writers on other elements take theirs meanwhile.
    public func reserveEventID() throws -> Int64 {
        try db.scalarInt64("SELECT nextval('events_id_seq')") ?? 0
    }

    /// `postgresql://user:secret@host/db?password=x` → `postgresql://user:***@host/db?password=***`.
    static func withoutPassword(_ uri: String) -> String {
        var text = Substring(uri)
        var result = ""
        if let scheme = text.firstRange(of: "://") {
            result += text[..<scheme.upperBound]
            text = text[scheme.upperBound...]
            let authorityEnd = text.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? text.endIndex
            let authority = text[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                result += authority[...colon] + "***" + authority[at...]
            } else {
                result += authority
            }
            text = text[authorityEnd...]
        }
        let parts = text.split(separator: "&", omittingEmptySubsequences: false).map { part -> Substring in
            guard let equals = part.firstIndex(of: "=") else { return part }
            let name = part[..<equals].drop(while: { $0 == "?" })
            return name.lowercased() == "password" ? part[...equals] + "***" : part
        }
        return result + parts.joined(separator: "&")
    }
}
