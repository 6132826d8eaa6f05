import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// `crmctl report`: the figures of a period, checked against the elements' timelines and the event list.
@Suite struct ReportTests {
    /// A stage change as the timeline shows it.
    struct Move {
        var element: Int
        var pipeline: Int
        var at: String
        var from: String
        var to: String
        var trigger: Int?
    }

    static let closing = [1: ["CONVERTED": "success", "JUNK": "failure"], 2: ["WON": "success", "LOSE": "failure"]]

    func moves(_ cli: CLI) -> [Move] {
        cli.run("element", "list", "--json").array.flatMap { element -> [Move] in
            let id = int(element["id"]) ?? 0
            return cli.history(id).filter { str($0["kind"]) == "stage_changed" }.map {
                Move(element: id, pipeline: int(element["pipeline"]) ?? 0, at: str($0["at"]) ?? "", from: str($0["from"]) ?? "",
                     to: str($0["to"]) ?? "", trigger: int($0["trigger"]))
            }
        }
    }

    /// Compares the report of a period with what the timelines and the event list say about it.
    func expectReport(_ cli: CLI, pipeline: Int?, since: String?, until: String?, sourceLocation: SourceLocation = #_sourceLocation) {
        var args = ["report", "--json"]
        if let pipeline { args += ["--pipeline", String(pipeline)] }
        if let since { args += ["--since", since] }
        if let until { args += ["--until", until] }
        let run = cli.runArgs(args + ["--db", cli.db])
        #expect(run.code == 0, "\(run)", sourceLocation: sourceLocation)
        let report = run.object
        // RFC 3339 in UTC with Z compares as text in time order.
        func inPeriod(_ at: String) -> Bool { (since.map { at >= $0 } ?? true) && (until.map { at < $0 } ?? true) }
        let moved = moves(cli).filter { inPeriod($0.at) && (pipeline == nil || $0.pipeline == pipeline) }

        let totals = report["moves"] as? [String: Any] ?? [:]
        #expect(int(totals["total"]) == moved.count, sourceLocation: sourceLocation)
        #expect(int(totals["manual"]) == moved.filter { $0.trigger == nil }.count, sourceLocation: sourceLocation)
        #expect(int(totals["by_trigger"]) == moved.filter { $0.trigger != nil }.count, sourceLocation: sourceLocation)

        var byTrigger: [Int: Int] = [:]
        for move in moved { if let trigger = move.trigger { byTrigger[trigger, default: 0] += 1 } }
        let reportedTriggers = (report["triggers"] as? [[String: Any]]) ?? []
        #expect(Dictionary(uniqueKeysWithValues: reportedTriggers.map { (int($0["id"]) ?? 0, int($0["count"]) ?? 0) }) == byTrigger,
                sourceLocation: sourceLocation)

