import CRMCore
import CRMStorage

/// Where a chunked run's work comes from: records read one at a time, and whether the next one is there
/// without waiting.
public protocol ChunkSource {
    associatedtype Item
    mutating func next() throws -> Item?
    /// Whether `next()` would return at once; a chunk ends rather than wait inside a transaction.
    var hasInputReady: Bool { get }
}

/// Work done in chunks of write transactions: a chunk commits after `chunkItems` items, after
/// `chunkMilliseconds`, or when the next item is not there yet, so a killed run loses at most its open
/// chunk, other writers get their turn between chunks, and waiting for input never holds the write lock.
/// `event ingest` and `element import` run on it.
public struct ChunkedRun<Store: StoreTransactions> {
    public static var chunkItems: Int { 10_000 }
    public static var chunkMilliseconds: Int64 { 200 }

    let store: Store
    /// A dry run keeps one transaction for the whole run and rolls it back: later items see what
    /// earlier ones would do.
    let dryRun: Bool

    public init(store: Store, dryRun: Bool) {
        self.store = store
        self.dryRun = dryRun
    }

    /// Hands every item of `source` to `handle` inside a transaction; `chunkEnded` gets the source after
    /// each chunk (committed, or computed in a dry run), outside any write lock but the dry run's.
    /// `chunkStarted` comes before each attempt at a chunk: a store may roll a chunk back after a conflict
    /// with another writer and run it again (`StoreTransactions.transaction`), and then the caller forgets
    /// what `handle` collected in the attempt that was rolled back; the chunk's items are handled again.
    public func run<Source: ChunkSource>(
        _ source: inout Source, handle: (Source.Item) throws -> Void, chunkStarted: () -> Void = {},
        chunkEnded: (Source) throws -> Void
    ) throws {
        // The item read ahead: waiting for input happens before a chunk's transaction begins.
        var lookahead = try source.next()
        // The items of the open chunk, kept until it commits so that a rolled-back attempt can be run again.
        var chunk: [Source.Item] = []

        func processChunk() throws {
            chunkStarted()
            for item in chunk { try handle(item) }
            let started = Timestamp.systemNow().milliseconds
            while let item = lookahead {
                try handle(item)
                chunk.append(item)
                lookahead = nil
                if chunk.count >= Self.chunkItems || Timestamp.systemNow().milliseconds - started >= Self.chunkMilliseconds
                    || !source.hasInputReady
                {
                    return
                }
                lookahead = try source.next()
            }
        }

        if dryRun {
            var attempted = false
            try store.transaction {
                // A dry run has printed its chunks already: it cannot start again.
                guard !attempted else {
                    throw CRMError(.busy, "another writer changed the same elements during the dry run; nothing was written, try again")
                }
                attempted = true
                while lookahead != nil {
                    try processChunk()
                    chunk.removeAll(keepingCapacity: true)
                    try chunkEnded(source)
                    if lookahead == nil { lookahead = try source.next() }
                }
                return .rollback(())
            }
        } else {
            while lookahead != nil {
                do {
                    try store.transactionOnce { .commit(try processChunk()) }
                    chunk.removeAll(keepingCapacity: true)
                    try chunkEnded(source)
                } catch let error as CRMError where error.code == CRMError.conflictCode {
                    // The chunk held elements or keys another writer needed while it waited for theirs (a
                    // deadlock, on PostgreSQL). Run again whole, it would meet that writer the same way: its
                    // items go one transaction each, which hold too little to be caught so again.
                    let items = chunk
                    for item in items {
                        try store.write {
                            chunkStarted()
                            try handle(item)
                        }
                        try chunkEnded(source)
                    }
                    chunk.removeAll(keepingCapacity: true)
                }
                if lookahead == nil { lookahead = try source.next() }
            }
        }
    }
}
