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
    public func run<Source: ChunkSource>(
        _ source: inout Source, handle: (Source.Item) throws -> Void, chunkEnded: (Source) throws -> Void
    ) throws {
        // The item read ahead: waiting for input happens before a chunk's transaction begins.
        var lookahead = try source.next()

        func processChunk() throws {
            let started = Timestamp.systemNow().milliseconds
            var handled = 0
            while let item = lookahead {
                try handle(item)
                handled += 1
                lookahead = nil
                if handled >= Self.chunkItems || Timestamp.systemNow().milliseconds - started >= Self.chunkMilliseconds
                    || !source.hasInputReady
                {
                    return
                }
                lookahead = try source.next()
            }
        }

        if dryRun {
            try store.transaction {
                while lookahead != nil {
                    try processChunk()
                    try chunkEnded(source)
                    if lookahead == nil { lookahead = try source.next() }
                }
                return .rollback(())
            }
        } else {
            while lookahead != nil {
                try store.write { try processChunk() }
                try chunkEnded(source)
                if lookahead == nil { lookahead = try source.next() }
            }
        }
    }
}
