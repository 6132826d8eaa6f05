import CRMCore
import JSON

/// Conditions as every store keeps them in a text column of triggers and rules: `[{field, op, value}]`.
public enum StoredConditions {
    public static func text(_ conditions: [Condition]) -> String {
        JSONWriter.serialize(.array(conditions.map {
            ["field": .string($0.field), "op": .string($0.op.rawValue), "value": .string($0.value)]
        }))
    }

    /// The conditions of a stored text; an entry that does not read as one is left out.
    public static func conditions(_ text: String) -> [Condition] {
        (try? JSONParser.parse(text))?.arrayValue?.compactMap { value -> Condition? in
            guard let object = value.objectValue, let field = object["field"]?.stringValue,
                let op = object["op"]?.stringValue.flatMap(Condition.Operator.init(rawValue:)),
                let text = object["value"]?.stringValue
            else { return nil }
            return Condition(field: field, op: op, value: text)
        } ?? []
    }
}
