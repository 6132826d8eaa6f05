/// The charts' horizontal coordinates: percentages of the chart's width, so that a chart stretches with the
/// screen while its text keeps its size (a scaled viewBox would shrink the labels on a phone).
enum SVGLength {
    /// `0.1234` → `12.34%`.
    static func percent(_ fraction: Double) -> String {
        let hundredths = Int((fraction * 10_000).rounded())
        let remainder = hundredths % 100
        return "\(hundredths / 100).\(remainder < 10 ? "0" : "")\(remainder)%"
    }
}
