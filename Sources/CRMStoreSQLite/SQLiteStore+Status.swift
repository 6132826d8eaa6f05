import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    public func outboxFigures(now: Timestamp) throws
        -> (counts: [MessageStatus: Int], oldestUndelivered: Timestamp?, oldestDue: Timestamp?)
    {
        var counts: [MessageStatus: Int] = [:]
        try db.cached("SELECT status, count(*) FROM outbox GROUP BY status").forEachRow { row in
            if let status = MessageStatus(rawValue: row.string(0)) { counts[status] = Int(row.int64(1)) }
        }
        let (undelivered, due) = try db.cached(
            """
            SELECT min(created_at) FILTER (WHERE status IN ('pending', 'delivering')),
                   min(CASE WHEN status = 'pending' AND next_attempt_at <= ?1 THEN next_attempt_at
                            WHEN status = 'delivering' AND lease_until <= ?1 THEN lease_until END)
            FROM outbox
            """
        ).firstRow([.integer(now.milliseconds)]) { ($0.optionalInt64(0), $0.optionalInt64(1)) } ?? (nil, nil)
        return (counts, undelivered.map(Timestamp.init(milliseconds:)), due.map(Timestamp.init(milliseconds:)))
    }
}
