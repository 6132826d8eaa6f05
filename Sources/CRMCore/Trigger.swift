/// A trigger: when its code is signalled for an element of its pipeline, it moves the element to its stage.
public struct Trigger: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var code: TriggerCode
    public var pipeline: Int64
    public var stage: String
    /// The user a move is recorded as; nil: the element's responsible, else `system`.
    public var asUser: String?
    public var allowBackwards: Bool
    public var settings: TriggerSettings
    public var conditions: [Condition]
    public var enabled: Bool

    public init(
        id: Int64, name: String, code: TriggerCode, pipeline: Int64, stage: String, asUser: String? = nil,
        allowBackwards: Bool = false, settings: TriggerSettings = TriggerSettings(), conditions: [Condition] = [],
        enabled: Bool = true
    ) {
        self.id = id
        self.name = name
        self.code = code
        self.pipeline = pipeline
        self.stage = stage
        self.asUser = asUser
        self.allowBackwards = allowBackwards
        self.settings = settings
        self.conditions = conditions
        self.enabled = enabled
    }
}

/// One signal of an event (SPEC §6), with the facts trigger settings are matched against.
public struct Signal: Sendable, Equatable {
    public var code: TriggerCode
    public var template: String?
    public var url: String?
    public var form: String?
    public var line: String?
    public var channel: String?
    /// Seconds from the chat's first client message to the answer; nil when unknown.
    public var responseSeconds: Double?
    public var text: String?
    /// For `field.changed`: the fields whose value really changed.
    public var changedFields: [String] = []
    public var customCode: String?
    /// For the time triggers: the quiet time reached, in seconds; a trigger matches only its own.
    public var threshold: Int64?

    public init(_ code: TriggerCode) { self.code = code }
}
