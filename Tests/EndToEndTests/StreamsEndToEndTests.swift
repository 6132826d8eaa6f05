import CRMTestSupport
import Foundation
import Testing

/// SPEC §3: data on stdout only, messages on stderr; `id=$(crmctl lead create ...)` works; batches
/// print NDJSON on stdout and their summary on stderr; `-` and no file read stdin.
@Suite("E2E: stdout, stderr and stdin")
struct StreamsEndToEndTests {
    @Test("creating commands print the id alone and a newline on stdout")
    func idAloneOnStdout() throws {
        let box = try Sandbox(name: "ids")
        box.at("2026-11-24T08:00:00Z")
        // No explicit init: the first command creates the database.
        let lead = try box.run("lead", "create", "--title", "Clara Weiss", "--email", "clara@example.com", "--responsible", "anna")
        #expect(lead.status == 0, "\(lead)")
        #expect(lead.stdout.range(of: #"^[1-9][0-9]*\n$"#, options: .regularExpression) != nil,
                "stdout must be the id and one newline: \(lead.stdout.debugDescription)")
        let leadID = try #require(Int(lead.stdout.dropLast()))

        let lead2 = try box.create(["lead", "create", "--title", "Jonas"])
        #expect(lead2 != leadID)
        let deal = try box.create(["deal", "create", "--title", "Office fit-out", "--responsible", "anna"])
        let trigger = try box.create(["trigger", "add", "--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS"])
        let document = try box.create(["document", "create", "--element", String(deal), "--template", "offer"])
        let pipeline = try box.create(["pipeline", "create", "--type", "deal", "--name", "Resale",
                                       "--stages", "NEW:New,TALK:Talking,WON:Won:success,LOSE:Lost:failure"])

        // The printed ids name what was created.
        let shown = try box.ok(["element", "show", String(leadID), "--json"]).jsonObject()
        #expect(shown.int("id") == leadID)
        #expect(shown.string("title") == "Clara Weiss")
        #expect(shown.string("stage") == "NEW")
        #expect(try box.ok(["element", "show", String(deal), "--json"]).jsonObject().string("type") == "deal")
        #expect(try box.ok(["trigger", "show", String(trigger), "--json"]).jsonObject().string("on") == "call.missed")
        #expect(try box.ok(["document", "show", String(document), "--json"]).jsonObject().string("template") == "offer")
        #expect(try box.ok(["pipeline", "show", String(pipeline), "--json"]).jsonObject().string("name") == "Resale")

