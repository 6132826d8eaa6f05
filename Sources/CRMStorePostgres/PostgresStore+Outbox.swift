import CRMCore
import CRMStorage
import PostgresDB

/// The outbox on the server. A message's row is its own lock: a lease claims it `FOR UPDATE SKIP LOCKED`,
/// so two `deliver`s never hand one message over twice, and every later change reads it locked.
extension PostgresStore {
    static let messageColumns = """
        id, kind, element, rule, job, recipient, subject, text, url, payload, status, attempts, next_attempt_at,
        last_error, created_at, delivered_at, leases, lease_until, taken_over
        """

    /// From the outbox's sequence, as for jobs.
    public func reserveMessageID() throws -> Int64 {
        try db.scalarInt64("SELECT nextval(pg_get_serial_sequence('outbox', 'id'))") ?? 0
    }

    public func insertMessage(_ message: OutboxMessage) throws {
        try db.send(
            """
            INSERT INTO outbox (id, kind, element, rule, job, recipient, subject, text, url, payload, status, attempts,
                                next_attempt_at, last_error, created_at, delivered_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            """,
            [
                .integer(message.id), .text(message.kind.rawValue), .integer(message.element), .integer(message.rule),
                .integer(message.job), PostgresValue(message.to), PostgresValue(message.subject),
                PostgresValue(message.text), PostgresValue(message.url), .text(message.payload),
                .text(message.status.rawValue), .integer(Int64(message.attempts)),
                .integer(message.nextAttemptAt.milliseconds), PostgresValue(message.lastError),
                .integer(message.createdAt.milliseconds), PostgresValue(message.deliveredAt?.milliseconds),
            ])
    }

    /// In a write transaction the message is read locked: an ack, a fail, a retry or a discard that meets
    /// another one waits for it and then decides on the message as it left it, instead of overwriting it.
    public func findMessage(id: Int64) throws -> OutboxMessage? {
        try db.firstRow(
            isWriting
                ? "SELECT \(Self.messageColumns) FROM outbox WHERE id = $1 FOR UPDATE"
                : "SELECT \(Self.messageColumns) FROM outbox WHERE id = $1",
            [.integer(id)], Self.message)
    }

    public func forEachMessage(
        status: MessageStatus?, kind: MessageKind?, element: Int64?, limit: Int?,
        _ body: (OutboxMessage) throws -> Void
    ) throws {
        try db.forEachRow(
            """
            SELECT \(Self.messageColumns) FROM outbox
            WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2)
              AND ($3::bigint IS NULL OR element = $3)
            ORDER BY id LIMIT $4
            """,
            [
                PostgresValue(status?.rawValue), PostgresValue(kind?.rawValue), PostgresValue(element),
                PostgresValue(limit.map(Int64.init)),
            ]
        ) { try body(Self.message($0)) }
    }

    /// Each half takes the first due message of its kind of due time that no other transaction holds, and
    /// locks it; the earlier of the two is leased (the other stays locked until this transaction ends,
    /// which a `deliver` does at once). PostgreSQL checks a row it locks again at its latest version, so a
    /// message another `deliver` leased meanwhile is passed over for the next.
    public func leaseDueMessage(now: Timestamp, kinds: [MessageKind], leaseUntil: Timestamp) throws -> OutboxMessage? {
        let kindList: PostgresValue = kinds.isEmpty ? .null : .text("{" + kinds.map(\.rawValue).joined(separator: ",") + "}")
        return try db.firstRow(
            """
            WITH pending AS (
                SELECT id, next_attempt_at AS due FROM outbox
                WHERE status = 'pending' AND next_attempt_at <= $1 AND ($2::text[] IS NULL OR kind = ANY ($2::text[]))
                ORDER BY next_attempt_at, id LIMIT 1
                FOR UPDATE SKIP LOCKED
            ), expired AS (
                SELECT id, lease_until AS due FROM outbox
                WHERE status = 'delivering' AND lease_until <= $1 AND ($2::text[] IS NULL OR kind = ANY ($2::text[]))
                ORDER BY lease_until, id LIMIT 1
                FOR UPDATE SKIP LOCKED
            ), chosen AS (
                SELECT id, due FROM pending UNION ALL SELECT id, due FROM expired ORDER BY due, id LIMIT 1
            )
            UPDATE outbox SET taken_over = CASE WHEN status = 'delivering' THEN 1 ELSE 0 END, status = 'delivering',
                              attempts = attempts + 1, leases = leases + 1, lease_until = $3
            WHERE id = (SELECT id FROM chosen)
            RETURNING \(Self.messageColumns)
            """, [.integer(now.milliseconds), kindList, .integer(leaseUntil.milliseconds)], Self.message)
    }

    public func saveDeliveryState(_ message: OutboxMessage) throws {
        try db.send(
            """
            UPDATE outbox SET status = $2, attempts = $3, leases = $4, lease_until = $5, taken_over = $6,
                              next_attempt_at = $7, last_error = $8, delivered_at = $9
            WHERE id = $1
            """,
            [
                .integer(message.id), .text(message.status.rawValue), .integer(Int64(message.attempts)),
                .integer(Int64(message.leases)), PostgresValue(message.leaseUntil?.milliseconds),
                .integer(message.takenOver ? 1 : 0), .integer(message.nextAttemptAt.milliseconds),
                PostgresValue(message.lastError), PostgresValue(message.deliveredAt?.milliseconds),
            ])
    }

    static func message(_ row: PostgresRow) -> OutboxMessage {
        OutboxMessage(
            id: row.int64(0), kind: MessageKind(rawValue: row.string(1)) ?? .notify, element: row.int64(2),
            rule: row.int64(3), job: row.int64(4), to: row.text(5), subject: row.text(6), text: row.text(7),
            url: row.text(8), payload: row.string(9), status: MessageStatus(rawValue: row.string(10)) ?? .pending,
            attempts: Int(row.int64(11)), nextAttemptAt: Timestamp(milliseconds: row.int64(12)), lastError: row.text(13),
            createdAt: Timestamp(milliseconds: row.int64(14)),
            deliveredAt: row.optionalInt64(15).map(Timestamp.init(milliseconds:)), leases: Int(row.int64(16)),
            leaseUntil: row.optionalInt64(17).map(Timestamp.init(milliseconds:)), takenOver: row.int64(18) != 0)
    }
}
