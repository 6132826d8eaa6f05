import CRMCore
import CRMStorage
import PostgresDB

/// `crmctl copy` (SPEC §10) on PostgreSQL. Table names reach SQL only after `CopiedTables` named them, and
/// column names as the database's own catalogue lists them, quoted.
extension PostgresStore {
    public func copiedColumns(of table: String) throws -> [CopiedColumn] {
        _ = try PostgresStore.order(of: table)
        return try db.rows(
            """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position
            """, [.text(table)]
        ) {
            let type = $0.string(1)
            let kind: ColumnKind = ["bigint", "integer", "smallint"].contains(type) ? .integer : type == "bytea" ? .bytes : .text
            return CopiedColumn(name: $0.string(0), kind: kind)
        }
    }

    public func rowCount(of table: String) throws -> Int {
        _ = try PostgresStore.order(of: table)
        return Int(try db.scalarInt64("SELECT count(*) FROM \"\(table)\"") ?? 0)
    }

    public func forEachCopiedRow(of table: String, columns: [CopiedColumn], _ body: ([CopiedValue]) throws -> Void)
        throws
    {
        let order = try PostgresStore.order(of: table)
        let columnList = PostgresStore.quotedList(columns)
        try db.forEachRow("SELECT \(columnList) FROM \"\(table)\" ORDER BY \(order)") { row in
            try body(
                columns.indices.map { index in
                    let column = Int32(index)
                    if row.isNull(column) { return .null }
                    switch columns[index].kind {
                    case .integer: return .integer(row.int64(column))
                    case .text: return .text(row.string(column))
                    case .bytes: return .bytes(row.bytes(column))
                    }
                })
        }
    }

    public func insertCopiedRow(into table: String, columns: [CopiedColumn], _ values: [CopiedValue]) throws {
        _ = try PostgresStore.order(of: table)
        let columnList = PostgresStore.quotedList(columns)
        let placeholders = columns.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        try db.run(
            "INSERT INTO \"\(table)\" (\(columnList)) VALUES (\(placeholders))",
            values.map { value in
                switch value {
                case .null: .null
                case .integer(let integer): .integer(integer)
                case .text(let text): .text(text)
                case .bytes(let bytes): .bytes(bytes)
                }
            })
    }

    public func deleteAllRows(of table: String) throws {
        _ = try PostgresStore.order(of: table)
        try db.run("DELETE FROM \"\(table)\"")
    }

    /// The largest of the ids in the table, its sequence's last value and an erasure floor a SQLite file
    /// brought along.
    public func highestIDGiven(in table: String) throws -> Int64 {
        _ = try PostgresStore.order(of: table)
        return try db.scalarInt64(
            """
            SELECT greatest(coalesce(pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass), 0),
                            coalesce((SELECT max(id) FROM "\(table)"), 0),
                            coalesce((SELECT value FROM automation_state WHERE name = $1 || '_erased_up_to'), 0))
            """, [.text(table)]) ?? 0
    }

    public func continueIDs(in table: String, after id: Int64) throws {
        _ = try PostgresStore.order(of: table)
        guard id > 0 else { return }
        try db.run("SELECT setval(pg_get_serial_sequence($1, 'id'), $2)", [.text(table), .integer(id)])
    }

    private static func order(of table: String) throws(CRMError) -> String {
        guard let order = CopiedTables.order(of: table) else {
            throw CRMError(.internal, "\(table) is not a table of crmctl's schema")
        }
        return order
    }

    private static func quotedList(_ columns: [CopiedColumn]) -> String {
        columns.map { "\"" + $0.name + "\"" }.joined(separator: ", ")
    }
}