        var byStage: [String: Int] = [:]
        for move in moved { byStage["\(move.pipeline):\(move.from)>\(move.to)", default: 0] += 1 }
        let reportedStages = (report["stages"] as? [[String: Any]]) ?? []
        #expect(Dictionary(uniqueKeysWithValues: reportedStages.map {
            ("\(int($0["pipeline"]) ?? 0):\(str($0["from"]) ?? "")>\(str($0["to"]) ?? "")", int($0["count"]) ?? 0)
        }) == byStage, sourceLocation: sourceLocation)

        let elementPipelines = Dictionary(uniqueKeysWithValues: cli.run("element", "list", "--json").array.map {
            (int($0["id"]) ?? 0, int($0["pipeline"]) ?? 0)
        })
        var byType: [String: Int] = [:]
        for event in cli.events() where inPeriod(str(event["at"]) ?? "") {
            if pipeline == nil || elementPipelines[int(event["element"]) ?? 0] == pipeline { byType[str(event["type"]) ?? "", default: 0] += 1 }
        }
        let reportedEvents = (report["events"] as? [[String: Any]]) ?? []
        #expect(Dictionary(uniqueKeysWithValues: reportedEvents.map { (str($0["type"]) ?? "", int($0["count"]) ?? 0) }) == byType,
                sourceLocation: sourceLocation)

        let conversion = report["conversion"] as? [String: Any] ?? [:]
        for semantic in ["success", "failure"] {
            let reached = Set(moved.filter { Self.closing[$0.pipeline]?[$0.to] == semantic }.map(\.element))
            #expect(int(conversion[semantic]) == reached.count, "\(semantic)", sourceLocation: sourceLocation)
        }
    }

    @Test func figuresMatchTheTimelinesAndEvents() {
        let cli = CLI()
        makeHistory(cli)
        expectReport(cli, pipeline: nil, since: nil, until: nil)
        expectReport(cli, pipeline: 1, since: nil, until: nil)
        expectReport(cli, pipeline: 2, since: nil, until: nil)
        expectReport(cli, pipeline: nil, since: "2026-11-05T00:00:00Z", until: "2026-11-16T00:00:00Z")
        expectReport(cli, pipeline: 1, since: "2026-11-10T10:00:00Z", until: nil)
        expectReport(cli, pipeline: nil, since: nil, until: "2026-11-05T11:00:00Z")
    }

    @Test func figuresOfThisHistoryAsAPersonCountsThem() {
        let cli = CLI()
        makeHistory(cli)
        let report = cli.run("report", "--json").object
        #expect((report["moves"] as? [String: Int]) == ["total": 12, "by_trigger": 11, "manual": 1])
        let triggers = (report["triggers"] as? [[String: Any]]) ?? []
        #expect(triggers.map { str($0["name"]) ?? "" } == ["call back", "paid", "spam", "deal paid"])
        #expect(triggers.map { int($0["count"]) ?? 0 } == [7, 2, 1, 1])
        #expect(str(triggers.first?["code"]) == "call.missed")
        let conversion = report["conversion"] as? [String: Any] ?? [:]
        #expect(int(conversion["success"]) == 3)
        #expect(int(conversion["failure"]) == 1)
        #expect((conversion["rate"] as? Double) == 0.75)
        #expect(int(report["created"]) == 15)
        // November 5 (inclusive) to November 12 (exclusive): the two payments and the spam.
        let week = cli.run("report", "--since", "2026-11-05", "--until", "2026-11-12", "--json").object
        #expect((week["moves"] as? [String: Int]) == ["total": 3, "by_trigger": 3, "manual": 0])
        #expect(str(week["since"]) == "2026-11-05T00:00:00Z")
        #expect(int((week["conversion"] as? [String: Any])?["success"]) == 2)
        #expect(int((week["conversion"] as? [String: Any])?["failure"]) == 1)
        let quiet = cli.run("report", "--since", "2027-01-01", "--json").object
        #expect((quiet["moves"] as? [String: Int]) == ["total": 0, "by_trigger": 0, "manual": 0])
        #expect(isNull((quiet["conversion"] as? [String: Any])?["rate"]))
    }

    @Test func removedTriggersKeepTheirMoves() {
        let cli = CLI()
        makeHistory(cli)
        #expect(cli.run("trigger", "remove", "1").code == 0)
        let triggers = (cli.run("report", "--json").object["triggers"] as? [[String: Any]]) ?? []
        let removed = triggers.first { int($0["id"]) == 1 } ?? [:]
        #expect(int(removed["count"]) == 7)
        #expect(isNull(removed["name"]))
        let text = cli.run("report", env: plainTerminal).out
        #expect(text.contains("(removed)"))
    }

    @Test func textFitsEightyColumnsWithoutEscapes() {
        let cli = CLI()
        makeHistory(cli)
        _ = cli.trigger(
            "--on", "custom", "--code", "long", "--pipeline", "lead", "--stage", "PROCESSED", "--name",
            String(repeating: "a very long trigger name ", count: 6))
        #expect(cli.run("event", "inject", "--type", "custom", "--element", "9", "--set", "code=long").code == 0)
        let run = cli.run("report", env: plainTerminal)
        #expect(run.code == 0, "\(run)")
        #expect(widestLine(run.out) <= 80, "\(run.out)")
        #expect(!run.out.contains("\u{1B}"))
        #expect(run.out.contains("Moves            13 (12 by triggers, 1 by hand)"), "\(run.out)")
        #expect(run.out.contains("Conversion       75% of 4 closed reached success"), "\(run.out)")
        #expect(run.out.contains("a very long trigger name a very"))
        #expect(run.out.contains("…"))
        let rows = run.out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["1", "NEW", "IN_PROCESS", "7"]), "\(run.out)")
        #expect(rows.contains(["call.missed", "7"]), "\(run.out)")
        #expect(rows.contains(["1", "call", "back", "call.missed", "7"]), "\(run.out)")
    }

    @Test func badPeriods() {
        let cli = CLI()
        #expect(cli.run("report", "--since", "yesterday").code == 64)
        #expect(cli.run("report", "--since", "2026-11-10", "--until", "2026-11-10").code == 64)
        #expect(cli.run("report", "--pipeline", "7").code == 66)
        #expect(cli.run("report", "--since", "2026-11-10T10:00:00+02:00", "--json").object["since"] as? String
            == "2026-11-10T08:00:00Z")
    }
}
