import JSON

/// The settings of one trigger (SPEC §4); absent means "any".
public struct TriggerSettings: Sendable, Equatable {
    public var template: String?
    public var url: String?
    public var form: String?
    public var line: String?
    public var channel: String?
    public var seconds: Int64?
    public var text: String?
    public var ignoreCase: Bool = false
    public var fields: [String] = []
    public var code: String?

    public init(
        template: String? = nil, url: String? = nil, form: String? = nil, line: String? = nil, channel: String? = nil,
        seconds: Int64? = nil, text: String? = nil, ignoreCase: Bool = false, fields: [String] = [], code: String? = nil
    ) {
        self.template = template
        self.url = url
        self.form = form
        self.line = line
        self.channel = channel
        self.seconds = seconds
        self.text = text
        self.ignoreCase = ignoreCase
        self.fields = fields
        self.code = code
    }

    /// The settings that are given, as catalogue names.
    public var given: [TriggerSetting] {
        var given: [TriggerSetting] = []
        if template != nil { given.append(.template) }
        if url != nil { given.append(.url) }
        if form != nil { given.append(.form) }
        if line != nil { given.append(.line) }
        if channel != nil { given.append(.channel) }
        if seconds != nil { given.append(.seconds) }
        if text != nil { given.append(.text) }
        if ignoreCase { given.append(.ignoreCase) }
        if !fields.isEmpty { given.append(.fields) }
        if code != nil { given.append(.code) }
        return given
    }

    /// The first setting `code` requires that is not given.
    public func missingRequired(for code: TriggerCode) -> TriggerSetting? {
        let given = given
        return code.requiredSettings.first { !given.contains($0) }
    }

    /// Refuses settings that `code` does not take, and missing required ones.
    public func validate(for code: TriggerCode) throws(ValidationFailure) {
        let allowed = code.entry.settings
        for setting in given where !allowed.contains(setting) {
            let takes = allowed.isEmpty ? "no settings" : allowed.map(\.usage).joined(separator: ", ")
            throw ValidationFailure("\(setting.usage) does not apply to \(code.rawValue) (it takes \(takes))")
        }
        if let missing = missingRequired(for: code) {
            throw ValidationFailure("\(code.rawValue) needs \(missing.usage)")
        }
        if let seconds, seconds < 0 { throw ValidationFailure("--seconds must not be negative") }
        if let text, text.isEmpty { throw ValidationFailure("--text must not be empty") }
        if self.code?.isEmpty == true { throw ValidationFailure("--code must not be empty") }
        if fields.contains(where: \.isEmpty) { throw ValidationFailure("--field needs a field name") }
    }

    /// The stored and printed form: only the given settings.
    public var json: JSONValue {
        var object = JSONObject()
        if let template { object["template"] = .string(template) }
        if let url { object["url"] = .string(url) }
        if let form { object["form"] = .string(form) }
        if let line { object["line"] = .string(line) }
        if let channel { object["channel"] = .string(channel) }
        if let seconds { object["seconds"] = JSONValue(seconds) }
        if let text { object["text"] = .string(text) }
        if ignoreCase { object["ignore_case"] = true }
        if !fields.isEmpty { object["fields"] = .array(fields.map(JSONValue.string)) }
        if let code { object["code"] = .string(code) }
        return .object(object)
    }

    public init(json: JSONValue) {
        let object = json.objectValue ?? JSONObject()
        template = object["template"]?.stringValue
        url = object["url"]?.stringValue
        form = object["form"]?.stringValue
        line = object["line"]?.stringValue
        channel = object["channel"]?.stringValue
        seconds = object["seconds"]?.int64Value
        text = object["text"]?.stringValue
        ignoreCase = object["ignore_case"]?.boolValue ?? false
        fields = object["fields"]?.arrayValue?.compactMap(\.stringValue) ?? []
        code = object["code"]?.stringValue
    }
}
