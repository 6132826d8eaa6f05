import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// `element import --csv`: RFC 4180 rows, the same per-row results and exit codes as NDJSON import.
@Suite struct CSVImportTests {
    func importCSV(_ cli: CLI, _ text: String) -> Run {
        cli.runArgs(["element", "import", "--csv", "--db", cli.db], stdin: text)
    }

    @Test func quotedCommasLineBreaksQuotesAndUTF8() {
        let cli = CLI()
        let csv = "\u{FEFF}type,title,responsible,email,phone,stage,city,note\r\n"
            + "lead,\"Weiss, Clara\",anna,clara@example.com,+49 30 555,,Berlin,\"first line\r\nsecond line\"\r\n"
            + "deal,\"Müller & Söhne \"\"GmbH\"\"\",ben,,,PREPARATION,Köln,\r\n"
            + "lead,Jürgen Groß 東京,,,,JUNK,,\r\n"
        let run = importCSV(cli, csv)
        #expect(run.code == 0, "\(run)")
        #expect(run.err == "crmctl: import: 5 lines: 3 created\n")
        let results = run.lines
        #expect(results.map { int($0["line"]) } == [2, 4, 5])
        #expect(results.map { str($0["status"]) } == ["created", "created", "created"])
        #expect(results.map { int($0["element"]) } == [1, 2, 3])

        let clara = cli.element(1)
        #expect(str(clara["title"]) == "Weiss, Clara")
        #expect(str(clara["type"]) == "lead")
        #expect(str(clara["stage"]) == "NEW")
        #expect(str(clara["responsible"]) == "anna")
        #expect(str(clara["email"]) == "clara@example.com")
        #expect(str(clara["phone"]) == "+49 30 555")
        #expect((clara["fields"] as? [String: String]) == ["city": "Berlin", "note": "first line\nsecond line"])

        let firm = cli.element(2)
        #expect(str(firm["title"]) == "Müller & Söhne \"GmbH\"")
        #expect(str(firm["type"]) == "deal")
        #expect(str(firm["stage"]) == "PREPARATION")
        #expect(isNull(firm["email"]))
        #expect((firm["fields"] as? [String: String]) == ["city": "Köln"])

        let juergen = cli.element(3)
        #expect(str(juergen["title"]) == "Jürgen Groß 東京")
        #expect(str(juergen["stage"]) == "JUNK")
        #expect((juergen["fields"] as? [String: String]) == [:])
    }

    @Test func aBadStageIsRejectedWithItsLineAndTheOthersAreStored() {
        let cli = CLI()
        let csv = "type,title,stage\nlead,A,NEW\nlead,\"B\nspans two lines\",NOPE\nlead,C,IN_PROCESS\n"
        let run = importCSV(cli, csv)
        #expect(run.code == 65, "\(run)")
        let results = run.lines
        #expect(results.map { int($0["line"]) } == [2, 3, 5])
        #expect(results.map { str($0["status"]) } == ["created", "rejected", "created"])
        let error = results[1]["error"] as? [String: Any] ?? [:]
        #expect(str(error["code"]) == "not_found")
        #expect(str(error["message"])?.contains("NOPE") == true)
        #expect(run.err == "crmctl: import: 5 lines: 2 created, 1 rejected\n")
        let titles = cli.run("element", "list", "--json").array.map { str($0["title"]) ?? "" }
        #expect(titles == ["A", "C"])
    }

    @Test func malformedRowsAreRejectedAloneAndReadingGoesOn() {
        let cli = CLI()
        let csv = "type,title,city\n"  // 1
            + "lead,Two cells\n"  // 2: too few cells
            + "lead,ab\"c,Berlin\n"  // 3: a quote inside an unquoted field
            + "lead,\"ab\"c,Berlin\n"  // 4: text after a closing quote
            + "\n"  // 5: blank, skipped
            + "lead,Fine,Bonn\n"  // 6
            + "lead,Type \"x\",\n"  // 7: quote inside an unquoted field
            + "lead,\"never closed,Berlin\nstill open\n"  // 8-9: unclosed at the end
        let run = importCSV(cli, csv)
        #expect(run.code == 65, "\(run)")
        let results = run.lines
        #expect(results.map { int($0["line"]) } == [2, 3, 4, 6, 7, 8])
        #expect(results.map { str($0["status"]) } == ["rejected", "rejected", "rejected", "created", "rejected", "rejected"])
        #expect(results.compactMap { str(($0["error"] as? [String: Any])?["code"]) } == Array(repeating: "invalid_csv", count: 5))
        #expect(str((results[0]["error"] as? [String: Any])?["message"]) == "the row has 2 cells, the header 3")
        #expect(run.err == "crmctl: import: 9 lines: 5 rejected, 1 created\n")
        #expect(cli.run("element", "list", "--json").array.map { str($0["title"]) ?? "" } == ["Fine"])
    }

