extension HTMLWriter {
    /// A table of the text report as an HTML table, numbers aligned right, in a box that scrolls sideways on
    /// its own when the table is wider than the screen.
    mutating func table(_ table: TextTable) {
        element("div", ["class": "table-box"]) { box in
            box.element("table") { html in
                html.element("thead") { head in
                    head.element("tr") { row in
                        for (index, title) in table.header.enumerated() {
                            row.element("th", ["scope": "col", "class": table.numeric.contains(index) ? "number" : "text"], text: title)
                        }
                    }
                }
                html.element("tbody") { body in
                    for cells in table.rows {
                        body.element("tr") { row in
                            for (index, cell) in cells.enumerated() {
                                row.element("td", ["class": table.numeric.contains(index) ? "number" : "text"], text: cell)
                            }
                        }
                    }
                }
            }
        }
    }
}
