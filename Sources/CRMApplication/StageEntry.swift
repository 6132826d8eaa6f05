import CRMCore
import CRMStorage
import JSON

/// How an element came into a stage.
public enum StageEntryCause: Sendable, Equatable {
    /// Created in it (`lead create`, `deal create`, `element import`).
    case created
    /// Moved by a trigger, deciding on one of an event's signals.
    case trigger(Int64, event: Int64)
    /// Moved by hand (`element move`).
    case manual
    /// Moved by a rule's job (`--do move`).
    case rule(Int64, job: Int64)
}

/// The one way an element enters a stage (SPEC §7 rule 1): creation, import, a trigger's move, a manual
/// move and a rule's move all come here. It writes the stage and the entry's one timeline entry, cancels
/// the pending jobs of the stage left (rule 5), makes one job per enabled rule of the stage entered and runs
/// those due at once (rules 2 and 3), in that order (rule 8). The caller holds the write transaction.
public struct StageEntry<Store: CRMStore> {
    let store: Store
    let clock: Clock
    let cascade: Cascade

    public init(store: Store, clock: Clock, cascade: Cascade) {
        self.store = store
        self.clock = clock
        self.cascade = cascade
    }

    /// Puts `element` in `stage` as of `at` (the entry time), recorded as `author`. A created element is
    /// already written in its first stage; a moved one gets its new stage written. When jobs ran, `element`
    /// is read again: they may have changed it, and what comes next must see what they left.
    public func enter(
        _ element: inout Element, stage: String, at: Timestamp, author: String, cause: StageEntryCause
    ) throws {
        let from = element.stage
        switch cause {
        case .created:
            try store.appendTimeline(
                element: element.id, at: at, kind: TimelineKind.created, author: author, event: nil,
                details: ["pipeline": JSONValue(element.pipeline), "stage": .string(stage), "title": .string(element.title)])
        case .trigger(let trigger, let event):
            try move(&element, to: stage, at: at, author: author, details: ["trigger": JSONValue(trigger), "event": JSONValue(event)])
            cascade.moved(StageChange(trigger: trigger, from: from, to: stage, author: author))
        case .manual:
            try move(&element, to: stage, at: at, author: author, details: ["trigger": nil, "event": nil])
            cascade.moved(StageChange(from: from, to: stage, author: author))
        case .rule(let rule, let job):
            try move(
                &element, to: stage, at: at, author: author,
                details: ["trigger": nil, "event": nil, "rule": JSONValue(rule), "job": JSONValue(job)])
            cascade.moved(StageChange(rule: rule, job: job, from: from, to: stage, author: author))
        }
        try TimeWatching(store: store).activity(element, at: at)
        let runner = RuleRunner(store: store, clock: clock, cascade: cascade)
        if cause != .created {
            try runner.cancelPendingJobs(of: element, leaving: from, at: at)
        }
        if try runner.makeJobs(for: element, enteredAt: at) {
            element = try store.element(id: element.id)
        }
    }

    private func move(
        _ element: inout Element, to stage: String, at: Timestamp, author: String, details: JSONObject
    ) throws {
        let from = element.stage
        element.stage = stage
        element.updatedAt = clock.now()
        try store.saveStage(of: element.id, stage: stage, updatedAt: element.updatedAt)
        var entry: JSONObject = ["from": .string(from), "to": .string(stage)]
        for (key, value) in details { entry[key] = value }
        try store.appendTimeline(
            element: element.id, at: at, kind: TimelineKind.stageChanged, author: author,
            event: details["event"]?.int64Value, details: entry)
    }
}
