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

    /// Locks the element's row for the rest of the write transaction; false when there is no such element.
    func lockElement(id: Int64) throws -> Bool {
        if givesWayOnContention {
            guard try db.scalarInt64("SELECT id FROM elements WHERE id = $1 FOR UPDATE SKIP LOCKED", [.integer(id)]) != nil
            else {
                guard try db.scalarInt64("SELECT id FROM elements WHERE id = $1", [.integer(id)]) != nil else { return false }
                throw ContendedLock()
            }
        } else {
            guard try db.scalarInt64("SELECT id FROM elements WHERE id = $1 FOR UPDATE", [.integer(id)]) != nil else {
                return false
            }
        }
        holdsElementLock = true
        return true
    }

    /// Locks an event key for the rest of the write transaction (an advisory lock on its hash: two keys whose
    /// hashes collide merely wait for each other).
    func lockEventKey(_ key: String) throws {
        if givesWayOnContention {
            guard try db.firstRow("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))", [.text(key)], { $0.bool(0) })
                == true
            else { throw ContendedLock() }
        } else {
            try db.run("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [.text(key)])
        }
    }
}
