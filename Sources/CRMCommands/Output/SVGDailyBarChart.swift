import CRMCore
import CRMStorage

/// The moves per day as an SVG bar chart: one bar per day from the first day with moves to the last (days
/// without moves are gaps), as tall as its moves against the busiest day, each with its date and count as a
/// tooltip; the busiest day's count at the top, the first and last dates below.
struct SVGDailyBarChart {
    /// The days with moves, in order (at least one).
    let days: [MovementReport.DayMoves]

    static let millisecondsPerDay: Int64 = 86_400_000
    static let baseline = 120
    static let tallest = 100

    func render(into writer: inout HTMLWriter) {
        guard let first = days.first, let last = days.last else { return }
        let span = Double((last.day.milliseconds - first.day.milliseconds) / Self.millisecondsPerDay + 1)
        let busiest = max(1, days.map(\.moves).max() ?? 0)
        writer.element("svg", [
            "class": "days", "role": "img", "aria-label": "Moves per day", "height": String(Self.baseline + 24),
        ]) { svg in
            svg.element("text", ["class": "muted", "x": "0", "y": "12"], text: "busiest day: \(busiest) move\(busiest == 1 ? "" : "s")")
            svg.empty("rect", ["class": "track", "x": "0", "y": String(Self.baseline), "width": "100%", "height": "1"])
            for day in days {
                let offset = Double((day.day.milliseconds - first.day.milliseconds) / Self.millisecondsPerDay)
                let height = max(1, day.moves * Self.tallest / busiest)
                svg.element("rect", [
                    "class": "bar", "data-day": Self.date(day.day), "data-moves": String(day.moves),
                    "x": SVGLength.percent(offset / span), "y": String(Self.baseline - height),
                    "width": SVGLength.percent(0.8 / span), "height": String(height),
                ]) { $0.element("title", text: "\(Self.date(day.day)): \(day.moves) move\(day.moves == 1 ? "" : "s")") }
            }
            let labels = String(Self.baseline + 18)
            svg.element("text", ["class": "muted", "x": "0", "y": labels], text: Self.date(first.day))
            if last.day != first.day {
                svg.element("text", ["class": "muted", "x": "100%", "y": labels, "text-anchor": "end"], text: Self.date(last.day))
            }
        }
    }

    /// `2026-11-24`.
    static func date(_ day: Timestamp) -> String { String(day.rfc3339.prefix(10)) }
}
