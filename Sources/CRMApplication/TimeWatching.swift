import CRMCore
import CRMStorage

/// Keeps the time triggers' quiet periods (SPEC §8) as events and stage entries happen, so that a tick
/// finds the moments due without looking at every element. Only the thresholds of enabled time triggers
/// of the element's pipeline are watched; time-trigger events are not activity.
struct TimeWatching<Store: CRMStore> {
    let store: Store

    /// The thresholds of the pipeline's enabled triggers with `code`.
    private func thresholds(_ code: TriggerCode, pipeline: Int64) throws -> [Int64] {
        let triggers = try store.engineTriggers(pipeline: pipeline, codes: [code])
        guard !triggers.isEmpty else { return [] }  // the common case, asked for every event
        return Array(Set(triggers.filter(\.enabled).compactMap(\.settings.seconds))).sorted()
    }

    /// An event or a stage entry at `at`: a new quiet period for `stage.idle`.
    func activity(_ element: Element, at: Timestamp) throws {
        let idle = try thresholds(.stageIdle, pipeline: element.pipeline)
        guard !idle.isEmpty else { return }
        try store.watchActivity(element: element.id, thresholds: idle, at: at)
    }

    /// What an event's records mean for `chat.unanswered`: a first client message starts the watch, an
    /// answer ends the thresholds it came in time for.
    func recorded(_ changes: [RecordChange], element: Element, at: Timestamp) throws {
        for change in changes {
            switch change {
            case .chatMessage(let chat, _):
                let unanswered = try thresholds(.chatUnanswered, pipeline: element.pipeline)
                guard !unanswered.isEmpty, let first = try store.chat(element: element.id, chat: chat)?.firstMessageAt
                else { continue }
                try store.watchChat(element: element.id, chat: chat, thresholds: unanswered, firstMessageAt: first)
            case .chatAnswered(let chat, _):
                try store.chatAnswered(element: element.id, chat: chat, at: at)
            default:
                continue
            }
        }
    }
}
