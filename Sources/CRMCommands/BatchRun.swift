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
    static let chunkLines = 1000
    static let chunkMilliseconds: Int64 = 200

    let context: Context
    let verb: String
    let dryRun: Bool

    /// `process` handles one parsed line (and its number) inside the open transaction, writes its result
    /// line into the stream and returns its status.
    func run(file: String?, process: (JSONValue, Int, inout JSONStream) throws -> String) throws {
        let store = try context.store()
        let reader = try context.inputReader(file)
        var counts: [String: Int] = [:]
        var order: [String] = []
        var lineNumber = 0
        var pending = JSONStream()

        func count(_ status: String) {
            if counts[status] == nil { order.append(status) }
            counts[status, default: 0] += 1
        }
        func rejected(_ line: Int, _ code: String, _ message: String) {
            count("rejected")
            pending.value(
                ["line": JSONValue(Int64(line)), "status": "rejected",
                 "error": ["code": .string(code), "message": .string(message)]])
            pending.endLine()
        }

        func handle(_ line: LineReader.Line) throws {
            lineNumber += 1
            let bytes: ArraySlice<UInt8>
            switch line {
            case .oversize:
                rejected(lineNumber, "too_long", "the line is longer than \(LineReader.maxLineBytes) bytes")
                return
            case .text(let text):
                bytes = text
            }
            if bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return }  // blank lines are skipped
            let value: JSONValue
            do {
                value = try bytes.withUnsafeBufferPointer { try JSONParser.parse($0) }
            } catch let error as JSONParseError {
                let isUTF8 = String(validating: bytes, as: UTF8.self) != nil
                rejected(lineNumber, isUTF8 ? "invalid_json" : "not_utf8", error.message)
                return
            }
            count(try process(value, lineNumber, &pending))
            pending.endLine()
        }

        // The line read ahead. Waiting for input happens outside any transaction, so a slow pipe never
        // holds the write lock: a chunk ends when it is full, old, or the next line is not there yet.
        var lookahead = try reader.next()

        func processChunk() throws {
            let started = Timestamp.systemNow().milliseconds
            var handled = 0
            while let line = lookahead {
                try handle(line)
                handled += 1
                lookahead = nil
                if handled >= BatchRun.chunkLines || Timestamp.systemNow().milliseconds - started >= BatchRun.chunkMilliseconds
                    || !reader.hasInputReady
                {
                    return
                }
                lookahead = try reader.next()
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
                        if lookahead == nil { lookahead = try reader.next() }
                    }
                    throw DryRunRollback()
                }
            } catch is DryRunRollback {}
        } else {
            while lookahead != nil {
                try store.write { try processChunk() }
                flushResults()
                if lookahead == nil { lookahead = try reader.next() }
            }
        }
        let summary = order.map { "\(counts[$0]!) \($0)" }.joined(separator: ", ")
        context.note("\(verb): \(lineNumber) lines\(summary.isEmpty ? "" : ": " + summary)\(dryRun ? " (dry run: nothing written)" : "")")
        if counts["rejected", default: 0] > 0 { throw CommandFailed(exitCode: CRMError.Kind.invalid.exitCode) }
    }
}
