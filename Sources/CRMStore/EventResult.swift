import CRMCore

/// The outcome of one event (SPEC §6 "Result"), as printed and, for stored events, as kept.
public struct EventResult: Sendable {
    public enum Status: String, Sendable {
        case moved, recorded, duplicate, rejected
    }

    public var key: String?
    public var event: Int64?
    public var type: String?
    public var element: Int64?
    public var status: Status
    public var moves: [Move] = []
    /// Why a recorded event signalled nothing, e.g. an open of an email that was not sent from the element.
    public var notes: [String] = []
    /// The document an event created or acted on.
    public var document: Int64?
    public var decisions: [Decision] = []
    public var error: CRMError?
    public var dryRun = false

    public init(key: String?, type: String?, element: Int64?, status: Status) {
        self.key = key
        self.type = type
        self.element = element
        self.status = status
    }

    public static func rejected(_ error: CRMError, key: String? = nil, type: String? = nil, element: Int64? = nil)
        -> EventResult
    {
        var result = EventResult(key: key, type: type, element: element, status: .rejected)
        result.error = error
        return result
    }

    /// The printed object; `line` only for `event ingest`.
    public func json(line: Int? = nil) -> JSONValue {
        var object = JSONObject()
        if let line { object["line"] = JSONValue(Int64(line)) }
        object["key"] = JSONValue(key)
        object["event"] = JSONValue(event)
        object["type"] = JSONValue(type)
        object["element"] = JSONValue(element)
        object["status"] = .string(status.rawValue)
        object["moves"] = .array(moves.map(EventResult.moveJSON))
        if let document { object["document"] = JSONValue(document) }
        if !notes.isEmpty { object["notes"] = .array(notes.map(JSONValue.string)) }
        if let error { object["error"] = ["code": .string(error.code), "message": .string(error.message)] }
        if dryRun { object["dry_run"] = true }
        return .object(object)
    }

    static func moveJSON(_ move: Move) -> JSONValue {
        ["trigger": JSONValue(move.trigger), "from": .string(move.from), "to": .string(move.to),
         "author": .string(move.author)]
    }
}
