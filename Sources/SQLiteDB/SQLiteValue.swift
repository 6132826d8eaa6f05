/// A value bound to a statement parameter. Every value reaches SQLite through a binding, never through SQL text.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
}

extension SQLiteValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension SQLiteValue {
    public init(_ text: String?) { self = text.map(SQLiteValue.text) ?? .null }
    public init(_ integer: Int64?) { self = integer.map(SQLiteValue.integer) ?? .null }
    public init(_ flag: Bool) { self = .integer(flag ? 1 : 0) }
}
