import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands
import CRMStorage
import CRMCore

/// `crmctl board`: the pipeline's stages in order with counts that match the elements, fitted to the width.
@Suite struct BoardTests {
    @Test func jsonCountsAndNewestMatchTheElements() {
        let cli = CLI()
        makeHistory(cli)
        let run = cli.run("board", "--pipeline", "lead", "--limit", "3", "--json")
        #expect(run.code == 0, "\(run)")
        let board = run.object
        #expect(int(board["pipeline"]) == 1)
        let stages = (board["stages"] as? [[String: Any]]) ?? []
        #expect(stages.compactMap { str($0["code"]) } == ["NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK"])
        #expect(stages.compactMap { str($0["semantic"]) } == ["process", "process", "process", "success", "failure"])
        let elements = cli.run("element", "list", "--pipeline", "lead", "--json").array
        #expect(elements.count == 12)
        for stage in stages {
            let code = str(stage["code"])
            let inStage = elements.filter { str($0["stage"]) == code }.compactMap { int($0["id"]) }
            #expect(int(stage["count"]) == inStage.count, "\(code ?? "?")")
            let shown = ((stage["elements"] as? [[String: Any]]) ?? []).compactMap { int($0["id"]) }
            #expect(shown == Array(inStage.sorted(by: >).prefix(3)), "\(code ?? "?")")
        }
        // The figures of this history, as a person would count them.
        #expect(stages.compactMap { int($0["count"]) } == [4, 4, 1, 2, 1])
    }

    @Test func dealPipelineAndElementShape() {
        let cli = CLI()
        makeHistory(cli)
        let board = cli.run("board", "--pipeline", "deal", "--json").object
        #expect(int(board["pipeline"]) == 2)
        #expect(str(board["type"]) == "deal")
        let stages = (board["stages"] as? [[String: Any]]) ?? []
        #expect(stages.count == 7)
        let won = stages.first { str($0["code"]) == "WON" } ?? [:]
        #expect(int(won["count"]) == 1)
        let element = ((won["elements"] as? [[String: Any]]) ?? []).first ?? [:]
        expectKeys(element, ElementCommandTests.elementKeys)
        #expect(str(element["title"]) == "Deal 1")
    }

    @Test func textShowsEveryStageWithItsCountInEightyColumnsWithoutEscapes() {
        let cli = CLI()
        makeHistory(cli)
        let run = cli.run("board", env: plainTerminal)
        #expect(run.code == 0, "\(run)")
        #expect(widestLine(run.out) <= 80, "\(run.out)")
        #expect(!run.out.contains("\u{1B}"))
        let lines = run.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "Leads (lead pipeline 1): 12 elements")
        let header = lines.first { $0.hasPrefix("NEW") } ?? ""
        #expect(header.split(separator: " ", omittingEmptySubsequences: true)
            == ["NEW", "4", "IN_PROCESS", "4", "PROCESSED", "1", "✓", "CONVERTED", "2", "✗", "JUNK", "1"])
        #expect(run.out.contains("#12 Lead 12"))
        #expect(run.out.contains("#9 Lead 9"))
        #expect(!run.out.contains("more"))
        let limited = cli.run("board", "--limit", "1", env: plainTerminal)
        #expect(limited.out.contains("#12 Lead 12"))
        #expect(!limited.out.contains("#11 Lead 11"))
        #expect(limited.out.components(separatedBy: "+3 more").count == 3, "\(limited.out)")  // NEW and IN_PROCESS
    }

    @Test func narrowTerminalsGetBandsThatFit() {
        let cli = CLI()
        makeHistory(cli)
        for width in [40, 60, 100] {
            let run = cli.run("board", "--pipeline", "deal", env: ["COLUMNS": String(width), "NO_COLOR": "1"])
            #expect(run.code == 0, "\(run)")
            #expect(widestLine(run.out) <= width, "\(width):\n\(run.out)")
            for code in ["NEW", "PREPARATION", "EXECUTING", "FINAL_INVOICE", "WON", "LOSE"] {
                #expect(run.out.contains(String(code.prefix(8))), "\(code) at \(width):\n\(run.out)")
            }
        }
        #expect(BoardLayout(width: 80, colour: false).bandSizes(7) == [4, 3])
        #expect(BoardLayout(width: 80, colour: false).bandSizes(5) == [5])
        #expect(BoardLayout(width: 120, colour: false).bandSizes(7) == [7])
        #expect(BoardLayout(width: 20, colour: false).bandSizes(3) == [1, 1, 1])
    }

    @Test func titlesCannotDriveTheTerminal() {
        let cli = CLI()
        _ = cli.lead("Evil \u{1B}[31mred\u{1B}[0m\nsecond line")
        let run = cli.run("board", env: ["COLUMNS": "200"])
        #expect(!run.out.contains("\u{1B}"))
        #expect(run.out.contains("#1 Evil ?[31mred?[0m second line"), "\(run.out)")
    }

    @Test func colourOnlyWhenTheLayoutIsToldSo() {
        let pipeline = Pipeline(id: 1, type: .lead, name: "Leads", stages: [
            Stage(code: "NEW", name: "New", semantic: .process), Stage(code: "WON", name: "Won", semantic: .success),
            Stage(code: "LOST", name: "Lost", semantic: .failure),
        ])
        let columns = pipeline.stages.map { BoardColumn(stage: $0, count: 0, newest: []) }
        let coloured = BoardLayout(width: 80, colour: true).render(pipeline, columns)
        #expect(coloured.contains("\u{1B}[1;32m✓ WON"))
        #expect(coloured.contains("\u{1B}[1;31m✗ LOST"))
        let plain = BoardLayout(width: 80, colour: false).render(pipeline, columns)
        #expect(!plain.contains("\u{1B}"))
        #expect(widestLine(plain) <= 80)
    }

    @Test func unknownPipelineAndBadLimit() {
        let cli = CLI()
        #expect(cli.run("board", "--pipeline", "9").code == 66)
        #expect(cli.run("board", "--pipeline", "x").code == 66)  // no pipeline has that name
        #expect(cli.run("board", "--limit", "-1").code == 64)
    }

    @Test func displayWidthCountsWideCharactersTwice() {
        #expect("Köln".displayWidth == 4)
        #expect("東京".displayWidth == 4)
        #expect("東京タワー".truncated(toWidth: 5) == "東京…")
        #expect("e\u{301}".displayWidth == 1)
        #expect("abc".truncated(toWidth: 3) == "abc")
        #expect("abcd".truncated(toWidth: 3) == "ab…")
    }
}
