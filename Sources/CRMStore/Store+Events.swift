import CRMCore
import SQLiteDB

/// An event as stored, with its outcome.
public struct StoredEvent: Sendable {
    public var id: Int64
    public var key: String?
    public var type: String
    public var element: Int64
    public var at: Timestamp
    public var by: String?
    public var data: JSONValue
    public var status: String
    public var outcomeText: String

    /// The shape of `event list` (SPEC §3).
    public var json: JSONValue {
        let outcome = StoredOutcome(json: outcomeText)
        var object: JSONObject = [
            "id": JSONValue(id), "key": JSONValue(key), "type": .string(type), "element": JSONValue(element),
            "at": .string(at.rfc3339), "by": JSONValue(by), "data": data, "status": .string(status),
            "moves": EventResult.movesJSON(outcome.moves),
        ]
        if !outcome.notes.isEmpty { object["notes"] = .array(outcome.notes.map(JSONValue.string)) }
        return .object(object)
    }

    /// `event explain`: the event and the stored verdict of every trigger considered, per signal.
    public var explanation: JSONValue {
        let outcome = StoredOutcome(json: outcomeText)
        var object = json.objectValue!
        object["notes"] = .array(outcome.notes.map(JSONValue.string))
        object["signals"] = .array(outcome.signals)
        return .object(object)
    }
}

extension Store {
    static let eventColumns = "id, key, type, element, at, by, data, status, outcome"

    public func events(element: Int64?, type: String?, limit: Int?) throws -> [StoredEvent] {
        try db.cached(
            """
            SELECT \(Store.eventColumns) FROM events
            WHERE (?1 IS NULL OR element = ?1) AND (?2 IS NULL OR type = ?2) ORDER BY id LIMIT ?3
            """
        ).rows([SQLiteValue(element), SQLiteValue(type), .integer(Int64(limit ?? -1))], Store.storedEvent)
    }

    /// The event named by an id (tried first when all digits) or by its key.
    public func event(named name: String) throws -> StoredEvent {
        if name.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let id = Int64(name),
            let found = try db.cached("SELECT \(Store.eventColumns) FROM events WHERE id = ?")
                .firstRow([.integer(id)], Store.storedEvent)
        {
            return found
        }
        guard
            let found = try db.cached("SELECT \(Store.eventColumns) FROM events WHERE key = ?")
                .firstRow([.text(name)], Store.storedEvent)
        else { throw CRMError.notFound("event \(name) does not exist") }
        return found
    }

    static func storedEvent(_ row: Row) -> StoredEvent {
        StoredEvent(
            id: row.int64(0), key: row.text(1), type: row.string(2), element: row.int64(3),
            at: Timestamp(milliseconds: row.int64(4)), by: row.text(5),
            data: (try? JSONParser.parse(row.string(6))) ?? .object(JSONObject()), status: row.string(7),
            outcomeText: row.string(8))
    }
}
