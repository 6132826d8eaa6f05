import CRMCore
import CRMStorage
import SQLiteDB

extension SQLiteStore {
    public func watchActivity(element: Int64, thresholds: [Int64], at: Timestamp) throws {
        for seconds in thresholds {
            try db.cached(
                """
                INSERT INTO time_watches (element, code, chat, seconds, since, due_at) VALUES (?1, 'stage.idle', '', ?2, ?3, ?3 + ?2 * 1000)
                ON CONFLICT (element, code, chat, seconds) DO UPDATE SET since = excluded.since, due_at = excluded.due_at, fired = 0
                WHERE excluded.since > time_watches.since
                """
            ).run([.integer(element), .integer(seconds), .integer(at.milliseconds)])
        }
    }

    public func watchChat(element: Int64, chat: String, thresholds: [Int64], firstMessageAt at: Timestamp) throws {
        for seconds in thresholds {
            try db.cached(
                """
                INSERT INTO time_watches (element, code, chat, seconds, since, due_at)
                SELECT ?1, 'chat.unanswered', ?2, ?3, ?4, ?4 + ?3 * 1000
                WHERE NOT EXISTS (SELECT 1 FROM chats WHERE element = ?1 AND chat = ?2 AND answered_at IS NOT NULL
                                  AND answered_at - ?4 <= ?3 * 1000)
                ON CONFLICT (element, code, chat, seconds) DO UPDATE SET since = excluded.since, due_at = excluded.due_at
                WHERE excluded.since < time_watches.since AND time_watches.fired = 0
                """
            ).run([.integer(element), .text(chat), .integer(seconds), .integer(at.milliseconds)])
        }
    }

    public func chatAnswered(element: Int64, chat: String, at: Timestamp) throws {
        try db.cached(
            """
            DELETE FROM time_watches
            WHERE element = ? AND code = 'chat.unanswered' AND chat = ? AND fired = 0 AND ? - since <= seconds * 1000
            """
        ).run([.integer(element), .text(chat), .integer(at.milliseconds)])
    }

    public func watchPipeline(_ pipeline: Int64, code: TriggerCode, seconds: Int64) throws {
        if code == .stageIdle {
            // The last activity: the latest entry that is not a rule's, a note, or a time event.
            try db.run(
                """
                INSERT INTO time_watches (element, code, chat, seconds, since, due_at)
                SELECT t.element, 'stage.idle', '', ?2, max(t.at), max(t.at) + ?2 * 1000
                FROM timeline t JOIN elements e ON e.id = t.element
                WHERE e.pipeline = ?1 AND t.kind NOT IN ('rule', 'note', 'stage.idle', 'chat.unanswered')
                GROUP BY t.element
                ON CONFLICT (element, code, chat, seconds) DO UPDATE SET since = excluded.since, due_at = excluded.due_at, fired = 0
                WHERE excluded.since > time_watches.since
                """, [.integer(pipeline), .integer(seconds)])
        } else {
            try db.run(
                """
                INSERT INTO time_watches (element, code, chat, seconds, since, due_at)
                SELECT c.element, 'chat.unanswered', c.chat, ?2, c.first_message_at, c.first_message_at + ?2 * 1000
                FROM chats c JOIN elements e ON e.id = c.element
                WHERE e.pipeline = ?1 AND c.first_message_at IS NOT NULL
                  AND (c.answered_at IS NULL OR c.answered_at - c.first_message_at > ?2 * 1000)
                ON CONFLICT (element, code, chat, seconds) DO NOTHING
                """, [.integer(pipeline), .integer(seconds)])
        }
    }

    public func nextDueWatch(now: Timestamp) throws -> TimeWatch? {
        try db.cached(
            """
            SELECT element, code, chat, seconds, since, due_at FROM time_watches
            WHERE fired = 0 AND due_at <= ? ORDER BY due_at, element, code, chat, seconds LIMIT 1
            """
        ).firstRow([.integer(now.milliseconds)]) { row in
            TimeWatch(
                element: row.int64(0), code: TriggerCode(rawValue: row.string(1)) ?? .stageIdle, chat: row.string(2),
                seconds: row.int64(3), since: Timestamp(milliseconds: row.int64(4)),
                dueAt: Timestamp(milliseconds: row.int64(5)))
        }
    }

    public func dropWatch(_ watch: TimeWatch) throws {
        try db.cached("DELETE FROM time_watches WHERE element = ? AND code = ? AND chat = ? AND seconds = ?")
            .run([.integer(watch.element), .text(watch.code.rawValue), .text(watch.chat), .integer(watch.seconds)])
    }

    public func markFired(_ watch: TimeWatch) throws {
        try db.cached(
            "UPDATE time_watches SET fired = 1 WHERE element = ? AND code = ? AND chat = ? AND seconds = ? AND since = ?"
        ).run([.integer(watch.element), .text(watch.code.rawValue), .text(watch.chat), .integer(watch.seconds),
               .integer(watch.since.milliseconds)])
    }

    public func automationState(_ name: String) throws -> Int64? {
        try db.scalarInt64("SELECT value FROM automation_state WHERE name = ?", [.text(name)])
    }

    public func setAutomationState(_ name: String, to value: Int64) throws {
        try db.run(
            "INSERT INTO automation_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [.text(name), .integer(value)])
    }
}
