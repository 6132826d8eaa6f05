/// A value bound to a `$n` parameter. Every value reaches the server as a parameter, never through SQL
/// text; it travels in libpq's text format and the server gives it the type its place in the SQL needs.
public enum PostgresValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case boolean(Bool)
    /// A bytea value.
    case bytes([UInt8])
}

extension PostgresValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
}

extension PostgresValue {
    public init(_ text: String?) { self = text.map(PostgresValue.text) ?? .null }
    public init(_ integer: Int64?) { self = integer.map(PostgresValue.integer) ?? .null }

    /// The value in libpq's text format; nil is SQL NULL.
    func parameterText(sql: String) throws(PostgresError) -> String? {
        switch self {
        case .null: return nil
        case .integer(let integer): return String(integer)
        case .boolean(let flag): return flag ? "t" : "f"
        case .bytes(let bytes): return "\\x" + hexDigits(bytes)
        case .text(let text):
            // A parameter is a C string to libpq, and PostgreSQL text cannot hold NUL: refuse it rather
            // than store the text cut short at the NUL. 22021 is what the server says of such bytes.
            guard !text.utf8.contains(0) else {
                throw PostgresError(
                    kind: .other, sqlState: "22021",
                    message: "text contains a NUL character, which PostgreSQL cannot store", sql: sql)
            }
            return text
        }
    }
}

/// bytea's text format is `\x` and two lowercase hex digits per byte.
func hexDigits(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
}
