/// Why input was rejected. `offset` is the 0-based byte offset of the problem; `message` repeats
/// it for people, e.g. "invalid JSON at byte 14: expected ',' or '}'".
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public var description: String { message }
}

/// A strict RFC 8259 parser for untrusted input.
///
/// Beyond the RFC it rejects what the data cannot be stored or trusted with: duplicate keys
/// (readers would disagree about which one wins), NUL characters even when escaped (the text
/// goes into SQLite), and nesting deeper than `maxDepth`. Nesting is tracked on an explicit
/// stack rather than by recursion, so hostile input cannot overflow the call stack.
public enum JSONParser {
    public static let defaultMaxDepth = 32

    public static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes: bytes, maxDepth: maxDepth)
        return try reader.document()
    }

    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer, maxDepth: maxDepth) }
    }

    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        var text = text
        // withUTF8 is rethrows, which would widen the error to `any Error`; Result carries the
        // typed error across instead.
        return try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try parse(buffer, maxDepth: maxDepth) }
        }.get()
    }
}

/// One pass over the input bytes. Open containers are frames on a stack; the finished children
/// of all open containers wait, in order, in `values` (and object keys in `keys`) until their
/// container closes and takes its own suffix.
private struct JSONReader {
    private struct Frame {
        var isObject: Bool
        var firstValue: Int
        var firstKey: Int
        /// Filled only once an object has enough keys that scanning them for duplicates would
        /// cost more than hashing; small objects, the common case, never allocate it.
        var keySet: Set<String> = []
    }

    /// Objects up to this many keys are checked for duplicates by a linear scan.
    private static let linearKeyLimit = 16

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var position = 0
    private var frames: [Frame] = []
    private var values: [JSONValue] = []
    private var keys: [String] = []
    /// Strings with escapes are assembled here; it is reused so they do not each allocate.
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func document() throws(JSONParseError) -> JSONValue {
        nextValue: while true {
            skipWhitespace()
            guard position < bytes.count else { throw unexpected("a value") }
            var value: JSONValue
            switch bytes[position] {
            case UInt8(ascii: "{"):
                if try openIsEmpty(isObject: true) {
                    value = .object(JSONObject())
                } else {
                    try readKey()
                    continue nextValue
                }
            case UInt8(ascii: "["):
                if try openIsEmpty(isObject: false) {
                    value = .array([])
                } else {
                    continue nextValue
                }
            case UInt8(ascii: "\""):
                value = .string(try readString())
            case UInt8(ascii: "t"):
                try readWord("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try readWord("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try readWord("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try readNumber())
            default:
                throw unexpected("a value")
            }
            // Hand the finished value to its container; each container that ends here becomes
            // in turn the finished value for the one around it. Only the flag is read from the
            // frame: a copy of the whole frame would share its key set and make every insertion
            // into that set copy it.
            while let isObject = frames.last?.isObject {
                values.append(value)
                skipWhitespace()
                if position < bytes.count && bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    if isObject {
                        skipWhitespace()
                        try readKey()
                    }
                    continue nextValue
                }
                guard position < bytes.count && bytes[position] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                else {
                    throw unexpected(isObject ? "',' or '}'" : "',' or ']'")
                }
                position += 1
                value = close()
            }
            skipWhitespace()
            guard position == bytes.count else { throw unexpected("end of input") }
            return value
        }
    }

    // MARK: Containers

    /// Consumes an opening bracket. Returns true for an empty container, consumed together with
    /// its closer; otherwise pushes a frame for the children that follow.
    private mutating func openIsEmpty(isObject: Bool) throws(JSONParseError) -> Bool {
        guard frames.count < maxDepth else { throw failure(at: position, "nested deeper than \(maxDepth) levels") }
        position += 1
        skipWhitespace()
        if position < bytes.count && bytes[position] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
            position += 1
            return true
        }
        frames.append(Frame(isObject: isObject, firstValue: values.count, firstKey: keys.count))
        return false
    }

    /// Pops the innermost frame and builds its container from the children it collected.
    private mutating func close() -> JSONValue {
        let frame = frames.removeLast()
        // Copied out before the removal, so `values` is uniquely referenced and shrinks in place.
        let children = Array(values[frame.firstValue...])
        values.removeSubrange(frame.firstValue...)
        guard frame.isObject else { return .array(children) }
        let members = zip(keys[frame.firstKey...], children).map { (key: $0, value: $1) }
        keys.removeSubrange(frame.firstKey...)
        return .object(JSONObject(uniqueMembers: members))
    }

    /// Reads `"key" :` for the innermost object, rejecting a key it already has.
    private mutating func readKey() throws(JSONParseError) {
        guard position < bytes.count && bytes[position] == UInt8(ascii: "\"") else { throw unexpected("a string key") }
        let keyStart = position
        let key = try readString()
        let innermost = frames.count - 1
        let firstKey = frames[innermost].firstKey
        let known = keys.count - firstKey
        let isDuplicate: Bool
        if known < Self.linearKeyLimit {
            isDuplicate = keys[firstKey...].contains(key)
        } else {
            if known == Self.linearKeyLimit { frames[innermost].keySet = Set(keys[firstKey...]) }
            isDuplicate = !frames[innermost].keySet.insert(key).inserted
        }
        if isDuplicate {
            throw failure(at: keyStart, "duplicate key \(JSONWriter.serialize(.string(key)))")
        }
        keys.append(key)
        skipWhitespace()
        guard position < bytes.count && bytes[position] == UInt8(ascii: ":") else { throw unexpected("':'") }
        position += 1
    }

