import CRMCore
import CRMStorage
import PostgresDB

/// Documents, sent emails and chats: the records later events look up (schema.postgres.sql shows the
/// others, kept in the events' own rows, as views).
extension PostgresStore {
    static let documentColumns = """
        id, ref, element, template, title, created_by, created_at, sent_via, sent_at, viewed_at, sender_signed_at,
        recipient_signed_at
        """

    public func findDocument(id: Int64) throws -> Document? {
        try db.firstRow(
            "SELECT \(PostgresStore.documentColumns) FROM documents WHERE id = $1", [.integer(id)],
            PostgresStore.document)
    }

    public func findDocument(ref: String) throws -> Document? {
        try db.firstRow(
            "SELECT \(PostgresStore.documentColumns) FROM documents WHERE ref = $1", [.text(ref)],
            PostgresStore.document)
    }

    public func documents(element: Int64?) throws -> [Document] {
        try db.rows(
            "SELECT \(PostgresStore.documentColumns) FROM documents WHERE $1::bigint IS NULL OR element = $1 ORDER BY id",
            [PostgresValue(element)], PostgresStore.document)
    }

    public func sentEmail(element: Int64, messageID: String) throws -> Int64? {
        try db.scalarInt64(
            "SELECT id FROM sent_emails WHERE element = $1 AND message_id = $2 ORDER BY id LIMIT 1",
            [.integer(element), .text(messageID)])
    }

    public func chat(element: Int64, chat: String) throws -> Chat? {
        try db.firstRow(
            "SELECT channel, first_message_at FROM chats WHERE element = $1 AND chat = $2",
            [.integer(element), .text(chat)]
        ) { Chat(channel: $0.text(0), firstMessageAt: $0.optionalInt64(1).map(Timestamp.init(milliseconds:))) }
    }

    /// A document's ref is unique: two writers creating the same ref at once are told apart by the unique
    /// index, and the one that loses runs again (`transaction`) and finds the other's document.
    public func record(_ change: RecordChange, element: Int64, event: Int64, by: String?, at: Timestamp) throws -> Int64? {
        let time = PostgresValue.integer(at.milliseconds)
        switch change {
        case .createDocument(let ref, let template, let title):
            return try db.scalarInt64(
                """
                INSERT INTO documents (ref, element, template, title, created_by, created_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                RETURNING id
                """,
                [PostgresValue(ref), .integer(element), PostgresValue(template), PostgresValue(title), PostgresValue(by), time])
        case .documentSent(let document, let via):
            try db.send(
                "UPDATE documents SET sent_via = $1, sent_at = $2 WHERE id = $3", [.text(via), time, .integer(document)])
        case .documentViewed(let document):
            try db.send("UPDATE documents SET viewed_at = $1 WHERE id = $2", [time, .integer(document)])
        case .documentSigned(let document, .sender):
            try db.send("UPDATE documents SET sender_signed_at = $1 WHERE id = $2", [time, .integer(document)])
        case .documentSigned(let document, .recipient):
            try db.send("UPDATE documents SET recipient_signed_at = $1 WHERE id = $2", [time, .integer(document)])
        case .emailSent(let messageID):
            try db.send(
                "INSERT INTO sent_emails (element, message_id, at, event) VALUES ($1, $2, $3, $4)",
                [.integer(element), PostgresValue(messageID), time, .integer(event)])
        case .emailOpened(let sentEmail):
            try db.send(
                "UPDATE sent_emails SET opened_at = coalesce(opened_at, $1) WHERE id = $2", [time, .integer(sentEmail)])
        case .chatMessage(let chat, let channel):
            // least() passes over a NULL: a chat answered before any message gets this one as its first.
            try db.send(
                """
                INSERT INTO chats (element, chat, channel, first_message_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (element, chat) DO UPDATE SET
                    first_message_at = least(chats.first_message_at, excluded.first_message_at),
                    channel = coalesce(chats.channel, excluded.channel)
                """, [.integer(element), .text(chat), PostgresValue(channel), time])
        case .chatAnswered(let chat, let channel):
            try db.send(
                """
                INSERT INTO chats (element, chat, channel, answered_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (element, chat) DO UPDATE SET answered_at = coalesce(chats.answered_at, excluded.answered_at)
                """, [.integer(element), .text(chat), PostgresValue(channel), time])
        }
        return nil
    }

    static func document(_ row: PostgresRow) -> Document {
        func time(_ column: Int32) -> Timestamp? { row.optionalInt64(column).map(Timestamp.init(milliseconds:)) }
        return Document(
            id: row.int64(0), ref: row.text(1), element: row.int64(2), template: row.string(3), title: row.text(4),
            createdBy: row.text(5), createdAt: Timestamp(milliseconds: row.int64(6)), sentVia: row.text(7),
            sentAt: time(8), viewedAt: time(9), senderSignedAt: time(10), recipientSignedAt: time(11))
    }
}
