import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// `board --html` and `report --html` as text: what the pages hold, that they load and run nothing, and that
/// database text cannot become markup. (BrowserTests loads them in Chromium.)
@Suite struct HTMLPageTests {
    /// The values of `attribute` in `html`, in order.
    func values(of attribute: String, in html: String) -> [String] {
        html.components(separatedBy: " \(attribute)=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func boardPageHasAColumnPerStageWithItsCountAndNewestCards() {
        let cli = CLI()
        makeHistory(cli)
        _ = cli.run("element", "set", "9", "--responsible", "carla")
        let run = cli.run("board", "--html", "--limit", "2")
        #expect(run.code == 0, "\(run)")
        #expect(run.err.isEmpty)
        let page = run.out
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(page.hasSuffix("</html>\n"))
        #expect(values(of: "data-stage", in: page) == ["NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK"])
        #expect(page.components(separatedBy: "<span class=\"count\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
            == ["4", "4", "1", "2", "1"])
        #expect(page.contains("<section class=\"stage success\" data-stage=\"CONVERTED\""))
        #expect(page.contains("<span class=\"code\">✓ CONVERTED</span>"))
        #expect(page.contains("<section class=\"stage failure\" data-stage=\"JUNK\""))
        #expect(page.contains("<span class=\"code\">✗ JUNK</span>"))
        // The newest two of NEW (12, 11 … 9) and how many more; lead 9 has a responsible since the set.
        #expect(values(of: "data-element", in: page).prefix(2) == ["12", "11"])
        #expect(page.contains("<p class=\"more\">+2 more</p>"))
        #expect(cli.run("board", "--html").out.contains("<span class=\"title\">#9 Lead 9</span><span class=\"meta\">carla · "))
        // Lead 7 was moved to IN_PROCESS on 15 November at 10:00; the clock says 24 November 09:00.
        #expect(page.contains(
            "<time datetime=\"2026-11-15T10:00:00Z\" title=\"in IN_PROCESS since 2026-11-15T10:00:00Z\">8d 23h in stage</time>"))
        #expect(page.contains("Generated <time datetime=\"2026-11-24T09:00:00Z\">2026-11-24T09:00:00Z</time>"))
        // A server's URI holds "&"s.
        #expect(page.contains("<code class=\"database\">\(cli.db.replacingOccurrences(of: "&", with: "&amp;"))</code>"))
    }

    @Test func reportPageDrawsTheFunnelAndTheMovesPerDayAndHoldsTheTables() {
        let cli = CLI()
        makeHistory(cli)
        let run = cli.run("report", "--html")
        #expect(run.code == 0, "\(run)")
        let page = run.out
        // Lead pipeline: 12 created in NEW; 7 moves into IN_PROCESS (leads 1–7), lead 8 by hand to PROCESSED,
        // leads 1 and 2 paid (CONVERTED), lead 3 spam (JUNK). The deals: 3 created, deal 13 paid (WON).
        let lead = page.components(separatedBy: "<svg class=\"funnel\" data-pipeline=\"1\"").dropFirst().first
            .map { $0.components(separatedBy: "</svg>")[0] } ?? ""
        #expect(values(of: "data-stage", in: lead) == ["NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK"])
        #expect(values(of: "data-entered", in: lead) == ["12", "7", "1", "2", "1"])
        #expect(lead.contains("<text class=\"figure\" x=\"100%\" y=\"54\" text-anchor=\"end\">7 · 58%</text>"), "\(lead)")
        #expect(lead.contains("<text class=\"figure\" x=\"100%\" y=\"174\" text-anchor=\"end\">1</text>"), "a failure: no rate")
        #expect(page.contains("<svg class=\"funnel\" data-pipeline=\"2\""))
        // Moves per day: 6 on 2 November, 2 on the 5th, then one each on the 10th, 12th, 15th and 24th.
        #expect(values(of: "data-day", in: page) == [
            "2026-11-02", "2026-11-05", "2026-11-10", "2026-11-12", "2026-11-15", "2026-11-24",
        ])
        #expect(values(of: "data-moves", in: page) == ["6", "2", "1", "1", "1", "1"])
        // The text report's tables, and no automation tables before rules exist.
        for title in ["Moves per trigger", "Moves per stage", "Events per type"] {
            #expect(page.contains("<h2>\(title)</h2>"), "\(title)")
        }
        #expect(page.contains("<td class=\"text\">call back</td><td class=\"text\">call.missed</td><td class=\"number\">7</td>"))
        #expect(!page.contains("Jobs per rule"))
        #expect(page.contains("<span class=\"label\">Conversion</span><span class=\"value\">75%</span>"))
        // One pipeline: its funnel alone.
        let deals = cli.run("report", "--html", "--pipeline", "deal", "--since", "2026-11-10").out
        #expect(!deals.contains("data-pipeline=\"1\""))
        #expect(values(of: "data-entered", in: deals) == ["3", "0", "0", "0", "0", "1", "0"], "created on the 24th")
        #expect(deals.contains("<h1>Report: pipeline 2 (General), since 2026-11-10T00:00:00Z</h1>"))
    }

    @Test func reportPageCountsJobsPerRuleAndMessagesPerStatusOnceRulesRun() {
        let cli = CLI()
        _ = cli.run("rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "sms", "--text", "Hallo {title}")
        _ = cli.run("rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "later", "--after", "1d")
        _ = cli.lead("with phone", "--phone", "+49 30 1")
        _ = cli.lead("without phone")
        let page = cli.run("report", "--html").out
        #expect(page.contains("<h2>Jobs per rule</h2>"))
        #expect(page.contains(
            "<th scope=\"col\" class=\"number\">PENDING</th><th scope=\"col\" class=\"number\">DONE</th>"))
        // The sms: done for one, failed (no recipient) for the other; the note: both pending.
        #expect(page.contains(
            "<td class=\"number\">1</td><td class=\"text\">NEW: sms</td><td class=\"text\">sms</td><td class=\"number\">0</td>"
                + "<td class=\"number\">1</td><td class=\"number\">0</td><td class=\"number\">0</td><td class=\"number\">1</td>"))
        #expect(page.contains("<td class=\"text\">pending</td><td class=\"number\">1</td>"))
        #expect(page.contains("<td class=\"text\">delivered</td><td class=\"number\">0</td>"))
    }

    @Test func databaseTextIsEscapedAndControlCharactersShowAsQuestionMarks() {
        let cli = CLI()
        let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> \"q\" 'a' & \u{1B}[31mred\nline"
        _ = cli.run("pipeline", "create", "--type", "deal", "--name", "</title><script>alert(3)</script>",
                    "--stages", "NEW:<b>New</b>,WON:Won:success,LOST:Lost:failure")
        _ = cli.lead(hostile, "--responsible", "<i>x</i>")
        _ = cli.deal(hostile, "--pipeline", "3")
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &quot;q&quot; &#39;a&#39; &amp; ?[31mred line"
        for page in [cli.run("board", "--html").out, cli.run("board", "--html", "--pipeline", "3").out,
                     cli.run("report", "--html").out] {
            #expect(!page.contains("<script"), "\(page)")
            #expect(!page.contains("<img"))
            #expect(!page.contains("<b>") && !page.contains("<i>"))
            #expect(!page.contains("\u{1B}"))
        }
        let board = cli.run("board", "--html").out
        #expect(board.contains("<span class=\"title\">#1 \(escaped)</span>"), "\(board)")
        #expect(board.contains("&lt;i&gt;x&lt;/i&gt; · "))
        let deals = cli.run("board", "--html", "--pipeline", "3").out
        #expect(deals.contains("<title>Board: &lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;</title>"))
        #expect(deals.contains("<p class=\"name\">&lt;b&gt;New&lt;/b&gt;</p>"))
        #expect(cli.run("report", "--html").out.contains("<text x=\"0\" y=\"14\">&lt;b&gt;New&lt;/b&gt;</text>"))
    }

    /// Everything inline: nothing a browser would fetch (no src, href, url() or @import, no link or script
    /// element), and a Content-Security-Policy that would refuse it anyway.
    @Test func pagesLoadNothingAndRunNothing() {
        let cli = CLI()
        makeHistory(cli)
        _ = cli.run("rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "webhook", "--url", "https://hooks.example/x")
        _ = cli.lead("one more")
        for page in [cli.run("board", "--html").out, cli.run("report", "--html").out] {
            #expect(page.contains(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; "
                    + "img-src data:; base-uri &#39;none&#39;; form-action &#39;none&#39;\"/>"))
            for fetching in ["http://", "https://", "src=", "href=", "url(", "@import", "<link", "<script", "<iframe",
                             "<object", "<embed", "xlink", "<use"] {
                #expect(!page.contains(fetching), "\(fetching)")
            }
        }
    }

    @Test func htmlAndJSONTogetherIsAUsageError() {
        let cli = CLI()
        for arguments in [["board", "--html", "--json"], ["--json", "board", "--html"], ["report", "--html", "--json"]] {
            let run = cli.runArgs(arguments + ["--db", cli.db])
            #expect(run.code == 64)
            #expect(run.out.isEmpty)
            #expect(run.err.contains("--html and --json cannot be used together"), "\(run)")
        }
        let run = cli.run("report", "--html", "--since", "soon")
        #expect(run.code == 64)
        #expect(run.out.isEmpty)
        #expect(cli.run("board", "--html", "--pipeline", "9").code == 66)
    }

    @Test func timeInStageShowsItsTwoLargestUnits() {
        func elapsed(_ minutes: Int64) -> String {
            HTMLBoardPage.elapsed(from: .init(milliseconds: 0), to: .init(milliseconds: minutes * 60_000))
        }
        #expect(elapsed(0) == "<1m")
        #expect(elapsed(7) == "7m")
        #expect(elapsed(60) == "1h")
        #expect(elapsed(312) == "5h 12m")
        #expect(elapsed(3 * 1440 + 240 + 5) == "3d 4h")
        #expect(elapsed(2 * 1440) == "2d")
        #expect(elapsed(-5) == "<1m", "an entry dated after the clock")
        #expect(SVGLength.percent(0.1234) == "12.34%")
        #expect(SVGLength.percent(1) == "100.00%")
        #expect(SVGLength.percent(0.005) == "0.50%")
    }
}
