import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §3 "Erasure": `element delete` removes the element and everything recorded about it, with no trace
/// left in the file.
@Suite struct ErasureTests {
    @Test func anErasedElementLeavesNoRowAndNoByteBehind() throws {
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

        // No row of any table names it; the other element is whole. The tables and columns come from the
        // database's own catalogue.
        func query(_ sql: String) throws -> String {
            try DatabaseShell.query(cli.db, sql, directory: URL(fileURLWithPath: cli.dir))
        }
        let catalogue =
            TestDatabase.isPostgres
            ? "SELECT c.table_name, c.column_name FROM information_schema.columns AS c JOIN information_schema.tables AS t "
                + "USING (table_schema, table_name) WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
                + "AND (c.column_name = 'element' OR (c.table_name = 'elements' AND c.column_name = 'id'))"
            : "SELECT m.name, p.name FROM sqlite_schema AS m, pragma_table_info(m.name) AS p WHERE m.type = 'table' "
                + "AND (p.name = 'element' OR (m.name = 'elements' AND p.name = 'id'))"
        let columns = try query(catalogue).split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        #expect(columns.count >= 10, "\(columns)")
        for column in columns where column.count == 2 {
            let count = try query("SELECT count(*) FROM \(column[0]) WHERE \(column[1]) = \(erased)")
            #expect(count == "0\n", "\(column[0]).\(column[1])")
        }
        #expect(try query("SELECT count(*) FROM elements WHERE id = \(kept)") == "1\n")
        // Nor a byte of its title, its key, its phone or its messages in the file and its log. (A server's
        // files are its own: there the rows stay in its pages until it vacuums them.)
        if !TestDatabase.isPostgres {
            for file in [cli.db, cli.db + "-wal"] {
                let bytes = fileBytes(file) ?? []
                for trace in ["Zebrafink", "Quxley", "zq@example.com", "Yakwurst"] {
                    #expect(!String(decoding: bytes, as: UTF8.self).contains(trace), "\(trace) in \(file)")
                }
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
