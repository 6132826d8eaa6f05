import JSON

extension EventInput {
    /// An event a shorthand command makes (the document commands, `element set`; SPEC §3), its data checked
    /// as an ingested event's is: `--template ""` is no template, `--title ""` no title.
    public static func shorthand(
        _ type: EventType, element: Int64, by: String?, data: JSONObject, at: Timestamp? = nil
    ) throws -> EventInput {
        do {
            try type.validate(data: data)
        } catch {
            throw CRMError.invalid(error.message)
        }
        return EventInput(key: nil, type: type, target: .element(element), at: at, by: by, data: data)
    }
}
