import JSON

/// An element's free fields, kept as the JSON text they are stored as until something reads them:
/// most events never look at them, so a batch does not decode them for every event.
public final class FreeFields: @unchecked Sendable {
    // Filled once, on first read; an element is used on one thread at a time.
    private var storedText: String?
    private var storedValues: [String: String]?

    public init(_ values: [String: String]) { storedValues = values }

    public init(json: String) { storedText = json }

    public var values: [String: String] {
        if let storedValues { return storedValues }
        var values: [String: String] = [:]
        if let object = (try? JSONParser.parse(storedText ?? "{}"))?.objectValue {
            for (name, value) in object { values[name] = value.stringValue ?? "" }
        }
        storedValues = values
        return values
    }

    /// The stored form: a JSON object with the names in order.
    public var json: String {
        if let storedText { return storedText }
        let members = values.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }
        let text = JSONWriter.serialize(.object(JSONObject(members)))
        storedText = text
        return text
    }
}
