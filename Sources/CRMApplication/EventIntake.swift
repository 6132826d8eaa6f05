import CRMCore
import CRMStorage
import JSON

/// Applies events (SPEC §6): checks the key, resolves the element, looks up the facts the event's rules
/// need, lets `SignalRules` decide what it records and signals, writes the records and the event's timeline
/// entry, lets the trigger engine decide each signal in order — a move enters its stage through
/// `StageEntry` before the next signal is decided — and writes the event with its outcome. The caller holds
/// the write transaction.
///
/// A rejected event leaves nothing behind because every check that can reject it (a `CRMError`) runs
/// before its first write; after that only the database can fail, and that rolls back the whole
/// transaction. This keeps a savepoint (and its statement journal) off the path every event takes.
public struct EventIntake<Store: CRMStore> {
    let store: Store
    let clock: Clock

    public init(store: Store, clock: Clock) {
        self.store = store
        self.clock = clock
    }

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
            return try record(input, in: .ofEvent())
        } catch let error as CRMError {
            return .rejected(error, key: input.key, type: input.type.rawValue, element: elementID(input.target))
        }
    }

    private func elementID(_ target: EventTarget) -> Int64? {
        if case .element(let id) = target { return id }
        return nil
    }

    /// The stored outcome for a key seen before, or `key_reused` when the key came with another event.
    private func storedResult(key: String, fingerprint: [UInt8]) throws -> EventResult? {
        guard let stored = try store.keyedEvent(key: key) else { return nil }
        guard stored.fingerprint == fingerprint else {
            return .rejected(
                CRMError.invalid(
                    "key \"\(key)\" was used for another event (\(stored.id)); a key names one event", code: "key_reused"),
                key: key)
        }
        var result = EventResult(key: key, type: stored.type, element: stored.element, status: .duplicate)
        result.event = stored.id
        let outcome = stored.outcome
        result.moves = outcome.moves
        result.jobs = outcome.jobs
        result.notes = outcome.notes
        result.document = outcome.document
        return result
    }

    /// Records one event in `cascade`; a `CRMError` rejects it, and nothing of it is written then.
    func record(_ input: EventInput, in cascade: Cascade) throws -> EventResult {
        guard let elementID = try store.elementID(for: input.target) else {
            let contact: String
            switch input.target {
            case .email(let email): contact = "email \(email)"
            case .phone(let phone): contact = "phone \(phone)"
            case .element(let id): contact = "id \(id)"
            }
            throw CRMError.notFound("no element in a process stage has the \(contact)", code: "no_element")
        }
        let element = try store.element(id: elementID)
        let now = clock.now()
        let at = input.at ?? now
        let records = try SignalRules.records(
            of: input.type, data: input.data, at: at, element: element, facts: try facts(of: input, element: element))

        // Every check has passed: from here on the event is written, and nothing may reject it any more.
        do {
            return try write(input, element: element, records: records, at: at, now: now, cascade: cascade)
        } catch let error as CRMError {
            throw CRMError(.internal, "event \(input.type.rawValue) on element \(element.id) failed after its checks: \(error.message)")
        }
    }

    private func write(
        _ input: EventInput, element: Element, records: EventRecords, at: Timestamp, now: Timestamp, cascade: Cascade
    ) throws -> EventResult {
        var element = element
        let eventID = try store.reserveEventID()
        if cascade.awaitsOriginEvent {
            cascade.origin = eventID
            cascade.awaitsOriginEvent = false
        }
        let movesBefore = cascade.moves.count
        let jobsBefore = cascade.jobs.count
        var document = records.document
        for change in records.changes {
            if let created = try store.record(change, element: element.id, event: eventID, by: input.by, at: at) {
                document = created
            }
        }
        try store.appendEventEntry(
            element: element.id, at: at, kind: input.type.rawValue, author: input.by ?? "system", event: eventID)
        if !input.type.isMadeByTick {
            let watching = TimeWatching(store: store)
            try watching.activity(element, at: at)
            try watching.recorded(records.changes, element: element, at: at)
        }
        if records.changedElement {
            element = records.element
            element.updatedAt = now
            try store.saveElement(element)
            if let changed = records.signals.first(where: { $0.code == .fieldChanged })?.changedFields {
                try RuleRunner(store: store, clock: clock, cascade: cascade).fieldsChanged(changed, of: element, at: at)
            }
        }

        let pipeline = try store.pipeline(id: element.pipeline)
        let triggers = try store.engineTriggers(pipeline: pipeline.id, codes: records.signals.map(\.code))
        let entry = StageEntry(store: store, clock: clock, cascade: cascade)
        var decisions: [Decision] = []
        for signal in records.signals {
            // Rule 4: each signal sees the stage the previous one (and the cascade it set going) left.
            let decision = TriggerEngine.decide(element: element, pipeline: pipeline, triggers: triggers, signal: signal)
            decisions.append(decision)
            guard let move = decision.move else { continue }
            try entry.enter(
                &element, stage: move.to, at: at, author: move.author, cause: .trigger(move.trigger, event: eventID))
        }
        let moves = Array(cascade.moves[movesBefore...])

        var result = EventResult(
            key: input.key, type: input.type.rawValue, element: element.id, status: moves.isEmpty ? .recorded : .moved)
        result.event = eventID
        result.moves = moves
        result.jobs = Array(cascade.jobs[jobsBefore...])
        result.notes = records.notes
        result.document = document
        result.decisions = decisions
        try store.insertEvent(
            EventRow(
                id: eventID, key: input.key, type: input.type.rawValue, element: element.id, at: at, by: input.by,
                dataText: input.dataText, fingerprint: input.fingerprint, status: result.status.rawValue,
                outcome: EventOutcome(
                    moves: result.moves, jobs: result.jobs, notes: result.notes, document: result.document,
                    decisions: decisions),
                recordedAt: now))
        return result
    }

    /// The records the event's rules look at, read before anything is written.
    private func facts(of input: EventInput, element: Element) throws -> EventFacts {
        var facts = EventFacts()
        let data = input.data
        switch input.type {
        case .documentCreated:
            if let ref = data["ref"]?.scalarText { facts.refTaken = try store.findDocument(ref: ref) != nil }
        case .documentSent, .documentViewed, .documentSigned:
            if let name = data["document"]?.scalarText { facts.document = try store.findDocument(named: name) }
        case .emailOpened:
            if let messageID = data["email"]?.scalarText {
                facts.sentEmail = try store.sentEmail(element: element.id, messageID: messageID)
            }
        case .chatMessage, .chatAnswered:
            facts.chat = try store.chat(element: element.id, chat: SignalRules.chatID(data))
        default:
            break
        }
        return facts
    }
}

extension EventIntake {
    /// Applies one event in its own write transaction; a dry run computes the same result and keeps nothing.
    public func applyAlone(_ input: EventInput, dryRun: Bool) throws -> EventResult {
        try store.transaction {
            var result = try apply(input)
            guard dryRun else { return .commit(result) }
            result.dryRun = true
            return .rollback(result)
        }
    }
}
