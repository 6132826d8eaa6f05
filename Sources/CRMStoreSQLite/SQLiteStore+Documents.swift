import CRMCore
import CRMStorage
import SQLiteDB

/// Documents, sent emails and chats: the records later events look up (schema.sql shows the others,
/// kept in the events' own rows, as views).
extension SQLiteStore {
    static let documentColumns = """
        id, ref, element, template, title, created_by, created_at, sent_via, sent_at, viewed_at, sender_signed_at,
        recipient_signed_at
        """

    public func findDocument(id: Int64) throws -> Document? {
        try db.cached(built: "SELECT \(SQLiteStore.documentColumns) FROM documents WHERE id = ?")
            .firstRow([.integer(id)], SQLiteStore.document)
    }

    public func findDocument(ref: String) throws -> Document? {
        try db.cached(built: "SELECT \(SQLiteStore.documentColumns) FROM documents WHERE ref = ?")
            .firstRow([.text(ref)], SQLiteStore.document)
    }

    public func documents(element: Int64?) throws -> [Document] {
        try db.cached(built: "SELECT \(SQLiteStore.documentColumns) FROM documents WHERE ?1 IS NULL OR element = ?1 ORDER BY id")
            .rows([SQLiteValue(element)], SQLiteStore.document)
    }

    public func sentEmail(element: Int64, messageID: String) throws -> Int64? {
        try db.cached("SELECT id FROM sent_emails WHERE element = ? AND message_id = ? ORDER BY id LIMIT 1")
            .firstRow([.integer(element), .text(messageID)]) { $0.int64(0) }
    }

    public func chat(element: Int64, chat: String) throws -> Chat? {
        try db.cached("SELECT channel, first_message_at FROM chats WHERE element = ? AND chat = ?")
            .firstRow([.integer(element), .text(chat)]) {
                Chat(channel: $0.text(0), firstMessageAt: $0.optionalInt64(1).map(Timestamp.init(milliseconds:)))
            }
    }

    public func record(_ change: RecordChange, element: Int64, event: Int64, by: String?, at: Timestamp) throws -> Int64? {
        let time = SQLiteValue.integer(at.milliseconds)
        switch change {
        case .createDocument(let ref, let template, let title):
            try db.run(
                built: """
                INSERT INTO documents (id, ref, element, template, title, created_by, created_at)
                VALUES (\(SQLiteStore.nextDocumentID), ?, ?, ?, ?, ?, ?)
                """,
                [SQLiteValue(ref), .integer(element), SQLiteValue(template), SQLiteValue(title), SQLiteValue(by), time])
            return db.lastInsertedRowID
        case .documentSent(let document, let via):
            try db.run("UPDATE documents SET sent_via = ?, sent_at = ? WHERE id = ?", [.text(via), time, .integer(document)])
        case .documentViewed(let document):
            try db.run("UPDATE documents SET viewed_at = ? WHERE id = ?", [time, .integer(document)])
        case .documentSigned(let document, .sender):
            try db.run("UPDATE documents SET sender_signed_at = ? WHERE id = ?", [time, .integer(document)])
        case .documentSigned(let document, .recipient):
            try db.run("UPDATE documents SET recipient_signed_at = ? WHERE id = ?", [time, .integer(document)])
        case .emailSent(let messageID):
            try db.run(
                "INSERT INTO sent_emails (element, message_id, at, event) VALUES (?, ?, ?, ?)",
                [.integer(element), SQLiteValue(messageID), time, .integer(event)])
        case .emailOpened(let sentEmail):
            try db.run("UPDATE sent_emails SET opened_at = coalesce(opened_at, ?) WHERE id = ?", [time, .integer(sentEmail)])
        case .chatMessage(let chat, let channel):
            try db.run(
                """
                INSERT INTO chats (element, chat, channel, first_message_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (element, chat) DO UPDATE SET
                    first_message_at = min(coalesce(chats.first_message_at, excluded.first_message_at),
                                           excluded.first_message_at),
                    channel = coalesce(chats.channel, excluded.channel)
                """, [.integer(element), .text(chat), SQLiteValue(channel), time])
        case .chatAnswered(let chat, let channel):
            try db.run(
                """
                INSERT INTO chats (element, chat, channel, answered_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (element, chat) DO UPDATE SET answered_at = coalesce(chats.answered_at, excluded.answered_at)
                """, [.integer(element), .text(chat), SQLiteValue(channel), time])
        }
        return nil
    }

    static func document(_ row: Row) -> Document {
        func time(_ column: Int32) -> Timestamp? { row.optionalInt64(column).map(Timestamp.init(milliseconds:)) }
        return Document(
            id: row.int64(0), ref: row.text(1), element: row.int64(2), template: row.string(3), title: row.text(4),
            createdBy: row.text(5), createdAt: Timestamp(milliseconds: row.int64(6)), sentVia: row.text(7),
            sentAt: time(8), viewedAt: time(9), senderSignedAt: time(10), recipientSignedAt: time(11))
    }
}
