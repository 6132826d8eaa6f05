import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §3 "Lists stream": `element list` and `event list` print as they read; `--after`, `--last`,
/// `--since`, and `element list`'s `--email`, `--phone`, `--responsible`, `--search`.
@Suite struct ListStreamTests {
    func elementIDs(_ cli: CLI, _ extra: String...) -> [Int] {
        let run = cli.runArgs(["element", "list", "--json"] + extra + ["--db", cli.db])
        #expect(run.code == 0, "\(extra): \(run)")
        return run.array.compactMap { int($0["id"]) }
    }

    func eventIDs(_ cli: CLI, _ extra: String...) -> [Int] {
        let run = cli.runArgs(["event", "list", "--json"] + extra + ["--db", cli.db])
        #expect(run.code == 0, "\(extra): \(run)")
        return run.array.compactMap { int($0["id"]) }
    }

    /// Five leads: 1 Acme (anna), 2 ACME Deal, 3 Café, 4 other, 5 Beta (anna).
    func fiveLeads(_ cli: CLI) {
        _ = cli.lead("Acme GmbH", "--responsible", "anna", "--email", "Info@Acme.example", "--phone", "+49 30 1234-5")
        _ = cli.lead("Big ACME deal", "--responsible", "bob", "--email", "bob@example.com")
        _ = cli.lead("Café Ümlaut", "--phone", "030 12345")
        _ = cli.lead("100% off_", "--email", "info@acme.example")
        _ = cli.lead("Beta", "--responsible", "anna")
    }

    @Test func elementListFiltersByEmailWithoutCase() {
        let cli = CLI()
        fiveLeads(cli)
        #expect(elementIDs(cli, "--email", "INFO@acme.Example") == [1, 4])
        #expect(elementIDs(cli, "--email", "bob@example.com") == [2])
        #expect(elementIDs(cli, "--email", "nobody@example.com") == [])
        #expect(cli.run("element", "list", "--email", "nobody@example.com", "--json").trimmed == "[]")
    }

    @Test func elementListFiltersByPhoneDigits() {
        let cli = CLI()
        fiveLeads(cli)
        #expect(elementIDs(cli, "--phone", "+4930 12345") == [1])
        #expect(elementIDs(cli, "--phone", "(030) 123-45") == [3])
        #expect(elementIDs(cli, "--phone", "030 1234") == [])
        #expect(elementIDs(cli, "--phone", "no digits") == [])
    }

    @Test func elementListFiltersByResponsible() {
        let cli = CLI()
        fiveLeads(cli)
        #expect(elementIDs(cli, "--responsible", "anna") == [1, 5])
        #expect(elementIDs(cli, "--responsible", "bob") == [2])
        #expect(elementIDs(cli, "--responsible", "carl") == [])
    }

    @Test func elementListSearchesTheTitleAsASubstringWithoutCase() {
        let cli = CLI()
        fiveLeads(cli)
        #expect(elementIDs(cli, "--search", "acme") == [1, 2])
        #expect(elementIDs(cli, "--search", "ME D") == [2])
        #expect(elementIDs(cli, "--search", "Café") == [3])
        #expect(elementIDs(cli, "--search", "%") == [4], "no LIKE patterns: % and _ are themselves")
        #expect(elementIDs(cli, "--search", "_") == [4])
        #expect(elementIDs(cli, "--search", "' OR 1=1 --") == [], "the text is bound, not spliced into SQL")
        #expect(elementIDs(cli, "--search", "acme", "--responsible", "anna") == [1])
        #expect(elementIDs(cli, "--search", "a", "--type", "deal") == [])
    }

