/// A JSON value as parsed; numbers keep their literal text so nothing is rounded or lost.
///
/// `.number` text is written out verbatim, so it must be a JSON number; the parser and the
/// initialisers below only ever produce valid ones.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    public init(_ value: Int64) { self = .number(String(value)) }

    public init(_ value: Int) { self = .number(String(value)) }

    /// Swift's description is the shortest text that reads back as the same double, and it is
    /// valid JSON ("1.0", "1e+20", "-0.0"). JSON has no infinity or NaN, so those become null.
    public init(_ value: Double) {
        self = value.isFinite ? .number(value.description) : .null
    }

    public init(_ value: String?) {
        if let value { self = .string(value) } else { self = .null }
    }

    public init(_ value: Int64?) {
        if let value { self.init(value) } else { self = .null }
    }

    public var isNull: Bool {
        guard case .null = self else { return false }
        return true
    }

    public var boolValue: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }

    public var stringValue: String? {
        guard case .string(let value) = self else { return nil }
        return value
    }

    public var arrayValue: [JSONValue]? {
        guard case .array(let value) = self else { return nil }
        return value
    }

    public var objectValue: JSONObject? {
        guard case .object(let value) = self else { return nil }
        return value
    }

    /// The number as an exact integer: only a plain literal (optional '-', digits) that fits
    /// Int64. "1.0" or "1e3" are nil because reading them as integers would hide that the
    /// producer sent something other than an integer.
    public var int64Value: Int64? {
        // Int64(_:) would also take a leading '+', which no JSON number has.
        guard case .number(let text) = self, text.utf8.first != UInt8(ascii: "+") else { return nil }
        return Int64(text)
    }

    /// The number as the nearest double; a literal beyond Double's range reads as ±infinity.
    public var doubleValue: Double? {
        guard case .number(let text) = self else { return nil }
        return Double(text)
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self.init(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Members keep the order written in the literal.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}
