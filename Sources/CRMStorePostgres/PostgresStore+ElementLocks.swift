import CRMCore
import CRMStorage
import PostgresDB

/// A chunk that already holds an element met an element or a key another writer holds.
struct ContendedLock: Error {}

/// Writers lock an element's row before they change anything of it: events and jobs of one element are
/// applied one at a time, writers on different elements run side by side (SPEC §10).
///
/// A chunk of a batch (`transactionOnce`) that already holds an element does not wait for another lock:
/// the writer it would wait for may be waiting for one of the chunk's elements, a circle PostgreSQL finds
/// only after a second (`deadlock_timeout`) and ends by failing one of them. The chunk gives way at once
/// instead (`ContendedLock`, then `conflict`); its caller runs the chunk's items one transaction each, and
/// those wait as any single write does.
extension PostgresStore {
    /// Whether the next lock this transaction cannot have at once ends it rather than waits for it.
    var givesWayOnContention: Bool { isChunkAttempt && holdsElementLock }

    /// The element, its row locked for the rest of the write transaction; nil when there is no such element.
    func lockedElement(id: Int64) throws -> Element? {
        guard givesWayOnContention else {
            let element = try db.firstRow(
                "SELECT \(PostgresStore.elementColumns) FROM elements WHERE id = $1 FOR UPDATE", [.integer(id)],
                PostgresStore.element)
            if element != nil { holdsElementLock = true }
            return element
        }
        if let element = try db.firstRow(
            "SELECT \(PostgresStore.elementColumns) FROM elements WHERE id = $1 FOR UPDATE SKIP LOCKED", [.integer(id)],
            PostgresStore.element)
        {
            return element
        }
        guard try db.scalarInt64("SELECT id FROM elements WHERE id = $1", [.integer(id)]) != nil else { return nil }
        throw ContendedLock()
    }
}
