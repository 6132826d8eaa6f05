import CRMTestSupport
import Foundation
import Testing

/// `crmctl copy` (SPEC §10): a whole CRM into a new database and back, every output the same. On the
/// PostgreSQL pass of `make test` the database under test is a server's, so the round trip there is
/// PostgreSQL → SQLite file → PostgreSQL.
@Suite struct CopyTests {
    /// A CRM with moves, verdicts, a removed trigger, an erased element, documents, chats, rules, jobs and
    /// outbox messages.
    private func makeCRM(_ cli: CLI) {
        makeHistory(cli)
        #expect(cli.run("rule", "add", "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "sms", "--text", "Hallo {title}").code == 0)
        #expect(cli.run("rule", "add", "--pipeline", "lead", "--stage", "IN_PROCESS", "--do", "note", "--text", "x", "--after", "1d").code == 0)
        let phone = cli.lead("Phone", "--phone", "+49 30 1234")
        _ = cli.inject("--type", "call.missed", "--element", String(phone), "--at", "2026-11-20T10:00:00Z")
        _ = cli.inject("--type", "chat.message", "--element", "11", "--set", "chat=c-1", "--set", "text=Hallo", "--key", "k-1")
        #expect(cli.run("document", "create", "--element", "12", "--template", "offer", "--ref", "D-1").code == 0)
        let removed = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "PROCESSED", "--name", "gone")
        _ = cli.inject("--type", "call.missed", "--element", "9")
        #expect(cli.run("trigger", "remove", String(removed)).code == 0)
        #expect(cli.run("element", "delete", "15").code == 0)
    }

    /// Everything a user reads of a CRM, as JSON text.
    private func outputs(_ cli: CLI) -> [String] {
        var texts: [String] = []
        for args in [
            ["element", "list"], ["event", "list"], ["outbox", "list"], ["job", "list"], ["trigger", "list"],
            ["rule", "list"], ["pipeline", "list"], ["report"], ["board", "--pipeline", "lead"],
        ] {
            texts.append(cli.runArgs(args + ["--json", "--db", cli.db]).out)
        }
        for element in cli.run("element", "list", "--json").array.compactMap({ $0["id"] as? Int }) {
            texts.append(cli.run("history", String(element), "--json").out)
        }
        for event in cli.events().compactMap({ $0["id"] as? Int }) {
            texts.append(cli.run("event", "explain", String(event), "--json").out)
        }
        return texts
    }

    @Test func aCopyAndItsCopyBackShowTheSameCRM() throws {
        let original = CLI()
        makeCRM(original)
        let file = original.path("copy.db")
        let there = original.runArgs(["copy", "--from", original.db, "--to", file, "--json"])
        #expect(there.code == 0, "\(there)")
        let tables = there.object["tables"] as? [String: Int] ?? [:]
        #expect(tables["elements"] == 15 && tables["removed_triggers"] == 1 && tables["outbox"] ?? 0 > 0, "\(there)")

        let back = CLI()
        let run = back.runArgs(["copy", "--from", file, "--to", back.db, "--json"])
        #expect(run.code == 0, "\(run)")
        #expect(run.object["tables"] as? [String: Int] == tables)
        #expect(outputs(back) == outputs(original))
    }

    @Test func idsGoOnAfterTheSourcesAndErasedIdsStayUnused() throws {
        let original = CLI()
        makeCRM(original)
        let copy = CLI()
        #expect(copy.runArgs(["copy", "--from", original.db, "--to", copy.db]).code == 0)
        // Element 15 was erased and trigger 5 removed in the original: neither id comes back.
        #expect(copy.lead("New") == original.lead("New"))
        #expect(copy.lead("Newer") == 18)
        #expect(copy.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "NEW") == 6)
    }

    @Test func theTargetMustBeNew() throws {
        let original = CLI()
        _ = original.lead("Kept")
        let used = CLI()
        _ = used.lead("Already here")
        let run = used.runArgs(["copy", "--from", original.db, "--to", used.db, "--json"])
        #expect(run.code == 65, "\(run)")
        #expect(run.errorObject["code"] as? String == "target_not_empty", "\(run)")
        #expect(used.run("element", "list", "--json").array.map { $0["title"] as? String } == ["Already here"])
        #expect(used.runArgs(["copy", "--from", original.db, "--db", used.db]).code == 64)
    }

    @Test func aSourceThatIsNotThereIsNotCopiedAsAnEmptyCRM() throws {
        let cli = CLI()
        let missing = cli.path("typo.db")
        let run = cli.runArgs(["copy", "--from", missing, "--to", cli.path("new.db"), "--json"])
        #expect(run.code == 66, "\(run)")
        #expect(run.errorObject["code"] as? String == "no_database", "\(run)")
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(!FileManager.default.fileExists(atPath: cli.path("new.db")))
    }
}
