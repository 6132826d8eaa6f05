import CLibPQ

/// A statement's whole result as libpq holds it; cleared when released.
final class PostgresResult {
    let handle: OpaquePointer
    let pq: UnsafePointer<LibPQ>

    init(handle: OpaquePointer, pq: UnsafePointer<LibPQ>) {
        self.handle = handle
        self.pq = pq
    }

    deinit { pq.pointee.PQclear(handle) }

    var rowCount: Int32 { pq.pointee.PQntuples(handle) }

    /// Rows an INSERT, UPDATE or DELETE changed, or a SELECT returned (0 for other statements).
    var changedRowCount: Int { pq.pointee.PQcmdTuples(handle).flatMap { Int(String(cString: $0)) } ?? 0 }

    func row(_ index: Int32) -> PostgresRow { PostgresRow(result: self, index: index) }
}

/// One result row, handed to a closure. Values arrive in libpq's text format.
public struct PostgresRow {
    /// Held, so that the result outlives every row read from it.
    let result: PostgresResult
    let index: Int32

    private var pq: LibPQ { result.pq.pointee }

    public func isNull(_ column: Int32) -> Bool { pq.PQgetisnull(result.handle, index, column) != 0 }

    /// A NOT NULL integer column (smallint, integer, bigint); anything else is a mistake in the SQL.
    public func int64(_ column: Int32) -> Int64 {
        let text = string(column)
        guard let value = Int64(text) else { preconditionFailure("column \(column) is not an integer: \(text)") }
        return value
    }

    public func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    /// A boolean column: PostgreSQL writes true as `t`.
    public func bool(_ column: Int32) -> Bool { string(column) == "t" }

    /// NULL reads as nil (libpq gives an empty string for it, indistinguishable from '' otherwise).
    public func text(_ column: Int32) -> String? {
        guard !isNull(column), let bytes = pq.PQgetvalue(result.handle, index, column) else { return nil }
        let count = Int(pq.PQgetlength(result.handle, index, column))
        return bytes.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    /// A NOT NULL text column.
    public func string(_ column: Int32) -> String { text(column) ?? "" }

    /// A bytea column (`\x` and hex digits in text format); NULL reads as no bytes.
    public func bytes(_ column: Int32) -> [UInt8] {
        let text = Array(string(column).utf8.dropFirst(2))
        func value(_ digit: UInt8) -> UInt8 { digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : digit - UInt8(ascii: "a") + 10 }
        return stride(from: 0, to: text.count - 1, by: 2).map { value(text[$0]) << 4 | value(text[$0 + 1]) }
    }
}
