import CRMCore
import CRMStorage
import PostgresDB

extension PostgresStore {
    public func outboxFigures(now: Timestamp) throws
        -> (counts: [MessageStatus: Int], oldestUndelivered: Timestamp?, oldestDue: Timestamp?)
    {
        let perStatus = try db.rows("SELECT status, count(*) FROM outbox GROUP BY status") {
            ($0.string(0), Int($0.int64(1)))
        }
        var counts: [MessageStatus: Int] = [:]
        for (status, count) in perStatus {
            if let status = MessageStatus(rawValue: status) { counts[status] = count }
        }
        let (undelivered, due) = try db.firstRow(
            """
            SELECT min(created_at) FILTER (WHERE status IN ('pending', 'delivering')),
                   min(CASE WHEN status = 'pending' AND next_attempt_at <= $1 THEN next_attempt_at
                            WHEN status = 'delivering' AND lease_until <= $1 THEN lease_until END)
            FROM outbox
            """, [.integer(now.milliseconds)]
        ) { ($0.optionalInt64(0), $0.optionalInt64(1)) } ?? (nil, nil)
        return (counts, undelivered.map(Timestamp.init(milliseconds:)), due.map(Timestamp.init(milliseconds:)))
    }
}
