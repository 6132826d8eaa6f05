import CRMCore
import CRMStorage
import PostgresDB

extension PostgresStore {
    /// Deletes every row of the element in one transaction, its row locked first (a writer on it waits, then
    /// finds no element). Unlike SQLite's `secure_delete`, PostgreSQL cannot promise that the bytes leave its
    /// files at once: a deleted row's bytes stay in their page until VACUUM frees the space (it cannot run
    /// inside a transaction) and a later row is written over them, and the write-ahead log, its archive,
    /// replicas and backups keep their copies as long as the server's operators keep them. For every reader
    /// the rows are gone. Erased ids need no floor as in the SQLite file: a sequence never gives an id again
    /// (and `copy` carries the sequences' last values over).
    public func eraseElement(id: Int64) throws -> [(table: String, rows: Int)]? {
        try transaction { () throws -> TransactionEnd<[(table: String, rows: Int)]?> in
            guard try findElement(id: id) != nil else { return .rollback(nil) }
            let element: [PostgresValue] = [.integer(id)]
            var counts: [(table: String, rows: Int)] = []
            // Each statement written out; the only SQL pieced in is the constant walk of the element's entries.
            for (table, sql) in [
                ("time_watches", "DELETE FROM time_watches WHERE element = $1"),
                ("outbox", "DELETE FROM outbox WHERE element = $1"), ("jobs", "DELETE FROM jobs WHERE element = $1"),
                ("chats", "DELETE FROM chats WHERE element = $1"),
                ("sent_emails", "DELETE FROM sent_emails WHERE element = $1"),
                ("documents", "DELETE FROM documents WHERE element = $1"),
                ("timeline", "DELETE FROM timeline WHERE id IN (\(PostgresStore.elementEntryIDs))"),
                ("events", "DELETE FROM events WHERE element = $1"),
                ("elements", "DELETE FROM elements WHERE id = $1"),
            ] {
                counts.append((table, try db.run(sql, element)))
                // The chain's head goes with the chain it led to, before the element it names.
                if table == "timeline" { try db.run("DELETE FROM timeline_heads WHERE element = $1", element) }
            }
            return .commit(counts)
        }
    }

    /// The ids of element $1's timeline entries, walked back along its chain from its newest.
    static let elementEntryIDs = """
        WITH RECURSIVE chain (id) AS (
          SELECT last FROM timeline_heads WHERE element = $1
          UNION ALL SELECT t.previous FROM chain c JOIN timeline t ON t.id = c.id WHERE t.previous IS NOT NULL)
        SELECT id FROM chain
        """
}
