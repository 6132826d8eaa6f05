import CRMCore
import CRMStorage
import JSON
import SQLiteDB

extension SQLiteStore {
    static let eventColumns = "id, key, type, element, at, by, data, status, outcome"

    public func insertEvent(_ row: EventRow) throws {
        try db.cached(
            """
            INSERT INTO events (id, key, type, element, at, by, data, fingerprint, status, outcome, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).run([
            .integer(row.id), SQLiteValue(row.key), .text(row.type), .integer(row.element), .integer(row.at.milliseconds),
            SQLiteValue(row.by), .text(row.dataText), .blob(row.fingerprint), .text(row.status),
            .text(OutcomeCoding.text(row.outcome)),
            .integer(row.recordedAt.milliseconds),
        ])
    }

    public func keyedEvent(key: String) throws -> KeyedEvent? {
        try db.cached("SELECT id, type, element, fingerprint, outcome FROM events WHERE key = ?")
            .firstRow([.text(key)]) { row in
                KeyedEvent(
                    id: row.int64(0), type: row.string(1), element: row.int64(2), fingerprint: row.blob(3),
                    outcome: OutcomeCoding.outcome(row.string(4)))
            }
    }

    public func forEachEvent(_ filter: EventFilter, _ body: (StoredEvent) throws -> Void) throws {
        let values: [SQLiteValue] = [
            .integer(filter.after ?? 0), SQLiteValue(filter.element), SQLiteValue(filter.type),
            .integer(filter.since?.milliseconds ?? Int64.min), .integer(Int64(filter.limit ?? -1)),
        ]
        // As elements: straight off the id order, or the last N picked in reverse and put back in id order.
        let statement = try filter.last == nil
            ? db.cached(
                built: """
                SELECT \(SQLiteStore.eventColumns) FROM events
                WHERE id > ?1 AND (?2 IS NULL OR element = ?2) AND (?3 IS NULL OR type = ?3) AND at >= ?4
                ORDER BY id LIMIT ?5
                """)
            : db.cached(
                built: """
                SELECT \(SQLiteStore.eventColumns) FROM (
                  SELECT \(SQLiteStore.eventColumns) FROM events
                  WHERE id > ?1 AND (?2 IS NULL OR element = ?2) AND (?3 IS NULL OR type = ?3) AND at >= ?4
                  ORDER BY id DESC LIMIT ?6)
                ORDER BY id LIMIT ?5
                """)
        try statement.forEachRow(filter.last.map { values + [.integer(Int64($0))] } ?? values) {
            try body(SQLiteStore.storedEvent($0))
        }
    }

    public func findEvent(id: Int64) throws -> StoredEvent? {
        try db.cached(built: "SELECT \(SQLiteStore.eventColumns) FROM events WHERE id = ?")
            .firstRow([.integer(id)], SQLiteStore.storedEvent)
    }

    public func findEvent(key: String) throws -> StoredEvent? {
        try db.cached(built: "SELECT \(SQLiteStore.eventColumns) FROM events WHERE key = ?")
            .firstRow([.text(key)], SQLiteStore.storedEvent)
    }

    static func storedEvent(_ row: Row) -> StoredEvent {
        StoredEvent(
            id: row.int64(0), key: row.text(1), type: row.string(2), element: row.int64(3),
            at: Timestamp(milliseconds: row.int64(4)), by: row.text(5),
            data: (try? JSONParser.parse(row.string(6))) ?? .object(JSONObject()), status: row.string(7),
            outcome: OutcomeCoding.outcome(row.string(8)))
    }
}
