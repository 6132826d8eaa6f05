import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    static let messageColumns = """
        id, kind, element, rule, job, recipient, subject, text, url, payload, status, attempts, next_attempt_at,
        last_error, created_at, delivered_at
        """

    /// As for jobs: past the largest id ever given, counted in this transaction.
    public func reserveMessageID() throws -> Int64 {
        let next = try pendingMessageID
            ?? (db.scalarInt64(
                """
                SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0),
                           coalesce((SELECT max(id) FROM outbox), 0)) + 1
                """) ?? 1)
        pendingMessageID = next + 1
        return next
    }

    public func insertMessage(_ message: OutboxMessage) throws {
        try db.cached(
            """
            INSERT INTO outbox (id, kind, element, rule, job, recipient, subject, text, url, payload, status, attempts,
                                next_attempt_at, last_error, created_at, delivered_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).run([
            .integer(message.id), .text(message.kind.rawValue), .integer(message.element), .integer(message.rule), .integer(message.job),
            SQLiteValue(message.to), SQLiteValue(message.subject), SQLiteValue(message.text), SQLiteValue(message.url),
            .text(message.payload), .text(message.status.rawValue), .integer(Int64(message.attempts)), .integer(message.nextAttemptAt.milliseconds),
            SQLiteValue(message.lastError), .integer(message.createdAt.milliseconds),
            SQLiteValue(message.deliveredAt?.milliseconds),
        ])
    }

    public func findMessage(id: Int64) throws -> OutboxMessage? {
        try db.cached("SELECT \(SQLiteStore.messageColumns) FROM outbox WHERE id = ?")
            .firstRow([.integer(id)], SQLiteStore.message)
    }

    public func forEachMessage(
        status: MessageStatus?, kind: MessageKind?, element: Int64?, limit: Int?,
        _ body: (OutboxMessage) throws -> Void
    ) throws {
        try db.cached(
            """
            SELECT \(SQLiteStore.messageColumns) FROM outbox
            WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR element = ?3)
            ORDER BY id LIMIT ?4
            """
        ).forEachRow(
            [SQLiteValue(status?.rawValue), SQLiteValue(kind?.rawValue), SQLiteValue(element), .integer(Int64(limit ?? -1))]
        ) { try body(SQLiteStore.message($0)) }
    }

    static func message(_ row: Row) -> OutboxMessage {
        OutboxMessage(
            id: row.int64(0), kind: MessageKind(rawValue: row.string(1)) ?? .notify, element: row.int64(2),
            rule: row.int64(3), job: row.int64(4), to: row.text(5), subject: row.text(6), text: row.text(7),
            url: row.text(8), payload: row.string(9), status: MessageStatus(rawValue: row.string(10)) ?? .pending,
            attempts: Int(row.int64(11)), nextAttemptAt: Timestamp(milliseconds: row.int64(12)), lastError: row.text(13),
            createdAt: Timestamp(milliseconds: row.int64(14)), deliveredAt: row.optionalInt64(15).map(Timestamp.init(milliseconds:)))
    }
}
