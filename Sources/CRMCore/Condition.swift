/// A trigger condition `FIELD OP VALUE` (SPEC §5), checked against the element when its trigger is tried.
public struct Condition: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "=", notEqual = "!=", greater = ">", greaterOrEqual = ">="
        case less = "<", lessOrEqual = "<=", contains = "~"
    }

    public var field: String
    public var op: Operator
    public var value: String

    public init(field: String, op: Operator, value: String) {
        self.field = field
        self.op = op
        self.value = value
    }

    /// Parses `FIELD OP VALUE`: FIELD is a name of letters, digits, `_`, `-` and `.`; VALUE is the rest,
    /// trimmed, and may be quoted ("..." or '...') to keep surrounding spaces or to be empty.
    public init(parsing text: String) throws(ValidationFailure) {
        let characters = Array(text)
        var index = 0
        func skipSpaces() { while index < characters.count, characters[index].isWhitespace { index += 1 } }
        skipSpaces()
        let fieldStart = index
        while index < characters.count, Condition.isFieldCharacter(characters[index]) { index += 1 }
        let field = String(characters[fieldStart..<index])
        guard !field.isEmpty else {
            throw ValidationFailure("condition \"\(text)\" must start with a field name (FIELD OP VALUE)")
        }
        skipSpaces()
        let rest = String(characters[index...])
        guard let op = Operator.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count })
            .first(where: { rest.hasPrefix($0.rawValue) })
        else {
            throw ValidationFailure(
                "condition \"\(text)\" needs an operator after \(field): one of = != > >= < <= ~")
        }
        index += op.rawValue.count
        // `amount == 5` or `amount => 5` would otherwise compare against "= 5" and never hold; after a space
        // the value may start with any character (`note = <b>`).
        let glued = index < characters.count && "=!<>~".contains(characters[index]) ? characters[index] : nil
        var value = String(characters[index...])
        while value.first?.isWhitespace == true { value.removeFirst() }
        while value.last?.isWhitespace == true { value.removeLast() }
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            value = String(value.dropFirst().dropLast())
        } else if value.isEmpty {
            throw ValidationFailure("condition \"\(text)\" needs a value after \(op.rawValue) (write \"\" for empty)")
        } else if let first = value.first, first == "\"" || first == "'" {
            throw ValidationFailure("condition \"\(text)\" opens a quote it does not close")
        } else if let glued {
            throw ValidationFailure(
                "condition \"\(text)\" has no operator \(op.rawValue)\(glued): use one of = != > >= < <= ~ (put a space before a value that starts with \(glued))")
        }
        self.init(field: field, op: op, value: value)
    }

    private static func isFieldCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "."
    }

    /// Whether the condition holds for a field value (a missing field is the empty string).
    /// Both sides numeric: compared as numbers (exactly when both are 64-bit integers, which a Double is not
    /// above 2^53); otherwise as strings. `~` is always substring containment.
    public func holds(for actual: String) -> Bool {
        if op == .contains { return actual.containsText(value) }
        if let left = Int64(actual), let right = Int64(value) { return Condition.compare(left, right, op) }
        if let left = Condition.number(actual), let right = Condition.number(value) {
            return Condition.compare(left, right, op)
        }
        return Condition.compare(actual, value, op)
    }

    private static func compare<T: Comparable>(_ left: T, _ right: T, _ op: Operator) -> Bool {
        switch op {
        case .equal: return left == right
        case .notEqual: return left != right
        case .greater: return left > right
        case .greaterOrEqual: return left >= right
        case .less: return left < right
        case .lessOrEqual: return left <= right
        case .contains: return false
        }
    }

    /// A decimal number such as `12`, `-3.5` or `1e3`; not `nan`, `inf` or hex.
    static func number(_ text: String) -> Double? {
        func isSignPointOrDigit(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            default: false
            }
        }
        guard let first = text.utf8.first, isSignPointOrDigit(first),
            text.utf8.allSatisfy({ isSignPointOrDigit($0) || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
        else { return nil }
        return Double(text)
    }

    public var description: String {
        // Quoted when parsing the bare value would lose something: spaces around it, or its own quotes.
        let needsQuotes = value.isEmpty || value.first?.isWhitespace == true || value.last?.isWhitespace == true
            || value.first == "\"" || value.first == "'"
        return "\(field) \(op.rawValue) \(needsQuotes ? "\"\(value)\"" : value)"
    }
}
