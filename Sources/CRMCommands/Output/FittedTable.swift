/// A text table for people that fits a width: columns padded to their widest cell, two spaces apart, numbers
/// aligned right, and one column (a free-text one such as a name) cut with "…" when the table would be wider.
struct FittedTable {
    var header: [String]
    var rows: [[String]]
    /// Columns aligned right.
    var numeric: Set<Int> = []
    /// The column that gives up width when the table is too wide.
    var shrinking: Int?

    func render(width: Int) -> String {
        let all = ([header] + rows).map { $0.map(\.printable) }
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.displayWidth) }
        }
        let total = widths.reduce(0, +) + 2 * (widths.count - 1)
        if let shrinking, total > width {
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
            return line.truncated(toWidth: width)
        }.joined(separator: "\n")
    }
}
