/// HTML built so that text from the database can only ever be text: markup (tag and attribute names, the
/// style sheet) comes from this program's string literals (`StaticString`), and every other string — titles,
/// names, numbers, attribute values — is escaped on its way in.
struct HTMLWriter {
    private(set) var html = ""

    /// Markup from this program's own literals, written as is.
    mutating func markup(_ literal: StaticString) {
        literal.withUTF8Buffer { html += String(decoding: $0, as: UTF8.self) }
    }

    /// Text: `&`, `<`, `>` and quotes escaped, control characters shown as on the text board (`printable`:
    /// line breaks and tabs as spaces, the others as "?").
    mutating func text(_ text: String) {
        for character in text.printable.unicodeScalars {
            switch character {
            case "&": html += "&amp;"
            case "<": html += "&lt;"
            case ">": html += "&gt;"
            case "\"": html += "&quot;"
            case "'": html += "&#39;"
            default: html.unicodeScalars.append(character)
            }
        }
    }

    /// `<tag attributes>body</tag>`.
    mutating func element(
        _ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:], _ body: (inout HTMLWriter) -> Void
    ) {
        open(tag, attributes)
        body(&self)
        markup("</")
        markup(tag)
        markup(">")
    }

    /// `<tag attributes>text</tag>`.
    mutating func element(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:], text: String) {
        element(tag, attributes) { $0.text(text) }
    }

    /// `<tag attributes/>`: an HTML void element (`meta`) or an SVG shape without children.
    mutating func empty(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:]) {
        openTag(tag, attributes)
        markup("/>")
    }

    private mutating func open(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String>) {
        openTag(tag, attributes)
        markup(">")
    }

    private mutating func openTag(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String>) {
        markup("<")
        markup(tag)
        for (name, value) in attributes {
            markup(" ")
            markup(name)
            markup("=\"")
            text(value)
            markup("\"")
        }
    }
}