    // MARK: Scalars

    private mutating func readWord(_ word: StaticString) throws(JSONParseError) {
        for expected in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard position < bytes.count && bytes[position] == expected else { throw unexpected("'\(word)'") }
            position += 1
        }
    }

    /// Checks the RFC 8259 number grammar and returns the literal text unchanged.
    private mutating func readNumber() throws(JSONParseError) -> String {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard isDigit(at: position) else { throw unexpected("a digit") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            guard !isDigit(at: position) else { throw failure(at: position - 1, "leading zeros are not allowed") }
        } else {
            skipDigits()
        }
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard isDigit(at: position) else { throw unexpected("a digit after '.'") }
            skipDigits()
        }
        if position < bytes.count && (bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")) {
            position += 1
            if position < bytes.count && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-"))
            {
                position += 1
            }
            guard isDigit(at: position) else { throw unexpected("a digit in the exponent") }
            skipDigits()
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// Reads a string whose opening quote is at `position`. A string without escapes is taken
    /// as one slice of the input; escapes switch to assembling it in `scratch`.
    private mutating func readString() throws(JSONParseError) -> String {
        position += 1
        var runStart = position
        var hasEscapes = false
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                position += 1
                guard hasEscapes else { return String(decoding: run, as: UTF8.self) }
                scratch.append(contentsOf: run)
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                if !hasEscapes {
                    scratch.removeAll(keepingCapacity: true)
                    hasEscapes = true
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                try readEscape()
                runStart = position
            case 0x80...:
                guard let length = utf8SequenceLength(at: position) else {
                    throw failure(at: position, "not valid UTF-8")
                }
                position += length
            case 0:
                throw failure(at: position, "NUL character not allowed")
            case ..<0x20:
                throw failure(at: position, "control characters in strings must be escaped")
            default:
                position += 1
            }
        }
        throw unexpected("'\"' to end the string")
    }

    /// Decodes the escape whose backslash is at `position` and appends its UTF-8 to `scratch`.
    private mutating func readEscape() throws(JSONParseError) {
        let escapeStart = position
        position += 1
        guard position < bytes.count else { throw unexpected("an escape character") }
        let simple: UInt8
        switch bytes[position] {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = UInt8(ascii: "\n")
        case UInt8(ascii: "r"): simple = UInt8(ascii: "\r")
        case UInt8(ascii: "t"): simple = UInt8(ascii: "\t")
        case UInt8(ascii: "u"):
            position += 1
            try readUnicodeEscape(escapeStart: escapeStart)
            return
        default:
            throw failure(at: escapeStart, "invalid escape sequence")
        }
        position += 1
        scratch.append(simple)
    }

    /// Reads the XXXX of `\uXXXX` and, for a high surrogate, the `\uXXXX` low surrogate that
    /// must follow it.
    private mutating func readUnicodeEscape(escapeStart: Int) throws(JSONParseError) {
        var value = try readHex4()
        if (0xD800...0xDBFF).contains(value) && position + 1 < bytes.count
            && bytes[position] == UInt8(ascii: "\\") && bytes[position + 1] == UInt8(ascii: "u")
        {
            let afterHigh = position
            position += 2
            let low = try readHex4()
            if (0xDC00...0xDFFF).contains(low) {
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            } else {
                position = afterHigh
            }
        }
        // A surrogate left over here had no partner, and is not a character on its own.
        guard let scalar = Unicode.Scalar(value) else {
            throw failure(at: escapeStart, "unpaired UTF-16 surrogate in \\u escape")
        }
        guard value != 0 else { throw failure(at: escapeStart, "NUL character not allowed") }
        UTF8.encode(scalar) { scratch.append($0) }
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else { throw unexpected("a hex digit") }
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw unexpected("a hex digit")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    // MARK: Bytes

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): position += 1
            default: return
            }
        }
    }

    private func isDigit(at index: Int) -> Bool {
        index < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
    }

    private mutating func skipDigits() {
        while isDigit(at: position) { position += 1 }
    }

    /// The length of the well-formed UTF-8 sequence starting at `index`, or nil if it is not
    /// one. Follows Unicode table 3-7, which rules out overlong forms, encoded surrogates and
    /// anything above U+10FFFF.
    private func utf8SequenceLength(at index: Int) -> Int? {
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch bytes[index] {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondHigh = 0x9F
        case 0xF0:
            length = 4
            secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondHigh = 0x8F
        default: return nil
        }
        guard index + length <= bytes.count, (secondLow...secondHigh).contains(bytes[index + 1]) else { return nil }
        for continuation in index + 2..<index + length where bytes[continuation] & 0xC0 != 0x80 {
            return nil
        }
        return length
    }

    // MARK: Errors

    private func failure(at offset: Int, _ reason: String) -> JSONParseError {
        JSONParseError(offset: offset, message: "invalid JSON at byte \(offset): \(reason)")
    }

    /// The byte at `position` is not what the grammar allows here. If it is the start of bytes
    /// that are not UTF-8 at all, that is the more useful thing to tell.
    private func unexpected(_ expected: String) -> JSONParseError {
        guard position < bytes.count else {
            return failure(at: position, "unexpected end of input, expected \(expected)")
        }
        if bytes[position] >= 0x80 && utf8SequenceLength(at: position) == nil {
            return failure(at: position, "not valid UTF-8")
        }
        return failure(at: position, "expected \(expected)")
    }
}
