import CRMApplication
import JSON

/// Where the records of `event ingest` and `element import` come from — NDJSON lines or CSV rows — each one
/// a JSON value to process or already rejected, with the line it starts on.
/// Blank lines are skipped; they still count as lines.
protocol BatchInput: ChunkSource where Item == BatchRecord {
    /// Input lines read so far.
    var lines: Int { get }
    /// Input bytes read so far.
    var bytesRead: Int { get }
}

enum BatchRecord: Sendable {
    case value(JSONValue, line: Int)
    case rejected(line: Int, code: String, message: String)

    var line: Int {
        switch self {
        case .value(_, let line), .rejected(let line, _, _): return line
        }
    }
}
