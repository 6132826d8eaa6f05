import CLibPQ

/// A statement's whole result as libpq holds it; cleared when released.
final class PostgresResult {
    let handle: OpaquePointer
    private let pq: UnsafePointer<LibPQ>

    init(handle: OpaquePointer, pq: UnsafePointer<LibPQ>) {
        self.handle = handle
        self.pq = pq
    }

    deinit { pq.pointee.PQclear(handle) }

    var rowCount: Int32 { pq.pointee.PQntuples(handle) }

    /// Rows an INSERT, UPDATE or DELETE changed, or a SELECT returned (0 for other statements).
    var changedRowCount: Int { pq.pointee.PQcmdTuples(handle).flatMap { Int(String(cString: $0)) } ?? 0 }

    func row(_ index: Int32) -> PostgresRow { PostgresRow(result: handle, pq: pq, index: index) }
}

/// One result row, valid only inside the closure that receives it. Values arrive in libpq's text format.
public struct PostgresRow {
    let result: OpaquePointer
    let pq: UnsafePointer<LibPQ>
    let index: Int32

    public func isNull(_ column: Int32) -> Bool { pq.pointee.PQgetisnull(result, index, column) != 0 }

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
        guard !isNull(column), let bytes = pq.pointee.PQgetvalue(result, index, column) else { return nil }
        let count = Int(pq.pointee.PQgetlength(result, index, column))
        return bytes.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    /// A NOT NULL text column.
    public func string(_ column: Int32) -> String { text(column) ?? "" }
}
