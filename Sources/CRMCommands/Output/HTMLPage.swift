import CRMCore

/// The frame both HTML pages share: one self-contained document. The Content-Security-Policy lets the page
/// load nothing and run nothing — inline styles only, no scripts, no fonts, no images from anywhere — so even a
/// mistake in escaping could not make it fetch or execute; a footer says when it was made and from which
/// database.
enum HTMLPage {
    static func document(
        title: String, generatedAt: Timestamp, database: String, body: (inout HTMLWriter) -> Void
    ) -> String {
        var page = HTMLWriter()
        page.markup("<!DOCTYPE html>\n")
        page.element("html", ["lang": "en"]) { html in
            html.element("head") { head in
                head.empty("meta", ["charset": "utf-8"])
                head.empty("meta", [
                    "http-equiv": "Content-Security-Policy",
                    "content": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
                ])
                head.empty("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
                head.empty("meta", ["name": "color-scheme", "content": "light dark"])
                head.empty("meta", ["name": "generator", "content": "crmctl"])
                head.element("title", text: title)
                head.element("style") { $0.markup(HTMLStyleSheet.css) }
            }
            html.element("body") { content in
                body(&content)
                content.element("footer") { footer in
                    footer.text("Generated ")
                    footer.element("time", ["datetime": generatedAt.rfc3339], text: generatedAt.rfc3339)
                    footer.text(" by crmctl from the database ")
                    footer.element("code", ["class": "database"], text: database)
                }
            }
        }
        page.markup("\n")
        return page.html
    }
}
