import CRMCore
import SQLiteDB

/// What `lead create`, `deal create` and `element import` give for a new element.
public struct NewElement: Sendable {
    public var type: EntityType
    public var pipeline: String?
    public var stage: String?
    public var title: String
    public var responsible: String?
    public var email: String?
    public var phone: String?
    public var fields: [String: String]

    public init(
        type: EntityType, pipeline: String? = nil, stage: String? = nil, title: String, responsible: String? = nil,
        email: String? = nil, phone: String? = nil, fields: [String: String] = [:]
    ) {
        self.type = type
        self.pipeline = pipeline
        self.stage = stage
        self.title = title
        self.responsible = responsible
        self.email = email
        self.phone = phone
        self.fields = fields
    }
}

extension Store {
    static let elementColumns =
        "id, type, pipeline, stage, title, responsible, email, phone, fields, created_at, updated_at"

    /// Creates an element and its `created` timeline entry; the caller holds the write transaction.
    public func insertElement(_ new: NewElement) throws -> Element {
        guard !new.title.isEmpty else { throw CRMError.invalid("an element needs a title") }
        if let empty = new.fields.keys.first(where: { $0.isEmpty || Element.standardFields.contains($0) || $0 == "responsible" }) {
            throw CRMError.invalid(
                empty.isEmpty ? "a field name must not be empty" : "\(empty) is a standard field, not a free one")
        }
        let pipeline = try self.pipeline(named: new.pipeline ?? new.type.rawValue)
        guard pipeline.type == new.type else {
            throw CRMError.invalid("pipeline \(pipeline.id) is a \(pipeline.type.rawValue) pipeline, not a \(new.type.rawValue) one")
        }
        let stage = new.stage ?? pipeline.stages[0].code
        guard pipeline.stage(stage) != nil else {
            throw CRMError.notFound("pipeline \(pipeline.id) has no stage \(stage)")
        }
        let now = clock.now()
        var element = Element(
            id: 0, type: new.type, pipeline: pipeline.id, stage: stage, title: new.title,
            responsible: new.responsible.flatMap { $0.isEmpty ? nil : $0 },
            email: new.email.flatMap { $0.isEmpty ? nil : $0 }, phone: new.phone.flatMap { $0.isEmpty ? nil : $0 },
            fields: new.fields, createdAt: now, updatedAt: now)
        try db.run(
            """
            INSERT INTO elements (type, pipeline, stage, title, responsible, email, phone, email_key, phone_key,
                                  fields, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(element.type.rawValue), .integer(element.pipeline), .text(element.stage), .text(element.title),
             SQLiteValue(element.responsible), SQLiteValue(element.email), SQLiteValue(element.phone),
             SQLiteValue(ContactKey.email(element.email)), SQLiteValue(ContactKey.phone(element.phone)),
             .text(element.freeFields.json), .integer(now.milliseconds), .integer(now.milliseconds)])
        element.id = db.lastInsertedRowID
        try appendTimeline(
            element: element.id, at: now, kind: "created", author: element.responsible ?? "system", event: nil,
            details: ["pipeline": JSONValue(pipeline.id), "stage": .string(stage), "title": .string(element.title)])
        return element
    }

    public func element(id: Int64) throws -> Element {
        guard let element = try findElement(id: id) else { throw CRMError.notFound("element \(id) does not exist") }
        return element
    }

    public func findElement(id: Int64) throws -> Element? {
        try db.cached("SELECT \(Store.elementColumns) FROM elements WHERE id = ?").firstRow([.integer(id)], Store.element)
    }

    public func elements(type: EntityType?, pipeline: Int64?, stage: String?, limit: Int?) throws -> [Element] {
        try db.cached(
            """
            SELECT \(Store.elementColumns) FROM elements
            WHERE (?1 IS NULL OR type = ?1) AND (?2 IS NULL OR pipeline = ?2) AND (?3 IS NULL OR stage = ?3)
            ORDER BY id LIMIT ?4
            """
        ).rows(
            [SQLiteValue(type?.rawValue), SQLiteValue(pipeline), SQLiteValue(stage), .integer(Int64(limit ?? -1))],
            Store.element)
    }

    /// The newest element (highest id) in a process stage with this contact (SPEC §6).
    public func elementForContact(_ target: EventTarget) throws -> Int64? {
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
            WHERE e.\(column) = ? AND s.semantic = 'process' ORDER BY e.id DESC LIMIT 1
            """, [.text(key)])
    }

    /// Writes an element's current state back; the caller holds the write transaction.
    public func saveElement(_ element: Element) throws {
        try db.run(
            """
            UPDATE elements SET stage = ?, title = ?, responsible = ?, email = ?, phone = ?, email_key = ?,
                                phone_key = ?, fields = ?, updated_at = ?
            WHERE id = ?
            """,
            [.text(element.stage), .text(element.title), SQLiteValue(element.responsible), SQLiteValue(element.email),
             SQLiteValue(element.phone), SQLiteValue(ContactKey.email(element.email)),
             SQLiteValue(ContactKey.phone(element.phone)), .text(element.freeFields.json),
             .integer(element.updatedAt.milliseconds), .integer(element.id)])
    }

    /// Writes a new stage alone: cheaper than `saveElement`, which also rewrites the indexed contact keys.
    func saveStage(of element: Int64, stage: String, updatedAt: Timestamp) throws {
        try db.run(
            "UPDATE elements SET stage = ?, updated_at = ? WHERE id = ?",
            [.text(stage), .integer(updatedAt.milliseconds), .integer(element)])
    }

    /// Moves an element by hand (`element move`): any direction, no trigger fires.
    public func moveElement(id: Int64, to stage: String, author: String?) throws -> (element: Element, moved: Bool) {
        try write {
            var element = try self.element(id: id)
            let pipeline = try self.pipeline(id: element.pipeline)
            guard pipeline.stage(stage) != nil else {
                throw CRMError.notFound("pipeline \(pipeline.id) has no stage \(stage)")
            }
            guard stage != element.stage else { return (element, false) }
            let now = clock.now()
            let from = element.stage
            element.stage = stage
            element.updatedAt = now
            try saveElement(element)
            try appendTimeline(
                element: id, at: now, kind: "stage_changed", author: author.userName ?? element.responsible.userName ?? "system",
                event: nil, details: ["from": .string(from), "to": .string(stage), "trigger": nil, "event": nil])
            return (element, true)
        }
    }

    static func element(_ row: Row) -> Element {
        Element(
            id: row.int64(0), type: EntityType(rawValue: row.string(1)) ?? .lead, pipeline: row.int64(2),
            stage: row.string(3), title: row.string(4), responsible: row.text(5), email: row.text(6),
            phone: row.text(7), freeFields: FreeFields(json: row.string(8)),
            createdAt: Timestamp(milliseconds: row.int64(9)), updatedAt: Timestamp(milliseconds: row.int64(10)))
    }
}
