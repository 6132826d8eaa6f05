import CRMCore
import SQLiteDB

/// One entry of an element's timeline, as recorded.
public struct TimelineEntry: Sendable {
    public var id: Int64
    public var element: Int64
    public var at: Timestamp
    public var kind: String
    public var author: String
    /// The kind-specific keys (for a stage change: from, to, trigger, event).
    public var details: JSONObject
}

extension Store {
    /// Appends an entry; entries are never rewritten. The caller holds the write transaction.
    public func appendTimeline(
        element: Int64, at: Timestamp, kind: String, author: String, event: Int64?, details: JSONObject
    ) throws {
        try appendTimeline(
            element: element, at: at, kind: kind, author: author, event: event,
            detailsText: JSONWriter.serialize(.object(details)))
    }

    /// The same, with the details already serialized (a batch reuses the event's data text).
    func appendTimeline(
        element: Int64, at: Timestamp, kind: String, author: String, event: Int64?, detailsText: String
    ) throws {
        try db.run(
            "INSERT INTO timeline (element, at, kind, author, event, details) VALUES (?, ?, ?, ?, ?, ?)",
            [.integer(element), .integer(at.milliseconds), .text(kind), .text(author), SQLiteValue(event),
             .text(detailsText)])
    }

    /// The element's timeline in recording order, streamed to `body` so a long history needs no big array.
    public func forEachTimelineEntry(element: Int64, _ body: (TimelineEntry) throws -> Void) throws {
        try db.cached("SELECT id, at, kind, author, details FROM timeline WHERE element = ? ORDER BY id")
            .forEachRow([.integer(element)]) { row in
                let details = (try? JSONParser.parse(row.string(4)))?.objectValue ?? JSONObject()
                try body(
                    TimelineEntry(
                        id: row.int64(0), element: element, at: Timestamp(milliseconds: row.int64(1)),
                        kind: row.string(2), author: row.string(3), details: details))
            }
    }
}
