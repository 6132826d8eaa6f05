import CRMCore
import CRMStorage
import JSON

extension StoredEvent {
    /// The shape of `event list` (SPEC §3).
    public var json: JSONValue {
        var object: JSONObject = [
            "id": JSONValue(id), "key": JSONValue(key), "type": .string(type), "element": JSONValue(element),
            "at": .string(at.rfc3339), "by": JSONValue(by), "data": data, "status": .string(status),
            "moves": EventResult.movesJSON(outcome.moves),
        ]
        if !outcome.notes.isEmpty { object["notes"] = .array(outcome.notes.map(JSONValue.string)) }
        return .object(object)
    }

    /// `event explain`: the event, the verdict of every trigger considered per signal — with the trigger's
    /// name and stage (`labels`, which knows removed triggers too) and the sentence made from its facts —
    /// and the cascade: every stage change and the jobs it made.
    public func explanation(labels: (Int64) throws -> TriggerLabel?) rethrows -> JSONValue {
        var object = json.objectValue!
        object["notes"] = .array(outcome.notes.map(JSONValue.string))
        var signals: [JSONValue] = []
        for decision in outcome.decisions {
            var verdicts: [JSONValue] = []
            var known: [Int64: TriggerLabel] = [:]
            for verdict in decision.verdicts { known[verdict.trigger] = try labels(verdict.trigger) }
            for verdict in decision.verdicts {
                let label = known[verdict.trigger]
                verdicts.append([
                    "trigger": JSONValue(verdict.trigger), "name": JSONValue(label?.name), "stage": JSONValue(label?.stage),
                    "verdict": .string(verdict.kind.rawValue),
                    "detail": .string(decision.sentence(of: verdict) { known[$0]?.stage }),
                ])
            }
            signals.append(["signal": .string(decision.signal.code.rawValue), "verdicts": .array(verdicts)])
        }
        object["signals"] = .array(signals)
        object["jobs"] = EventResult.jobsJSON(outcome.jobs)
        return .object(object)
    }
}
