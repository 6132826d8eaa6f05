import JSON

/// A rule's timing options (SPEC §8), as given to `rule add`; empty means at once.
public struct RuleTiming: Sendable, Equatable {
    public var after: String?
    public var at: String?
    public var beforeField: String?
    public var afterField: String?
    public var workHours: String?
    public var tz: String?

    public init(
        after: String? = nil, at: String? = nil, beforeField: String? = nil, afterField: String? = nil,
        workHours: String? = nil, tz: String? = nil
    ) {
        self.after = after
        self.at = at
        self.beforeField = beforeField
        self.afterField = afterField
        self.workHours = workHours
        self.tz = tz
    }

    public var isAtOnce: Bool { self == RuleTiming() }

    static let keys = ["after", "at", "before_field", "after_field", "work_hours", "tz"]

    private var values: [String?] { [after, at, beforeField, afterField, workHours, tz] }

    /// The `timing` object of the rule's JSON shape: the options given, `{}` for at once.
    public var json: JSONValue {
        .object(JSONObject(zip(RuleTiming.keys, values).compactMap { key, value in value.map { (key, .string($0)) } }))
    }

    public init(json: JSONValue) {
        let object = json.objectValue ?? JSONObject()
        func text(_ key: String) -> String? { object[key]?.stringValue }
        self.init(
            after: text("after"), at: text("at"), beforeField: text("before_field"), afterField: text("after_field"),
            workHours: text("work_hours"), tz: text("tz"))
    }
}
