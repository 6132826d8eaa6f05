import CRMCore
import JSON

/// An event's outcome as kept in `events.outcome`: its moves, notes, and the verdict of every considered
/// trigger (with the trigger's name and stage at the time, so `event explain` outlives a removed trigger).
struct StoredOutcome {
    var moves: [StageChange] = []
    var jobs: [JobSummary] = []
    var notes: [String] = []
    var document: Int64?
    var signals: [JSONValue] = []

    /// The stored text of an event's outcome; `triggers` are those the engine considered (a few), to name
    /// them in the verdicts. Written straight into bytes: a batch stores one for every event.
    static func text(for result: EventResult, triggers: [Trigger]) -> String {
        var stream = JSONStream()
        stream.openObject()
        stream.key("moves")
        EventResult.write(result.moves, into: &stream)
        if !result.jobs.isEmpty {
            stream.key("jobs")
            EventResult.write(result.jobs, into: &stream)
        }
        stream.key("notes")
        stream.openArray()
        for note in result.notes { stream.string(note) }
        stream.closeArray()
        if let document = result.document {
            stream.key("document")
            stream.integer(document)
        }
        stream.key("signals")
        stream.openArray()
        for decision in result.decisions {
            stream.openObject()
            stream.key("signal")
            stream.string(decision.signal.code.rawValue)
            stream.key("verdicts")
            stream.openArray()
            for verdict in decision.verdicts {
                let trigger = triggers.first { $0.id == verdict.trigger }
                stream.openObject()
                stream.key("trigger")
                stream.integer(verdict.trigger)
                stream.key("name")
                stream.string(trigger?.name)
                stream.key("stage")
                stream.string(trigger?.stage)
                stream.key("verdict")
                stream.string(verdict.kind.rawValue)
                stream.key("detail")
                stream.string(verdict.detail)
                stream.closeObject()
            }
            stream.closeArray()
            stream.closeObject()
        }
        stream.closeArray()
        stream.closeObject()
        return String(decoding: stream.bytes, as: UTF8.self)
    }

    init(json text: String) {
        guard let object = (try? JSONParser.parse(text))?.objectValue else { return }
        moves = object["moves"]?.arrayValue?.compactMap { value -> StageChange? in
            guard let move = value.objectValue, let from = move["from"]?.stringValue, let to = move["to"]?.stringValue
            else { return nil }
            return StageChange(
                trigger: move["trigger"]?.int64Value, rule: move["rule"]?.int64Value, job: move["job"]?.int64Value,
                from: from, to: to, author: move["author"]?.stringValue ?? "system")
        } ?? []
        jobs = object["jobs"]?.arrayValue?.compactMap { value -> JobSummary? in
            guard let job = value.objectValue, let id = job["job"]?.int64Value, let rule = job["rule"]?.int64Value,
                let status = job["status"]?.stringValue.flatMap(JobStatus.init(rawValue:)),
                let due = job["due_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
            else { return nil }
            return JobSummary(job: id, rule: rule, status: status, dueAt: due)
        } ?? []
        notes = object["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        document = object["document"]?.int64Value
        signals = object["signals"]?.arrayValue ?? []
    }
}
