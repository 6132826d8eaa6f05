import CRMCore
import CRMStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The streaming loop of `event ingest` and `element import`: one result line per non-blank input line,
/// work committed in chunks (a killed run loses at most the open chunk, and other writers get their turn
/// between chunks), results printed once their chunk is committed, a summary on stderr.
struct BatchRun {
    static let chunkLines = 10_000
    static let chunkMilliseconds: Int64 = 200

    let context: Context
    let verb: String
    let dryRun: Bool

    /// `process` handles one parsed line (and its number) inside the open transaction, writes its result
    /// line into the stream and returns its status.
    func run(file: String?, process: (JSONValue, Int, inout JSONStream) throws -> String) throws {
        try run(file: file, input: NDJSONInput.init, process: process)
    }

    /// The same over the records that `makeInput` reads from the lines of FILE: NDJSON lines or CSV rows.
    func run<Input: BatchInput>(
        file: String?, input makeInput: (LineReader) -> Input, process: (JSONValue, Int, inout JSONStream) throws -> String
    ) throws {
        let store = try context.store()
        try store.useBatchCache()
        var input = makeInput(try context.inputReader(file))
        let progress = BatchProgress.start(verb: verb, file: file, context: context)
        var counts: [String: Int] = [:]
        var order: [String] = []
        var pending = JSONStream()

        func count(_ status: String) {
            if counts[status] == nil { order.append(status) }
            counts[status, default: 0] += 1
        }
        func handle(_ record: BatchRecord) throws {
            switch record {
            case .rejected(let line, let code, let message):
                count("rejected")
                pending.value(
                    ["line": JSONValue(Int64(line)), "status": "rejected",
                     "error": ["code": .string(code), "message": .string(message)]])
            case .value(let value, let line):
                count(try process(value, line, &pending))
            }
            pending.endLine()
        }

        // The record read ahead. Waiting for input happens outside any transaction, so a slow pipe never
        // holds the write lock: a chunk ends when it is full, old, or the next record is not there yet.
        var lookahead = try input.next()

        func processChunk() throws {
            let started = Timestamp.systemNow().milliseconds
            var handled = 0
            while let record = lookahead {
                try handle(record)
                handled += 1
                lookahead = nil
                if handled >= BatchRun.chunkLines || Timestamp.systemNow().milliseconds - started >= BatchRun.chunkMilliseconds
                    || !input.hasInputReady
                {
                    return
                }
                lookahead = try input.next()
            }
        }

        func flushResults() {
            context.io.output.write(bytes: pending.bytes)
            context.io.output.flush()
            pending.removeAll()
        }

        if dryRun {
            // One transaction for the whole run, rolled back: later lines see what earlier ones would do.
            do {
                try store.write {
                    while lookahead != nil {
                        try processChunk()
                        flushResults()
                        progress?.update(lines: input.lines, bytesRead: input.bytesRead)
                        if lookahead == nil { lookahead = try input.next() }
                    }
                    throw DryRunRollback()
                }
            } catch is DryRunRollback {}
        } else {
            while lookahead != nil {
                try store.write { try processChunk() }
                flushResults()
                progress?.update(lines: input.lines, bytesRead: input.bytesRead)
                if lookahead == nil { lookahead = try input.next() }
            }
        }
        progress?.finish()
        let summary = order.map { "\(counts[$0]!) \($0)" }.joined(separator: ", ")
        context.note("\(verb): \(input.lines) lines\(summary.isEmpty ? "" : ": " + summary)\(dryRun ? " (dry run: nothing written)" : "")")
        if counts["rejected", default: 0] > 0 { throw CommandFailed(exitCode: CRMError.Kind.invalid.exitCode) }
    }
}
