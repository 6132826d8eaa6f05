import CRMCore
import JSON

/// A failed job's error as every store keeps it: the `{code, message}` JSON text its results print.
extension CRMError {
    public var storedText: String { JSONWriter.serialize(json) }

    /// The error read back from its stored text; nil when the text is not a JSON object. Only the code and
    /// the message are kept: the kind is `invalid`, which is how every job failure is reported.
    public init?(storedText: String) {
        guard let object = try? JSONParser.parse(storedText).objectValue else { return nil }
        self.init(
            .invalid, object["message"]?.stringValue ?? "", code: object["code"]?.stringValue ?? "invalid")
    }
}
