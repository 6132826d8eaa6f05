import CRMCore
import CRMStorage
import PostgresDB

/// Watched quiet periods and the automation's remembered values on the server. Event intake changes an
/// element's watches while it holds the element's row; a tick claims a due watch together with that row.
extension PostgresStore {
    public func watchActivity(element: Int64, thresholds: [Int64], at: Timestamp) throws {
        for seconds in thresholds {
            try db.send(
                """
                INSERT INTO time_watches (element, code, chat, seconds, since, due_at)
                VALUES ($1, 'stage.idle', '', $2, $3, $3::bigint + $2::bigint * 1000)
                ON CONFLICT (element, code, chat, seconds)
                DO UPDATE SET since = excluded.since, due_at = excluded.due_at, fired = 0
                WHERE excluded.since > time_watches.since
                """, [.integer(element), .integer(seconds), .integer(at.milliseconds)])
        }
    }

    public func watchChat(element: Int64, chat: String, thresholds: [Int64], firstMessageAt at: Timestamp) throws {
        for seconds in thresholds {
            try db.send(
                """
                INSERT INTO time_watches (element, code, chat, seconds, since, due_at)
                SELECT $1::bigint, 'chat.unanswered', $2::text, $3::bigint, $4::bigint, $4::bigint + $3::bigint * 1000
                WHERE NOT EXISTS (SELECT 1 FROM chats WHERE element = $1 AND chat = $2 AND answered_at IS NOT NULL
                                  AND answered_at - $4 <= $3 * 1000)
                ON CONFLICT (element, code, chat, seconds)
                DO UPDATE SET since = excluded.since, due_at = excluded.due_at
                WHERE excluded.since < time_watches.since AND time_watches.fired = 0
                """, [.integer(element), .text(chat), .integer(seconds), .integer(at.milliseconds)])
        }
    }

    public func chatAnswered(element: Int64, chat: String, at: Timestamp) throws {
        try db.send(
            """
            DELETE FROM time_watches
            WHERE element = $1 AND code = 'chat.unanswered' AND chat = $2 AND fired = 0 AND $3::bigint - since <= seconds * 1000
            """, [.integer(element), .text(chat), .integer(at.milliseconds)])
    }

    public func watchPipeline(_ pipeline: Int64, code: TriggerCode, seconds: Int64) throws {
        if code == .stageIdle {
            // The last activity: the latest entry that is not a rule's, a note, or a time event.
            try db.run(
                """
                INSERT INTO time_watches (element, code, chat, seconds, since, due_at)
                SELECT t.element, 'stage.idle', '', $2::bigint, max(t.at), max(t.at) + $2::bigint * 1000
                FROM timeline t JOIN elements e ON e.id = t.element
                WHERE e.pipeline = $1 AND t.kind NOT IN ('rule', 'note', 'stage.idle', 'chat.unanswered')
                GROUP BY t.element
                ON CONFLICT (element, code, chat, seconds)
                DO UPDATE SET since = excluded.since, due_at = excluded.due_at, fired = 0
                WHERE excluded.since > time_watches.since
                """, [.integer(pipeline), .integer(seconds)])
        } else {
            try db.run(
                """
                INSERT INTO time_watches (element, code, chat, seconds, since, due_at)
                SELECT c.element, 'chat.unanswered', c.chat, $2::bigint, c.first_message_at,
                       c.first_message_at + $2::bigint * 1000
                FROM chats c JOIN elements e ON e.id = c.element
                WHERE e.pipeline = $1 AND c.first_message_at IS NOT NULL
                  AND (c.answered_at IS NULL OR c.answered_at - c.first_message_at > $2::bigint * 1000)
                ON CONFLICT (element, code, chat, seconds) DO NOTHING
                """, [.integer(pipeline), .integer(seconds)])
        }
    }

    /// In a write transaction the watch is claimed as `nextDueJob` claims a job: by its element, skipping
    /// those another writer holds. Codes and chats sort by their bytes, as in SQLite.
    public func nextDueWatch(now: Timestamp) throws -> TimeWatch? {
        guard isWriting else {
            return try db.firstRow(
                """
                SELECT element, code, chat, seconds, since, due_at FROM time_watches
                WHERE fired = 0 AND due_at <= $1
                ORDER BY due_at, element, code COLLATE "C", chat COLLATE "C", seconds LIMIT 1
                """, [.integer(now.milliseconds)], Self.watch)
        }
        // As `nextDueJob`: the element alone locked with the claim, the watch read again once it is held.
        while let candidate = try db.firstRow(
            """
            SELECT w.element, w.code, w.chat, w.seconds, w.since, w.due_at
            FROM time_watches w JOIN elements e ON e.id = w.element
            WHERE w.fired = 0 AND w.due_at <= $1
            ORDER BY w.due_at, w.element, w.code COLLATE "C", w.chat COLLATE "C", w.seconds LIMIT 1
            FOR UPDATE OF e SKIP LOCKED
            """, [.integer(now.milliseconds)], Self.watch)
        {
            if let watch = try db.firstRow(
                """
                SELECT element, code, chat, seconds, since, due_at FROM time_watches
                WHERE element = $1 AND code = $2 AND chat = $3 AND seconds = $4 AND fired = 0 AND due_at <= $5
                """,
                [.integer(candidate.element), .text(candidate.code.rawValue), .text(candidate.chat),
                 .integer(candidate.seconds), .integer(now.milliseconds)], Self.watch)
            {
                return watch
            }
        }
        return nil
    }

    public func dropWatch(_ watch: TimeWatch) throws {
        try db.send(
            "DELETE FROM time_watches WHERE element = $1 AND code = $2 AND chat = $3 AND seconds = $4",
            [.integer(watch.element), .text(watch.code.rawValue), .text(watch.chat), .integer(watch.seconds)])
    }

    public func markFired(_ watch: TimeWatch) throws {
        try db.send(
            "UPDATE time_watches SET fired = 1 WHERE element = $1 AND code = $2 AND chat = $3 AND seconds = $4 AND since = $5",
            [
                .integer(watch.element), .text(watch.code.rawValue), .text(watch.chat), .integer(watch.seconds),
                .integer(watch.since.milliseconds),
            ])
    }

    public func automationState(_ name: String) throws -> Int64? {
        try db.scalarInt64("SELECT value FROM automation_state WHERE name = $1", [.text(name)])
    }

    public func setAutomationState(_ name: String, to value: Int64) throws {
        try db.send(
            """
            INSERT INTO automation_state (name, value) VALUES ($1, $2)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """, [.text(name), .integer(value)])
    }

    static func watch(_ row: PostgresRow) -> TimeWatch {
        TimeWatch(
            element: row.int64(0), code: TriggerCode(rawValue: row.string(1)) ?? .stageIdle, chat: row.string(2),
            seconds: row.int64(3), since: Timestamp(milliseconds: row.int64(4)),
            dueAt: Timestamp(milliseconds: row.int64(5)))
    }
}
