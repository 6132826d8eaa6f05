import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §3 "Refs and keys that read as ids": a digit-only ref is refused; `--ref` and `--key` name a
/// document or event by ref or key alone.
@Suite struct RefsAndKeysTests {
    @Test func aRefOfDigitsIsRefusedAndRefsAndKeysNameUnambiguously() {
        let cli = CLI()
        let deal = cli.deal()
        let digits = cli.run("document", "create", "--element", String(deal), "--template", "offer", "--ref", "12")
        #expect(digits.code == 65 && digits.err.contains("digits"), "\(digits)")
        let ingested = cli.run("event", "ingest", stdin: #"{"type":"document.created","element":\#(deal),"data":{"template":"x","ref":"7"}}"# + "\n")
        #expect(ingested.code == 65)
        #expect(cli.run("document", "list", "--json").array.isEmpty)
        #expect(cli.run("document", "create", "--element", String(deal), "--template", "offer", "--ref", "1A").code == 0)
        #expect(cli.run("document", "create", "--element", String(deal), "--template", "offer", "--ref", "C-1").code == 0)
        // "1A" is not an id, "1" is; --ref finds by ref alone.
        #expect(str(cli.run("document", "show", "--ref", "C-1", "--json").object["ref"]) == "C-1")
        #expect(int(cli.run("document", "show", "1", "--json").object["id"]) == 1)
        #expect(cli.run("document", "show", "--ref", "1").code == 66)
        #expect(cli.run("document", "show").code == 64)
        #expect(cli.run("document", "show", "1", "--ref", "C-1").code == 64)
        // Keys.
        _ = cli.inject("--type", "call.missed", "--element", String(deal), "--key", "2")
        _ = cli.inject("--type", "call.missed", "--element", String(deal), "--key", "k")
        #expect(str(cli.run("event", "explain", "--key", "2", "--json").object["key"]) == "2")
        #expect(str(cli.run("event", "explain", "2", "--json").object["type"]) == "document.created", "digits: an id first")
        #expect(cli.run("event", "explain", "--key", "none").code == 66)
        #expect(cli.run("event", "explain", "").code == 64)
    }
}
