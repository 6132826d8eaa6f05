import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    static let messageColumns = """
        id, kind, element, rule, job, recipient, subject, text, url, payload, status, attempts, next_attempt_at,
        last_error, created_at, delivered_at, leases, lease_until, taken_over
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
        try db.cached(built: "SELECT \(SQLiteStore.messageColumns) FROM outbox WHERE id = ?")
            .firstRow([.integer(id)], SQLiteStore.message)
    }

    public func forEachMessage(
        status: MessageStatus?, kind: MessageKind?, element: Int64?, limit: Int?,
        _ body: (OutboxMessage) throws -> Void
    ) throws {
        try db.cached(
            built: """
            SELECT \(SQLiteStore.messageColumns) FROM outbox
            WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR element = ?3)
            ORDER BY id LIMIT ?4
            """
        ).forEachRow(
            [SQLiteValue(status?.rawValue), SQLiteValue(kind?.rawValue), SQLiteValue(element), .integer(Int64(limit ?? -1))]
        ) { try body(SQLiteStore.message($0)) }
    }

    public func leaseDueMessage(now: Timestamp, kinds: [MessageKind], leaseUntil: Timestamp) throws -> OutboxMessage? {
        // Each half walks `outbox_by_due` in due order and stops at its first match; the kinds are four
        // bound slots (there are four kinds), unused ones NULL.
        var values: [SQLiteValue] = [.integer(now.milliseconds), .integer(kinds.isEmpty ? 0 : 1)]
        for index in 0..<4 { values.append(index < kinds.count ? .text(kinds[index].rawValue) : .null) }
        guard
            let id = try db.cached(
                """
                SELECT id FROM (
                    SELECT * FROM (
                        SELECT id, next_attempt_at AS due FROM outbox
                        WHERE status = 'pending' AND next_attempt_at <= ?1 AND (?2 = 0 OR kind IN (?3, ?4, ?5, ?6))
                        ORDER BY next_attempt_at, id LIMIT 1)
                    UNION ALL
                    SELECT * FROM (
                        SELECT id, lease_until AS due FROM outbox
                        WHERE status = 'delivering' AND lease_until <= ?1 AND (?2 = 0 OR kind IN (?3, ?4, ?5, ?6))
                        ORDER BY lease_until, id LIMIT 1))
                ORDER BY due, id LIMIT 1
                """
            ).firstRow(values, { $0.int64(0) })
        else { return nil }
        try db.cached(
            """
            UPDATE outbox SET taken_over = (status = 'delivering'), status = 'delivering', attempts = attempts + 1,
                              leases = leases + 1, lease_until = ?2
            WHERE id = ?1
            """
        ).run([.integer(id), .integer(leaseUntil.milliseconds)])
        return try findMessage(id: id)
    }

    public func saveDeliveryState(_ message: OutboxMessage) throws {
        try db.cached(
            """
            UPDATE outbox SET status = ?2, attempts = ?3, leases = ?4, lease_until = ?5, taken_over = ?6,
                              next_attempt_at = ?7, last_error = ?8, delivered_at = ?9
            WHERE id = ?1
            """
        ).run([
            .integer(message.id), .text(message.status.rawValue), .integer(Int64(message.attempts)),
            .integer(Int64(message.leases)), SQLiteValue(message.leaseUntil?.milliseconds),
            .integer(message.takenOver ? 1 : 0), .integer(message.nextAttemptAt.milliseconds),
            SQLiteValue(message.lastError), SQLiteValue(message.deliveredAt?.milliseconds),
        ])
    }

    static func message(_ row: Row) -> OutboxMessage {
        OutboxMessage(
            id: row.int64(0), kind: MessageKind(rawValue: row.string(1)) ?? .notify, element: row.int64(2),
            rule: row.int64(3), job: row.int64(4), to: row.text(5), subject: row.text(6), text: row.text(7),
            url: row.text(8), payload: row.string(9), status: MessageStatus(rawValue: row.string(10)) ?? .pending,
            attempts: Int(row.int64(11)), nextAttemptAt: Timestamp(milliseconds: row.int64(12)), lastError: row.text(13),
            createdAt: Timestamp(milliseconds: row.int64(14)), deliveredAt: row.optionalInt64(15).map(Timestamp.init(milliseconds:)),
            leases: Int(row.int64(16)), leaseUntil: row.optionalInt64(17).map(Timestamp.init(milliseconds:)),
            takenOver: row.bool(18))
    }
}
