import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    static let elementColumns =
        "id, type, pipeline, stage, title, responsible, email, phone, fields, created_at, updated_at, key"

    public func insertElement(_ element: Element) throws -> Int64 {
        try db.run(
            built: """
            INSERT INTO elements (id, type, pipeline, stage, title, responsible, email, phone, email_key, phone_key,
                                  fields, created_at, updated_at, key)
            VALUES (\(SQLiteStore.nextElementID), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(element.type.rawValue), .integer(element.pipeline), .text(element.stage), .text(element.title),
             SQLiteValue(element.responsible), SQLiteValue(element.email), SQLiteValue(element.phone),
             SQLiteValue(ContactKey.email(element.email)), SQLiteValue(ContactKey.phone(element.phone)),
             .text(element.freeFields.json), .integer(element.createdAt.milliseconds),
             .integer(element.updatedAt.milliseconds), SQLiteValue(element.key)])
        return db.lastInsertedRowID
    }

    public func findElement(id: Int64) throws -> Element? {
        if let remembered = memo.element(id: id) { return remembered }
        let element = try db.cached(built: "SELECT \(SQLiteStore.elementColumns) FROM elements WHERE id = ?")
            .firstRow([.integer(id)], SQLiteStore.element)
        if let element { memo.remember(element) }
        return element
    }

    public func findElement(key: String) throws -> Element? {
        try db.cached(built: "SELECT \(SQLiteStore.elementColumns) FROM elements WHERE key = ?")
            .firstRow([.text(key)], SQLiteStore.element)
    }

    public func forEachElement(_ filter: ElementFilter, _ body: (Element) throws -> Void) throws {
        let emailKey = ContactKey.email(filter.email), phoneKey = ContactKey.phone(filter.phone)
        // A contact with no key (no digits, empty) is no element's.
        if filter.email != nil && emailKey == nil || filter.phone != nil && phoneKey == nil { return }
        let values: [SQLiteValue] = [
            .integer(filter.after ?? 0), SQLiteValue(filter.type?.rawValue), SQLiteValue(filter.pipeline),
            SQLiteValue(filter.stage), SQLiteValue(emailKey), SQLiteValue(phoneKey), SQLiteValue(filter.responsible),
            SQLiteValue(filter.search), .integer(Int64(filter.limit ?? -1)),
        ]
        // Without --last the rows stream straight off the id order; with it, the last N are picked in reverse
        // and put back in id order (at most N rows held).
        let statement = try filter.last == nil
            ? db.cached(
                built: """
                SELECT \(SQLiteStore.elementColumns) FROM elements
                WHERE id > ?1 AND (?2 IS NULL OR type = ?2) AND (?3 IS NULL OR pipeline = ?3)
                  AND (?4 IS NULL OR stage = ?4) AND (?5 IS NULL OR email_key = ?5) AND (?6 IS NULL OR phone_key = ?6)
                  AND (?7 IS NULL OR responsible = ?7) AND (?8 IS NULL OR instr(lower(title), lower(?8)) > 0)
                ORDER BY id LIMIT ?9
                """)
            : db.cached(
                built: """
                SELECT \(SQLiteStore.elementColumns) FROM (
                  SELECT \(SQLiteStore.elementColumns) FROM elements
                  WHERE id > ?1 AND (?2 IS NULL OR type = ?2) AND (?3 IS NULL OR pipeline = ?3)
                    AND (?4 IS NULL OR stage = ?4) AND (?5 IS NULL OR email_key = ?5) AND (?6 IS NULL OR phone_key = ?6)
                    AND (?7 IS NULL OR responsible = ?7) AND (?8 IS NULL OR instr(lower(title), lower(?8)) > 0)
                  ORDER BY id DESC LIMIT ?10)
                ORDER BY id LIMIT ?9
                """)
        try statement.forEachRow(filter.last.map { values + [.integer(Int64($0))] } ?? values) {
            try body(SQLiteStore.element($0))
        }
    }

    public func elementID(for target: EventTarget) throws -> Int64? {
        let column: String
        let key: String?
        switch target {
        case .element(let id): return id
        case .email(let email): (column, key) = ("email_key", ContactKey.email(email))
        case .phone(let phone): (column, key) = ("phone_key", ContactKey.phone(phone))
        }
        guard let key else { return nil }
        return try db.scalarInt64(
            built: """
            SELECT e.id FROM elements e JOIN stages s ON s.pipeline = e.pipeline AND s.code = e.stage
            WHERE e.\(column) = ? AND s.semantic = 'process' ORDER BY e.id DESC LIMIT 1
            """, [.text(key)])
    }

    /// The key is not written: it is set at creation and never changes. When the writer's memo holds the row
    /// as it is and neither the stage nor a contact changes, only the unindexed columns are written: an
    /// update that sets an indexed column rewrites that index's entry even to the same value (a rule's
    /// `set`, 30,000 rows: 4 µs a row against 9–11).
    public func saveElement(_ element: Element) throws {
        if let stored = memo.element(id: element.id), stored.stage == element.stage, stored.email == element.email,
            stored.phone == element.phone
        {
            try db.run(
                "UPDATE elements SET title = ?, responsible = ?, fields = ?, updated_at = ? WHERE id = ?",
                [.text(element.title), SQLiteValue(element.responsible), .text(element.freeFields.json),
                 .integer(element.updatedAt.milliseconds), .integer(element.id)])
        } else {
            try db.run(
                """
                UPDATE elements SET stage = ?, title = ?, responsible = ?, email = ?, phone = ?, email_key = ?,
                                    phone_key = ?, fields = ?, updated_at = ?
                WHERE id = ?
                """,
                [.text(element.stage), .text(element.title), SQLiteValue(element.responsible),
                 SQLiteValue(element.email), SQLiteValue(element.phone), SQLiteValue(ContactKey.email(element.email)),
                 SQLiteValue(ContactKey.phone(element.phone)), .text(element.freeFields.json),
                 .integer(element.updatedAt.milliseconds), .integer(element.id)])
        }
        memo.saved(element)
    }

    /// Cheaper than `saveElement`, which also rewrites the indexed contact keys.
    public func saveStage(of element: Int64, stage: String, updatedAt: Timestamp) throws {
        memo.stageSaved(of: element, stage: stage, updatedAt: updatedAt)
        try db.run(
            "UPDATE elements SET stage = ?, updated_at = ? WHERE id = ?",
            [.text(stage), .integer(updatedAt.milliseconds), .integer(element)])
    }

    static func element(_ row: Row) -> Element {
        Element(
            id: row.int64(0), key: row.text(11), type: EntityType(rawValue: row.string(1)) ?? .lead,
            pipeline: row.int64(2), stage: row.string(3), title: row.string(4), responsible: row.text(5),
            email: row.text(6), phone: row.text(7), freeFields: FreeFields(json: row.string(8)),
            createdAt: Timestamp(milliseconds: row.int64(9)), updatedAt: Timestamp(milliseconds: row.int64(10)))
    }
}
