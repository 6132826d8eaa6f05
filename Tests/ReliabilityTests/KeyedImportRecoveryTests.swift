import CRMTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SPEC §3 "Element keys", issue 15's first finding: a keyed `element import` killed half-way and run again
/// ends with every key on exactly one element, not with the committed part twice.
@Suite("Reliability: a keyed element import killed with SIGKILL, then run again")
struct KeyedImportRecoveryTests {
    static let lineCount = 20_000

    @Test("every key ends on exactly one element; the run again reports the committed lines duplicate and creates the rest")
    func killedKeyedImportRunAgainCreatesEachKeyOnce() throws {
        let scratch = try Scratch("keyed-import")
        let input = scratch.path("leads.ndjson")
        let lines = (1...Self.lineCount).map { n in
            #"{"key":"crm-\#(n)","type":"lead","title":"Lead \#(n)","email":"lead\#(n)@example.com","fields":{"n":"\#(n)"}}"#
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: input)
        try scratch.ok(["init"])

        // Killed once its first chunk is committed and printed: the kill lands in a later, open chunk.
        let run = try scratch.start(["element", "import", input.path])
        waitUntil(seconds: 120) { run.stdoutSize > 0 || !run.isRunning }
        run.kill9()
        let killed = try run.wait()
        try #require(killed.signalled && killed.status == SIGKILL, "the run ended before the kill: \(killed)")
        let stored = try scratch.scalar(scratch.db, "SELECT count(*) FROM elements;")
        let printed = killed.stdoutData.filter { $0 == 10 }.count
        #expect(printed > 0 && printed <= stored, "\(printed) results printed, \(stored) elements stored")
        #expect(stored < Self.lineCount, "the kill came after the last commit")
        try scratch.expectIntact(scratch.db)

        let again = try scratch.run(["element", "import", input.path])
        #expect(again.exited(0), "\(again)")
        let results = try again.ndjson()
        try #require(results.count == Self.lineCount)
        // Line n names key crm-n and its element: the committed lines come back duplicate, the others created.
        // By the element's key, not by id: on PostgreSQL the killed chunk left a gap in the id sequence.
        var elementOfKey: [String: Int] = [:]
        for row in try scratch.sql(scratch.db, "SELECT key, id FROM elements;").split(separator: "\n") {
            let columns = row.split(separator: "|")
            elementOfKey[String(columns[0])] = Int(columns[1])
        }
        let expected = (1...Self.lineCount).map { n in
            "\(n) crm-\(n) \(elementOfKey["crm-\(n)"] ?? 0) \(n <= stored ? "duplicate" : "created")"
        }
        let found = results.map { result in
            "\(result.int("line") ?? 0) \(result.string("key") ?? "-") \(result.int("element") ?? 0) \(result.string("status") ?? "-")"
        }
        if let index = zip(found, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("line \(index + 1): \(found[index]), expected \(expected[index])")
        }
        #expect(again.stderr == "crmctl: import: \(Self.lineCount) lines: \(stored) duplicate, \(Self.lineCount - stored) created\n")

        // Every key once, on the element of its line; one creation each in the timeline.
        #expect(try scratch.scalar(scratch.db, "SELECT count(*) FROM elements;") == Self.lineCount)
        #expect(try scratch.scalar(scratch.db, "SELECT count(DISTINCT key) FROM elements;") == Self.lineCount)
        #expect(try scratch.scalar(scratch.db, "SELECT count(*) FROM elements WHERE key IS DISTINCT FROM 'crm-' || substr(title, 6) OR title NOT LIKE 'Lead %';") == 0)
        #expect(try scratch.scalar(scratch.db, "SELECT count(*) FROM timeline WHERE kind = 'created';") == Self.lineCount)
        #expect(try scratch.scalar(scratch.db, "SELECT count(DISTINCT email_key) FROM elements;") == Self.lineCount)
        try scratch.expectIntact(scratch.db)

        // A third run changes nothing.
        let dump = try scratch.dump(scratch.db)
        let third = try scratch.run(["element", "import", input.path])
        #expect(third.exited(0), "\(third)")
        #expect(try third.ndjson().allSatisfy { $0.string("status") == "duplicate" })
        #expect(try scratch.dump(scratch.db) == dump)
    }
}
