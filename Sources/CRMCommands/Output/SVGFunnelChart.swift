import CRMStorage

/// One pipeline's funnel as SVG: a centred bar per stage in pipeline order, as wide as the stage's entries in
/// the period (the busiest stage fills the width), labelled with the stage's name, its entries and the
/// conversion from the stage before. The stage before is the previous one that is not a failure
/// stage: a failure stage is where elements left the funnel, so it shows its number alone.
struct SVGFunnelChart {
    let funnel: MovementReport.Funnel

    static let rowHeight = 40

    func render(into writer: inout HTMLWriter) {
        let busiest = max(1, funnel.stages.map(\.entered).max() ?? 0)
        writer.element("svg", [
            "class": "funnel", "data-pipeline": String(funnel.pipeline.id), "role": "img",
            "aria-label": "Funnel of \(funnel.pipeline.name)", "height": String(funnel.stages.count * Self.rowHeight),
        ]) { svg in
            var previous: (code: String, entered: Int)?
            for (index, (stage, entered)) in funnel.stages.enumerated() {
                let conversion: String?
                if stage.semantic != .failure, let previous, previous.entered > 0 {
                    conversion = "\(Int((Double(entered) / Double(previous.entered) * 100).rounded()))%"
                } else {
                    conversion = nil
                }
                let top = index * Self.rowHeight
                let width = Double(entered) / Double(busiest)
                svg.element("g", [
                    "class": "stage \(stage.semantic.rawValue)", "data-stage": stage.code, "data-entered": String(entered),
                ]) { row in
                    var explanation = "\(stage.code) (\(stage.name)): \(entered) entered"
                    if let conversion, let previous { explanation += ", \(conversion) of \(previous.code)" }
                    row.element("title", text: explanation)
                    row.element("text", ["x": "0", "y": String(top + 14)], text: stage.name)
                    row.element(
                        "text", ["class": "figure", "x": "100%", "y": String(top + 14), "text-anchor": "end"],
                        text: conversion.map { "\(entered) · \($0)" } ?? String(entered))
                    row.empty("rect", [
                        "class": "track", "x": "0", "y": String(top + 19), "width": "100%", "height": "14", "rx": "3",
                    ])
                    row.empty("rect", [
                        "class": "bar", "x": SVGLength.percent((1 - width) / 2), "y": String(top + 19),
                        "width": SVGLength.percent(width), "height": "14", "rx": "3",
                    ])
                }
                if stage.semantic != .failure { previous = (stage.code, entered) }
            }
        }
    }
}
