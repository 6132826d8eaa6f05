import Foundation
import Testing

// Reading crmctl's JSON output with JSONSerialization: whole documents, NDJSON, and typed looks at values.

/// One JSON document (object, array or scalar), or nil when `text` is empty or not JSON.
public func parseJSON(_ text: String) -> Any? {
    guard !text.isEmpty else { return nil }
    return try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

/// NDJSON, leniently: one object per non-empty line; a line that is not an object becomes
/// `["unparsable": line]`, so a count or a comparison still shows it.
public func ndjson(_ text: String) -> [[String: Any]] {
    text.split(separator: "\n", omittingEmptySubsequences: true).map { line in
        (parseJSON(String(line)) as? [String: Any]) ?? ["unparsable": String(line)]
    }
}

/// NDJSON, strictly: every line (a final newline ends the last one) must be a JSON object.
func parseNDJSON(_ text: String) throws -> [[String: Any]] {
    try textLines(text).map { line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw HarnessError("not a JSON object line: \(line.prefix(300))")
        }
        return object
    }
}

/// `text` split into lines, without the empty piece after a final newline.
func textLines(_ text: String) -> [String] {
    var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if parts.last == "" { parts.removeLast() }
    return parts
}

/// A JSON object or array as one compact line with sorted keys (stable: input lines, messages).
public func jsonLine(_ value: Any) -> String {
    let data = try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}

/// A JSON integer (an NSNumber that is not a Bool).
public func int(_ value: Any?) -> Int? {
    guard let number = value as? NSNumber, !isBool(value) else { return nil }
    return number.intValue
}

public func str(_ value: Any?) -> String? { value as? String }

func isBool(_ value: Any?) -> Bool {
    guard let number = value as? NSNumber else { return false }
    return String(cString: number.objCType) == "c"
}

public func bool(_ value: Any?) -> Bool? { isBool(value) ? (value as? Bool) : nil }

public func isNull(_ value: Any?) -> Bool { value is NSNull }

/// Expects every key of the space-separated `required` in `object`.
public func expectKeys(_ object: [String: Any], _ required: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let wanted = Set(required.split(separator: " ").map(String.init))
    let missing = wanted.subtracting(object.keys)
    #expect(missing.isEmpty, "missing keys \(missing.sorted()) in \(object)", sourceLocation: sourceLocation)
}

/// Typed looks at the members of a JSON object.
extension Dictionary where Key == String, Value == Any {
    public func int(_ key: String) -> Int? { CRMTestSupport.int(self[key]) }
    public func string(_ key: String) -> String? { self[key] as? String }
    public func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    public func array(_ key: String) -> [[String: Any]]? { self[key] as? [[String: Any]] }
}
