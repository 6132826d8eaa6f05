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
        var exhausted = false

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

        func processChunk() throws {
            let started = Timestamp.systemNow()
            var linesInChunk = 0
            while linesInChunk < BatchRun.chunkLines {
                guard let line = try reader.next() else {
                    exhausted = true
                    return
                }
                lineNumber += 1
                let bytes: ArraySlice<UInt8>
                switch line {
                case .oversize:
                    rejected(lineNumber, "too_long", "the line is longer than \(LineReader.maxLineBytes) bytes")
                    continue
                case .text(let text):
                    bytes = text
                }
                if bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }  // blank lines are skipped
                linesInChunk += 1
                let value: JSONValue
                do {
                    value = try bytes.withUnsafeBufferPointer { try JSONParser.parse($0) }
                } catch let error as JSONParseError {
                    let isUTF8 = String(validating: bytes, as: UTF8.self) != nil
                    rejected(lineNumber, isUTF8 ? "invalid_json" : "not_utf8", error.message)
                    continue
                }
                count(try process(value, lineNumber, &pending))
                pending.endLine()
                if Timestamp.systemNow().milliseconds - started.milliseconds >= BatchRun.chunkMilliseconds { return }
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
                    while !exhausted {
                        try processChunk()
                        flushResults()
                    }
                    throw DryRunRollback()
                }
            } catch is DryRunRollback {}
        } else {
            while !exhausted {
                try store.write { try processChunk() }
                flushResults()
            }
        }
        let summary = order.map { "\(counts[$0]!) \($0)" }.joined(separator: ", ")
        context.note("\(verb): \(lineNumber) lines\(summary.isEmpty ? "" : ": " + summary)\(dryRun ? " (dry run: nothing written)" : "")")
        if counts["rejected", default: 0] > 0 { throw CommandFailed(exitCode: CRMError.Kind.invalid.exitCode) }
    }
}
