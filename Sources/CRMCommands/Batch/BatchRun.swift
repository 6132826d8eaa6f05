import CRMApplication
import CRMCore
import JSON
import CRMStorage

/// The streaming loop of `event ingest` and `element import` on `ChunkedRun`: one result line per
/// non-blank input line, results printed once their chunk is committed, progress on a terminal, a summary
/// on stderr, exit 65 when a line was rejected.
struct BatchRun {
    let context: Context
    let verb: String
    let dryRun: Bool

    /// `process` handles one record — a parsed line, or one already rejected as unreadable — inside the
    /// open transaction, writes its result line into the stream and returns its status.
    func run<Store: CRMStore>(
        store: Store, file: String?, process: (BatchRecord, inout JSONStream) throws -> String
    ) throws {
        try run(store: store, file: file, input: NDJSONInput.init, prepare: { $0 }, process: process)
    }

    /// The same over the records that `makeInput` reads from the lines of FILE: NDJSON lines or CSV rows,
    /// each made ready by `prepare` on the reading thread (`ReadAhead`) before `process` takes it.
    func run<Store: CRMStore, Input: BatchInput, Prepared: Sendable>(
        store: Store, file: String?, input makeInput: (LineReader) -> Input,
        prepare: @escaping @Sendable (BatchRecord) -> Prepared,
        process: (Prepared, inout JSONStream) throws -> String
    ) throws {
        try store.useBatchCache()
        var input = try ReadAhead(makeInput(try context.inputReader(file)), prepare: prepare)
        let progress = BatchProgress.start(verb: verb, file: file, context: context)
        var counts: [String: Int] = [:]
        var order: [String] = []
        var pending = JSONStream()
        // The counts as of the last committed chunk, for a chunk that is run again.
        var committed: (counts: [String: Int], order: [String]) = ([:], [])

        try ChunkedRun(store: store, dryRun: dryRun).run(
            &input,
            handle: { record in
                let status = try process(record, &pending)
                pending.endLine()
                if counts[status] == nil { order.append(status) }
                counts[status, default: 0] += 1
            },
            chunkStarted: {
                pending.removeAll()
                (counts, order) = committed
            },
            chunkEnded: { input in
                context.io.output.write(bytes: pending.bytes)
                context.io.output.flush()
                pending.removeAll()
                committed = (counts, order)
                progress?.update(lines: input.lines, bytesRead: input.bytesRead)
            })
        progress?.finish()
        let summary = order.map { "\(counts[$0]!) \($0)" }.joined(separator: ", ")
        context.summary(
            verb, "\(input.lines) lines\(summary.isEmpty ? "" : ": " + summary)\(dryRun ? " (dry run: nothing written)" : "")",
            [("lines", JSONValue(input.lines))] + order.map { ($0, JSONValue(counts[$0]!)) } + [("dry_run", .bool(dryRun))])
        if counts["rejected", default: 0] > 0 { throw CommandFailed(exitCode: CRMError.Kind.invalid.exitCode) }
    }
}
