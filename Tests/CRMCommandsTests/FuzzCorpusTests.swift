import CRMTestSupport
import Foundation
import SQLiteDB
import Testing

/// Every input in Fuzz/corpus (the seeds, and whatever `make fuzz` found) replayed as an ingest line:
/// no crash, one result line, and a result that is stored, moved or rejected with a reason.
@Suite struct FuzzCorpusTests {
    static let corpus = TestPaths.file("Fuzz/corpus")

    static var inputs: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)) ?? [])
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func theCorpusIsThere() {
        #expect(Self.inputs.count >= 6)
    }

    @Test(arguments: inputs)
    func replays(_ input: URL) throws {
        let cli = CLI()
        cli.run("lead", "create", "--title", "A", "--email", "a@example.com", "--phone", "+49 1")
        cli.run("deal", "create", "--title", "C", "--responsible", "anna", "--field", "amount=10")
        cli.run("document", "create", "--element", "2", "--template", "contract", "--ref", "D1")
        let bytes = try [UInt8](Data(contentsOf: input)).filter { $0 != 10 }
        let run = cli.runArgs(["event", "ingest", "--db", cli.db], stdinBytes: bytes)
        #expect(run.code == 0 || run.code == 65, "\(run)")
        if !bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
            #expect(run.lines.count == 1, "\(run)")
            let status = run.lines.first?["status"] as? String
            #expect(["moved", "recorded", "rejected"].contains(status ?? ""), "\(run)")
        }
        // A server checks its constraints at every write and has no such check of its own.
        if !TestDatabase.isPostgres {
            let check = try Connection(path: cli.db, busyTimeoutMilliseconds: 1000).scalarText("PRAGMA integrity_check")
            #expect(check == "ok")
        }
    }
}
