import CRMCore
import JSON
import CRMApplication
import CRMStorage

/// The JSON shapes of SPEC §3, and the summary of an event result for people.
enum Render {
    static func pipeline(_ pipeline: Pipeline) -> JSONValue {
        [
            "id": JSONValue(pipeline.id), "type": .string(pipeline.type.rawValue), "name": .string(pipeline.name),
            "stages": .array(pipeline.stages.map {
                ["code": .string($0.code), "name": .string($0.name), "semantic": .string($0.semantic.rawValue)]
            }),
        ]
    }

    static func element(_ element: Element) -> JSONValue { element.json }

    /// `lead create`, `deal create`: the element with its `status` (created or duplicate) and the jobs its
    /// entry made under `jobs`.
    static func created(_ creation: ElementCreation) -> JSONValue {
        var object = creation.element.json.objectValue ?? JSONObject()
        object["status"] = .string(creation.status.rawValue)
        object["jobs"] = EventResult.jobsJSON(creation.jobs)
        return .object(object)
    }

    /// The element with the jobs its entry made under `jobs`.
    static func elementWithJobs(_ change: ElementChange) -> JSONValue {
        var object = change.element.json.objectValue ?? JSONObject()
        object["jobs"] = EventResult.jobsJSON(change.jobs)
        return .object(object)
    }

    static func trigger(_ trigger: Trigger) -> JSONValue {
        [
            "id": JSONValue(trigger.id), "name": .string(trigger.name), "on": .string(trigger.code.rawValue),
            "pipeline": JSONValue(trigger.pipeline), "stage": .string(trigger.stage), "as": JSONValue(trigger.asUser),
            "allow_backwards": .bool(trigger.allowBackwards), "settings": trigger.settings.json,
            "conditions": .array(trigger.conditions.map { .string($0.description) }), "enabled": .bool(trigger.enabled),
        ]
    }

    static func rule(_ rule: Rule) -> JSONValue {
        [
            "id": JSONValue(rule.id), "name": .string(rule.name), "pipeline": JSONValue(rule.pipeline),
            "stage": .string(rule.stage), "action": .string(rule.action.rawValue), "options": rule.options.json,
            "timing": rule.timing.json, "conditions": .array(rule.conditions.map { .string($0.description) }),
            "as": JSONValue(rule.asUser), "enabled": .bool(rule.enabled),
        ]
    }

    /// `at once`, or the timing options as given.
    static func timingText(_ timing: RuleTiming) -> String {
        let parts = (timing.json.objectValue ?? JSONObject()).map { "\(String($0.key.map { $0 == "_" ? "-" : $0 })) \($0.value.stringValue ?? "")" }
        return parts.isEmpty ? "at once" : parts.joined(separator: " ")
    }

    /// `--text T` (required), `[--subject S]`, `--field NAME=VALUE…`.
    static func optionText(_ option: RuleOptionSpec) -> String {
        let text = "--\(option.name.rawValue)\(option.repeatable ? "…" : "")"
        return option.required ? text : "[\(text)]"
    }

    static func job(_ job: Job) -> JSONValue {
        [
            "id": JSONValue(job.id), "rule": JSONValue(job.rule), "element": JSONValue(job.element),
            "stage": .string(job.stage), "status": .string(job.status.rawValue), "due_at": .string(job.dueAt.rfc3339),
            "ran_at": JSONValue(job.ranAt?.rfc3339), "origin": JSONValue(job.origin), "detail": JSONValue(job.detail),
            "error": job.error?.json ?? .null,
        ]
    }

    static func message(_ message: OutboxMessage) -> JSONValue {
        [
            "id": JSONValue(message.id), "kind": .string(message.kind.rawValue), "element": JSONValue(message.element),
            "rule": JSONValue(message.rule), "job": JSONValue(message.job), "to": JSONValue(message.to),
            "subject": JSONValue(message.subject), "text": JSONValue(message.text), "url": JSONValue(message.url),
            "payload": (try? JSONParser.parse(message.payload)) ?? .string(message.payload),
            "status": .string(message.status.rawValue), "attempts": JSONValue(Int64(message.attempts)),
            "next_attempt_at": .string(message.nextAttemptAt.rfc3339), "last_error": JSONValue(message.lastError),
            "created_at": .string(message.createdAt.rfc3339), "delivered_at": JSONValue(message.deliveredAt?.rfc3339),
            "leases": JSONValue(Int64(message.leases)), "lease_until": JSONValue(message.leaseUntil?.rfc3339),
            "taken_over": .bool(message.takenOver),
        ]
    }

    static func document(_ document: Document) -> JSONValue {
        [
            "id": JSONValue(document.id), "ref": JSONValue(document.ref), "element": JSONValue(document.element),
            "template": .string(document.template), "title": JSONValue(document.title),
            "created_by": JSONValue(document.createdBy), "created_at": .string(document.createdAt.rfc3339),
            "sent_via": JSONValue(document.sentVia), "sent_at": JSONValue(document.sentAt?.rfc3339),
            "viewed_at": JSONValue(document.viewedAt?.rfc3339),
            "sender_signed_at": JSONValue(document.senderSignedAt?.rfc3339),
            "recipient_signed_at": JSONValue(document.recipientSignedAt?.rfc3339),
        ]
    }

    static func timelineEntry(_ entry: TimelineEntry) -> JSONValue {
        var object: JSONObject = [
            "id": JSONValue(entry.id), "at": .string(entry.at.rfc3339), "kind": .string(entry.kind),
            "author": .string(entry.author),
        ]
        for (key, value) in entry.details { object[key] = value }
        return .object(object)
    }

    /// What made a stage change: `trigger 7`, `rule 2, job 5`, or a hand.
    static func cause(of move: StageChange) -> String {
        if let trigger = move.trigger { return "trigger \(trigger)" }
        if let rule = move.rule { return "rule \(rule), job \(move.job ?? 0)" }
        return "by hand"
    }

    /// One line for people, `event 17 email.opened on 42: moved NEW → IN_PROCESS (trigger 7)`, then a line per
    /// note; made safe for a terminal (`printable`).
    static func eventSummary(_ result: EventResult) -> String {
        var text = result.event.map { "event \($0)" } ?? "event"
        if let type = result.type { text += " \(type)" }
        if let element = result.element { text += " on \(element)" }
        text += ": \(result.status.rawValue)"
        if !result.moves.isEmpty {
            text += " " + result.moves.map { "\($0.from) → \($0.to) (\(Render.cause(of: $0)))" }.joined(separator: ", ")
        }
        if let error = result.error { text += " (\(error.code): \(error.message))" }
        if result.dryRun { text += " [dry run: nothing written]" }
        let jobs = result.jobs.map { "  job \($0.job) (rule \($0.rule)): \($0.status.rawValue), due \($0.dueAt.rfc3339)" }
        return ([text] + result.notes.map { "  note: \($0)" } + jobs).map(\.printable).joined(separator: "\n")
    }
}
