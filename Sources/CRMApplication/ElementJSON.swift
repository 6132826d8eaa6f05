import CRMCore
import JSON

extension Element {
    /// The element's JSON shape (SPEC §3): printed by commands, and sent in outbox payloads as the job saw it.
    public var json: JSONValue {
        [
            "id": JSONValue(id), "key": JSONValue(key), "type": .string(type.rawValue), "pipeline": JSONValue(pipeline),
            "stage": .string(stage), "title": .string(title), "responsible": JSONValue(responsible),
            "email": JSONValue(email), "phone": JSONValue(phone),
            "fields": .object(JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            "created_at": .string(createdAt.rfc3339), "updated_at": .string(updatedAt.rfc3339),
        ]
    }
}
