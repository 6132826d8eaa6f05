import ArgumentParser
import CRMCore
import JSON
import CRMApplication
import CRMStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `crmctl report`: what moved elements in a period.
struct Report: CRMCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report what moved elements in a period: moves per trigger and per stage, by hand, events, conversion.",
        discussion: """
            A move counts by the time of its timeline entry (a trigger's move carries its event's time), an event \
            by its time. TIME is RFC 3339 or a date (midnight UTC); --since is inclusive, --until exclusive. \
            --html adds per pipeline the entries into each stage (a funnel), the moves per day, the jobs per rule \
            (by due time) and the outbox messages per status (by creation).
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "lead, deal, or a pipeline id (default: every pipeline).") var pipeline: String?
    @Option(help: "From this time on (inclusive).", transform: ReportTime.parse) var since: ReportTime?
    @Option(help: "Up to this time (exclusive).", transform: ReportTime.parse) var until: ReportTime?
    @Flag(help: "Print one self-contained HTML page: the figures, the funnel and the moves per day as charts, the tables.")
    var html = false

    func validate() throws {
        if let since, let until, since.timestamp >= until.timestamp {
            throw ValidationError("--since must be before --until")
        }
        if html && global.json { throw ValidationError("--html and --json cannot be used together") }
    }

    func run(_ context: Context) throws {
        let store = try context.store()
        let pipeline = try self.pipeline.map { try store.pipeline(named: $0) }
        let report = try store.movementReport(
            pipeline: pipeline?.id, since: since?.timestamp, until: until?.timestamp, breakdown: html)
        if html {
            let scope = try pipeline.map { [$0] } ?? store.pipelines(type: nil)
            let page = HTMLReportPage(
                headline: headline(pipeline: pipeline), figures: Self.figures(report), tables: Self.tables(report),
                funnels: scope.map(report.funnel), breakdown: report.breakdown ?? MovementReport.Breakdown(),
                now: try context.clock().now(), database: try context.store().location)
            return context.io.output.write(page.render())
        }
        if context.json { return context.printJSON(json(report, pipeline: pipeline)) }
        context.printLine(text(report, pipeline: pipeline, width: Terminal.width(of: STDOUT_FILENO, environment: context.io.environment)))
    }

    /// The share of the closed elements that reached success, to four places; nil when none closed.
    static func conversionRate(_ report: MovementReport) -> Double? {
        let closed = report.reachedSuccess + report.reachedFailure
        guard closed > 0 else { return nil }
        return (Double(report.reachedSuccess) / Double(closed) * 10_000).rounded() / 10_000
    }

    func json(_ report: MovementReport, pipeline: Pipeline?) -> JSONValue {
        [
            "pipeline": JSONValue(pipeline?.id), "since": JSONValue(since?.timestamp.rfc3339),
            "until": JSONValue(until?.timestamp.rfc3339),
            "moves": ["total": JSONValue(report.moves), "by_trigger": JSONValue(report.triggerMoves), "manual": JSONValue(report.manualMoves)],
            "triggers": .array(report.byTrigger.map {
                ["id": JSONValue($0.trigger), "name": JSONValue($0.name), "code": JSONValue($0.code), "count": JSONValue($0.moves)]
            }),
            "stages": .array(report.byStage.map {
                ["pipeline": JSONValue($0.pipeline), "from": .string($0.from), "to": .string($0.to), "count": JSONValue($0.moves)]
            }),
            "events": .array(report.events.map { ["type": .string($0.type), "count": JSONValue($0.events)] }),
            "created": JSONValue(report.created),
            "conversion": [
                "success": JSONValue(report.reachedSuccess), "failure": JSONValue(report.reachedFailure),
                "rate": Self.conversionRate(report).map(JSONValue.init) ?? .null,
            ],
        ]
    }

    /// `Report: pipeline 1 (Leads), since 2026-11-01T00:00:00Z`: the first line of the text and the page's heading.
    func headline(pipeline: Pipeline?) -> String {
        let scope = pipeline.map { "pipeline \($0.id) (\($0.name.printable))" } ?? "every pipeline"
        let period: String
        switch (since?.timestamp, until?.timestamp) {
        case (nil, nil): period = "all time"
        case (let from?, nil): period = "since \(from.rfc3339)"
        case (nil, let to?): period = "until \(to.rfc3339)"
        case (let from?, let to?): period = "\(from.rfc3339) to \(to.rfc3339)"
        }
        return "Report: \(scope), \(period)"
    }

    /// The report's figures as label, value and what the value is made of, for the text and the page alike.
    static func figures(_ report: MovementReport) -> [(label: String, value: String, detail: String?)] {
        let rate = conversionRate(report)
        return [
            ("Moves", String(report.moves), "(\(report.triggerMoves) by triggers, \(report.manualMoves) by hand)"),
            ("New elements", String(report.created), nil), ("Reached success", String(report.reachedSuccess), nil),
            ("Reached failure", String(report.reachedFailure), nil),
            ("Conversion", rate.map { "\(Int(($0 * 100).rounded()))%" } ?? "-",
             rate.map { _ in "of \(report.reachedSuccess + report.reachedFailure) closed reached success" }),
        ]
    }

    /// The report's tables with their titles, for the text and the page alike.
    static func tables(_ report: MovementReport) -> [(title: String, table: TextTable)] {
        [
            ("Moves per trigger", TextTable(
                header: ["TRIGGER", "NAME", "CODE", "MOVES"],
                rows: report.byTrigger.map { [String($0.trigger), $0.name ?? "(removed)", $0.code ?? "-", String($0.moves)] },
                numeric: [0, 3], shrinking: 1)),
            ("Moves per stage", TextTable(
                header: ["PIPELINE", "FROM", "TO", "MOVES"],
                rows: report.byStage.map { [String($0.pipeline), $0.from, $0.to, String($0.moves)] },
                numeric: [0, 3], shrinking: 2)),
            ("Events per type", TextTable(
                header: ["TYPE", "EVENTS"], rows: report.events.map { [$0.type, String($0.events)] }, numeric: [1],
                shrinking: 0)),
        ]
    }

    func text(_ report: MovementReport, pipeline: Pipeline?, width: Int) -> String {
        var sections = [
            headline(pipeline: pipeline).truncated(toWidth: width),
            Self.figures(report).map { label, value, detail in
                let text = detail.map { "\(value) \($0)" } ?? value
                return (label + String(repeating: " ", count: 17 - label.count) + text).truncated(toWidth: width)
            }.joined(separator: "\n"),
        ]
        for (title, table) in Self.tables(report) {
            sections.append(table.rows.isEmpty ? "\(title): none" : "\(title)\n" + table.render(width: width))
        }
        return sections.joined(separator: "\n\n")
    }
}

/// A report bound: an RFC 3339 time, or a date for its midnight UTC.
struct ReportTime: ExpressibleByArgument {
    var timestamp: Timestamp

    init?(argument: String) {
        let isDate = argument.utf8.count == 10
            && argument.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
        guard let timestamp = Timestamp(rfc3339: isDate ? argument + "T00:00:00Z" : argument) else { return nil }
        self.timestamp = timestamp
    }

    /// For `@Option(transform:)`: a value that is not a time says what a time looks like.
    static func parse(_ argument: String) throws -> ReportTime {
        guard let time = ReportTime(argument: argument) else {
            throw ValidationError("TIME is RFC 3339, such as 2026-11-24T09:30:00Z, or a date, such as 2026-11-24 (midnight UTC)")
        }
        return time
    }
}
