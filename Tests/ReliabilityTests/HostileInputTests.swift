import CRMTestSupport
import Foundation
import Testing

// Garbage in a batch: every bad line is rejected with its line number and a reason code, the run goes
// on, nothing of a rejected line is stored, and the database stays intact.

private enum Expected {
    /// Stored: a result with status `moved`/`recorded` (event) or `created` (element).
    case applied
    /// Rejected with exactly this reason code.
    case rejected(String)
    /// Rejected with some reason code (not `internal`, not empty).
    case rejectedSomehow
    /// Blank: skipped, no result line, but counted in `line`.
    case blank
}

private struct HostileLine {
    var label: String
    var bytes: [UInt8]
    var expected: Expected

    init(_ label: String, _ bytes: [UInt8], _ expected: Expected) {
        self.label = label
        self.bytes = bytes
        self.expected = expected
    }

    init(_ label: String, _ text: String, _ expected: Expected) {
        self.init(label, Array(text.utf8), expected)
    }
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

private func file(_ lines: [HostileLine]) -> Data {
    var data = Data()
    for line in lines {
        data.append(contentsOf: line.bytes)
        data.append(10)
    }
    return data
}

/// Checks a batch's NDJSON results against the lines: one result per non-blank line, in order, with the
/// line number, and the expected status and reason code.
private func checkResults(_ outcome: ProcessResult, _ lines: [HostileLine], appliedStatuses: Set<String>, verb: String,
                          sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(outcome.exited(65), "a batch with rejected lines exits 65: \(outcome)", sourceLocation: sourceLocation)
    let results = try outcome.ndjson()
    let numbered = lines.enumerated().filter { if case .blank = $0.element.expected { return false } else { return true } }
    #expect(results.count == numbered.count, "one result per non-blank line", sourceLocation: sourceLocation)
    for (result, (index, line)) in zip(results, numbered) {
        let lineNumber = index + 1
        let context = "line \(lineNumber) (\(line.label)): \(jsonLine(result).prefix(400))"
        #expect(result.int("line") == lineNumber, "\(context): wrong line number", sourceLocation: sourceLocation)
        let status = result.string("status") ?? ""
        let code = result.object("error")?.string("code") ?? ""
        let message = result.object("error")?.string("message") ?? ""
        switch line.expected {
        case .applied:
            #expect(appliedStatuses.contains(status), "\(context): should be stored", sourceLocation: sourceLocation)
        case .rejected(let expectedCode):
            #expect(status == "rejected" && code == expectedCode, "\(context): should be rejected \(expectedCode)",
                    sourceLocation: sourceLocation)
            #expect(!message.isEmpty, "\(context): a rejection says why", sourceLocation: sourceLocation)
        case .rejectedSomehow:
            #expect(status == "rejected" && !code.isEmpty && code != "internal", "\(context): should be rejected",
                    sourceLocation: sourceLocation)
            #expect(!message.isEmpty, "\(context): a rejection says why", sourceLocation: sourceLocation)
        case .blank:
            break
        }
    }
    let rejected = lines.filter {
        switch $0.expected {
        case .rejected, .rejectedSomehow: return true
        default: return false
        }
    }.count
    #expect(outcome.stderr.contains("\(verb): \(lines.count) lines"), "summary on stderr: \(outcome.stderr)",
            sourceLocation: sourceLocation)
    #expect(outcome.stderr.contains("\(rejected) rejected"), "summary on stderr: \(outcome.stderr)",
            sourceLocation: sourceLocation)
}

@Suite("Reliability: hostile input to event ingest and element import")
struct HostileInputTests {
    /// A line just over the 1 MiB limit, of otherwise valid JSON.
    static func oversize(_ prefix: String, _ suffix: String, total: Int) -> [UInt8] {
        bytes(prefix) + [UInt8](repeating: UInt8(ascii: "x"), count: total - prefix.utf8.count - suffix.utf8.count)
            + bytes(suffix)
    }

