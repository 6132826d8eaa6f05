/// Writes JSON straight into bytes, member by member. For what a batch writes for every event (its
/// result line, its stored outcome), where building a `JSONValue` tree first costs more than the writing.
public struct JSONStream {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value opens its container (no comma before it) or follows a key.
    private var atStart = true

    public init() { bytes.reserveCapacity(256) }

    public mutating func openObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        atStart = true
    }

    public mutating func closeObject() {
        bytes.append(UInt8(ascii: "}"))
        atStart = false
    }

    public mutating func openArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        atStart = true
    }

    public mutating func closeArray() {
        bytes.append(UInt8(ascii: "]"))
        atStart = false
    }

    public mutating func key(_ name: String) {
        separate()
        JSONWriter.writeString(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        atStart = true
    }

    public mutating func string(_ text: String?) {
        separate()
        if let text { JSONWriter.writeString(text, into: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    public mutating func integer(_ value: Int64?) {
        separate()
        bytes.append(contentsOf: (value.map(String.init) ?? "null").utf8)
    }

    public mutating func bool(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    public mutating func value(_ value: JSONValue) {
        separate()
        JSONWriter.write(value, into: &bytes)
    }

    /// Ends an NDJSON line: the next value starts a new document.
    public mutating func endLine() {
        bytes.append(UInt8(ascii: "\n"))
        atStart = true
    }

    /// Forgets what was written (after it was passed on), keeping the storage.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        atStart = true
    }

    private mutating func separate() {
        if !atStart { bytes.append(UInt8(ascii: ",")) }
        atStart = false
    }
}