    @Test func elementListAfterLastAndLimit() {
        let cli = CLI()
        fiveLeads(cli)
        #expect(elementIDs(cli, "--after", "2") == [3, 4, 5], "ids greater than the cursor")
        #expect(elementIDs(cli, "--after", "5") == [])
        #expect(elementIDs(cli, "--after", "0") == [1, 2, 3, 4, 5])
        #expect(elementIDs(cli, "--last", "2") == [4, 5], "the last two, in id order")
        #expect(elementIDs(cli, "--last", "9") == [1, 2, 3, 4, 5])
        #expect(elementIDs(cli, "--last", "0") == [])
        #expect(elementIDs(cli, "--after", "1", "--limit", "2") == [2, 3], "a page after a cursor")
        #expect(elementIDs(cli, "--last", "3", "--limit", "2") == [3, 4], "the first two of the last three")
        #expect(elementIDs(cli, "--after", "2", "--last", "1") == [5])
        #expect(elementIDs(cli, "--after", "1", "--last", "3", "--limit", "1") == [3])
        #expect(elementIDs(cli, "--responsible", "anna", "--last", "1") == [5])
        let text = cli.run("element", "list", "--last", "2")
        #expect(text.code == 0, "\(text)")
        #expect(text.out == "ID  TYPE  PIPELINE  STAGE  RESPONSIBLE  TITLE\n4  lead  1  NEW  -  100% off_\n5  lead  1  NEW  anna  Beta\n",
                "\(text)")
    }

    @Test("negative or malformed numbers are usage errors", arguments: [
        ["element", "list", "--last", "-1"], ["element", "list", "--after", "-1"], ["element", "list", "--limit", "-1"],
        ["element", "list", "--last", "x"], ["element", "list", "--after", "x"],
        ["event", "list", "--last", "-1"], ["event", "list", "--after", "-1"], ["event", "list", "--limit", "-1"],
        ["event", "list", "--last", "x"], ["event", "list", "--since", "yesterday"],
        ["event", "list", "--since", "2026-13-01T00:00:00Z"],
    ])
    func badNumbersAndTimesAreUsageErrors(_ arguments: [String]) {
        let cli = CLI()
        _ = cli.lead()
        let run = cli.runArgs(arguments + ["--db", cli.db])
        #expect(run.code == 64, "\(arguments): \(run)")
        #expect(run.out.isEmpty, "\(arguments): \(run)")
    }

    /// Events 1–6 at 09:00, 10:00, … 14:00 on 2026-11-24; 1, 3, 5 for lead 1, the others for lead 2.
    func sixEvents(_ cli: CLI) {
        let a = cli.lead("A"), b = cli.lead("B")
        for hour in 9...14 {
            _ = cli.inject(
                "--type", hour % 2 == 1 ? "call.missed" : "email.received", "--element", String(hour % 2 == 1 ? a : b),
                "--at", "2026-11-24T\(hour < 10 ? "0" : "")\(hour):00:00Z", "--key", "e-\(hour)")
        }
    }

    @Test func eventListAfterLastSinceAndLimit() {
        let cli = CLI()
        sixEvents(cli)
        #expect(eventIDs(cli) == [1, 2, 3, 4, 5, 6])
        #expect(eventIDs(cli, "--after", "4") == [5, 6])
        #expect(eventIDs(cli, "--after", "6") == [])
        #expect(eventIDs(cli, "--last", "2") == [5, 6], "the last two, in id order")
        #expect(eventIDs(cli, "--last", "0") == [])
        #expect(eventIDs(cli, "--last", "4", "--limit", "2") == [3, 4], "the first two of the last four")
        #expect(eventIDs(cli, "--after", "2", "--limit", "2") == [3, 4], "a page after a cursor")
        #expect(eventIDs(cli, "--after", "2", "--last", "1", "--limit", "5") == [6])
        #expect(eventIDs(cli, "--element", "1", "--last", "2") == [3, 5])
        #expect(eventIDs(cli, "--type", "email.received", "--after", "2") == [4, 6])
        #expect(eventIDs(cli, "--since", "2026-11-24T12:00:00Z") == [4, 5, 6], "since: inclusive, by at")
        #expect(eventIDs(cli, "--since", "2026-11-24T13:00:00+01:00") == [4, 5, 6], "an offset is converted")
        #expect(eventIDs(cli, "--since", "2026-11-24T12:00:01Z") == [5, 6])
        #expect(eventIDs(cli, "--since", "2026-11-25") == [], "a date is its midnight UTC")
        #expect(eventIDs(cli, "--since", "2026-11-24") == [1, 2, 3, 4, 5, 6])
        #expect(eventIDs(cli, "--since", "2026-11-24T10:00:00Z", "--element", "1", "--last", "1") == [5])
        #expect(eventIDs(cli, "--since", "2026-11-24T10:00:00Z", "--limit", "2") == [2, 3])
    }

    @Test func eventListTextStreamsALinePerEvent() {
        let cli = CLI()
        sixEvents(cli)
        let run = cli.run("event", "list", "--last", "2")
        #expect(run.code == 0, "\(run)")
        #expect(run.err.isEmpty)
        #expect(run.out == """
            ID  AT  TYPE  ELEMENT  STATUS  KEY  MOVES
            5  2026-11-24T13:00:00Z  call.missed  1  recorded  e-13  -
            6  2026-11-24T14:00:00Z  email.received  2  recorded  e-14  -

            """, "\(run)")
        #expect(cli.run("event", "list", "--after", "6").out.isEmpty, "no rows, no header (as job list)")
    }

    @Test func jsonIsOneArrayWrittenAsItIsRead() {
        let cli = CLI()
        sixEvents(cli)
        let events = cli.run("event", "list", "--json", "--after", "3")
        #expect(events.code == 0, "\(events)")
        #expect(events.out.hasPrefix("[{") && events.out.hasSuffix("}]\n"), "\(events)")
        #expect(events.out.filter { $0 == "\n" }.count == 1, "one JSON document on one line")
        #expect(events.array.compactMap { int($0["id"]) } == [4, 5, 6])
        #expect(events.array.compactMap { str($0["key"]) } == ["e-12", "e-13", "e-14"])
        let elements = cli.run("element", "list", "--json", "--last", "1")
        #expect(elements.array.compactMap { str($0["title"]) } == ["B"])
        #expect(cli.run("element", "list", "--json", "--after", "2").out == "[]\n")
        #expect(cli.run("event", "list", "--json", "--since", "2030-01-01").out == "[]\n")
    }

    @Test func theStreamedListsAreTheSameAsBefore() {
        let cli = CLI()
        sixEvents(cli)
        let all = cli.events()
        #expect(all.count == 6)
        var paged: [[String: Any]] = []
        var cursor = 0
        while true {
            let page = cli.events("--after", String(cursor), "--limit", "4")
            guard let last = page.last.flatMap({ int($0["id"]) }) else { break }
            paged += page
            cursor = last
        }
        #expect(paged.compactMap { int($0["id"]) } == all.compactMap { int($0["id"]) }, "paging with a cursor sees every event once")
    }
}
