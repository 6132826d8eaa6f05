import CRMCore
import CRMStorage
import SQLiteDB

/// `crmctl copy` (SPEC §10) on the SQLite file. Table names reach SQL only after `CopiedTables` named
/// them, and column names as the file's own schema lists them, quoted.
extension SQLiteStore {
    /// The tables whose new ids honour `TABLE_erased_up_to` (`nextElementID` and the like).
    private static let tablesWithErasureFloor: Set<String> = ["elements", "documents", "events"]

    public func copiedColumns(of table: String) throws -> [CopiedColumn] {
        _ = try SQLiteStore.order(of: table)
        return try db.cached("SELECT name, upper(type) FROM pragma_table_info(?) ORDER BY cid").rows([.text(table)]) {
            let type = $0.string(1)
            let kind: ColumnKind = type.contains("INT") ? .integer : type == "BLOB" ? .bytes : .text
            return CopiedColumn(name: $0.string(0), kind: kind)
        }
    }

    public func rowCount(of table: String) throws -> Int {
        _ = try SQLiteStore.order(of: table)
        return Int(try db.scalarInt64(built: "SELECT count(*) FROM \"\(table)\"") ?? 0)
    }

    public func forEachCopiedRow(of table: String, columns: [CopiedColumn], _ body: ([CopiedValue]) throws -> Void)
        throws
    {
        let order = try SQLiteStore.order(of: table)
        let columnList = SQLiteStore.quotedList(columns)
        try db.cached(built: "SELECT \(columnList) FROM \"\(table)\" ORDER BY \(order)").forEachRow { row in
            try body(
                columns.indices.map { index in
                    let column = Int32(index)
                    if row.isNull(column) { return .null }
                    switch columns[index].kind {
                    case .integer: return .integer(row.int64(column))
                    case .text: return .text(row.string(column))
                    case .bytes: return .bytes(row.blob(column))
                    }
                })
        }
    }

    public func insertCopiedRow(into table: String, columns: [CopiedColumn], _ values: [CopiedValue]) throws {
        _ = try SQLiteStore.order(of: table)
        memo.forgetAll()
        let columnList = SQLiteStore.quotedList(columns)
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.cached(built: "INSERT INTO \"\(table)\" (\(columnList)) VALUES (\(placeholders))").run(
            values.map { value in
                switch value {
                case .null: .null
                case .integer(let integer): .integer(integer)
                case .text(let text): .text(text)
                case .bytes(let bytes): .blob(bytes)
                }
            })
    }

    public func deleteAllRows(of table: String) throws {
        _ = try SQLiteStore.order(of: table)
        memo.forgetAll()
        try db.run(built: "DELETE FROM \"\(table)\"")
    }

    /// The largest of the ids in the table, AUTOINCREMENT's sequence and the erasure floor.
    public func highestIDGiven(in table: String) throws -> Int64 {
        _ = try SQLiteStore.order(of: table)
        return try db.scalarInt64(
            built: """
            SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0),
                       coalesce((SELECT max(id) FROM "\(table)"), 0),
                       coalesce((SELECT value FROM automation_state WHERE name = ?1 || '_erased_up_to'), 0))
            """, [.text(table)]) ?? 0
    }

    /// AUTOINCREMENT tables keep their sequence; elements, documents and events an erasure floor when ids
    /// above their largest were given; other tables give the largest id + 1 anyway.
    public func continueIDs(in table: String, after id: Int64) throws {
        _ = try SQLiteStore.order(of: table)
        let autoincrement = try db.scalarInt64(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ? AND sql LIKE '%AUTOINCREMENT%'",
            [.text(table)]) == 1
        if autoincrement {
            try db.run(
                "INSERT INTO sqlite_sequence (name, seq) SELECT ?1, 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)",
                [.text(table)])
            try db.run("UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1", [.text(table), .integer(id)])
        } else if SQLiteStore.tablesWithErasureFloor.contains(table),
            id > (try db.scalarInt64(built: "SELECT coalesce(max(id), 0) FROM \"\(table)\"") ?? 0)
        {
            try setAutomationState(table + "_erased_up_to", to: id)
        }
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
