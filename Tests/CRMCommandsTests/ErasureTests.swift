import CRMTestSupport
import Foundation
import SQLiteDB
import Testing

@testable import CRMCommands

/// SPEC §3 "Erasure": `element delete` removes the element and everything recorded about it, with no trace
/// left in the file.
@Suite struct ErasureTests {
    /// SQLite only: it reads the tables through SQLite's catalogue and greps the file and its log.
    @Test(.sqliteOnly) func anErasedElementLeavesNoRowAndNoByteBehind() throws {
        let cli = CLI()
        _ = cli.run("rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "sms", "--text", "Hallo {title}")
        _ = cli.run("rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "x", "--after", "1d")
        _ = cli.trigger("--on", "stage.idle", "--seconds", "600", "--pipeline", "lead", "--stage", "JUNK")
        let erased = cli.lead("Zebrafink Quxley", "--phone", "+49 555", "--email", "zq@example.com", "--key", "crm-Yakwurst")
        let kept = cli.lead("Kept", "--phone", "+49 1")
        _ = cli.inject("--type", "chat.message", "--element", String(erased), "--set", "text=Zebrafink hier", "--key", "z-1")
        _ = cli.inject("--type", "email.sent", "--element", String(erased), "--set", "email=m-zq")
        #expect(cli.run("document", "create", "--element", String(erased), "--template", "offer", "--title", "Zebrafink offer").code == 0)
        let run = cli.run("element", "delete", String(erased), "--json")
        #expect(run.code == 0, "\(run)")
        #expect(int(run.object["deleted"]) == erased)
        let rows = (run.object["rows"] as? [String: Any]) ?? [:]
        #expect(int(rows["elements"]) == 1 && int(rows["events"]) == 3 && int(rows["documents"]) == 1 && int(rows["outbox"]) == 1)
        #expect(int(rows["jobs"]) == 2 && int(rows["chats"]) == 1 && int(rows["sent_emails"]) == 1 && int(rows["time_watches"]) == 1)

        // No row of any table names it; the other element is whole.
        let db = try Connection(path: cli.db, busyTimeoutMilliseconds: 2000)
        let tables = try db.cached("SELECT name FROM sqlite_schema WHERE type = 'table'").rows { $0.string(0) }
        for table in tables {
            let columns = try db.cached("SELECT name FROM pragma_table_info(?)").rows([.text(table)]) { $0.string(0) }
            for column in columns where column == "element" || (table == "elements" && column == "id") {
                // The table and column names come from the schema itself, not from input.
                let count = try db.scalarInt64("SELECT count(*) FROM \"\(table)\" WHERE \"\(column)\" = ?", [.integer(Int64(erased))])
                #expect(count == 0, "\(table).\(column)")
            }
        }
        #expect(try db.scalarInt64("SELECT count(*) FROM elements WHERE id = ?", [.integer(Int64(kept))]) == 1)
        // Nor a byte of its title, its key, its phone or its messages in the file and its log.
        for file in [cli.db, cli.db + "-wal"] {
            let bytes = fileBytes(file) ?? []
            for trace in ["Zebrafink", "Quxley", "zq@example.com", "Yakwurst"] {
                #expect(!String(decoding: bytes, as: UTF8.self).contains(trace), "\(trace) in \(file)")
            }
        }
        // A later event naming it, and a second erasure: not found.
        #expect(cli.run("event", "inject", "--type", "call.missed", "--element", String(erased)).code == 66)
        #expect(cli.run("element", "delete", String(erased)).code == 66)
        #expect(cli.run("element", "delete", String(kept)).out.isEmpty)
    }

    /// The newest element erased: the next one created gets a new id, so an event still naming the erased
    /// one is 66, not a stranger's; its documents' and events' ids are not given again either.
    @Test func anErasedIdIsNeverGivenAgain() throws {
        let cli = CLI()
        let kept = cli.lead("Kept")
        let erased = cli.lead("Erased")
        #expect(cli.run("document", "create", "--element", String(erased), "--template", "offer").code == 0)
        let event = int(cli.inject("--type", "call.missed", "--element", String(erased))["event"]) ?? 0
        #expect(cli.run("element", "delete", String(erased)).code == 0)
        let next = cli.lead("Next")
        #expect(next > erased && erased > kept, "\(kept) \(erased) \(next)")
        let late = cli.run("event", "inject", "--type", "call.missed", "--element", String(erased))
        #expect(late.code == 66, "\(late)")
        let document = cli.run("document", "create", "--element", String(next), "--template", "offer", "--json")
        #expect((int(document.object["id"]) ?? 0) > 1, "\(document)")
        #expect((int(cli.inject("--type", "call.missed", "--element", String(next))["event"]) ?? 0) > event)
    }
}
