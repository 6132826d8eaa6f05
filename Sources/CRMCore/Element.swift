/// A lead or a deal.
public struct Element: Sendable, Equatable {
    public var id: Int64
    public var type: EntityType
    public var pipeline: Int64
    public var stage: String
    public var title: String
    public var responsible: String?
    public var email: String?
    public var phone: String?
    /// Free fields, name → value, kept in name order.
    public var fields: [String: String]
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: Int64, type: EntityType, pipeline: Int64, stage: String, title: String, responsible: String?,
        email: String?, phone: String?, fields: [String: String], createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.type = type
        self.pipeline = pipeline
        self.stage = stage
        self.title = title
        self.responsible = responsible
        self.email = email
        self.phone = phone
        self.fields = fields
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The standard fields that `field.changed`, `element set` and conditions name like free fields.
    public static let standardFields = ["title", "email", "phone"]

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
    public mutating func set(field: String, to value: String) -> Bool {
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
