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
            SQLiteValue(row.by), .text(row.dataText), .text(row.fingerprint), .text(row.status), .text(row.outcomeText),
            .integer(row.recordedAt.milliseconds),
        ])
    }

    public func keyedEvent(key: String) throws -> KeyedEvent? {
        try db.cached("SELECT id, type, element, fingerprint, outcome FROM events WHERE key = ?")
            .firstRow([.text(key)]) { row in
                KeyedEvent(
                    id: row.int64(0), type: row.string(1), element: row.int64(2), fingerprint: row.string(3),
                    outcomeText: row.string(4))
            }
    }

    public func events(element: Int64?, type: String?, limit: Int?) throws -> [StoredEvent] {
        try db.cached(
            """
            SELECT \(SQLiteStore.eventColumns) FROM events
            WHERE (?1 IS NULL OR element = ?1) AND (?2 IS NULL OR type = ?2) ORDER BY id LIMIT ?3
            """
        ).rows([SQLiteValue(element), SQLiteValue(type), .integer(Int64(limit ?? -1))], SQLiteStore.storedEvent)
    }

    public func findEvent(id: Int64) throws -> StoredEvent? {
        try db.cached("SELECT \(SQLiteStore.eventColumns) FROM events WHERE id = ?")
            .firstRow([.integer(id)], SQLiteStore.storedEvent)
    }

    public func findEvent(key: String) throws -> StoredEvent? {
        try db.cached("SELECT \(SQLiteStore.eventColumns) FROM events WHERE key = ?")
            .firstRow([.text(key)], SQLiteStore.storedEvent)
    }

    static func storedEvent(_ row: Row) -> StoredEvent {
        StoredEvent(
            id: row.int64(0), key: row.text(1), type: row.string(2), element: row.int64(3),
            at: Timestamp(milliseconds: row.int64(4)), by: row.text(5),
            data: (try? JSONParser.parse(row.string(6))) ?? .object(JSONObject()), status: row.string(7),
            outcomeText: row.string(8))
    }
}
