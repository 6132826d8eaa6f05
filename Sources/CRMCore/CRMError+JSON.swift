import JSON

extension CRMError {
    /// `{"code", "message"}`: how an error is printed in results, error lines, jobs and messages.
    public var json: JSONValue { ["code": .string(code), "message": .string(message)] }
}
