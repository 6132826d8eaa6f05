/// A value as it moves from one database to another in `crmctl copy`.
public enum CopiedValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case bytes([UInt8])
}

/// What a column holds: both schemas declare each column as one of these.
public enum ColumnKind: Sendable, Equatable {
    case integer, text, bytes
}

/// A column as `crmctl copy` reads and writes it.
public struct CopiedColumn: Sendable, Equatable {
    public var name: String
    public var kind: ColumnKind

    public init(name: String, kind: ColumnKind) {
        self.name = name
        self.kind = kind
    }
}

/// The tables `crmctl copy` moves: every table of the schema, in an order in which each row's references
/// are already there, each with the columns its rows are read in order of.
public enum CopiedTables {
    public static let all: [(name: String, order: String)] = [
        ("pipelines", "id"), ("stages", "pipeline, position"), ("elements", "id"), ("triggers", "id"),
        ("removed_triggers", "id"), ("events", "id"), ("timeline", "id"),
        ("timeline_heads", "element"), ("documents", "id"), ("sent_emails", "id"), ("chats", "element, chat"),
        ("rules", "id"), ("jobs", "id"), ("outbox", "id"), ("time_watches", "element, code, chat, seconds"),
        ("automation_state", "name"),
    ]

    /// The tables whose ids the database gives: a copy gives none of the source's ids again.
    public static let withGivenIDs = [
        "pipelines", "elements", "triggers", "events", "timeline", "documents", "sent_emails", "rules", "jobs",
        "outbox",
    ]

    /// The order of `table`'s rows, for a table of `all`; nil for any other name, which a store refuses
    /// before it puts the name into SQL.
    public static func order(of table: String) -> String? {
        all.first { $0.name == table }?.order
    }
}

/// Whole tables row by row, for `crmctl copy` (SPEC §10): both databases have the same tables and columns,
/// so a row moves as it is. Table names are those of `CopiedTables`.
public protocol TableCopying: AnyObject {
    /// The table's columns in the schema's order.
    func copiedColumns(of table: String) throws -> [CopiedColumn]
    func rowCount(of table: String) throws -> Int
    /// Every row of the table in `CopiedTables` order, streamed, with the values of `columns`.
    func forEachCopiedRow(of table: String, columns: [CopiedColumn], _ body: ([CopiedValue]) throws -> Void) throws
    /// Writes a row as it is, ids included, inside the caller's write transaction.
    func insertCopiedRow(into table: String, columns: [CopiedColumn], _ values: [CopiedValue]) throws
    /// Deletes every row of the table (a new database's default pipelines, before the source's come).
    func deleteAllRows(of table: String) throws
    /// The highest id the table has ever given, also of rows since removed: ids above it were never given.
    func highestIDGiven(in table: String) throws -> Int64
    /// The table gives only ids above `id` from now on.
    func continueIDs(in table: String, after id: Int64) throws
}
