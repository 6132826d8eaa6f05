extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Keeps the literal's order: output key order is part of what users read.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}
