import CRMCore
import CRMStorage
import JSON
import SQLiteDB

extension SQLiteStore {
    public func appendTimeline(
        element: Int64, at: Timestamp, kind: String, author: String, event: Int64?, detailsText: String
    ) throws {
        try db.run(
            "INSERT INTO timeline (element, at, kind, author, event, details) VALUES (?, ?, ?, ?, ?, ?)",
            [.integer(element), .integer(at.milliseconds), .text(kind), .text(author), SQLiteValue(event),
             .text(detailsText)])
    }

    /// The entry refers to its event (details NULL) instead of copying the event's data.
    public func appendEventEntry(element: Int64, at: Timestamp, kind: String, author: String, event: Int64) throws {
        try db.run(
            "INSERT INTO timeline (element, at, kind, author, event, details) VALUES (?, ?, ?, ?, ?, NULL)",
            [.integer(element), .integer(at.milliseconds), .text(kind), .text(author), .integer(event)])
    }

    public func forEachTimelineEntry(element: Int64, _ body: (TimelineEntry) throws -> Void) throws {
        try db.cached(
            """
            SELECT t.id, t.at, t.kind, t.author, t.details, t.event, e.data
            FROM timeline t LEFT JOIN events e ON t.details IS NULL AND e.id = t.event
            WHERE t.element = ? ORDER BY t.id
            """
        ).forEachRow([.integer(element)]) { row in
                let details: JSONObject
                if row.isNull(4) {
                    let data = (try? JSONParser.parse(row.string(6))) ?? .object(JSONObject())
                    details = ["event": JSONValue(row.int64(5)), "data": data]
                } else {
                    details = (try? JSONParser.parse(row.string(4)))?.objectValue ?? JSONObject()
                }
                try body(
                    TimelineEntry(
                        id: row.int64(0), element: element, at: Timestamp(milliseconds: row.int64(1)),
                        kind: row.string(2), author: row.string(3), details: details))
            }
    }
}