    @Test func notUTF8IsRejectedByRow() {
        let cli = CLI()
        let bytes = Array("type,title\nlead,".utf8) + [0xFF, 0xFE] + Array("\nlead,Good\n".utf8)
        let run = cli.runArgs(["element", "import", "--csv", "--db", cli.db], stdinBytes: bytes)
        #expect(run.code == 65, "\(run)")
        #expect(run.lines.map { str(($0["error"] as? [String: Any])?["code"]) ?? str($0["status"]) ?? "" } == ["not_utf8", "created"])
        #expect(run.lines.map { int($0["line"]) } == [2, 3])
    }

    @Test func headerProblemsStopTheImportBeforeAnythingIsStored() {
        let cli = CLI()
        for (csv, message) in [
            ("type,name\nlead,A\n", "the CSV header has no title column"),
            ("title,email\nA,a@example.com\n", "the CSV header has no type column"),
            ("type,title,Title\nlead,A,B\n", "the CSV header names title twice"),
            ("type,title,\nlead,A,\n", "column 3 of the CSV header has no name"),
            ("type,\"title\nlead,A\n", "the CSV header (line 1) cannot be read"),
        ] {
            let run = importCSV(cli, csv)
            #expect(run.code == 65, "\(run)")
            #expect(run.out.isEmpty)
            #expect(run.err.contains(message), "\(run)")
        }
        #expect(cli.run("element", "list", "--json").array.isEmpty)
        let json = cli.runArgs(["element", "import", "--csv", "--json", "--db", cli.db], stdin: "type\nlead\n")
        #expect(str(json.errorObject["code"]) == "invalid")
    }

    @Test func headerNamesTheElementsColumnsInAnyCaseAndTheRestAreFields() {
        let cli = CLI()
        let run = importCSV(cli, " Type , Title ,Pipeline,Budget\ndeal,Big one,2,5000\nlead,Small,,\n")
        #expect(run.code == 0, "\(run)")
        let deal = cli.element(1)
        #expect(str(deal["title"]) == "Big one")
        #expect(int(deal["pipeline"]) == 2)
        #expect((deal["fields"] as? [String: String]) == ["Budget": "5000"])
        #expect((cli.element(2)["fields"] as? [String: String]) == [:])
    }

    @Test func fromAFileAndWhenEmpty() throws {
        let cli = CLI()
        let path = cli.path("leads.csv")
        try "type,title\nlead,From a file\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = cli.run("element", "import", "--csv", path)
        #expect(run.code == 0, "\(run)")
        #expect(run.lines.first.flatMap { str($0["status"]) } == "created")
        let empty = importCSV(cli, "")
        #expect(empty.code == 0, "\(empty)")
        #expect(empty.out.isEmpty)
        #expect(empty.err == "crmctl: import: 0 lines\n")
        let headerOnly = importCSV(cli, "type,title\n")
        #expect(headerOnly.code == 0, "\(headerOnly)")
        #expect(headerOnly.err == "crmctl: import: 1 lines\n")
        #expect(cli.run("element", "import", "--csv", cli.path("missing.csv")).code == 66)
    }

    @Test func recordReaderKeepsLineNumbersAcrossQuotedLineBreaks() throws {
        let reader = CSVRecordReader(LineReader(bytes: Array("a,\"b\nc\"\n\n\"d\"\"\",e\r\nf,\"\"\n".utf8)))
        var records: [String] = []
        while let record = try reader.next() {
            switch record {
            case .fields(let fields, let line): records.append("\(line):\(fields)")
            case .malformed(let line, let code, _): records.append("\(line):\(code)")
            }
        }
        #expect(records == ["1:[\"a\", \"b\\nc\"]", "4:[\"d\\\"\", \"e\"]", "5:[\"f\", \"\"]"])
        #expect(reader.lines == 5)
    }
}
