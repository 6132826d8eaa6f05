import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §3 `event types`, and an unknown type's error that helps.
@Suite struct EventCatalogueTests {
    @Test func everySendableTypeWithItsDataAndSignals() {
        let cli = CLI()
        let rows = cli.run("event", "types", "--json").array
        #expect(rows.count == 18)
        #expect(!rows.contains { str($0["type"]) == "stage.idle" || str($0["type"]) == "chat.unanswered" })
        let message = rows.first { str($0["type"]) == "chat.message" } ?? [:]
        #expect((message["data"] as? [String]) == ["text (required)", "channel", "chat"])
        #expect(((message["signals"] as? [String]) ?? []).first?.hasPrefix("chat.first_message") == true)
        #expect(((rows.first { str($0["type"]) == "document.sent" }?["signals"]) as? [Any])?.isEmpty == true)
        let text = cli.run("event", "types")
        #expect(text.code == 0 && text.out.split(separator: "\n").count == 19, "a header and 18 rows")
    }

    @Test func anUnknownTypeListsTheTypesAndNamesTheEventOfATriggerCode() {
        let cli = CLI()
        let lead = cli.lead()
        let code = cli.run("event", "inject", "--type", "chat.first_message", "--element", String(lead))
        #expect(code.code == 65)
        #expect(code.err.contains("chat.first_message is a trigger code; the event that signals it is chat.message"), "\(code)")
        let signed = cli.run("event", "inject", "--type", "document.signed.recipient", "--element", String(lead))
        #expect(signed.err.contains("the event that signals it is document.signed"), "\(signed)")
        let word = cli.run("event", "inject", "--type", "call.lost", "--element", String(lead))
        #expect(word.err.contains("the types are document.created") && word.err.contains("custom"), "\(word)")
        #expect(cli.run("event", "list", "--type", "call.lost").err.contains("the types are"))
    }
}
