import CRMCore

/// Where the records of `event ingest` and `element import` come from — NDJSON lines or CSV rows — each one
/// a JSON value to process or already rejected, with the line it starts on.
protocol BatchInput {
    /// The next record, or nil at the end of the input. Blank lines are skipped; they still count as lines.
    mutating func next() throws -> BatchRecord?
    /// Input lines read so far.
    var lines: Int { get }
    /// Input bytes read so far.
    var bytesRead: Int { get }
    /// Whether `next()` can answer without waiting for more input.
    var hasInputReady: Bool { get }
}

enum BatchRecord {
    case value(JSONValue, line: Int)
    case rejected(line: Int, code: String, message: String)
}
