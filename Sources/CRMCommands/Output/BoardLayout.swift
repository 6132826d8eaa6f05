import CRMCore
import JSON
import CRMApplication
import CRMStorage

/// The board as text for people: one column per stage in pipeline order, each headed by its code (✓ success,
/// ✗ failure) and count, then its name and its newest titles. Stages that do not fit side by side at a readable
/// width are laid out in bands of equal columns, one band under the other.
struct BoardLayout {
    static let gap = 2
    static let minimumColumnWidth = 12

    let width: Int
    let colour: Bool

    /// One line of a column: its text and how it is styled on a colour terminal.
    private struct Cell {
        var text: String
        var style: Style = .plain
    }

    private enum Style: String {
        case plain = "", bold = "1", dim = "2", success = "1;32", failure = "1;31"
    }

    /// `Leads (lead pipeline 1): 12 elements`, the board's first line (and the HTML board's heading).
    static func headline(_ pipeline: Pipeline, _ columns: [BoardColumn]) -> String {
        let total = columns.reduce(0) { $0 + $1.count }
        return "\(pipeline.name.printable) (\(pipeline.type.rawValue) pipeline \(pipeline.id)): \(total) element\(total == 1 ? "" : "s")"
    }

    func render(_ pipeline: Pipeline, _ columns: [BoardColumn]) -> String {
        var lines = [BoardLayout.headline(pipeline, columns).truncated(toWidth: width)]
        let bands = bandSizes(columns.count)
        var start = 0
        for size in bands {
            let band = Array(columns[start..<start + size])
            start += size
            let columnWidth = (width - BoardLayout.gap * (size - 1)) / size
            lines.append("")
            lines += render(band, columnWidth: columnWidth)
        }
        return lines.joined(separator: "\n")
    }

    /// How many stages go in each band: as few bands as keep columns at least the minimum width, with the
    /// stages spread evenly over them.
    func bandSizes(_ count: Int) -> [Int] {
        guard count > 0 else { return [] }
        let fitting = max(1, (width + BoardLayout.gap) / (BoardLayout.minimumColumnWidth + BoardLayout.gap))
        let bands = (count + fitting - 1) / fitting
        let base = count / bands
        let larger = count % bands
        return (0..<bands).map { $0 < larger ? base + 1 : base }
    }

    private func render(_ band: [BoardColumn], columnWidth: Int) -> [String] {
        let stacks = band.map { cells(for: $0, width: columnWidth) }
        let height = stacks.map(\.count).max() ?? 0
        return (0..<height).map { row in
            var line = ""
            for (index, column) in stacks.enumerated() {
                if index > 0 { line += String(repeating: " ", count: BoardLayout.gap) }
                let cell = row < column.count ? column[row] : Cell(text: "")
                let text = cell.text.truncated(toWidth: columnWidth)
                line += styled(text, cell.style) + String(repeating: " ", count: columnWidth - text.displayWidth)
            }
            return trimmingTrailingSpaces(line)
        }
    }

    private func cells(for column: BoardColumn, width: Int) -> [Cell] {
        let stage = column.stage
        let marker: String
        let style: Style
        switch stage.semantic {
        case .process: (marker, style) = ("", .bold)
        case .success: (marker, style) = ("✓ ", .success)
        case .failure: (marker, style) = ("✗ ", .failure)
        }
        let count = String(column.count)
        let code = (marker + stage.code).truncated(toWidth: max(1, width - count.count - 1))
        let header = code + String(repeating: " ", count: max(1, width - code.displayWidth - count.count)) + count
        var cells = [
            Cell(text: header, style: style), Cell(text: stage.name.printable),
            Cell(text: String(repeating: "─", count: width), style: .dim),
        ]
        cells += column.newest.map { Cell(text: "#\($0.element.id) \($0.element.title.printable)") }
        if column.count > column.newest.count {
            cells.append(Cell(text: "+\(column.count - column.newest.count) more", style: .dim))
        }
        return cells
    }

    private func styled(_ text: String, _ style: Style) -> String {
        guard colour, style != .plain else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }

    private func trimmingTrailingSpaces(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }
}
