import CRMCore
import CRMStorage
import JSON
import SQLiteDB

extension SQLiteStore {
    public func appendTimeline(
        element: Int64, at: Timestamp, kind: String, author: String, event: Int64?, detailsText: String
    ) throws {
        try db.cached(
            """
            INSERT INTO timeline (element, at, kind, author, event, details, previous)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT last FROM timeline_heads WHERE element = ?1))
            """
        ).run([.integer(element), .integer(at.milliseconds), .text(kind), .text(author), SQLiteValue(event),
               .text(detailsText)])
        try advanceHead(element: element)
    }

    /// The entry refers to its event (details NULL) instead of copying the event's data.
    public func appendEventEntry(element: Int64, at: Timestamp, kind: String, author: String, event: Int64) throws {
        try db.cached(
            """
            INSERT INTO timeline (element, at, kind, author, event, details, previous)
            VALUES (?1, ?2, ?3, ?4, ?5, NULL, (SELECT last FROM timeline_heads WHERE element = ?1))
            """
        ).run([.integer(element), .integer(at.milliseconds), .text(kind), .text(author), .integer(event)])
        try advanceHead(element: element)
    }

    /// The entry just written is the element's newest.
    private func advanceHead(element: Int64) throws {
        try db.cached(
            """
            INSERT INTO timeline_heads (element, last) VALUES (?, ?)
            ON CONFLICT (element) DO UPDATE SET last = excluded.last
            """
        ).run([.integer(element), .integer(db.lastInsertedRowID)])
    }

    public func forEachTimelineEntry(element: Int64, _ body: (TimelineEntry) throws -> Void) throws {
        try db.cached(
            """
            WITH RECURSIVE chain (id) AS (
              SELECT last FROM timeline_heads WHERE element = ?1
              UNION ALL SELECT t.previous FROM chain c JOIN timeline t ON t.id = c.id WHERE t.previous IS NOT NULL)
            SELECT t.id, t.at, t.kind, t.author, t.details, t.event, e.data
            FROM chain c JOIN timeline t ON t.id = c.id LEFT JOIN events e ON t.details IS NULL AND e.id = t.event
            ORDER BY t.id
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
