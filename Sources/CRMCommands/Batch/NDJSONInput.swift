import CRMCore
import JSON

/// NDJSON as batch records: each non-blank line is one JSON value, or is rejected as too long, not UTF-8 or
/// not JSON.
struct NDJSONInput: BatchInput {
    let reader: LineReader
    private(set) var lines = 0
    var bytesRead: Int { reader.bytesRead }
    var hasInputReady: Bool { reader.hasInputReady }

    init(_ reader: LineReader) { self.reader = reader }

    mutating func next() throws -> BatchRecord? {
        while let line = try reader.next() {
            lines += 1
            var bytes: ArraySlice<UInt8>
            switch line {
            case .oversize:
                return .rejected(line: lines, code: "too_long", message: "the line is longer than \(LineReader.maxLineBytes) bytes")
            case .text(let text):
                bytes = text
            }
            // A file saved by an editor that marks UTF-8 starts with a byte-order mark: not part of the JSON.
            if lines == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            if bytes.isBlankLine { continue }
            do {
                return .value(try bytes.withUnsafeBufferPointer { try JSONParser.parse($0) }, line: lines)
            } catch let error as JSONParseError {
                let isUTF8 = String(validating: bytes, as: UTF8.self) != nil
                return .rejected(line: lines, code: isUTF8 ? "invalid_json" : "not_utf8", message: error.message)
            }
        }
        return nil
    }
}
