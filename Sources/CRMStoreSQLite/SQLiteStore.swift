import CRMCore
import CRMStorage
import CSchema
import SQLiteDB

/// The crmctl database in one SQLite file: opens or creates it, checks and migrates its schema, and
/// implements the storage protocols with SQL.
public final class SQLiteStore: CRMStore {
    /// The `PRAGMA user_version` that schema.sql sets.
    public static let schemaVersion: Int64 = 6
    public var schemaVersion: Int64 { SQLiteStore.schemaVersion }
    public static var schemaSQL: String { String(cString: crm_schema_sql()) }

    public let db: Connection
    public let path: String
    public var location: String { path }
    var pipelineCache: [Int64: Pipeline] = [:]
    var triggerCache: [Int64: [TriggerCode: [Trigger]]] = [:]
    /// The id the next reserved event gets, known while this connection holds the write lock.
    private var pendingEventID: Int64?
    /// The same for jobs and outbox messages.
    var pendingJobID: Int64?
    var pendingMessageID: Int64?
    var ruleCache: [String: [Rule]] = [:]
    var memo = WriterMemo()

    public init(path: String, busyTimeoutMilliseconds: Int32) throws(CRMError) {
        self.path = path
        do {
            db = try Connection(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch {
            throw CRMError(.database, "cannot open the database \(path): \(error.message)")
        }
        do {
            try prepareSchema()
        } catch let error as CRMError {
            throw error
        } catch let error as SQLiteError {
            throw error.isBusy ? CRMError(error, path: path) : CRMError(.database, "cannot use \(path): \(error.message)")
        } catch {
            throw CRMError(.internal, "\(error)")
        }
    }

    private func prepareSchema() throws {
        // Read before anything writes: a file from a newer crmctl or another program must stay byte-for-byte
        // untouched (even switching it to WAL would change its header).
        // One statement, one snapshot: another process creating the schema meanwhile is seen whole or not at all.
        let (version, objects) = try db.cached(
            "SELECT user_version, (SELECT count(*) FROM sqlite_schema) FROM pragma_user_version"
        ).firstRow { ($0.int64(0), $0.int64(1)) } ?? (0, 0)
        try refuseNewer(version)
        if version == 0 { try refuseForeign(objects: objects) }
        try db.enableWriteAheadLog()
        // In WAL mode NORMAL keeps every commit atomic and survives a killed process; only a power cut can
        // lose the last commits. FULL would fsync every chunk of a batch.
        // Statement journals and temporary indexes stay in memory instead of temporary files.
        // A command that is not a batch reads most pages once (a long history reads one table page per
        // entry): a small page cache reuses its buffers where a large one would touch fresh memory, one
        // page fault each, for every page read. Batches ask for a large cache (`useBatchCache`).
        try db.execute(
            "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA cache_size = 16")
        guard version < SQLiteStore.schemaVersion else { return }
        try db.writeTransaction {
            // Another process may have created the schema while this one waited for the lock.
            let lockedVersion = try db.scalarInt64("PRAGMA user_version") ?? 0
            try refuseNewer(lockedVersion)
            guard lockedVersion == 0 else { return try migrate(from: lockedVersion) }
            try refuseForeign(objects: try db.scalarInt64("SELECT count(*) FROM sqlite_schema") ?? 0)
            // Version 0 is an empty file; schema.sql brings it to the current version in this one transaction.
            try db.execute(SQLiteStore.schemaSQL)
        }
    }

    /// A file at version 0 with tables in it belongs to another program: crmctl does not add its own.
    private func refuseForeign(objects: Int64) throws(CRMError) {
        guard objects == 0 else {
            throw CRMError(.database, "\(path) is an SQLite database of another program, not a crmctl database")
        }
    }

    private func refuseNewer(_ version: Int64) throws(CRMError) {
        guard version <= SQLiteStore.schemaVersion else {
            throw CRMError(
                .database,
                "\(path) was written by a newer crmctl (schema version \(version); this one knows up to \(SQLiteStore.schemaVersion)); it was left untouched"
            )
        }
    }

    /// A batch revisits the same index and table pages chunk after chunk: 16 MiB of page cache keeps them.
    /// And it checkpoints after 64 MiB of log rather than SQLite's 4 MiB, which checkpointed after every
    /// chunk: the pages every chunk changes again (the elements, the timeline heads, the sent emails'
    /// index) are copied into the file once for several chunks (at 2,000,000 events 1.0 against 1.7 KB
    /// written per event, and the speed held: 1.26 against 0.70 of the first batch, one bench each).
    /// And it keeps the writer's memo of elements from chunk to chunk (`WriterMemo`).
    public func useBatchCache() throws {
        try read { try db.execute("PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 16384") }
        memo.isKept = true
    }

    /// One `BEGIN IMMEDIATE` transaction. Cached pipelines and triggers are dropped first: another process
    /// may have changed them meanwhile; the writer's memo of elements is checked against the database's
    /// data version once the lock is held.
    public func transaction<T>(_ body: () throws -> TransactionEnd<T>) throws -> T {
        forgetCachedModel()
        pendingEventID = nil
        pendingJobID = nil
        pendingMessageID = nil
        ruleCache.removeAll(keepingCapacity: true)
        do {
            try db.execute("BEGIN IMMEDIATE")
            var committed = false
            defer {
                db.rollbackIfOpen()
                memo.close(committed: committed)
            }
            if memo.isKept { memo.open(dataVersion: try db.scalarInt64("PRAGMA data_version")) }
            switch try body() {
            case .commit(let value):
                try db.execute("COMMIT")
                committed = true
                return value
            case .rollback(let value):
                return value
            }
        } catch let error as SQLiteError {
            throw CRMError(error, path: path)
        }
    }

    /// SQLite's one writer never meets another inside a transaction: there is nothing to attempt again.
    public func transactionOnce<T>(_ body: () throws -> TransactionEnd<T>) throws -> T {
        try transaction(body)
    }

    /// Event ids grow from the largest; the write lock keeps other writers out, and the ids reserved in
    /// this transaction are counted here (an event's row is written after the events it made).
    public func reserveEventID() throws -> Int64 {
        let next = try pendingEventID ?? (db.scalarInt64(built: "SELECT \(SQLiteStore.nextEventID)") ?? 1)
        pendingEventID = next + 1
        return next
    }

    public func read<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw CRMError(error, path: path)
        }
    }
}
