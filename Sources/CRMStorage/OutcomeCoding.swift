import CRMCore
import JSON

/// An event's outcome as `events.outcome` keeps it: a JSON array, positions instead of keys, trailing empty
/// parts left out — `[decisions, moves, notes, jobs, document]`:
///
/// - a decision `[signal code, verdict…]`, a verdict `[trigger, form, fact…]` (`VerdictDetail.Form`'s
///   number; its verdict follows from the form, and a `verbatim` one puts its verdict before its sentence);
///   trigger names and stages are not repeated: `triggerLabel` reads them;
/// - a move `[trigger or null, from, to, author]`, and `rule, job` after them for a rule's move;
/// - a job `[job, rule, status, due_at in milliseconds]`.
///
/// A batch writes one for every event, so it is written straight into bytes. Every store keeps this text, so
/// that `crmctl copy` moves outcomes unchanged.
public enum OutcomeCoding {
    public static func text(_ outcome: EventOutcome) -> String {
        var stream = JSONStream()
        let parts = [
            !outcome.decisions.isEmpty, !outcome.moves.isEmpty, !outcome.notes.isEmpty, !outcome.jobs.isEmpty,
            outcome.document != nil,
        ]
        let count = (parts.lastIndex(of: true) ?? -1) + 1
        stream.openArray()
        if count > 0 {
            stream.openArray()
            for decision in outcome.decisions {
                stream.openArray()
                stream.string(decision.signal.code.rawValue)
                for verdict in decision.verdicts {
                    stream.openArray()
                    stream.integer(verdict.trigger)
                    stream.integer(Int64(verdict.detail.form.rawValue))
                    if verdict.detail.form == .verbatim { stream.string(verdict.kind.rawValue) }
                    for fact in verdict.detail.facts { stream.string(fact) }
                    stream.closeArray()
                }
                stream.closeArray()
            }
            stream.closeArray()
        }
        if count > 1 {
            stream.openArray()
            for move in outcome.moves {
                stream.openArray()
                stream.integer(move.trigger)
                stream.string(move.from)
                stream.string(move.to)
                stream.string(move.author)
                if let rule = move.rule {
                    stream.integer(rule)
                    stream.integer(move.job)
                }
                stream.closeArray()
            }
            stream.closeArray()
        }
        if count > 2 {
            stream.openArray()
            for note in outcome.notes { stream.string(note) }
            stream.closeArray()
        }
        if count > 3 {
            stream.openArray()
            for job in outcome.jobs {
                stream.openArray()
                stream.integer(job.job)
                stream.integer(job.rule)
                stream.string(job.status.rawValue)
                stream.integer(job.dueAt.milliseconds)
                stream.closeArray()
            }
            stream.closeArray()
        }
        if count > 4 { stream.integer(outcome.document) }
        stream.closeArray()
        return String(decoding: stream.bytes, as: UTF8.self)
    }

    /// The outcome of `text`; parts it cannot read are left empty.
    public static func outcome(_ text: String) -> EventOutcome {
        guard let parts = (try? JSONParser.parse(text))?.arrayValue else { return EventOutcome() }
        func part(_ index: Int) -> [JSONValue] { index < parts.count ? parts[index].arrayValue ?? [] : [] }
        var outcome = EventOutcome()
        outcome.decisions = part(0).compactMap { value -> Decision? in
            guard let items = value.arrayValue, let code = items.first?.stringValue.flatMap(TriggerCode.init(rawValue:))
            else { return nil }
            return Decision(signal: Signal(code), move: nil, verdicts: items.dropFirst().compactMap(verdict))
        }
        outcome.moves = part(1).compactMap { value -> StageChange? in
            guard let items = value.arrayValue, items.count >= 4, let from = items[1].stringValue,
                let to = items[2].stringValue, let author = items[3].stringValue
            else { return nil }
            return StageChange(
                trigger: items[0].int64Value, rule: items.count > 4 ? items[4].int64Value : nil,
                job: items.count > 5 ? items[5].int64Value : nil, from: from, to: to, author: author)
        }
        outcome.notes = part(2).compactMap(\.stringValue)
        outcome.jobs = part(3).compactMap { value -> JobSummary? in
            guard let items = value.arrayValue, items.count == 4, let job = items[0].int64Value,
                let rule = items[1].int64Value, let status = items[2].stringValue.flatMap(JobStatus.init(rawValue:)),
                let due = items[3].int64Value
            else { return nil }
            return JobSummary(job: job, rule: rule, status: status, dueAt: Timestamp(milliseconds: due))
        }
        outcome.document = parts.count > 4 ? parts[4].int64Value : nil
        return outcome
    }

    private static func verdict(_ value: JSONValue) -> Verdict? {
        guard let items = value.arrayValue, items.count >= 2, let trigger = items[0].int64Value,
            let form = items[1].int64Value.flatMap({ VerdictDetail.Form(rawValue: Int($0)) })
        else { return nil }
        var facts = items.dropFirst(2).compactMap(\.stringValue)
        let kind: VerdictKind
        if let implied = VerdictDetail.kind(of: form) {
            kind = implied
        } else {
            guard let named = facts.first.flatMap(VerdictKind.init(rawValue:)) else { return nil }
            kind = named
            facts.removeFirst()
        }
        return Verdict(trigger: trigger, kind: kind, detail: VerdictDetail(form, facts))
    }
}
