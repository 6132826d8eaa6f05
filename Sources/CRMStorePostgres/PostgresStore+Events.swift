import CRMCore
import CRMStorage
import JSON
import PostgresDB

extension PostgresStore {
    static let eventColumns = "id, key, type, element, at, by, data, status, outcome"

    /// The row keeps the id `reserveEventID` took from the sequence.
    public func insertEvent(_ row: EventRow) throws {
        try db.send(
            """
            INSERT INTO events (id, key, type, element, at, by, data, fingerprint, status, outcome, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """,
            [
                .integer(row.id), PostgresValue(row.key), .text(row.type), .integer(row.element),
                .integer(row.at.milliseconds), PostgresValue(row.by), .text(row.dataText), .bytes(row.fingerprint),
                .text(row.status), .text(OutcomeCoding.text(row.outcome)), .integer(row.recordedAt.milliseconds),
            ])
    }

    /// A writer of a key not yet written locks the key to the end of its transaction and looks again: a
    /// second writer of the same key (on any machine) waits there, and then sees the first one's event (read
    /// committed: a new statement sees what was committed while it waited), so the key is applied once. A
    /// key already written takes no lock: runs over the same keyed input hold only the keys they write.
    /// Two keys whose hashes collide merely wait for each other.
    public func keyedEvent(key: String) throws -> KeyedEvent? {
        func event(_ row: PostgresRow) -> KeyedEvent {
            KeyedEvent(
                id: row.int64(0), type: row.string(1), element: row.int64(2), fingerprint: row.bytes(3),
                outcome: OutcomeCoding.outcome(row.string(4)))
        }
        let select = "SELECT id, type, element, fingerprint, outcome FROM events WHERE key = $1"
        guard isWriting else { return try db.firstRow(select, [.text(key)], event) }
        // The lookup with, for a new key, the attempt at its lock, and the look again after it, in one round
        // trip: the second statement starts when the first has ended, so it sees what was committed before
        // the lock was taken.
        let lookup = try db.send(
            """
            SELECT e.id, e.type, e.element, e.fingerprint, e.outcome,
                   CASE WHEN e.id IS NULL THEN pg_try_advisory_xact_lock(hashtextextended($1, 0)) END
            FROM (SELECT 1) AS one LEFT JOIN events e ON e.key = $1
            """, [.text(key)])
        let lookAgain = try db.send(select, [.text(key)])
        let (found, locked) =
            try db.firstRow(of: lookup) { row in (row.isNull(0) ? nil : event(row), row.bool(5)) } ?? (nil, false)
        if let found { return found }
        if locked { return try db.firstRow(of: lookAgain, event) }
        guard !givesWayOnContention else { throw ContendedLock() }
        try db.run("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [.text(key)])
        return try db.firstRow(select, [.text(key)], event)
    }

    public func forEachEvent(_ filter: EventFilter, _ body: (StoredEvent) throws -> Void) throws {
        // A NULL limit is no limit.
        let values: [PostgresValue] = [
            .integer(filter.after ?? 0), PostgresValue(filter.element), PostgresValue(filter.type),
            .integer(filter.since?.milliseconds ?? Int64.min), PostgresValue(filter.limit.map(Int64.init)),
        ]
        // As elements: straight off the id order, or the last N picked in reverse and put back in id order.
        let sql =
            filter.last == nil
            ? """
            SELECT \(Self.eventColumns) FROM events
            WHERE id > $1 AND ($2::bigint IS NULL OR element = $2) AND ($3::text IS NULL OR type = $3) AND at >= $4
            ORDER BY id LIMIT $5
            """
            : """
            SELECT \(Self.eventColumns) FROM (
              SELECT \(Self.eventColumns) FROM events
              WHERE id > $1 AND ($2::bigint IS NULL OR element = $2) AND ($3::text IS NULL OR type = $3) AND at >= $4
              ORDER BY id DESC LIMIT $6) newest
            ORDER BY id LIMIT $5
            """
        try db.forEachRow(sql, filter.last.map { values + [.integer(Int64($0))] } ?? values) {
            try body(Self.storedEvent($0))
        }
    }

    public func findEvent(id: Int64) throws -> StoredEvent? {
        try db.firstRow("SELECT \(Self.eventColumns) FROM events WHERE id = $1", [.integer(id)], Self.storedEvent)
    }

    public func findEvent(key: String) throws -> StoredEvent? {
        try db.firstRow("SELECT \(Self.eventColumns) FROM events WHERE key = $1", [.text(key)], Self.storedEvent)
    }

    /// A trigger removed since its verdicts were recorded keeps its label in `removed_triggers`.
    public func triggerLabel(id: Int64) throws -> TriggerLabel? {
        try db.firstRow(
            "SELECT name, stage FROM triggers WHERE id = $1 UNION ALL SELECT name, stage FROM removed_triggers WHERE id = $1",
            [.integer(id)]
        ) { TriggerLabel(name: $0.string(0), stage: $0.string(1)) }
    }

    static func storedEvent(_ row: PostgresRow) -> StoredEvent {
        StoredEvent(
            id: row.int64(0), key: row.text(1), type: row.string(2), element: row.int64(3),
            at: Timestamp(milliseconds: row.int64(4)), by: row.text(5),
            data: (try? JSONParser.parse(row.string(6))) ?? .object(JSONObject()), status: row.string(7),
            outcome: OutcomeCoding.outcome(row.string(8)))
    }
}
