import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    public func appendTimeline(
        element: Int64, at: Timestamp, kind: String, author: String, event: Int64?, detailsText: String
    ) throws {
        let previous = try lastEntry(of: element)
        try db.cached(
            """
            INSERT INTO timeline (element, at, kind, author, event, details, previous) VALUES (?, ?, ?, ?, ?, ?, ?)
            """
        ).run([.integer(element), .integer(at.milliseconds), .text(kind), .text(author), SQLiteValue(event),
               .text(detailsText), SQLiteValue(previous)])
        try advanceHead(element: element)
    }

    /// The entry refers to its event (details NULL) instead of copying the event's data.
    public func appendEventEntry(element: Int64, at: Timestamp, kind: String, author: String, event: Int64) throws {
        let previous = try lastEntry(of: element)
        try db.cached(
            """
            INSERT INTO timeline (element, at, kind, author, event, details, previous) VALUES (?, ?, ?, ?, ?, NULL, ?)
            """
        ).run([.integer(element), .integer(at.milliseconds), .text(kind), .text(author), .integer(event),
               SQLiteValue(previous)])
        try advanceHead(element: element)
    }

    /// The element's newest entry: the writer's memo knows it after the element's first entry in a batch.
    private func lastEntry(of element: Int64) throws -> Int64? {
        if let remembered = memo.lastEntry(of: element) { return remembered }
        return try db.scalarInt64("SELECT last FROM timeline_heads WHERE element = ?", [.integer(element)])
    }

    /// The entry just written, which names the one before, is the element's newest: the head names it.
    private func advanceHead(element: Int64) throws {
        let entry = db.lastInsertedRowID
        try db.cached(
            """
            INSERT INTO timeline_heads (element, first, last) VALUES (?1, ?2, ?2)
            ON CONFLICT (element) DO UPDATE SET last = excluded.last
            """
        ).run([.integer(element), .integer(entry)])
        memo.rememberLastEntry(entry, of: element)
    }

    /// An element's history is read backwards along `previous`, one table page per entry, and handed over
    /// in reverse. A history longer than `bufferedEntries` is first walked back whole to mark every
    /// `bufferedEntries`-th entry; then the stretch that each mark ends is read backwards again, oldest
    /// first, so memory stays flat however long the history is, for two reads of each entry.
    public func forEachTimelineEntry(element: Int64, _ body: (TimelineEntry) throws -> Void) throws {
        guard let newest = try lastEntry(of: element) else { return }
        let stretch = Self.bufferedEntries
        let recent = try entries(endingAt: newest, count: stretch + 1, element: element)
        guard recent.count > stretch else {
            for entry in recent.reversed() { try body(entry) }
            return
        }
        let marks = try db.cached(
            """
            WITH RECURSIVE chain (id, previous, position) AS (
              SELECT id, previous, 0 FROM timeline WHERE id = ?1
              UNION ALL
              SELECT t.id, t.previous, c.position + 1 FROM chain c JOIN timeline t ON t.id = c.previous)
            SELECT id FROM chain WHERE position % ?2 = 0
            """
        ).rows([.integer(newest), .integer(Int64(stretch))]) { $0.int64(0) }
        for mark in marks.reversed() {
            for entry in try entries(endingAt: mark, count: stretch, element: element).reversed() { try body(entry) }
        }
    }

    /// Up to `count` entries of the element's chain, from `last` backwards.
    private func entries(endingAt last: Int64, count: Int, element: Int64) throws -> [TimelineEntry] {
        var newestFirst: [TimelineEntry] = []
        try db.cached(
            """
            WITH RECURSIVE chain (id, at, kind, author, details, event, previous) AS (
              SELECT id, at, kind, author, details, event, previous FROM timeline WHERE id = ?1
              UNION ALL
              SELECT t.id, t.at, t.kind, t.author, t.details, t.event, t.previous
              FROM chain c JOIN timeline t ON t.id = c.previous
              LIMIT ?2)
            SELECT id, at, kind, author, details, event,
                   CASE WHEN details IS NULL THEN (SELECT data FROM events WHERE id = chain.event) END
            FROM chain
            """
        ).forEachRow([.integer(last), .integer(Int64(count))]) { row in
            newestFirst.append(timelineEntry(row, element: element))
        }
        return newestFirst
    }

    /// How many entries a history may hold in memory to be read backwards (a few hundred KB).
    static let bufferedEntries = 1_000

    /// A row of the walk: id, at, kind, author, details, event, and the event's data for its own entry.
    private func timelineEntry(_ row: Row, element: Int64) -> TimelineEntry {
        TimelineEntry(
            id: row.int64(0), element: element, at: Timestamp(milliseconds: row.int64(1)), kind: row.string(2),
            author: row.string(3), detailsText: row.text(4), event: row.optionalInt64(5),
            eventData: row.text(6))
    }
}
