import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// Text output for people: every table goes through one renderer, which pads by terminal columns and shows
/// control characters in user data as "?"; the other text views show them the same way; JSON stays exact.
@Suite struct TextOutputTests {
    static let escape = "\u{1B}"
    /// A title that would turn a terminal red.
    static let red = "x\u{1B}[31my"

    /// The terminal column at which `text` starts in `line`.
    func column(of text: String, in line: Substring) -> Int? {
        line.range(of: text).map { String(line[..<$0.lowerBound]).displayWidth }
    }

    /// The byte scan that finds control characters agrees with the scalar test on C0, DEL and C1 (two bytes in
    /// UTF-8), and leaves other two-byte characters alone.
    @Test func printableReplacesEveryControlCharacterAndNothingElse() {
        #expect("plain ASCII text".printable == "plain ASCII text")
        #expect("Grüße, Ärger, 名前, 🙂".printable == "Grüße, Ärger, 名前, 🙂")
        #expect("no\u{A0}break ¢".printable == "no\u{A0}break ¢", "U+00A0 and U+00A2 start with 0xC2 too")
        #expect("a\u{85}b\u{9F}c\u{80}".printable == "a?b?c?", "C1 controls")
        #expect("tab\tline\nreturn\r\u{1B}[0m\u{7F}".printable == "tab line return ?[0m?")
        #expect("é\u{1}".printable == "é?")
    }

    @Test func elementListShowsAnEscapeAsAQuestionMark() {
        let cli = CLI()
        _ = cli.lead(Self.red)
        for env in [[:], ["COLUMNS": "200"], ["TERM": "xterm-256color"]] {
            let run = cli.run("element", "list", env: env)
            #expect(run.code == 0, "\(run)")
            #expect(!run.out.contains(Self.escape), "\(run)")
            #expect(run.out.contains("x?[31my"), "\(run)")
        }
        let json = cli.run("element", "list", "--json")
        #expect(str(json.array.first?["title"]) == Self.red, "JSON keeps the title exact")
    }

    @Test func elementListIsNotCutToTheTerminal() {
        let cli = CLI()
        let title = String(repeating: "long title ", count: 30)
        _ = cli.lead(title)
        let run = cli.run("element", "list", env: ["COLUMNS": "40"])
        #expect(run.out.contains(title), "\(run)")
        #expect(!run.out.contains("…"))
    }

    /// `element list` streams: it cannot know the widths in advance, so its columns are separated by two
    /// spaces and not padded (the table renderer's padding by display width is checked below).
    @Test func streamedListsSeparateTheirColumnsByTwoSpaces() {
        let cli = CLI()
        _ = cli.lead("Alpha", "--responsible", "東京太郎")
        _ = cli.lead("Beta")
        let run = cli.run("element", "list")
        #expect(run.out == "ID  TYPE  PIPELINE  STAGE  RESPONSIBLE  TITLE\n1  lead  1  NEW  東京太郎  Alpha\n2  lead  1  NEW  -  Beta\n",
                "\(run)")
    }

    @Test func tableRendererPadsByDisplayWidthAndCutsOnlyWhenGivenAWidth() {
        let table = TextTable(
            header: ["ID", "NAME", "N"], rows: [["1", "東京", "7"], ["22", "a\u{07}b\nc", "10"]], numeric: [2], shrinking: 1)
        #expect(table.render() == "ID  NAME    N\n1   東京    7\n22  a?b c  10")
        #expect(table.render(width: 12) == "ID  NAME   N\n1   東京   7\n22  a?b…  10")
    }

    @Test func everyListTableShowsControlCharactersAsQuestionMarks() {
        let cli = CLI()
        let lead = cli.lead(Self.red, "--responsible", Self.red)
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--name", Self.red)
        let pipeline = cli.run("pipeline", "create", "--type", "deal", "--name", Self.red, "--stages", "A:\(Self.red),W:Won:success,L:Lost:failure")
        #expect(pipeline.code == 0, "\(pipeline)")
        let document = cli.run("document", "create", "--element", String(lead), "--template", "offer", "--title", Self.red, "--ref", Self.red)
        #expect(document.code == 0, "\(document)")
        _ = cli.inject("--type", "call.missed", "--element", String(lead), "--key", Self.red)
        let commands: [[String]] = [
            ["element", "list"], ["trigger", "list"], ["pipeline", "list"], ["pipeline", "show", "3"],
            ["document", "list"], ["event", "list"],
        ]
        for command in commands {
            let run = cli.runArgs(command + ["--db", cli.db])
            #expect(run.code == 0, "\(command): \(run)")
            #expect(!run.out.contains(Self.escape), "\(command): \(run)")
            #expect(run.out.contains("x?[31my"), "\(command): \(run)")
        }
    }

    @Test func showHistoryAndExplainShowControlCharactersAsQuestionMarks() {
        let cli = CLI()
        let lead = cli.lead(Self.red, "--responsible", Self.red, "--field", "note=\(Self.red)", "--email", "a@example.com")
        let trigger = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--name", Self.red, "--as", Self.red)
        let document = cli.run("document", "create", "--element", String(lead), "--template", "offer", "--title", Self.red)
        #expect(document.code == 0, "\(document)")
        let event = cli.inject("--type", "call.missed", "--element", String(lead), "--by", Self.red, "--set", "line=\(Self.red)")
        let commands: [[String]] = [
            ["element", "show", String(lead)], ["trigger", "show", String(trigger)], ["document", "show", "1"],
            ["history", String(lead)], ["event", "explain", String(int(event["event"]) ?? 0)],
        ]
        for command in commands {
            let run = cli.runArgs(command + ["--db", cli.db])
            #expect(run.code == 0, "\(command): \(run)")
            #expect(!run.out.contains(Self.escape), "\(command): \(run)")
            #expect(run.out.contains("x?[31my"), "\(command): \(run)")
        }
        // An event's summary line and its notes are text for people too.
        let opened = cli.run("event", "inject", "--type", "email.opened", "--element", String(lead), "--set", "email=\(Self.red)")
        #expect(opened.code == 0, "\(opened)")
        #expect(!opened.out.contains(Self.escape), "\(opened)")
        #expect(opened.out.contains("note: email \"x?[31my\" was not sent"), "\(opened)")
        // JSON keeps user data exact.
        #expect(str(cli.element(lead)["title"]) == Self.red)
        #expect((cli.element(lead)["fields"] as? [String: String])?["note"] == Self.red)
        #expect(cli.history(lead).contains { str($0["author"]) == Self.red })
    }
}
