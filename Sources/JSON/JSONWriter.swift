/// Compact JSON output: no whitespace, members in their stored order unless `sortedKeys`.
///
/// Only what JSON requires is escaped (quote, backslash, control characters); '/' and
/// non-ASCII text are written as raw UTF-8 so the output stays readable and short.
/// `sortedKeys` orders members by the UTF-8 bytes of their keys at every level, which gives
/// one canonical text per value, independent of locale and Unicode normalisation.
public enum JSONWriter {
    public static func serialize(_ value: JSONValue, sortedKeys: Bool = false) -> String {
        var buffer: [UInt8] = []
        write(value, sortedKeys: sortedKeys, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    public static func write(_ value: JSONValue, sortedKeys: Bool = false, into buffer: inout [UInt8]) {
        switch value {
        case .null:
            buffer.append(contentsOf: "null".utf8)
        case .bool(let flag):
            buffer.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text):
            buffer.append(contentsOf: text.utf8)
        case .string(let text):
            writeString(text, into: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                write(element, sortedKeys: sortedKeys, into: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let object):
            let members =
                sortedKeys
                ? object.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } : object.members
            buffer.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &buffer)
                buffer.append(UInt8(ascii: ":"))
                write(member.value, sortedKeys: sortedKeys, into: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    /// Copies runs of bytes that need no escaping in one go, breaking only at escapes.
    static func writeString(_ text: String, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscape(for: byte, into: &buffer)
                runStart = index + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendEscape(for byte: UInt8, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): buffer.append(byte)
        case 0x08: buffer.append(UInt8(ascii: "b"))
        case UInt8(ascii: "\t"): buffer.append(UInt8(ascii: "t"))
        case UInt8(ascii: "\n"): buffer.append(UInt8(ascii: "n"))
        case 0x0C: buffer.append(UInt8(ascii: "f"))
        case UInt8(ascii: "\r"): buffer.append(UInt8(ascii: "r"))
        default:
            buffer.append(contentsOf: "u00".utf8)
            buffer.append(hexDigits[Int(byte >> 4)])
            buffer.append(hexDigits[Int(byte & 0x0F)])
        }
    }
}
