import CRMCore
import JSON
import CRMApplication
import CRMStorage

/// `element import --csv`: CSV rows as the element objects NDJSON import takes, so both are checked and stored
/// alike. The header row names the columns: `key`, `type`, `title`, `responsible`, `email`, `phone`, `pipeline`
/// and `stage` (in any case) are the element's own, any other column is a free field of that name. An empty
/// cell is no value.
struct CSVElementInput: BatchInput {
    static let elementColumns: Set<String> = [
        "key", "type", "title", "responsible", "email", "phone", "pipeline", "stage",
    ]

    private let records: CSVRecordReader
    /// The header's names, read with the first record: an element key, or a free field's name.
    private var columns: [Column]?

    private enum Column {
        case element(String)
        case field(String)
    }

    var lines: Int { records.lines }
    var bytesRead: Int { records.bytesRead }
    var hasInputReady: Bool { records.hasInputReady }

    init(_ reader: LineReader) { records = CSVRecordReader(reader) }

    mutating func next() throws -> BatchRecord? {
        if columns == nil {
            guard let header = try records.next() else { return nil }
            columns = try Self.columns(header)
        }
        guard let record = try records.next() else { return nil }
        switch record {
        case .malformed(let line, let code, let message):
            return .rejected(line: line, code: code, message: message)
        case .fields(let cells, let line):
            guard let columns, cells.count == columns.count else {
                return .rejected(
                    line: line, code: "invalid_csv",
                    message: "the row has \(cells.count) cells, the header \(columns?.count ?? 0)")
            }
            var element = JSONObject()
            var fields = JSONObject()
            for (column, cell) in zip(columns, cells) where !cell.isEmpty {
                switch column {
                case .element(let key): element[key] = .string(cell)
                case .field(let name): fields[name] = .string(cell)
                }
            }
            if !fields.isEmpty { element["fields"] = .object(fields) }
            return .value(.object(element), line: line)
        }
    }

    /// The header must name each column once and have `type` and `title`: without them no row could be stored.
    private static func columns(_ header: CSVRecordReader.Record) throws -> [Column] {
        let names: [String]
        switch header {
        case .malformed(let line, _, let message):
            throw CRMError.invalid("the CSV header (line \(line)) cannot be read: \(message)")
        case .fields(let cells, _):
            names = cells.map { $0.trimmingSpaces }
        }
        var seen: Set<String> = []
        let columns = try names.enumerated().map { index, name -> Column in
            guard !name.isEmpty else { throw CRMError.invalid("column \(index + 1) of the CSV header has no name") }
            let key = elementColumns.contains(name.lowercased()) ? name.lowercased() : name
            guard seen.insert(key).inserted else { throw CRMError.invalid("the CSV header names \(key) twice") }
            return elementColumns.contains(key) ? .element(key) : .field(key)
        }
        for required in ["type", "title"] where !seen.contains(required) {
            throw CRMError.invalid("the CSV header has no \(required) column (it names \(names.joined(separator: ", ")))")
        }
        return columns
    }
}

extension String {
    /// Without the spaces and tabs around it.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