    private static func eventLines() -> [HostileLine] {
        let at = #""at":"2026-11-24T09:00:00Z""#
        return [
            HostileLine("valid custom event", #"{"key":"ok-1","type":"custom","element":1,\#(at),"data":{"code":"x"}}"#, .applied),
            HostileLine("invalid UTF-8 in a string",
                        bytes(#"{"key":"h-2","type":"custom","element":1,"data":{"code":""#) + [0xFF, 0xFE] + bytes(#""}}"#),
                        .rejected("not_utf8")),
            HostileLine("overlong UTF-8 in the key",
                        bytes(#"{"key":"h-3"#) + [0xC0, 0xAF] + bytes(#"","type":"custom","element":1,"data":{"code":"x"}}"#),
                        .rejected("not_utf8")),
            HostileLine("a NUL byte inside a string",
                        bytes(#"{"key":"h-4","type":"custom","element":1,"data":{"code":"a"#) + [0] + bytes(#"b"}}"#),
                        .rejected("invalid_json")),
            HostileLine("a line of NUL bytes", [0, 0, 0, 0], .rejected("invalid_json")),
            HostileLine("a line just over 1 MiB",
                        oversize(#"{"key":"h-6","type":"custom","element":1,"data":{"code":""#, #""}}"#, total: (1 << 20) + 64),
                        .rejected("too_long")),
            HostileLine("a 3 MiB line",
                        oversize(#"{"key":"h-7","type":"custom","element":1,"data":{"code":""#, #""}}"#, total: 3 << 20),
                        .rejected("too_long")),
            HostileLine("100,000 nested arrays",
                        bytes(#"{"key":"h-8","type":"custom","element":1,"data":{"code":"x","deep":"#)
                            + [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
                            + [UInt8](repeating: UInt8(ascii: "]"), count: 100_000) + bytes("}}"),
                        .rejected("invalid_json")),
            HostileLine("10,000 nested objects",
                        bytes(#"{"key":"h-9","type":"custom","element":1,"data":{"code":"x","deep":"#)
                            + Array(String(repeating: #"{"a":"#, count: 10_000).utf8) + bytes("1")
                            + [UInt8](repeating: UInt8(ascii: "}"), count: 10_000) + bytes("}}"),
                        .rejected("invalid_json")),
            HostileLine("element as an SQL string", #"{"key":"h-10","type":"custom","element":"1; DROP TABLE x","data":{"code":"x"}}"#, .rejected("invalid")),
            HostileLine("element -5", #"{"key":"h-11","type":"custom","element":-5,"data":{"code":"x"}}"#, .rejected("invalid")),
            HostileLine("element 1.5", #"{"key":"h-12","type":"custom","element":1.5,"data":{"code":"x"}}"#, .rejected("invalid")),
            HostileLine("element of 30 digits", #"{"key":"h-13","type":"custom","element":123456789012345678901234567890,"data":{"code":"x"}}"#, .rejected("invalid")),
            HostileLine("element 0", #"{"key":"h-14","type":"custom","element":0,"data":{"code":"x"}}"#, .rejected("invalid")),
            HostileLine("element true", #"{"key":"h-15","type":"custom","element":true,"data":{"code":"x"}}"#, .rejected("invalid")),
            HostileLine("type an array", #"{"key":"h-16","type":["custom"],"element":1,"data":{"code":"x"}}"#, .rejected("invalid")),
            HostileLine("type a number", #"{"key":"h-17","type":42,"element":1,"data":{"code":"x"}}"#, .rejected("invalid")),
            HostileLine("at yesterday", #"{"key":"h-18","type":"custom","element":1,"at":"yesterday","data":{"code":"x"}}"#, .rejected("invalid")),
            HostileLine("at February 30", #"{"key":"h-19","type":"custom","element":1,"at":"2026-02-30T10:00:00Z","data":{"code":"x"}}"#, .rejected("invalid")),
            HostileLine("at a number", #"{"key":"h-20","type":"custom","element":1,"at":1764000000,"data":{"code":"x"}}"#, .rejected("invalid")),
            HostileLine("type missing", #"{"key":"h-21","element":1,"data":{"code":"x"}}"#, .rejected("invalid")),
            HostileLine("null", "null", .rejected("invalid")),
            HostileLine("42", "42", .rejected("invalid")),
            HostileLine("{}", "{}", .rejected("invalid")),
            HostileLine("[]", "[]", .rejected("invalid")),
            HostileLine("a JSON string", #""custom""#, .rejected("invalid")),
            HostileLine("empty line", "", .blank),
            HostileLine("spaces and a tab", "   \t ", .blank),
            HostileLine("truncated JSON", #"{"key":"h-29","type":"custom","element":1,"data":{"code":"x"}"#, .rejected("invalid_json")),
            HostileLine("trailing garbage", #"{"key":"h-30","type":"custom","element":1,"data":{"code":"x"}} ; DROP TABLE events"#, .rejected("invalid_json")),
            HostileLine("data a string", #"{"key":"h-31","type":"custom","element":1,"data":"code=x"}"#, .rejected("invalid")),
            HostileLine("data.code a number", #"{"key":"h-32","type":"custom","element":1,"data":{"code":42}}"#, .rejected("invalid")),
            HostileLine("unknown event type", #"{"key":"h-33","type":"call.lost","element":1}"#, .rejected("unknown_type")),
            HostileLine("unknown element", #"{"key":"h-34","type":"custom","element":99999,"data":{"code":"x"}}"#, .rejected("not_found")),
            HostileLine("a contact nobody has", #"{"key":"h-35","type":"custom","contact":{"email":"nobody@example.com"},"data":{"code":"x"}}"#, .rejected("no_element")),
            HostileLine("a document", #"{"key":"d-1","type":"document.created","element":1,\#(at),"data":{"template":"offer","ref":"R-1"}}"#, .applied),
            HostileLine("a second document with the same ref", #"{"key":"h-37","type":"document.created","element":2,"data":{"template":"offer","ref":"R-1"}}"#, .rejectedSomehow),
            HostileLine("a key reused for another event", #"{"key":"ok-1","type":"custom","element":1,\#(at),"data":{"code":"y"}}"#, .rejected("key_reused")),
            HostileLine("a document of another element", #"{"key":"h-39","type":"document.sent","element":2,"data":{"document":"R-1","via":"email"}}"#, .rejectedSomehow),
            HostileLine("a CRLF line", #"{"key":"ok-crlf","type":"payment.received","element":2,\#(at),"data":{"amount":"10"}}"# + "\r", .applied),
            HostileLine("a valid event that moves", #"{"key":"ok-2","type":"call.missed","element":2,\#(at),"data":{"line":"hotline"}}"#, .applied),
        ]
    }

    /// A new database (`Scratch.newDatabase`) with a trigger and two leads.
    private static func prepared(_ scratch: Scratch, _ name: String) throws -> String {
        let db = scratch.newDatabase(name)
        try scratch.ok(["init", "--db", db])
        try scratch.ok(["trigger", "add", "--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--db", db])
        try scratch.ok(["lead", "create", "--title", "first", "--db", db])
        try scratch.ok(["lead", "create", "--title", "second", "--db", db])
        return db
    }

    @Test("event ingest: each bad line rejected with its line number and reason code, the run goes on, nothing partial stored")
    func hostileEventIngest() throws {
        let scratch = try Scratch("hostile-ingest")
        let lines = Self.eventLines()
        let input = scratch.path("hostile.ndjson")
        try file(lines).write(to: input)

        let db = try Self.prepared(scratch, "hostile.db")
        let outcome = try scratch.run(["event", "ingest", input.path, "--db", db])
        try checkResults(outcome, lines, appliedStatuses: ["moved", "recorded"], verb: "ingest")

        // Only the valid lines are stored, and nothing of the others.
        let keys = try scratch.sql(db, "SELECT key FROM events ORDER BY id;")
        #expect(keys == "ok-1\nd-1\nok-crlf\nok-2\n")
        #expect(try scratch.scalar(db, "SELECT count(*) FROM documents;") == 1)
        try scratch.expectIntact(db)
        let stages = try scratch.ok(["element", "list", "--json", "--db", db]).jsonArray().map { $0.string("stage") ?? "" }
        #expect(stages == ["NEW", "IN_PROCESS"])

        // The database is exactly what the valid lines alone make: no row left from a rejected line.
        let clean = try Self.prepared(scratch, "clean.db")
        let valid = lines.filter { if case .applied = $0.expected { return true } else { return false } }
        let cleanRun = try scratch.run(["event", "ingest", "-", "--db", clean], stdin: .bytes(file(valid)))
        #expect(cleanRun.exited(0), "\(cleanRun)")
        let hostileDump = try scratch.dump(db), cleanDump = try scratch.dump(clean)
        #expect(hostileDump == cleanDump, "rows left by rejected lines: \(firstDifference(hostileDump, cleanDump))")

        // The same input through a pipe gives the same results (and the second time every valid line is a duplicate).
        let again = try scratch.start(["event", "ingest", "--db", db], stdin: .open)
        try again.feed(file(lines))
        let piped = try again.wait()
        #expect(piped.exited(65), "\(piped)")
        let pipedResults = try piped.ndjson()
        #expect(pipedResults.count == outcome.stdoutLines.count)
        #expect(pipedResults.filter { $0.string("status") == "duplicate" }.count == 4)
        #expect(try scratch.dump(db) == hostileDump, "a second run of the same input changed the database")
    }

    private static func importLines() -> [HostileLine] {
        [
            HostileLine("valid lead", #"{"type":"lead","title":"ok 1","email":"a@example.com"}"#, .applied),
            HostileLine("invalid UTF-8 in the title", bytes(#"{"type":"lead","title":""#) + [0xFF, 0xFE, 0xFD] + bytes(#""}"#), .rejected("not_utf8")),
            HostileLine("a NUL byte in the title", bytes(#"{"type":"lead","title":"a"#) + [0] + bytes(#"b"}"#), .rejected("invalid_json")),
            HostileLine("a line of NUL bytes", [0, 0], .rejected("invalid_json")),
            HostileLine("a line over 1 MiB", oversize(#"{"type":"lead","title":""#, #""}"#, total: (1 << 20) + 10), .rejected("too_long")),
            HostileLine("deeply nested fields",
                        bytes(#"{"type":"lead","title":"n","fields":"#) + Array(String(repeating: #"{"a":"#, count: 5000).utf8)
                            + bytes("1") + [UInt8](repeating: UInt8(ascii: "}"), count: 5001),
                        .rejected("invalid_json")),
            HostileLine("pipeline as an SQL string", #"{"type":"deal","title":"t","pipeline":"1; DROP TABLE x"}"#, .rejectedSomehow),
            HostileLine("pipeline -5", #"{"type":"deal","title":"t","pipeline":-5}"#, .rejected("invalid")),
            HostileLine("pipeline 1.5", #"{"type":"deal","title":"t","pipeline":1.5}"#, .rejected("invalid")),
            HostileLine("pipeline of 30 digits", #"{"type":"deal","title":"t","pipeline":123456789012345678901234567890}"#, .rejected("invalid")),
            HostileLine("type an array", #"{"type":["lead"],"title":"t"}"#, .rejected("invalid")),
            HostileLine("type an SQL string", #"{"type":"lead'); DROP TABLE elements; --","title":"t"}"#, .rejected("invalid")),
            HostileLine("type missing", #"{"title":"t"}"#, .rejected("invalid")),
            HostileLine("null", "null", .rejected("invalid")),
            HostileLine("42", "42", .rejected("invalid")),
            HostileLine("{}", "{}", .rejected("invalid")),
            HostileLine("empty line", "", .blank),
            HostileLine("title a number", #"{"type":"lead","title":42}"#, .rejected("invalid")),
            HostileLine("title missing", #"{"type":"lead"}"#, .rejected("invalid")),
            HostileLine("a field an array", #"{"type":"lead","title":"t","fields":{"a":[1]}}"#, .rejected("invalid")),
            HostileLine("an unknown stage", #"{"type":"lead","title":"t","stage":"NOPE"}"#, .rejected("not_found")),
            HostileLine("a stage as SQL", #"{"type":"lead","title":"t","stage":"'; DROP TABLE elements; --"}"#, .rejectedSomehow),
            HostileLine("an unknown pipeline id", #"{"type":"deal","title":"t","pipeline":99}"#, .rejected("not_found")),
            HostileLine("an unknown key", #"{"type":"lead","title":"t","element":1}"#, .rejected("invalid")),
            HostileLine("truncated JSON", #"{"type":"lead","title":"t""#, .rejected("invalid_json")),
            HostileLine("valid deal", #"{"type":"deal","title":"ok 2","fields":{"k":"v"}}"#, .applied),
            HostileLine("valid CRLF lead", #"{"type":"lead","title":"ok 3"}"# + "\r", .applied),
        ]
    }

    @Test("element import: each bad line rejected with its line number and reason code, the run goes on, nothing partial stored")
    func hostileElementImport() throws {
        let scratch = try Scratch("hostile-import")
        let lines = Self.importLines()

        let db = try Self.prepared(scratch, "hostile.db")
        let running = try scratch.start(["element", "import", "--db", db], stdin: .open)
        try running.feed(file(lines))
        let outcome = try running.wait()
        try checkResults(outcome, lines, appliedStatuses: ["created"], verb: "import")

        let titles = try scratch.sql(db, "SELECT title FROM elements ORDER BY id;")
        #expect(titles == "first\nsecond\nok 1\nok 2\nok 3\n")
        try scratch.expectIntact(db)

        let clean = try Self.prepared(scratch, "clean.db")
        let valid = lines.filter { if case .applied = $0.expected { return true } else { return false } }
        let cleanRun = try scratch.run(["element", "import", "-", "--db", clean], stdin: .bytes(file(valid)))
        #expect(cleanRun.exited(0), "\(cleanRun)")
        let hostileDump = try scratch.dump(db), cleanDump = try scratch.dump(clean)
        #expect(hostileDump == cleanDump, "rows left by rejected lines: \(firstDifference(hostileDump, cleanDump))")
    }
}
