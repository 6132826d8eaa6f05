import JSON

/// What a rule does to every element that enters its stage (SPEC §7 "Actions").
public enum RuleAction: String, Sendable, CaseIterable {
    case move, assign, set, note, document, sms, email, notify, webhook
}

/// A rule's action options, as given to `rule add` (the ones its action takes; the catalogue checks that).
public struct RuleOptions: Sendable, Equatable {
    /// `move`: a stage code; `assign`: a user; `sms`/`email`/`notify`: a recipient template.
    public var to: String?
    /// `assign --rotate`: the users taken in turn.
    public var rotate: [String] = []
    /// `set`: the fields and their values, in the order given.
    public var fields: [(name: String, value: String)] = []
    public var text: String?
    public var subject: String?
    public var title: String?
    public var template: String?
    /// `document --send`: `email` or `sms`.
    public var send: String?
    public var url: String?

    public init() {}

    public static func == (left: RuleOptions, right: RuleOptions) -> Bool {
        left.to == right.to && left.rotate == right.rotate && left.fields.map(\.name) == right.fields.map(\.name)
            && left.fields.map(\.value) == right.fields.map(\.value) && left.text == right.text
            && left.subject == right.subject && left.title == right.title && left.template == right.template
            && left.send == right.send && left.url == right.url
    }

    /// The `options` object of the rule's JSON shape: only the options given.
    public var json: JSONValue {
        var object = JSONObject()
        if let to { object["to"] = .string(to) }
        if !rotate.isEmpty { object["rotate"] = .array(rotate.map(JSONValue.string)) }
        if !fields.isEmpty { object["fields"] = .object(JSONObject(fields.map { ($0.name, .string($0.value)) })) }
        if let text { object["text"] = .string(text) }
        if let subject { object["subject"] = .string(subject) }
        if let title { object["title"] = .string(title) }
        if let template { object["template"] = .string(template) }
        if let send { object["send"] = .string(send) }
        if let url { object["url"] = .string(url) }
        return .object(object)
    }

    /// Reads the stored `json`; unknown keys are ignored.
    public init(json: JSONValue) {
        let object = json.objectValue ?? JSONObject()
        to = object["to"]?.stringValue
        rotate = object["rotate"]?.arrayValue?.compactMap(\.stringValue) ?? []
        fields = (object["fields"]?.objectValue ?? JSONObject()).compactMap { name, value in
            value.stringValue.map { (name, $0) }
        }
        text = object["text"]?.stringValue
        subject = object["subject"]?.stringValue
        title = object["title"]?.stringValue
        template = object["template"]?.stringValue
        send = object["send"]?.stringValue
        url = object["url"]?.stringValue
    }
}

/// An automation rule (SPEC §7): on one stage of one pipeline, one action for every element entering it.
public struct Rule: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var pipeline: Int64
    public var stage: String
    public var action: RuleAction
    public var options: RuleOptions
    public var timing: RuleTiming
    public var conditions: [Condition]
    /// The user its events and entries are authored as; nil: the element's responsible, else `system`.
    public var asUser: String?
    public var enabled: Bool

    public init(
        id: Int64, name: String, pipeline: Int64, stage: String, action: RuleAction, options: RuleOptions,
        timing: RuleTiming = RuleTiming(), conditions: [Condition] = [], asUser: String? = nil, enabled: Bool = true
    ) {
        self.id = id
        self.name = name
        self.pipeline = pipeline
        self.stage = stage
        self.action = action
        self.options = options
        self.timing = timing
        self.conditions = conditions
        self.asUser = asUser
        self.enabled = enabled
    }

    /// Who the rule's events and entries are authored as for `element`.
    public func author(for element: Element) -> String {
        asUser.userName ?? element.responsible.userName ?? "system"
    }
}
