/// CSV records as RFC 4180 writes them, read line by line in constant memory: fields separated by commas; a
/// field in double quotes may hold commas, line breaks (read as "\n") and doubled quotes. Each record comes
/// with the line it starts on. A malformed record is rejected alone: when its structure breaks (a quote inside
/// an unquoted field, text after a closing quote) it ends at the end of that line, and reading goes on.
final class CSVRecordReader {
    enum Record {
        case fields([String], line: Int)
        case malformed(line: Int, code: String, message: String)
    }

    /// The most a record may hold, as for an NDJSON line: an unclosed quote cannot take all memory.
    static let maxRecordBytes = LineReader.maxLineBytes

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private let reader: LineReader
    /// Lines read so far.
    private(set) var lines = 0
    var bytesRead: Int { reader.bytesRead }
    /// Whether a line can be read without waiting (a record on several lines may still wait for its rest).
    var hasInputReady: Bool { reader.hasInputReady }

    init(_ reader: LineReader) { self.reader = reader }

    /// The next record (blank lines between records are skipped), or nil at the end of the input.
    func next() throws -> Record? {
        var parse = RecordParse()
        var start = 0
        while let line = try reader.next() {
            lines += 1
            guard case .text(var bytes) = line else {
                // Too long to look at: whether it closed a quote is unknown, so the record ends here.
                return .malformed(
                    line: parse.isEmpty ? lines : start, code: "too_long",
                    message: "the record is longer than \(CSVRecordReader.maxRecordBytes) bytes")
            }
            if lines == 1, bytes.starts(with: CSVRecordReader.byteOrderMark) { bytes = bytes.dropFirst(3) }
            if parse.isEmpty {
                if bytes.isBlankLine { continue }
                start = lines
            }
            parse.read(bytes)
            if parse.inQuotes, parse.problem == nil { continue }
            return parse.record(line: start)
        }
        guard !parse.isEmpty else { return nil }
        return .malformed(line: start, code: "invalid_csv", message: "a quoted field is not closed at the end of the input")
    }

    /// One record being read: its fields so far, and whether a quoted field is still open at the end of a line.
    private struct RecordParse {
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var afterClosingQuote = false
        var startedField = false
        var size = 0
        var oversize = false
        var notUTF8 = false
        var problem: String?
        var isEmpty: Bool { fields.isEmpty && !startedField && size == 0 }

        mutating func read(_ bytes: ArraySlice<UInt8>) {
            if size > 0 { append(UInt8(ascii: "\n")) }  // a line break inside quotes
            size += bytes.count + 1
            if size > CSVRecordReader.maxRecordBytes {
                oversize = true
                field.removeAll()
            }
            var index = bytes.startIndex
            while index < bytes.endIndex {
                let byte = bytes[index]
                index += 1
                if inQuotes {
                    if byte != CSVRecordReader.quote {
                        append(byte)
                    } else if index < bytes.endIndex, bytes[index] == CSVRecordReader.quote {
                        append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else if byte == CSVRecordReader.comma {
                    endField()
                } else if afterClosingQuote {
                    problem = "field \(fields.count + 1) has text after its closing quote"
                    return
                } else if byte == CSVRecordReader.quote {
                    guard !startedField else {
                        problem = "field \(fields.count + 1) has a quote but does not start with one (quote the whole field and double the quotes in it)"
                        return
                    }
                    startedField = true
                    inQuotes = true
                } else {
                    startedField = true
                    append(byte)
                }
            }
        }

        private mutating func append(_ byte: UInt8) {
            if !oversize { field.append(byte) }
        }

        private mutating func endField() {
            if let text = String(validating: field, as: UTF8.self) {
                fields.append(text)
            } else {
                notUTF8 = true
                fields.append("")
            }
            field.removeAll(keepingCapacity: true)
            startedField = false
            afterClosingQuote = false
        }

        mutating func record(line: Int) -> Record {
            if let problem { return .malformed(line: line, code: "invalid_csv", message: problem) }
            endField()
            if oversize {
                return .malformed(line: line, code: "too_long", message: "the record is longer than \(CSVRecordReader.maxRecordBytes) bytes")
            }
            if notUTF8 { return .malformed(line: line, code: "not_utf8", message: "the record is not valid UTF-8") }
            return .fields(fields, line: line)
        }
    }
}
