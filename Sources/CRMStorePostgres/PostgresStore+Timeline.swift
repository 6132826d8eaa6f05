import CRMCore
import CRMStorage
import PostgresDB

/// Each element's entries are chained as in schema.sql (`previous`, `timeline_heads`), so a
/// copy moves the rows between the two databases as they are. A writer holds the element's row (SPEC §10)
/// while it appends, so one element's chain grows one entry at a time.
extension PostgresStore {
    public func appendTimeline(
        element: Int64, at: Timestamp, kind: String, author: String, event: Int64?, detailsText: String
    ) throws {
        try append(element: element, at: at, kind: kind, author: author, event: event, details: detailsText)
    }

    /// The entry refers to its event (details NULL) instead of copying the event's data.
    public func appendEventEntry(element: Int64, at: Timestamp, kind: String, author: String, event: Int64) throws {
        try append(element: element, at: at, kind: kind, author: author, event: event, details: nil)
    }

    /// Writes the entry as the element's newest in one statement (one round trip): the entry names the one
    /// before, the head names it. The parts see one snapshot, taken before either of them.
    private func append(
        element: Int64, at: Timestamp, kind: String, author: String, event: Int64?, details: String?
    ) throws {
        try db.send(
            """
            WITH head AS (SELECT last FROM timeline_heads WHERE element = $1),
            entry AS (
              INSERT INTO timeline (element, at, kind, author, event, details, previous)
              VALUES ($1, $2, $3, $4, $5, $6, (SELECT last FROM head))
              RETURNING id)
            INSERT INTO timeline_heads (element, first, last) SELECT $1, id, id FROM entry
            ON CONFLICT (element) DO UPDATE SET last = excluded.last
            """,
            [.integer(element), .integer(at.milliseconds), .text(kind), .text(author), PostgresValue(event),
             PostgresValue(details)])
    }

    /// The chain walked back from the element's newest entry and handed over from its first: `position`
    /// orders the walk, since a recursive query promises no order of its own; the server sorts.
    public func forEachTimelineEntry(element: Int64, _ body: (TimelineEntry) throws -> Void) throws {
        try db.forEachRow(
            """
            WITH RECURSIVE chain (position, id, at, kind, author, details, event, previous) AS (
              SELECT 1::bigint, t.id, t.at, t.kind, t.author, t.details, t.event, t.previous
              FROM timeline_heads h JOIN timeline t ON t.id = h.last
              WHERE h.element = $1
              UNION ALL
              SELECT c.position + 1, t.id, t.at, t.kind, t.author, t.details, t.event, t.previous
              FROM chain c JOIN timeline t ON t.id = c.previous)
            SELECT id, at, kind, author, details, event,
                   CASE WHEN details IS NULL THEN (SELECT data FROM events WHERE id = chain.event) END
            FROM chain ORDER BY position DESC
            """, [.integer(element)]
        ) { row in
            try body(
                TimelineEntry(
                    id: row.int64(0), element: element, at: Timestamp(milliseconds: row.int64(1)), kind: row.string(2),
                    author: row.string(3), detailsText: row.text(4), event: row.optionalInt64(5),
                    eventData: row.text(6)))
        }
    }
}
