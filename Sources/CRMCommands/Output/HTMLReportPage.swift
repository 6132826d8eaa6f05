import CRMCore
import CRMStorage

/// `crmctl report --html`: the report as a page — its figures; the funnel of each pipeline and the moves per
/// day as SVG charts; the tables of the text report; and, once rules have run, the jobs per rule and the
/// outbox messages per status.
struct HTMLReportPage {
    let headline: String
    let figures: [(label: String, value: String, detail: String?)]
    let tables: [(title: String, table: TextTable)]
    /// One per pipeline in the report's scope.
    let funnels: [MovementReport.Funnel]
    let breakdown: MovementReport.Breakdown
    let now: Timestamp
    let database: String

    func render() -> String {
        HTMLPage.document(title: headline, generatedAt: now, database: database) { body in
            body.element("header") { $0.element("h1", text: headline) }
            body.element("main") { main in
                main.element("div", ["class": "figures"]) { list in
                    for figure in figures {
                        list.element("div", ["class": "figure"]) { box in
                            box.element("span", ["class": "label"], text: figure.label)
                            box.element("span", ["class": "value"], text: figure.value)
                            if let detail = figure.detail { box.element("span", ["class": "detail"], text: detail) }
                        }
                    }
                }
                main.element("div", ["class": "panels"]) { panels in
                    funnels(into: &panels)
                    movesPerDay(into: &panels)
                    for (title, table) in tables + automationTables { self.table(title, table, into: &panels) }
                }
            }
        }
    }

    /// A panel per pipeline that any element entered in the period.
    private func funnels(into panels: inout HTMLWriter) {
        let entered = funnels.filter { $0.stages.contains { $0.entered > 0 } }
        guard !entered.isEmpty else {
            panels.element("section", ["class": "panel"]) { panel in
                panel.element("h2", text: "Funnel")
                panel.element("p", ["class": "empty"], text: "No element entered a stage in this period.")
            }
            return
        }
        for funnel in entered {
            panels.element("section", ["class": "panel"]) { panel in
                panel.element("h2", text: "Funnel: \(funnel.pipeline.name) (pipeline \(funnel.pipeline.id))")
                panel.element("figure") { figure in
                    SVGFunnelChart(funnel: funnel).render(into: &figure)
                    figure.element(
                        "figcaption",
                        text: "Entries into each stage in the period (elements created in it or moved into it); the "
                            + "percentage is of the stage before.")
                }
            }
        }
    }

    private func movesPerDay(into panels: inout HTMLWriter) {
        panels.element("section", ["class": "panel"]) { panel in
            panel.element("h2", text: "Moves per day")
            guard !breakdown.movesPerDay.isEmpty else {
                panel.element("p", ["class": "empty"], text: "No moves in this period.")
                return
            }
            panel.element("figure") { figure in
                SVGDailyBarChart(days: breakdown.movesPerDay).render(into: &figure)
                figure.element("figcaption", text: "Stage changes per day (UTC), by triggers, rules and hand.")
            }
        }
    }

    /// A panel for a table; one of more than four columns asks for two of the grid's on a wide screen.
    private func table(_ title: String, _ table: TextTable, into panels: inout HTMLWriter) {
        panels.element("section", ["class": table.header.count > 4 ? "panel wide" : "panel"]) { panel in
            panel.element("h2", text: title)
            if table.rows.isEmpty {
                panel.element("p", ["class": "empty"], text: "None in this period.")
            } else {
                panel.table(table)
            }
        }
    }

    /// The jobs per rule (by due time) and the messages per status (by creation); none before rules exist.
    private var automationTables: [(title: String, table: TextTable)] {
        guard !breakdown.jobsPerRule.isEmpty || !breakdown.messagesPerStatus.isEmpty else { return [] }
        let statuses = JobStatus.allCases
        return [
            ("Jobs per rule", TextTable(
                header: ["RULE", "NAME", "ACTION"] + statuses.map { $0.rawValue.uppercased() },
                rows: breakdown.jobsPerRule.map { rule in
                    [String(rule.rule), rule.name ?? "(removed)", rule.action ?? "-"]
                        + statuses.map { String(rule.jobs[$0] ?? 0) }
                },
                numeric: Set([0] + (3..<3 + statuses.count)))),
            ("Outbox messages per status", TextTable(
                header: ["STATUS", "MESSAGES"],
                rows: MessageStatus.allCases.map { [$0.rawValue, String(breakdown.messagesPerStatus[$0] ?? 0)] },
                numeric: [1])),
        ]
    }
}
