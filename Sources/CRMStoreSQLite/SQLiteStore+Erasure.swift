import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    /// Deletes with `secure_delete` on, so the freed space is overwritten with zeros, then checkpoints the
    /// write-ahead log and truncates it: the log's copies of the old pages go too.
    public func eraseElement(id: Int64) throws -> [(table: String, rows: Int)]? {
        let counts = try transaction { () throws -> TransactionEnd<[(table: String, rows: Int)]?> in
            guard try findElement(id: id) != nil else { return .rollback(nil) }
            memo.forget(element: id)
            try db.execute("PRAGMA secure_delete = ON")
            let element: [SQLiteValue] = [.integer(id)]
            try keepErasedIDs(ofElement: id)
            var counts: [(table: String, rows: Int)] = []
            // Each statement written out; the only SQL pieced in is the constant walk of the element's entries.
            for (table, sql) in [
                ("time_watches", "DELETE FROM time_watches WHERE element = ?"),
                ("outbox", "DELETE FROM outbox WHERE element = ?"), ("jobs", "DELETE FROM jobs WHERE element = ?"),
                ("chats", "DELETE FROM chats WHERE element = ?"),
                ("sent_emails", "DELETE FROM sent_emails WHERE element = ?"),
                ("documents", "DELETE FROM documents WHERE element = ?"),
                ("timeline", "DELETE FROM timeline WHERE id IN (\(SQLiteStore.elementEntryIDs))"),
                ("events", "DELETE FROM events WHERE element = ?"),
                ("elements", "DELETE FROM elements WHERE id = ?"),
            ] {
                try db.run(built: sql, element)
                counts.append((table, db.changes))
                // The chain's head goes with the chain it led to, before the element it names.
                if table == "timeline" { try db.run("DELETE FROM timeline_heads WHERE element = ?", element) }
            }
            return .commit(counts)
        }
        guard let counts else { return nil }
        try read { try db.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        return counts
    }

    /// An erased element's id, and those of its documents and events, are never given again: a later event
    /// naming the id must find nothing (66), not a newer element. The highest erased id of each table is
    /// kept in `automation_state`; a new row's id is above both it and the table's highest.
    private func keepErasedIDs(ofElement id: Int64) throws {
        for (name, highest): (String, StaticString) in [
            ("elements_erased_up_to", "SELECT ?"),
            ("documents_erased_up_to", "SELECT max(id) FROM documents WHERE element = ?"),
            ("events_erased_up_to", "SELECT max(id) FROM events WHERE element = ?"),
        ] {
            guard let erased = try db.scalarInt64(highest, [.integer(id)]) else { continue }
            try db.run(
                """
                INSERT INTO automation_state (name, value) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)
                """,
                [.text(name), .integer(erased)])
        }
    }

    /// The ids of element ?1's timeline entries, walked back along its chain from its newest (the timeline
    /// has no index on element).
    static let elementEntryIDs = """
        WITH RECURSIVE chain (id) AS (
          SELECT last FROM timeline_heads WHERE element = ?1
          UNION ALL SELECT t.previous FROM chain c JOIN timeline t ON t.id = c.id WHERE t.previous IS NOT NULL)
        SELECT id FROM chain
        """

    /// The next id of each table whose erased ids are kept: above its highest row and above every id
    /// erased from it. Written out whole, as all SQL here is.
    static let nextElementID = """
        (SELECT max(coalesce((SELECT max(id) FROM elements), 0),
                    coalesce((SELECT value FROM automation_state WHERE name = 'elements_erased_up_to'), 0)) + 1)
        """
    static let nextDocumentID = """
        (SELECT max(coalesce((SELECT max(id) FROM documents), 0),
                    coalesce((SELECT value FROM automation_state WHERE name = 'documents_erased_up_to'), 0)) + 1)
        """
    static let nextEventID = """
        (SELECT max(coalesce((SELECT max(id) FROM events), 0),
                    coalesce((SELECT value FROM automation_state WHERE name = 'events_erased_up_to'), 0)) + 1)
        """
}
