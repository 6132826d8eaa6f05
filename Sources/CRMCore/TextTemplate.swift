/// A text option of a rule with placeholders (SPEC §7): `{id}`, `{title}`, `{responsible}`, `{email}`,
/// `{phone}`, `{stage}` (the code), `{pipeline}` (the id), `{fields.NAME}` (empty when missing); `{{` and
/// `}}` are literal braces. Parsed once at `rule add`, so an unknown placeholder or a lone brace is refused
/// there, and filled when the job runs.
public struct TextTemplate: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        case literal(String)
        case placeholder(String)
    }

    static let names: Set<String> = ["id", "title", "responsible", "email", "phone", "stage", "pipeline"]

    let parts: [Part]

    public init(parsing text: String) throws(ValidationFailure) {
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "}" {
                guard next < text.endIndex, text[next] == "}" else {
                    throw ValidationFailure("a lone } in \"\(text)\": write }} for a brace")
                }
                literal.append("}")
                index = text.index(after: next)
                continue
            }
            guard character == "{" else {
                literal.append(character)
                index = next
                continue
            }
            if next < text.endIndex, text[next] == "{" {
                literal.append("{")
                index = text.index(after: next)
                continue
            }
            guard let close = text[next...].firstIndex(of: "}") else {
                throw ValidationFailure("a lone { in \"\(text)\": write {{ for a brace")
            }
            let name = String(text[next..<close])
            guard TextTemplate.names.contains(name) || TextTemplate.fieldName(name)?.isEmpty == false else {
                throw ValidationFailure(
                    "unknown placeholder {\(name)} in \"\(text)\" (known: {id} {title} {responsible} {email} {phone} {stage} {pipeline} {fields.NAME})"
                )
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.placeholder(name))
            index = text.index(after: close)
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    private static func fieldName(_ name: String) -> String? {
        name.hasPrefix("fields.") ? String(name.dropFirst("fields.".count)) : nil
    }

    /// The text with every placeholder filled from `element` as it is now.
    public func fill(_ element: Element) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .literal(let literal): text += literal
            case .placeholder("id"): text += String(element.id)
            case .placeholder("title"): text += element.title
            case .placeholder("responsible"): text += element.responsible ?? ""
            case .placeholder("email"): text += element.email ?? ""
            case .placeholder("phone"): text += element.phone ?? ""
            case .placeholder("stage"): text += element.stage
            case .placeholder("pipeline"): text += String(element.pipeline)
            case .placeholder(let name): text += TextTemplate.fieldName(name).flatMap { element.fields[$0] } ?? ""
            }
        }
        return text
    }
}
