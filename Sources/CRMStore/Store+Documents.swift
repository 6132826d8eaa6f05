import CRMCore
import SQLiteDB

/// A document of an element (SPEC §2), as recorded.
public struct Document: Sendable {
    public var id: Int64
    public var ref: String?
    public var element: Int64
    public var template: String
    public var title: String?
    public var createdBy: String?
    public var createdAt: Timestamp
    public var sentVia: String?
    public var sentAt: Timestamp?
    public var viewedAt: Timestamp?
    public var senderSignedAt: Timestamp?
    public var recipientSignedAt: Timestamp?
}

extension Store {
    static let documentColumns = """
        id, ref, element, template, title, created_by, created_at, sent_via, sent_at, viewed_at, sender_signed_at,
        recipient_signed_at
        """

    /// The document named by an id (tried first when all digits) or by its ref.
    public func document(named name: String) throws -> Document {
        if let id = Int64(name), id > 0, name.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let found = try findDocument(id: id)
        {
            return found
        }
        guard let found = try findDocument(ref: name) else {
            throw CRMError.notFound("document \(name) does not exist")
        }
        return found
    }

    func findDocument(id: Int64) throws -> Document? {
        try db.cached("SELECT \(Store.documentColumns) FROM documents WHERE id = ?").firstRow([.integer(id)], Store.document)
    }

    func findDocument(ref: String) throws -> Document? {
        try db.cached("SELECT \(Store.documentColumns) FROM documents WHERE ref = ?").firstRow([.text(ref)], Store.document)
    }

    public func documents(element: Int64?) throws -> [Document] {
        try db.cached("SELECT \(Store.documentColumns) FROM documents WHERE ?1 IS NULL OR element = ?1 ORDER BY id")
            .rows([SQLiteValue(element)], Store.document)
    }

    static func document(_ row: Row) -> Document {
        func time(_ column: Int32) -> Timestamp? { row.optionalInt64(column).map(Timestamp.init(milliseconds:)) }
        return Document(
            id: row.int64(0), ref: row.text(1), element: row.int64(2), template: row.string(3), title: row.text(4),
            createdBy: row.text(5), createdAt: Timestamp(milliseconds: row.int64(6)), sentVia: row.text(7),
            sentAt: time(8), viewedAt: time(9), senderSignedAt: time(10), recipientSignedAt: time(11))
    }
}
