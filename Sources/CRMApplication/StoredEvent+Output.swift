import CRMCore
import CRMStorage
import JSON

extension StoredEvent {
    /// The shape of `event list` (SPEC §3).
    public var json: JSONValue {
        let outcome = StoredOutcome(json: outcomeText)
        var object: JSONObject = [
            "id": JSONValue(id), "key": JSONValue(key), "type": .string(type), "element": JSONValue(element),
            "at": .string(at.rfc3339), "by": JSONValue(by), "data": data, "status": .string(status),
            "moves": EventResult.movesJSON(outcome.moves),
        ]
        if !outcome.notes.isEmpty { object["notes"] = .array(outcome.notes.map(JSONValue.string)) }
        return .object(object)
    }

    /// `event explain`: the event, the stored verdict of every trigger considered per signal, and the
    /// cascade: every stage change and the jobs it made.
    public var explanation: JSONValue {
        let outcome = StoredOutcome(json: outcomeText)
        var object = json.objectValue!
        object["notes"] = .array(outcome.notes.map(JSONValue.string))
        object["signals"] = .array(outcome.signals)
        object["jobs"] = EventResult.jobsJSON(outcome.jobs)
        return .object(object)
    }
}
