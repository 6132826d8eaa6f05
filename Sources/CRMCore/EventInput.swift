import JSON

/// The event types of SPEC §6.
public enum EventType: String, Sendable, CaseIterable {
    case documentCreated = "document.created"
    case documentSent = "document.sent"
    case documentViewed = "document.viewed"
    case documentSigned = "document.signed"
    case emailSent = "email.sent"
    case emailOpened = "email.opened"
    case emailLinkClicked = "email.link_clicked"
    case emailReceived = "email.received"
    case callIncoming = "call.incoming"
    case callOutgoing = "call.outgoing"
    case callMissed = "call.missed"
    case chatMessage = "chat.message"
    case chatAnswered = "chat.answered"
    case formSubmitted = "form.submitted"
    case paymentReceived = "payment.received"
    case fieldChanged = "field.changed"
    case responsibleChanged = "responsible.changed"
    case custom = "custom"
    // Made by `crmctl tick` when a quiet time is reached (SPEC §8); never sent in.
    case stageIdle = "stage.idle"
    case chatUnanswered = "chat.unanswered"

    /// Whether only `crmctl tick` makes events of this type.
    public var isMadeByTick: Bool { self == .stageIdle || self == .chatUnanswered }

    /// The data keys this type needs (SPEC §6 "req."). An event without its other keys is still recorded;
    /// its outcome says what it could not do without them.
    var requiredData: [String] {
        switch self {
        case .documentCreated: return ["template"]
        case .emailSent: return ["email"]
        case .emailLinkClicked: return ["url"]
        case .chatMessage: return ["text"]
        case .formSubmitted: return ["form"]
        case .fieldChanged: return ["fields"]
        case .responsibleChanged: return ["responsible"]
        case .custom: return ["code"]
        case .stageIdle, .chatUnanswered: return ["seconds"]
        case .documentSent, .documentViewed, .documentSigned, .emailOpened, .emailReceived, .callIncoming,
            .callOutgoing, .callMissed, .chatAnswered, .paymentReceived:
            return []
        }
    }

    /// Checks the data keys this type reads: required ones present, each of the right JSON type.
    public func validate(data: JSONObject) throws(ValidationFailure) {
        for key in requiredData where data[key] == nil || data[key]?.isNull == true {
            throw ValidationFailure("\(rawValue) needs data.\(key)")
        }
        for (key, value) in data where !value.isNull {
            switch (key, self) {
            case ("document", _), ("duration", _), ("amount", _), ("invoice", _), ("call", _), ("line", _):
                guard value.stringValue != nil || value.int64Value != nil || value.doubleValue != nil else {
                    throw ValidationFailure("data.\(key) must be a string or a number")
                }
            case ("fields", .fieldChanged):
                guard let fields = value.objectValue, !fields.isEmpty else {
                    throw ValidationFailure("data.fields must be an object of field names and values")
                }
                for (name, fieldValue) in fields {
                    if let problem = Element.fieldNameProblem(name) { throw ValidationFailure(problem) }
                    guard let text = fieldValue.scalarText else {
                        throw ValidationFailure("data.fields.\(name) must be a string or a number")
                    }
                    if name == "title" && text.isEmpty { throw ValidationFailure("an element needs a title") }
                }
            case ("fields", .formSubmitted):
                guard value.objectValue != nil else { throw ValidationFailure("data.fields must be an object") }
            case ("party", .documentSigned):
                guard value.stringValue == "sender" || value.stringValue == "recipient" else {
                    throw ValidationFailure("data.party must be \"sender\" or \"recipient\"")
                }
            case ("via", .documentSent):
                guard value.stringValue == "email" || value.stringValue == "sms" else {
                    throw ValidationFailure("data.via must be \"email\" or \"sms\"")
                }
            case ("kind", .formSubmitted):
                guard value.stringValue == "callback" || value.stringValue == "webform" else {
                    throw ValidationFailure("data.kind must be \"callback\" or \"webform\"")
                }
            case ("template", _), ("title", _), ("ref", _), ("email", _), ("subject", _), ("to", _), ("from", _),
                ("url", _), ("text", _), ("channel", _), ("chat", _), ("form", _), ("currency", _),
                ("responsible", _), ("code", _):
                guard let text = value.stringValue else { throw ValidationFailure("data.\(key) must be a string") }
                if requiredData.contains(key) && text.isEmpty {
                    throw ValidationFailure("data.\(key) must not be empty")
                }
            default:
                continue  // other data is kept as given
            }
        }
    }
}

extension JSONValue {
    /// A string, or a number's literal text: how scalar data values are recorded.
    public var scalarText: String? {
        switch self {
        case .string(let text): return text
        case .number(let literal): return literal
        default: return nil
        }
    }
}

/// Whom an event is about: an element by id, or a contact resolved to an element.
public enum EventTarget: Sendable, Equatable {
    case element(Int64)
    case email(String)
    case phone(String)
}

/// One event as given, checked: the input of the intake.
public struct EventInput: Sendable, Equatable {
    public let key: String?
    public let type: EventType
    public let target: EventTarget
    public let at: Timestamp?
    public let by: String?
    public let data: JSONObject
    /// The data as stored: compact JSON with sorted keys, written once per event.
    public let dataText: String
    /// The digest of the event as given, canonical (`at` in UTC, keys sorted), without its key: a reused key
    /// must come with the same fingerprint.
    public let fingerprint: [UInt8]

