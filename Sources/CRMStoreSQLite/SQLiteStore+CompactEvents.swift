import CRMCore
import CRMStorage
import JSON
import SQLiteDB

/// The migration to compact events (schema version 5): a fingerprint becomes its 16-byte digest, an outcome
/// keeps each verdict as its form and facts without the trigger's name and stage (removed triggers keep
/// theirs in `removed_triggers`), an event's own timeline entry refers to the event instead of copying
/// its data, and each element's timeline entries are chained (`previous`, `timeline_heads`) instead of
/// indexed, and events lose their index on element. (Version 5 also linked each entry to the next in a
/// table `timeline_next`; version 6 dropped it, so this step, which always runs on the way to 6, no
/// longer makes it.) Every event reads back exactly as before: the sentences are made again from the facts, and a
/// sentence no form reproduces is kept verbatim.
extension SQLiteStore {
    func migrateToCompactEvents() throws {
        try db.execute(try schemaStatements(of: "removed_triggers").joined(separator: ";\n"))
        // The views read events: they go while the table is rebuilt (SQLite checks them when a table is
        // renamed) and come back as schema.sql has them.
        let views = try schemaViews()
        for view in views { try db.execute(view.drop) }
        try db.execute("ALTER TABLE events RENAME TO events_v4; DROP INDEX events_by_element")
        for statement in try schemaStatements(of: "events") { try db.execute(statement) }

        let insert = try db.cached(
            """
            INSERT INTO events (id, key, type, element, at, by, data, fingerprint, status, outcome, recorded_at)
            SELECT id, key, type, element, at, by, data, ?2, status, ?3, recorded_at FROM events_v4 WHERE id = ?1
            """)
        var removed: [Int64: TriggerLabel] = [:]
        let existing = Set(try db.cached("SELECT id FROM triggers").rows { $0.int64(0) })
        try db.cached("SELECT id, fingerprint, outcome FROM events_v4 ORDER BY id").forEachRow { row in
            let outcome = SQLiteStore.outcome(version4: row.string(2)) { trigger, label in
                if !existing.contains(trigger) { removed[trigger] = label }
            }
            try insert.run([
                .integer(row.int64(0)), .blob(EventInput.fingerprint(ofCanonical: row.string(1))),
                .text(OutcomeCoding.text(outcome)),
            ])
        }
        try db.execute("DROP TABLE events_v4")
        for view in views { try db.execute(view.create) }
        for (id, label) in removed.sorted(by: { $0.key < $1.key }) {
            try db.run(
                "INSERT INTO removed_triggers (id, name, stage) VALUES (?, ?, ?)",
                [.integer(id), .text(label.name), .text(label.stage)])
        }

        // An event's own entry held {"event": ID, "data": DATA} with the event's very data: it refers to
        // the event now. Each element's entries are chained instead of indexed.
        try db.execute("ALTER TABLE timeline RENAME TO timeline_v4; DROP INDEX timeline_by_element")
        for table in ["timeline", "timeline_heads"] {
            for statement in try schemaStatements(of: table) { try db.execute(statement) }
        }
        try db.execute(
            """
            INSERT INTO timeline (id, element, at, kind, author, event, details, previous)
            SELECT t.id, t.element, t.at, t.kind, t.author, t.event,
                   CASE WHEN t.details = '{"event":' || t.event || ',"data":' || e.data || '}' THEN NULL ELSE t.details END,
                   lag(t.id) OVER (PARTITION BY t.element ORDER BY t.id)
            FROM timeline_v4 t LEFT JOIN events e ON e.id = t.event
            ORDER BY t.id;
            INSERT INTO timeline_heads (element, first, last) SELECT element, min(id), max(id) FROM timeline GROUP BY element;
            DROP TABLE timeline_v4;
            PRAGMA user_version = 5
            """)
    }

    /// A version 4 outcome (as versions 1 to 4 wrote them), `{moves, jobs?, notes, document?, signals: [{signal, verdicts: [{trigger, name,
    /// stage, verdict, detail}]}]}`; `named` hears each trigger's name and stage as the verdicts gave them.
    static func outcome(version4 text: String, named: (Int64, TriggerLabel) -> Void) -> EventOutcome {
        guard let object = (try? JSONParser.parse(text))?.objectValue else { return EventOutcome() }
        var outcome = EventOutcome()
        outcome.moves = object["moves"]?.arrayValue?.compactMap { value -> StageChange? in
            guard let move = value.objectValue, let from = move["from"]?.stringValue, let to = move["to"]?.stringValue
            else { return nil }
            return StageChange(
                trigger: move["trigger"]?.int64Value, rule: move["rule"]?.int64Value, job: move["job"]?.int64Value,
                from: from, to: to, author: move["author"]?.stringValue ?? "system")
        } ?? []
        outcome.jobs = object["jobs"]?.arrayValue?.compactMap { value -> JobSummary? in
            guard let job = value.objectValue, let id = job["job"]?.int64Value, let rule = job["rule"]?.int64Value,
                let status = job["status"]?.stringValue.flatMap(JobStatus.init(rawValue:)),
                let due = job["due_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
            else { return nil }
            return JobSummary(job: id, rule: rule, status: status, dueAt: due)
        } ?? []
        outcome.notes = object["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        outcome.document = object["document"]?.int64Value
        outcome.decisions = object["signals"]?.arrayValue?.compactMap { value -> Decision? in
            guard let signal = value.objectValue,
                let code = signal["signal"]?.stringValue.flatMap(TriggerCode.init(rawValue:))
            else { return nil }
            let given = signal["verdicts"]?.arrayValue?.compactMap(\.objectValue) ?? []
            let winner = given.first { $0["verdict"]?.stringValue == VerdictKind.applied.rawValue }.flatMap {
                verdict -> (trigger: Int64, stage: String)? in
                guard let trigger = verdict["trigger"]?.int64Value, let stage = verdict["stage"]?.stringValue else { return nil }
                return (trigger, stage)
            }
            let verdicts = given.compactMap { verdict -> Verdict? in
                guard let trigger = verdict["trigger"]?.int64Value,
                    let kind = verdict["verdict"]?.stringValue.flatMap(VerdictKind.init(rawValue:))
                else { return nil }
                let stage = verdict["stage"]?.stringValue
                if let name = verdict["name"]?.stringValue, let stage { named(trigger, TriggerLabel(name: name, stage: stage)) }
                let detail = VerdictDetail.parse(
                    verdict["detail"]?.stringValue ?? "", kind: kind, triggerStage: stage ?? "?", winner: winner)
                return Verdict(trigger: trigger, kind: kind, detail: detail)
            }
            return Decision(signal: Signal(code), move: nil, verdicts: verdicts)
        } ?? []
        return outcome
    }

    /// schema.sql's views: the statement that drops each and the one that creates it, as SQLite records it.
    private func schemaViews() throws -> [(drop: String, create: String)] {
        let schema = try Connection(path: ":memory:", busyTimeoutMilliseconds: 0)
        try schema.execute(SQLiteStore.schemaSQL)
        return try schema.cached("SELECT 'DROP VIEW ' || name, sql FROM sqlite_schema WHERE type = 'view' ORDER BY rowid")
            .rows { ($0.string(0), $0.string(1)) }
    }
}
