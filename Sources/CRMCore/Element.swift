/// A lead or a deal.
public struct Element: Sendable, Equatable {
    public static func == (left: Element, right: Element) -> Bool {
        left.id == right.id && left.key == right.key && left.type == right.type && left.pipeline == right.pipeline
            && left.stage == right.stage && left.title == right.title && left.responsible == right.responsible && left.email == right.email
            && left.phone == right.phone && left.fields == right.fields && left.createdAt == right.createdAt
            && left.updatedAt == right.updatedAt
    }

    public var id: Int64
    /// The caller's id for the element, unique when given (SPEC §3 "Element keys"); set at creation only.
    public var key: String?
    public var type: EntityType
    public var pipeline: Int64
    public var stage: String
    public var title: String
    public var responsible: String?
    public var email: String?
    public var phone: String?
    /// Free fields, name → value.
    public var fields: [String: String] {
        get { freeFields.values }
        set { freeFields = FreeFields(newValue) }
    }
    /// The free fields as stored, decoded only when read.
    public private(set) var freeFields: FreeFields
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: Int64, key: String? = nil, type: EntityType, pipeline: Int64, stage: String, title: String,
        responsible: String?, email: String?, phone: String?, fields: [String: String], createdAt: Timestamp,
        updatedAt: Timestamp
    ) {
        self.init(
            id: id, key: key, type: type, pipeline: pipeline, stage: stage, title: title, responsible: responsible,
            email: email, phone: phone, freeFields: FreeFields(fields), createdAt: createdAt, updatedAt: updatedAt)
    }

    public init(
        id: Int64, key: String? = nil, type: EntityType, pipeline: Int64, stage: String, title: String,
        responsible: String?, email: String?, phone: String?, freeFields: FreeFields, createdAt: Timestamp,
        updatedAt: Timestamp
    ) {
        self.id = id
        self.key = key
        self.type = type
        self.pipeline = pipeline
        self.stage = stage
        self.title = title
        self.responsible = responsible
        self.email = email
        self.phone = phone
        self.freeFields = freeFields
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The standard fields that `field.changed`, `element set` and conditions name like free fields.
    public static let standardFields = ["title", "email", "phone"]

    /// Names that are the element's own and so never a free field's (the responsible changes with
    /// `responsible.changed`).
    public static let reservedFieldNames: Set<String> = [
        "id", "type", "pipeline", "stage", "responsible", "key", "fields", "created_at", "updated_at",
    ]

    /// Why `name` cannot be a field of `field.changed` or `--field`, or nil when it can.
    public static func fieldNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "a field name must not be empty" }
        if name == "responsible" { return "the responsible changes with responsible.changed (element set --responsible)" }
        if reservedFieldNames.contains(name) { return "\(name) is the element's own, not a field" }
        return nil
    }

    /// A field's value for conditions: the standard fields, `responsible`, else a free field; missing is "".
    public func value(of field: String) -> String {
        switch field {
        case "title": return title
        case "responsible": return responsible ?? ""
        case "email": return email ?? ""
        case "phone": return phone ?? ""
        default: return fields[field] ?? ""
        }
    }

    /// Sets a standard or free field; returns whether its value changed.
    /// An email or phone is kept without surrounding spaces: `" a@x.com"` is the contact `a@x.com`.
    public mutating func set(field: String, to given: String) -> Bool {
        let value = field == "email" || field == "phone" ? given.trimmingSpaces : given
        guard self.value(of: field) != value else { return false }
        switch field {
        case "title": title = value
        case "email": email = value.isEmpty ? nil : value
        case "phone": phone = value.isEmpty ? nil : value
        default: fields[field] = value
        }
        return true
    }
}

/// How contacts are looked up: emails without case, phones by their digits and a leading `+`.
public enum ContactKey {
    public static func email(_ email: String?) -> String? {
        guard let email, !email.isEmpty else { return nil }
        return email.lowercased()
    }

    public static func phone(_ phone: String?) -> String? {
        guard let phone else { return nil }
        let trimmed = phone.drop { $0.isWhitespace }
        var key = trimmed.first == "+" ? "+" : ""
        key += trimmed.filter { $0.isASCII && $0.isNumber }
        return key.isEmpty || key == "+" ? nil : key
    }
}
