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
