/// A text table for people, the one every text table goes through: cells made safe for a terminal
/// (`printable`), columns padded to their widest cell in terminal columns, two spaces apart, the last column
/// not padded, numbers aligned right. Given a width, one column (a free-text one such as a name) is cut with
/// "…" when the table would be wider, and every line is cut to the width.
struct TextTable {
    var header: [String]
    var rows: [[String]]
    /// Columns aligned right.
    var numeric: Set<Int> = []
    /// The column that gives up width when the table is too wide.
    var shrinking: Int?

    /// The table's lines; with no width (a list meant for `grep`, `cut` and people alike) nothing is cut.
    func render(width: Int? = nil) -> String {
        let all = ([header] + rows).map { $0.map(\.printable) }
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.displayWidth) }
        }
        let total = widths.reduce(0, +) + 2 * (widths.count - 1)
        if let width, let shrinking, total > width {
            widths[shrinking] = max(header[shrinking].displayWidth, widths[shrinking] - (total - width))
        }
        return all.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                if index > 0 { line += "  " }
                let text = cell.truncated(toWidth: widths[index])
                let padding = String(repeating: " ", count: widths[index] - text.displayWidth)
                line += numeric.contains(index) ? padding + text : (index == row.count - 1 ? text : text + padding)
            }
            return width.map { line.truncated(toWidth: $0) } ?? line
        }.joined(separator: "\n")
    }
}