    static let topLevelKeys: Set<String> = ["key", "type", "element", "contact", "at", "by", "data"]

    /// Reads an event object of SPEC §6. The failure's code says what kind of problem it is.
    public init(json: JSONValue) throws(EventInputFailure) {
        guard case .object(let object) = json else {
            throw EventInputFailure(.invalid, "an event must be a JSON object")
        }
        if let unknown = object.keys.first(where: { !EventInput.topLevelKeys.contains($0) }) {
            throw EventInputFailure(
                .invalid, "unknown key \"\(unknown)\" (an event has key, type, element or contact, at, by, data)")
        }
        var key: String?
        if let value = object["key"], !value.isNull {
            guard let text = value.stringValue, !text.isEmpty else {
                throw EventInputFailure(.invalid, "key must be a non-empty string")
            }
            key = text
        }
        guard let typeValue = object["type"], !typeValue.isNull else {
            throw EventInputFailure(.invalid, "type is missing")
        }
        guard let typeName = typeValue.stringValue else { throw EventInputFailure(.invalid, "type must be a string") }
        guard let type = EventType(rawValue: typeName) else {
            throw EventInputFailure(.unknownType, EventType.unknownMessage(typeName))
        }
        guard !type.isMadeByTick else {
            throw EventInputFailure(.invalid, "\(typeName) events are made by crmctl tick; they cannot be sent in")
        }
        let target = try EventInput.target(object)
        var at: Timestamp?
        if let value = object["at"], !value.isNull {
            guard let text = value.stringValue, let time = Timestamp(rfc3339: text) else {
                throw EventInputFailure(.invalid, Timestamp.problem("at", rfc3339: value.stringValue ?? ""))
            }
            at = time
        }
        var by: String?
        if let value = object["by"], !value.isNull {
            guard let text = value.stringValue else { throw EventInputFailure(.invalid, "by must be a string") }
            by = text
        }
        var data = JSONObject()
        if let value = object["data"], !value.isNull {
            guard let dataObject = value.objectValue else {
                throw EventInputFailure(.invalid, "data must be a JSON object")
            }
            data = dataObject
        }
        do {
            try type.validate(data: data)
        } catch {
            throw EventInputFailure(.invalid, error.message)
        }
        self.init(key: key, type: type, target: target, at: at, by: by, data: data)
    }

    public init(key: String?, type: EventType, target: EventTarget, at: Timestamp?, by: String?, data: JSONObject) {
        self.key = key
        self.type = type
        self.target = target
        self.at = at
        self.by = by.userName
        self.data = data
        dataText = JSONWriter.serialize(.object(data), sortedKeys: true)
        var head: JSONObject = ["type": .string(type.rawValue)]
        switch target {
        case .element(let id): head["element"] = JSONValue(id)
        case .email(let email): head["email"] = .string(email)
        case .phone(let phone): head["phone"] = .string(phone)
        }
        head["at"] = JSONValue(at?.milliseconds)
        head["by"] = JSONValue(self.by)
        fingerprint = EventInput.fingerprint(ofCanonical: JSONWriter.serialize(.object(head)) + dataText)
    }

    /// The first 128 bits of the SHA-256 of an event's canonical text: a reuse of the key with another
    /// event is told apart with odds of a collision of 2⁻¹²⁸ against a stored event, in 16 bytes a row.
    public static func fingerprint(ofCanonical text: String) -> [UInt8] {
        Array(SHA256.digest(text.utf8).prefix(16))
    }

    private static func target(_ object: JSONObject) throws(EventInputFailure) -> EventTarget {
        let element = object["element"].flatMap { $0.isNull ? nil : $0 }
        let contact = object["contact"].flatMap { $0.isNull ? nil : $0 }
        switch (element, contact) {
        case (nil, nil):
            throw EventInputFailure(.invalid, "an event needs element (an id) or contact ({\"email\":…} or {\"phone\":…})")
        case (.some, .some):
            throw EventInputFailure(.invalid, "give element or contact, not both")
        case (.some(let value), nil):
            guard let id = value.int64Value, id > 0 else {
                throw EventInputFailure(.invalid, "element must be a positive integer id")
            }
            return .element(id)
        case (nil, .some(let value)):
            guard let contact = value.objectValue.map({ JSONObject($0.members.filter { !$0.value.isNull }.map { ($0.key, $0.value) }) }),
                contact.count == 1
            else {
                throw EventInputFailure(.invalid, "contact must name exactly one of email or phone")
            }
            if let email = contact["email"]?.stringValue, !email.isEmpty { return .email(email) }
            if let phone = contact["phone"]?.stringValue, ContactKey.phone(phone) != nil { return .phone(phone) }
            throw EventInputFailure(.invalid, "contact must name exactly one of email or phone, as a non-empty string")
        }
    }
}

/// Why an input line or event was refused, with the reason code printed to the caller.
public struct EventInputFailure: Error, Equatable, Sendable {
    public enum Code: String, Sendable {
        case invalidJSON = "invalid_json"
        case notUTF8 = "not_utf8"
        case tooLong = "too_long"
        case invalid
        case unknownType = "unknown_type"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