        // With --json: the whole object, one document, on stdout.
        let json = try box.ok(["lead", "create", "--title", "Json", "--json"])
        let object = try json.jsonObject()
        for key in ["id", "type", "pipeline", "stage", "title", "responsible", "email", "phone", "fields", "created_at", "updated_at"] {
            #expect(object[key] != nil, "element JSON lacks \(key): \(json.stdout)")
        }
        #expect(object.string("created_at") == "2026-11-24T08:00:00Z")
    }

    @Test("event ingest: NDJSON results only on stdout, the summary on stderr")
    func ingestSeparation() throws {
        let box = try Sandbox(name: "sep")
        box.at("2026-11-24T08:00:00Z")
        let lead = try box.create(["lead", "create", "--title", "Clara", "--email", "clara@example.com"])
        try box.create(["trigger", "add", "--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS"])
        let input = """
        {"key":"a","type":"call.missed","element":\(lead),"at":"2026-11-24T09:00:00Z"}

        {"key":"b","type":"email.received","contact":{"email":"CLARA@example.com"},"data":{"email":"m-1","subject":"Hi"}}
        {"key":"c","type":"payment.received","element":\(lead),"data":{"amount":"10","currency":"EUR"}}

        """
        let file = box.path("in.ndjson")
        try Data(input.utf8).write(to: file)
        let result = try box.run(["event", "ingest", file.path])
        #expect(result.status == 0, "\(result)")
        let lines = try result.ndjson()
        #expect(lines.count == 3, "\(result)")
        #expect(lines.map { $0.int("line") } == [1, 3, 4])
        #expect(lines.map { $0.string("status") } == ["moved", "recorded", "recorded"])
        #expect(lines.map { $0.string("key") } == ["a", "b", "c"])
        #expect(result.stdout.hasSuffix("\n"))
        // The summary is a message: on stderr, and not a result line.
        #expect(!result.stderr.isEmpty, "ingest must print a summary on stderr")
        #expect(!result.stderr.contains("\"status\""), "result lines must not go to stderr: \(result.stderr)")

        // The same with --json: still NDJSON on stdout, summary on stderr.
        let again = try box.run(["event", "ingest", file.path, "--json"])
        #expect(again.status == 0, "\(again)")
        #expect(try again.ndjson().map { $0.string("status") } == ["duplicate", "duplicate", "duplicate"])
        #expect(!again.stderr.isEmpty)
    }

    @Test("element import: NDJSON results only on stdout, the summary on stderr")
    func importSeparation() throws {
        let box = try Sandbox(name: "sepimp")
        let input = """
        {"type":"lead","title":"A","email":"a@example.com","fields":{"city":"Berlin"}}
        {"type":"deal","title":"B"}
        """
        let result = try box.run(["element", "import", "-"], input: .pipe(Data(input.utf8)))
        #expect(result.status == 0, "\(result)")
        let lines = try result.ndjson()
        #expect(lines.count == 2)
        #expect(lines.map { $0.int("line") } == [1, 2])
        #expect(!result.stderr.isEmpty)
        #expect(!result.stderr.contains("\"line\""))
    }

    /// A batch for stdin: one lead-moving event and one that records.
    func events(for lead: Int) -> Data {
        Data("""
        {"key":"s-1","type":"call.missed","element":\(lead),"at":"2026-11-24T09:00:00Z","data":{"line":"hotline"}}
        {"key":"s-2","type":"email.sent","element":\(lead),"at":"2026-11-24T09:05:00Z","by":"anna","data":{"email":"m-9"}}

        """.utf8)
    }

    @Test("event ingest reads stdin for '-' and for no file", arguments: [["-"], []])
    func ingestStdin(_ fileArgument: [String]) throws {
        let box = try Sandbox(name: "stdin")
        box.at("2026-11-24T08:00:00Z")
        let lead = try box.create(["lead", "create", "--title", "Clara"])
        try box.create(["trigger", "add", "--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS"])
        let result = try box.run(["event", "ingest"] + fileArgument, input: .pipe(events(for: lead)))
        #expect(result.status == 0, "\(result)")
        let lines = try result.ndjson()
        #expect(lines.map { $0.string("status") } == ["moved", "recorded"], "\(result)")
        #expect(lines.map { $0.int("line") } == [1, 2])
        #expect(try box.ok(["element", "show", String(lead), "--json"]).jsonObject().string("stage") == "IN_PROCESS")
        let stored = try box.ok(["event", "list", "--json"]).jsonArray()
        #expect(stored.map { $0.string("key") } == ["s-1", "s-2"])
        #expect(stored.map { $0.string("at") } == ["2026-11-24T09:00:00Z", "2026-11-24T09:05:00Z"])

        // Redirected from a file (`< file`) works the same; all duplicates now.
        let file = box.path("events.ndjson")
        try events(for: lead).write(to: file)
        let redirected = try box.run(["event", "ingest"] + fileArgument, input: .file(file))
        #expect(redirected.status == 0, "\(redirected)")
        #expect(try redirected.ndjson().map { $0.string("status") } == ["duplicate", "duplicate"])
    }

    @Test("event ingest with empty stdin prints nothing and exits 0")
    func ingestEmptyStdin() throws {
        let box = try Sandbox(name: "stdin0")
        try box.ok(["init"])
        #expect(try box.query("SELECT count(*) FROM pipelines;") == "2\n", "init creates the database")
        let result = try box.run(["event", "ingest", "-"], input: .pipe(Data()))
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty)
        let list = try box.ok(["event", "list", "--json"])
        #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "an empty list is []: \(list)")
    }

    @Test("element import reads stdin for '-' and for no file", arguments: [["-"], []])
    func importStdin(_ fileArgument: [String]) throws {
        let box = try Sandbox(name: "impstdin")
        box.at("2026-11-24T08:00:00Z")
        let input = Data("""
        {"type":"lead","title":"Clara","email":"clara@example.com","phone":"+49 30 555 0101","responsible":"anna","fields":{"city":"Berlin"}}

        {"type":"deal","title":"Fit-out","stage":"PREPARATION"}
        """.utf8)  // no final newline: the last line still counts
        let result = try box.run(["element", "import"] + fileArgument, input: .pipe(input))
        #expect(result.status == 0, "\(result)")
        let lines = try result.ndjson()
        #expect(lines.map { $0.int("line") } == [1, 3], "\(result)")
        #expect(lines.map { $0.string("status") } == ["created", "created"])
        let elements = try box.ok(["element", "list", "--json"]).jsonArray()
        #expect(elements.count == 2)
        #expect(elements.map { $0.int("id") } == lines.map { $0.int("element") })
        let clara = try #require(elements.first)
        #expect(clara.string("type") == "lead")
        #expect(clara.string("email") == "clara@example.com")
        #expect(clara.string("responsible") == "anna")
        #expect(clara.object("fields")?.string("city") == "Berlin")
        #expect(elements.last?.string("type") == "deal")
        #expect(elements.last?.string("stage") == "PREPARATION")
    }
}
