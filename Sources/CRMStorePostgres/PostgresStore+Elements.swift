import CRMCore
import CRMStorage
import PostgresDB

extension PostgresStore {
    static let elementColumns =
        "id, type, pipeline, stage, title, responsible, email, phone, fields, created_at, updated_at, key"

    /// The id comes from the table's sequence: never given again, not even after an erasure.
    public func insertElement(_ element: Element) throws -> Int64 {
        try db.scalarInt64(
            """
            INSERT INTO elements (type, pipeline, stage, title, responsible, email, phone, email_key, phone_key,
                                  fields, created_at, updated_at, key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            RETURNING id
            """,
            [.text(element.type.rawValue), .integer(element.pipeline), .text(element.stage), .text(element.title),
             PostgresValue(element.responsible), PostgresValue(element.email), PostgresValue(element.phone),
             PostgresValue(ContactKey.email(element.email)), PostgresValue(ContactKey.phone(element.phone)),
             .text(element.freeFields.json), .integer(element.createdAt.milliseconds),
             .integer(element.updatedAt.milliseconds), PostgresValue(element.key)]) ?? 0
    }

    /// In a write transaction the element's row is locked until the end of it (`lockedElement`): every event
    /// and job loads its element first, so those of one element are applied one at a time (SPEC §10).
    public func findElement(id: Int64) throws -> Element? {
        if isWriting { return try lockedElement(id: id) }
        return try db.firstRow(
            "SELECT \(PostgresStore.elementColumns) FROM elements WHERE id = $1", [.integer(id)], PostgresStore.element)
    }

    /// Locked as by id: a creation with a key compares the values given with the element's current ones.
    public func findElement(key: String) throws -> Element? {
        guard let found = try db.scalarInt64("SELECT id FROM elements WHERE key = $1", [.text(key)]) else { return nil }
        return try findElement(id: found)
    }

    public func forEachElement(_ filter: ElementFilter, _ body: (Element) throws -> Void) throws {
        let emailKey = ContactKey.email(filter.email), phoneKey = ContactKey.phone(filter.phone)
        // A contact with no key (no digits, empty) is no element's.
        if filter.email != nil && emailKey == nil || filter.phone != nil && phoneKey == nil { return }
        // SQLite's lower() folds A-Z alone: the search text is folded so here, and the title by translate(),
        // whatever the database's locale, so that a search matches the same titles on both.
        let values: [PostgresValue] = [
            .integer(filter.after ?? 0), PostgresValue(filter.type?.rawValue), PostgresValue(filter.pipeline),
            PostgresValue(filter.stage), PostgresValue(emailKey), PostgresValue(phoneKey),
            PostgresValue(filter.responsible), PostgresValue(filter.search.map(PostgresStore.asciiLowercased)),
            PostgresValue(filter.limit.map(Int64.init)),
        ]
        // Without --last the rows stream straight off the id order; with it, the last N are picked in reverse
        // and put back in id order (at most N rows held). A NULL limit is no limit.
        if let last = filter.last {
            try db.forEachRow(
                """
                SELECT \(PostgresStore.elementColumns) FROM (
                  SELECT \(PostgresStore.elementColumns) FROM elements
                  WHERE id > $1 AND ($2::text IS NULL OR type = $2) AND ($3::bigint IS NULL OR pipeline = $3)
                    AND ($4::text IS NULL OR stage = $4) AND ($5::text IS NULL OR email_key = $5)
                    AND ($6::text IS NULL OR phone_key = $6) AND ($7::text IS NULL OR responsible = $7)
                    AND ($8::text IS NULL OR strpos(translate(title, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                                                              'abcdefghijklmnopqrstuvwxyz'), $8) > 0)
                  ORDER BY id DESC LIMIT $10) AS last_ones
                ORDER BY id LIMIT $9::bigint
                """, values + [.integer(Int64(last))]
            ) { try body(PostgresStore.element($0)) }
        } else {
            try db.forEachRow(
                """
                SELECT \(PostgresStore.elementColumns) FROM elements
                WHERE id > $1 AND ($2::text IS NULL OR type = $2) AND ($3::bigint IS NULL OR pipeline = $3)
                  AND ($4::text IS NULL OR stage = $4) AND ($5::text IS NULL OR email_key = $5)
                  AND ($6::text IS NULL OR phone_key = $6) AND ($7::text IS NULL OR responsible = $7)
                  AND ($8::text IS NULL OR strpos(translate(title, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                                                            'abcdefghijklmnopqrstuvwxyz'), $8) > 0)
                ORDER BY id LIMIT $9::bigint
                """, values
            ) { try body(PostgresStore.element($0)) }
        }
    }

    /// Not locked here: the intake loads the element next, and that locks it.
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
            """
            SELECT e.id FROM elements e JOIN stages s ON s.pipeline = e.pipeline AND s.code = e.stage
            WHERE e.\(column) = $1 AND s.semantic = 'process' ORDER BY e.id DESC LIMIT 1
            """, [.text(key)])
    }

    /// The key is not written: it is set at creation and never changes.
    public func saveElement(_ element: Element) throws {
        try db.send(
            """
            UPDATE elements SET stage = $1, title = $2, responsible = $3, email = $4, phone = $5, email_key = $6,
                                phone_key = $7, fields = $8, updated_at = $9
            WHERE id = $10
            """,
            [.text(element.stage), .text(element.title), PostgresValue(element.responsible),
             PostgresValue(element.email), PostgresValue(element.phone), PostgresValue(ContactKey.email(element.email)),
             PostgresValue(ContactKey.phone(element.phone)), .text(element.freeFields.json),
             .integer(element.updatedAt.milliseconds), .integer(element.id)])
    }

    /// Cheaper than `saveElement`, which also rewrites the indexed contact keys.
    public func saveStage(of element: Int64, stage: String, updatedAt: Timestamp) throws {
        try db.send(
            "UPDATE elements SET stage = $1, updated_at = $2 WHERE id = $3",
            [.text(stage), .integer(updatedAt.milliseconds), .integer(element)])
    }

    /// `text` with A–Z folded to a–z and every other character as it is.
    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }

    static func element(_ row: PostgresRow) -> Element {
        Element(
            id: row.int64(0), key: row.text(11), type: EntityType(rawValue: row.string(1)) ?? .lead,
            pipeline: row.int64(2), stage: row.string(3), title: row.string(4), responsible: row.text(5),
            email: row.text(6), phone: row.text(7), freeFields: FreeFields(json: row.string(8)),
            createdAt: Timestamp(milliseconds: row.int64(9)), updatedAt: Timestamp(milliseconds: row.int64(10)))
    }
}
