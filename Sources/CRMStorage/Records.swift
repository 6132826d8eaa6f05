import CRMCore
import JSON

/// One entry of an element's timeline, as recorded.
public struct TimelineEntry: Sendable {
    public var id: Int64
    public var element: Int64
    public var at: Timestamp
    public var kind: String
    public var author: String
    /// The kind-specific keys (for a stage change: from, to, trigger, event).
    public var details: JSONObject

    public init(id: Int64, element: Int64, at: Timestamp, kind: String, author: String, details: JSONObject) {
        self.id = id
        self.element = element
        self.at = at
        self.kind = kind
        self.author = author
        self.details = details
    }

    /// An entry as a store reads it: `detailsText` as stored, or for an event's own entry (no details) the
    /// event's id and its data as the event row keeps it.
    public init(
        id: Int64, element: Int64, at: Timestamp, kind: String, author: String, detailsText: String?, event: Int64?,
        eventData: String?
    ) {
        let details: JSONObject
        if let detailsText {
            details = (try? JSONParser.parse(detailsText))?.objectValue ?? JSONObject()
        } else {
            let data = eventData.flatMap { try? JSONParser.parse($0) } ?? .object(JSONObject())
            details = ["event": JSONValue(event ?? 0), "data": data]
        }
        self.init(id: id, element: element, at: at, kind: kind, author: author, details: details)
    }
}

/// An event as stored, with its outcome.
public struct StoredEvent: Sendable {
    public var id: Int64
    public var key: String?
    public var type: String
    public var element: Int64
    public var at: Timestamp
    public var by: String?
    public var data: JSONValue
    public var status: String
    public var outcome: EventOutcome

    public init(
        id: Int64, key: String?, type: String, element: Int64, at: Timestamp, by: String?, data: JSONValue,
        status: String, outcome: EventOutcome
    ) {
        self.id = id
        self.key = key
        self.type = type
        self.element = element
        self.at = at
        self.by = by
        self.data = data
        self.status = status
        self.outcome = outcome
    }
}

/// A new event's row: what the intake decided, ready to be written.
public struct EventRow: Sendable {
    public var id: Int64
    public var key: String?
    public var type: String
    public var element: Int64
    public var at: Timestamp
    public var by: String?
    /// The data as given, compact JSON with sorted keys.
    public var dataText: String
    /// The digest of the event as given without its key (`EventInput.fingerprint`): a reused key must come
    /// with the same fingerprint.
    public var fingerprint: [UInt8]
    public var status: String
    public var outcome: EventOutcome
    public var recordedAt: Timestamp

    public init(
        id: Int64, key: String?, type: String, element: Int64, at: Timestamp, by: String?, dataText: String,
        fingerprint: [UInt8], status: String, outcome: EventOutcome, recordedAt: Timestamp
    ) {
        self.id = id
        self.key = key
        self.type = type
        self.element = element
        self.at = at
        self.by = by
        self.dataText = dataText
        self.fingerprint = fingerprint
        self.status = status
        self.outcome = outcome
        self.recordedAt = recordedAt
    }
}

/// What the idempotency check needs of an event stored under a key.
public struct KeyedEvent: Sendable {
    public var id: Int64
    public var type: String
    public var element: Int64
    public var fingerprint: [UInt8]
    public var outcome: EventOutcome

    public init(id: Int64, type: String, element: Int64, fingerprint: [UInt8], outcome: EventOutcome) {
        self.id = id
        self.type = type
        self.element = element
        self.fingerprint = fingerprint
        self.outcome = outcome
    }
}

/// One stage of a pipeline's board: how many elements it holds and the newest of them.
public struct BoardColumn: Sendable {
    public var stage: Stage
    public var count: Int
    /// The newest elements in the stage (highest ids first).
    public var newest: [BoardCard]

    public init(stage: Stage, count: Int, newest: [BoardCard]) {
        self.stage = stage
        self.count = count
        self.newest = newest
    }
}

/// An element on the board, with the time it entered the stage it is in (its last stage change, else its
/// creation): the HTML board shows how long it has been there.
public struct BoardCard: Sendable, Equatable {
    public var element: Element
    public var inStageSince: Timestamp

    public init(element: Element, inStageSince: Timestamp) {
        self.element = element
        self.inStageSince = inStageSince
    }
}
