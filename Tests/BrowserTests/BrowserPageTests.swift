import CRMTestSupport
import Foundation
import Testing

/// The board and report pages in a real browser: headless Chromium loads each from a file with the network off
/// and the tests read the DOM it rendered. One load at a time: each starts a whole browser.
@Suite(.serialized) struct BrowserPageTests {
    /// A small history: five leads — two moved on by a trigger, one of them on to success, one to failure —
    /// and a deal; the clock is 24 November 2026.
    func history(_ cli: CLI) {
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        _ = cli.trigger("--on", "payment.received", "--pipeline", "lead", "--stage", "CONVERTED")
        for number in 1...5 { _ = cli.lead("Lead \(number)", "--responsible", "anna") }
        _ = cli.deal("Deal 1")
        _ = cli.inject("--type", "call.missed", "--element", "1", "--at", "2026-11-20T10:00:00Z")
        _ = cli.inject("--type", "call.missed", "--element", "2", "--at", "2026-11-21T10:00:00Z")
        _ = cli.inject("--type", "payment.received", "--element", "1", "--at", "2026-11-22T10:00:00Z")
        #expect(cli.run("element", "move", "3", "--stage", "JUNK").code == 0)
    }

    func page(_ cli: CLI, _ arguments: String...) -> String {
        let run = cli.runArgs(arguments + ["--html", "--db", cli.db])
        #expect(run.code == 0, "\(run)")
        return run.out
    }

