import CRMCore
import SQLiteDB

/// Applies events: checks the key, resolves the element, records what the event records, lets the
/// trigger engine decide, and writes the event, its timeline entries and the moves. The caller holds
/// the write transaction.
///
/// A rejected event leaves nothing behind because every check that can reject it (a `CRMError`) runs
/// before its first write; after that only SQLite can fail, and that rolls back the whole transaction.
/// This keeps a savepoint (and its statement journal) off the path every event takes.
public struct EventIntake {
    let store: Store

    public init(store: Store) { self.store = store }

    /// Applies one event inside the caller's transaction and returns its result.
    public func apply(_ input: EventInput) throws -> EventResult {
        if let key = input.key, var stored = try storedResult(key: key, fingerprint: input.fingerprint) {
            if stored.status == .rejected {
                stored.type = input.type.rawValue
                stored.element = elementID(input.target)
            }
            return stored
        }
        do {
            return try record(input)
        } catch let error as CRMError {
            return .rejected(error, key: input.key, type: input.type.rawValue, element: elementID(input.target))
        }
    }

    private func elementID(_ target: EventTarget) -> Int64? {
        if case .element(let id) = target { return id }
        return nil
    }

    /// The stored outcome for a key seen before, or `key_reused` when the key came with another event.
    private func storedResult(key: String, fingerprint: String) throws -> EventResult? {
        guard
            let row = try store.db.cached(
                "SELECT id, type, element, fingerprint, outcome FROM events WHERE key = ?"
            ).firstRow([.text(key)], { row in
                (id: row.int64(0), type: row.string(1), element: row.int64(2), fingerprint: row.string(3),
                 outcome: row.string(4))
            })
        else { return nil }
        guard row.fingerprint == fingerprint else {
            return .rejected(
                CRMError.invalid(
                    "key \"\(key)\" was used for another event (\(row.id)); a key names one event", code: "key_reused"),
                key: key)
        }
        var result = EventResult(key: key, type: row.type, element: row.element, status: .duplicate)
        result.event = row.id
        let outcome = StoredOutcome(json: row.outcome)
        result.moves = outcome.moves
        result.notes = outcome.notes
        result.document = outcome.document
        return result
    }

    private func record(_ input: EventInput) throws -> EventResult {
        let db = store.db
        guard let elementID = try store.elementForContact(input.target) else {
            let contact: String
            switch input.target {
            case .email(let email): contact = "email \(email)"
            case .phone(let phone): contact = "phone \(phone)"
            case .element(let id): contact = "id \(id)"
            }
            throw CRMError.notFound("no element in a process stage has the \(contact)", code: "no_element")
        }
        guard var element = try store.findElement(id: elementID) else {
            throw CRMError.notFound("element \(elementID) does not exist")
        }
        let now = store.clock.now()
        let at = input.at ?? now
        let eventID = try store.nextEventID()
        var recording = Recording(store: store, event: eventID, at: at, by: input.by, data: input.data)
        let signals = try recording.apply(input.type, to: &element)

        let pipeline = try store.pipeline(id: element.pipeline)
        let triggers = try store.engineTriggers(pipeline: pipeline.id, codes: signals.map(\.code))
        let decisions = TriggerEngine.decide(element: element, pipeline: pipeline, triggers: triggers, signals: signals)
        let moves = decisions.compactMap(\.move)

        let dataText = input.dataText
        try store.appendTimeline(
            element: element.id, at: at, kind: input.type.rawValue, author: input.by ?? "system", event: eventID,
            detailsText: "{\"event\":\(eventID),\"data\":\(dataText)}")
        for move in moves {
            try store.appendTimeline(
                element: element.id, at: at, kind: "stage_changed", author: move.author, event: eventID,
                details: ["from": .string(move.from), "to": .string(move.to), "trigger": JSONValue(move.trigger),
                          "event": JSONValue(eventID)])
        }
        if recording.changedElement {
            element.stage = moves.last?.to ?? element.stage
            element.updatedAt = now
            try store.saveElement(element)
        } else if let last = moves.last {
            try store.saveStage(of: element.id, stage: last.to, updatedAt: now)
        }

        var result = EventResult(
            key: input.key, type: input.type.rawValue, element: element.id, status: moves.isEmpty ? .recorded : .moved)
        result.event = eventID
        result.moves = moves
        result.notes = recording.notes
        result.document = recording.document
        result.decisions = decisions
        let outcome = StoredOutcome.text(for: result, triggers: triggers)
        try db.cached(
            """
            INSERT INTO events (id, key, type, element, at, by, data, fingerprint, status, outcome, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).run([
            .integer(eventID), SQLiteValue(input.key), .text(input.type.rawValue), .integer(element.id),
            .integer(at.milliseconds), SQLiteValue(input.by), .text(dataText),
            .text(input.fingerprint), .text(result.status.rawValue), .text(outcome), .integer(now.milliseconds),
        ])
        store.eventInserted(eventID)
        return result
    }
}
