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
}

/// The one way an element enters a stage: creation, import, a trigger's move and a manual move all come
/// here, which writes the stage and the entry's one timeline entry. It is where a stage's automation rules
/// (SPEC §7) will make their jobs. The caller holds the write transaction.
public struct StageEntry<Store: CRMStore> {
    let store: Store

    public init(store: Store) { self.store = store }

    /// Puts `element` in `stage` as of `at`, recorded as `author`. A created element is already written
    /// in its first stage; a moved one gets its new stage written with `updatedAt`.
    public func enter(
        _ element: inout Element, stage: String, at: Timestamp, author: String, cause: StageEntryCause,
        updatedAt: Timestamp
    ) throws {
        switch cause {
        case .created:
            try store.appendTimeline(
                element: element.id, at: at, kind: TimelineKind.created, author: author, event: nil,
                details: ["pipeline": JSONValue(element.pipeline), "stage": .string(stage), "title": .string(element.title)])
        case .trigger(let trigger, let event):
            try move(&element, to: stage, at: at, author: author, trigger: trigger, event: event, updatedAt: updatedAt)
        case .manual:
            try move(&element, to: stage, at: at, author: author, trigger: nil, event: nil, updatedAt: updatedAt)
        }
    }

    private func move(
        _ element: inout Element, to stage: String, at: Timestamp, author: String, trigger: Int64?, event: Int64?,
        updatedAt: Timestamp
    ) throws {
        let from = element.stage
        element.stage = stage
        element.updatedAt = updatedAt
        try store.saveStage(of: element.id, stage: stage, updatedAt: updatedAt)
        try store.appendTimeline(
            element: element.id, at: at, kind: TimelineKind.stageChanged, author: author, event: event,
            details: ["from": .string(from), "to": .string(stage), "trigger": JSONValue(trigger), "event": JSONValue(event)])
    }
}