    /// Each stage column Chromium rendered: its code, its semantic and the count it shows.
    func columns(_ dom: String) throws -> [(code: String, semantic: String, count: String)] {
        let column = try Regex(#"<section class="stage (\w+)" data-stage="(\w+)"[^>]*><h2><span class="code">[^<]*</span><span class="count">(\d+)</span>"#)
        return dom.matches(of: column).map { match in
            (String(match.output[2].substring ?? ""), String(match.output[1].substring ?? ""), String(match.output[3].substring ?? ""))
        }
    }

    @Test func theBoardShowsEveryStageColumnWithItsCount() throws {
        let browser = try Chromium()
        let cli = CLI()
        history(cli)
        let load = try browser.load(try browser.write(page(cli, "board"), to: "board.html"))
        let shown = try columns(load.dom)
        #expect(shown.map(\.code) == ["NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK"], "\(load.dom)")
        #expect(shown.map(\.count) == ["2", "1", "0", "1", "1"])
        #expect(shown.map(\.semantic) == ["process", "process", "process", "success", "failure"])
        #expect(load.dom.contains("<span class=\"title\">#5 Lead 5</span>"))
        #expect(load.pageRequests.isEmpty, "\(load.pageRequests)")
    }

    @Test func theReportDrawsTheFunnelAndTheMovesPerDay() throws {
        let browser = try Chromium()
        let cli = CLI()
        history(cli)
        let load = try browser.load(try browser.write(page(cli, "report"), to: "report.html"))
        let funnel = try Regex(#"<svg class="funnel" data-pipeline="1"[^>]*>(.*?)</svg>"#).dotMatchesNewlines()
        let chart = try #require(load.dom.firstMatch(of: funnel).map { String($0.output[1].substring ?? "") }, "no funnel in \(load.dom)")
        let stage = try Regex(#"<g class="stage \w+" data-stage="(\w+)" data-entered="(\d+)">"#)
        let stages = chart.matches(of: stage).map { "\($0.output[1].substring ?? "") \($0.output[2].substring ?? "")" }
        #expect(stages == ["NEW 5", "IN_PROCESS 2", "PROCESSED 0", "CONVERTED 1", "JUNK 1"])
        #expect(chart.components(separatedBy: "<rect class=\"bar\"").count - 1 == 5, "a bar per stage")
        let days = try Regex(#"<rect class="bar" data-day="([\d-]+)" data-moves="(\d+)""#)
        #expect(load.dom.matches(of: days).map { "\($0.output[1].substring ?? "") \($0.output[2].substring ?? "")" } == [
            "2026-11-20 1", "2026-11-21 1", "2026-11-22 1", "2026-11-24 1",
        ])
        #expect(load.pageRequests.isEmpty, "\(load.pageRequests)")
    }

    /// Texts full of addresses — a webhook rule, a link trigger, a title naming an image — and still the pages
    /// ask the network for nothing.
    @Test func noRequestLeavesThePages() throws {
        let browser = try Chromium()
        let cli = CLI()
        history(cli)
        _ = cli.run("rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "webhook", "--url", "https://hooks.example/crm")
        _ = cli.trigger("--on", "email.link_clicked", "--url", "https://shop.example/pricing", "--pipeline", "lead",
                        "--stage", "PROCESSED")
        _ = cli.lead("https://tracker.example/pixel.png url(https://tracker.example/a.css)")
        for (name, html) in [("board.html", page(cli, "board")), ("report.html", page(cli, "report"))] {
            let load = try browser.load(try browser.write(html, to: name))
            #expect(load.pageRequests.isEmpty, "\(name): \(load.pageRequests)")
        }
    }

    /// The probe of the test above sees a request when a page makes one (were it blind, that test would prove
    /// nothing).
    @Test func theNetworkProbeSeesARequestWhenAPageMakesOne() throws {
        let browser = try Chromium()
        let canary = try browser.write(
            "<!DOCTYPE html><html><body><img src=\"http://canary.invalid/x.png\"></body></html>", to: "canary.html")
        #expect(try browser.load(canary).pageRequests == ["http://canary.invalid/x.png"])
    }

    static let hostile = [
        "<script>document.title='pwned'</script>",
        "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">",
        "</style></textarea><svg onload=\"document.body.setAttribute('data-pwned','svg')\">",
    ]

    /// Titles, names and a pipeline that are markup stay text, with the page's Content-Security-Policy and
    /// without it (escaping alone holds): no script runs, no element is made of them.
    @Test func escapedTitlesRunNoScript() throws {
        let browser = try Chromium()
        let cli = CLI()
        // A stage name has neither comma nor colon (they part --stages).
        let created = cli.run("pipeline", "create", "--type", "deal", "--name", Self.hostile[0], "--stages",
                              "NEW:<img src=x onerror=\"document.title='pwned'\">,WON:Won:success,LOST:Lost:failure")
        #expect(created.code == 0, "\(created)")
        for title in Self.hostile {
            _ = cli.lead(title, "--responsible", Self.hostile[2])
            _ = cli.deal(title, "--pipeline", "3")
        }
        let pages = [("board", page(cli, "board")), ("deals", page(cli, "board", "--pipeline", "3")), ("report", page(cli, "report"))]
        for (name, html) in pages {
            let withoutPolicy = html.replacingOccurrences(
                of: #"<meta http-equiv="Content-Security-Policy" content="[^"]*"/>"#, with: "", options: .regularExpression)
            #expect(withoutPolicy != html, "the policy was found and taken out")
            for (variant, text) in [("\(name).html", html), ("\(name)-without-policy.html", withoutPolicy)] {
                let dom = try browser.load(try browser.write(text, to: variant)).dom
                #expect(!dom.contains("pwned\""), "\(variant): a script ran:\n\(dom)")
                #expect(!dom.contains("<title>pwned</title>"), "\(variant)")
                for element in ["<script", "<img", "<svg onload", "<textarea"] {
                    #expect(!dom.contains(element), "\(variant): \(element) made of database text")
                }
                #expect(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"), "\(variant): shown as text")
            }
        }
    }

    /// The probe of the test above sees a script run when a page has one.
    @Test func theScriptProbeSeesAScriptRun() throws {
        let browser = try Chromium()
        let canary = try browser.write(
            "<!DOCTYPE html><html><head><title>t</title></head><body><img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
                + "<script>document.title='pwned'</script></body></html>", to: "canary.html")
        let dom = try browser.load(canary).dom
        #expect(dom.contains("<title>pwned</title>") && dom.contains("data-pwned=\"img\""), "\(dom)")
    }

    /// On a 390-pixel phone, a 1120-pixel laptop (where a wide table's panel takes two columns) and a 1920-pixel
    /// wall screen the page itself never scrolls sideways; a board of ten stages is wider than the wall screen
    /// and scrolls in its own box, and on the phone its stages stand one under the other.
    @Test func noPageScrollsSidewaysOnAPhoneOrAWallScreen() throws {
        let browser = try Chromium()
        let cli = CLI()
        history(cli)
        _ = cli.run("rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "hello {title}")
        _ = cli.lead("With a job")
        let stages = (1...8).map { "S\($0):Stage number \($0)" } + ["WON:Won:success", "LOST:Lost:failure"]
        _ = cli.run("pipeline", "create", "--type", "deal", "--name", "Ten stages", "--stages", stages.joined(separator: ","))
        _ = cli.deal(String(repeating: "Unbroken", count: 40), "--pipeline", "3", "--responsible", String(repeating: "x", count: 200))
        _ = cli.deal("A long title with many words " + String(repeating: "and more words ", count: 20), "--pipeline", "3")
        let pages = [
            "board": page(cli, "board"), "wide": page(cli, "board", "--pipeline", "3"), "report": page(cli, "report"),
        ]
        for (name, html) in pages { _ = try browser.write(html, to: "\(name).html") }
        // The harness frames each page at each width and writes what it measured on its own body.
        let frames = pages.keys.sorted().flatMap { name in
            [390, 1120, 1920].map { "<iframe id=\"\(name)-\($0)\" src=\"\(name).html\" style=\"width:\($0)px;height:900px;border:0\"></iframe>" }
        }
        let harness = try browser.write("""
            <!DOCTYPE html><html><body style="margin:0">\(frames.joined())<script>
            window.addEventListener('load', function () {
              for (const frame of document.querySelectorAll('iframe')) {
                const page = frame.contentDocument.documentElement;
                const board = frame.contentDocument.querySelector('.board');
                document.body.setAttribute('data-' + frame.id, [page.scrollWidth, page.clientWidth,
                  board ? board.scrollWidth : 0, board ? board.clientWidth : 0].join(' '));
              }
            });
            </script></body></html>
            """, to: "harness.html")
        let dom = try browser.load(harness, width: 2000, height: 1000, allowFileAccess: true).dom
        func measured(_ frame: String) throws -> [Int] {
            let value = try #require(dom.firstMatch(of: try Regex("data-\(frame)=\"([0-9 ]+)\"")), "\(frame) not measured: \(dom)")
            return (value.output[1].substring ?? "").split(separator: " ").compactMap { Int($0) }
        }
        for name in pages.keys.sorted() {
            for width in [390, 1120, 1920] {
                let figures = try measured("\(name)-\(width)")
                #expect(figures.count == 4 && figures[0] <= figures[1], "\(name) at \(width): page \(figures)")
                // The page's width less its vertical scroll bar, if it has one.
                #expect(figures.count == 4 && (width - 20...width).contains(figures[1]), "\(name) at \(width): \(figures)")
            }
        }
        let wall = try measured("wide-1920")
        #expect(wall[2] > wall[3], "ten stages scroll in the board's box on a wall screen: \(wall)")
        let phone = try measured("wide-390")
        #expect(phone[2] <= phone[3], "on a phone the stages stand one under the other: \(phone)")
    }
}
