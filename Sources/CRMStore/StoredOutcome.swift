import CRMCore

/// An event's outcome as kept in `events.outcome`: its moves, notes, and the verdict of every considered
/// trigger (with the trigger's name and stage at the time, so `event explain` outlives a removed trigger).
struct StoredOutcome {
    var moves: [Move] = []
    var notes: [String] = []
    var document: Int64?
    var signals: [JSONValue] = []

    /// `triggers`: those the engine considered (a few), to name them in the verdicts.
    init(result: EventResult, triggers: [Trigger]) {
        moves = result.moves
        notes = result.notes
        document = result.document
        signals = result.decisions.map { decision in
            let verdicts = decision.verdicts.map { verdict -> JSONValue in
                let trigger = triggers.first { $0.id == verdict.trigger }
                return [
                    "trigger": JSONValue(verdict.trigger), "name": JSONValue(trigger?.name),
                    "stage": JSONValue(trigger?.stage), "verdict": .string(verdict.kind.rawValue),
                    "detail": .string(verdict.detail),
                ]
            }
            return ["signal": .string(decision.signal.code.rawValue), "verdicts": .array(verdicts)]
        }
    }

    init(json text: String) {
        guard let object = (try? JSONParser.parse(text))?.objectValue else { return }
        moves = object["moves"]?.arrayValue?.compactMap { value -> Move? in
            guard let move = value.objectValue, let trigger = move["trigger"]?.int64Value,
                let from = move["from"]?.stringValue, let to = move["to"]?.stringValue
            else { return nil }
            return Move(trigger: trigger, from: from, to: to, author: move["author"]?.stringValue ?? "system")
        } ?? []
        notes = object["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        document = object["document"]?.int64Value
        signals = object["signals"]?.arrayValue ?? []
    }

    var json: JSONValue {
        var object = JSONObject()
        object["moves"] = .array(moves.map(EventResult.moveJSON))
        object["notes"] = .array(notes.map(JSONValue.string))
        if let document { object["document"] = JSONValue(document) }
        object["signals"] = .array(signals)
        return .object(object)
    }

    var text: String { JSONWriter.serialize(json) }
}
