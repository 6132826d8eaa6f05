import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    /// Deletes with `secure_delete` on, so the freed space is overwritten with zeros, then checkpoints the
    /// write-ahead log and truncates it: the log's copies of the old pages go too.
    public func eraseElement(id: Int64) throws -> [(table: String, rows: Int)]? {
        let counts = try transaction { () throws -> TransactionEnd<[(table: String, rows: Int)]?> in
            guard try findElement(id: id) != nil else { return .rollback(nil) }
            try db.execute("PRAGMA secure_delete = ON")
            let element: [SQLiteValue] = [.integer(id)]
            var counts: [(table: String, rows: Int)] = []
            // Each statement written out: SQL text is never pieced together.
            for (table, sql) in [
                ("time_watches", "DELETE FROM time_watches WHERE element = ?"),
                ("outbox", "DELETE FROM outbox WHERE element = ?"), ("jobs", "DELETE FROM jobs WHERE element = ?"),
                ("chats", "DELETE FROM chats WHERE element = ?"),
                ("sent_emails", "DELETE FROM sent_emails WHERE element = ?"),
                ("documents", "DELETE FROM documents WHERE element = ?"),
                (
                    "timeline",
                    """
                    DELETE FROM timeline WHERE id IN (
                      WITH RECURSIVE chain (id) AS (
                        SELECT last FROM timeline_heads WHERE element = ?1
                        UNION ALL SELECT t.previous FROM chain c JOIN timeline t ON t.id = c.id WHERE t.previous IS NOT NULL)
                      SELECT id FROM chain)
                    """
                ),
                ("events", "DELETE FROM events WHERE element = ?"),
                ("elements", "DELETE FROM elements WHERE id = ?"),
            ] {
                try db.run(sql, element)
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
}
