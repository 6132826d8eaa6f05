import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §3 document commands and the paperwork events of §6.
@Suite struct DocumentTests {
    static let documentKeys =
        "id ref element template title created_by created_at sent_via sent_at viewed_at sender_signed_at recipient_signed_at"

    func document(_ cli: CLI, _ name: String) -> [String: Any] {
        let run = cli.run("document", "show", name, "--json")
        #expect(run.code == 0, "\(run)")
        return run.object
    }

    @Test func createPrintsIdAloneAndFiresDocumentCreated() {
        let cli = CLI()
        let trigger = cli.trigger("--on", "document.created", "--template", "contract", "--pipeline", "deal", "--stage", "PREPARATION")
        let deal = cli.deal("D", "--responsible", "anna")
        let offer = cli.run("document", "create", "--element", String(deal), "--template", "offer")
        #expect(offer.code == 0, "\(offer)")
        #expect(offer.out == "1\n")
        #expect(offer.err.isEmpty)
        #expect(cli.stage(deal) == "NEW", "the template filter: an offer is not a contract")
        let contract = cli.run("document", "create", "--element", String(deal), "--template", "contract", "--title", "Fit-out",
                               "--ref", "C-17", "--by", "anna", "--json", now: "2026-11-25T09:00:00Z")
        #expect(contract.code == 0, "\(contract)")
        #expect(contract.err.isEmpty)
        let result = contract.object
        expectKeys(result, "key event type element status moves document")
        #expect(str(result["type"]) == "document.created")
        #expect(str(result["status"]) == "moved")
        #expect(moves(result).map(\.trigger) == [trigger])
        let document = result["document"] as? [String: Any] ?? [:]
        expectKeys(document, Self.documentKeys)
        #expect(int(document["id"]) == 2)
        #expect(str(document["ref"]) == "C-17")
        #expect(int(document["element"]) == deal)
        #expect(str(document["template"]) == "contract")
        #expect(str(document["title"]) == "Fit-out")
        #expect(str(document["created_by"]) == "anna")
        #expect(str(document["created_at"]) == "2026-11-25T09:00:00Z")
        for key in ["sent_via", "sent_at", "viewed_at", "sender_signed_at", "recipient_signed_at"] {
            #expect(isNull(document[key]), "\(key)")
        }
        #expect(cli.stage(deal) == "PREPARATION")
        let list = cli.run("document", "list", "--json")
        #expect(list.array.compactMap { int($0["id"]) } == [1, 2])
        for item in list.array { expectKeys(item, Self.documentKeys) }
    }

    @Test func createErrors() {
        let cli = CLI()
        let deal = cli.deal()
        let missing = cli.run("document", "create", "--element", "99", "--template", "offer")
        #expect(missing.code == 66, "\(missing)")
        #expect(missing.out.isEmpty)
        #expect(cli.run("document", "create", "--element", String(deal), "--template", "offer", "--ref", "R").code == 0)
        let duplicateRef = cli.run("document", "create", "--element", String(deal), "--template", "offer", "--ref", "R")
        #expect(duplicateRef.code == 65, "\(duplicateRef)")
        #expect(duplicateRef.out.isEmpty)
        let noTemplate = cli.run("document", "create", "--element", String(deal), "--template", "")
        #expect(noTemplate.code == 65, "the command checks what a document.created event checks: \(noTemplate)")
        #expect(noTemplate.err.contains("template"))
        #expect(cli.run("document", "list", "--json").array.count == 1)
        #expect(cli.run("document", "show", "nope").code == 66)
        #expect(cli.run("document", "send", "nope", "--via", "email").code == 66)
        let badVia = cli.run("document", "send", "R", "--via", "fax")
        #expect(badVia.code == 64, "\(badVia)")
    }

    @Test func sendViewByIdAndRef() {
        let cli = CLI()
        let viewed = cli.trigger("--on", "document.viewed", "--pipeline", "deal", "--stage", "PREPAYMENT_INVOICE")
        let deal = cli.deal("D", "--responsible", "anna")
        #expect(cli.run("document", "create", "--element", String(deal), "--template", "contract", "--ref", "C-1").out == "1\n")
        let sent = cli.run("document", "send", "C-1", "--via", "sms", "--by", "anna", "--json", now: "2026-11-25T09:05:00Z")
        #expect(sent.code == 0, "\(sent)")
        #expect(str(sent.object["type"]) == "document.sent")
        #expect(str(sent.object["status"]) == "recorded")
        #expect(moves(sent.object).isEmpty)
        let afterSend = sent.object["document"] as? [String: Any] ?? [:]
        #expect(str(afterSend["sent_via"]) == "sms")
        #expect(str(afterSend["sent_at"]) == "2026-11-25T09:05:00Z")
        let view = cli.run("document", "view", "1", "--json", now: "2026-11-25T11:40:00Z")
        #expect(view.code == 0, "\(view)")
        #expect(str(view.object["type"]) == "document.viewed")
        #expect(moves(view.object).map(\.trigger) == [viewed])
        #expect(str((view.object["document"] as? [String: Any])?["viewed_at"]) == "2026-11-25T11:40:00Z")
        #expect(cli.stage(deal) == "PREPAYMENT_INVOICE")
        #expect(str(document(cli, "C-1")["viewed_at"]) == "2026-11-25T11:40:00Z")
        #expect(int(document(cli, "1")["id"]) == 1)
        // The document events are real events, stored with the element.
        #expect(cli.events("--element", String(deal)).map { str($0["type"]) } == ["document.created", "document.sent", "document.viewed"])
    }

    @Test func viewOfUnsentDocumentDoesNotMove() {
        let cli = CLI()
        let viewed = cli.trigger("--on", "document.viewed", "--pipeline", "deal", "--stage", "PREPAYMENT_INVOICE")
        let deal = cli.deal()
        _ = cli.run("document", "create", "--element", String(deal), "--template", "contract")
        let view = cli.run("document", "view", "1", "--json")
        #expect(view.code == 0, "\(view)")
        #expect(str(view.object["status"]) == "recorded")
        #expect(moves(view.object).isEmpty)
        #expect(((view.object["notes"] as? [Any]) ?? []).isEmpty == false, "the outcome says why: \(view)")
        #expect(cli.stage(deal) == "NEW")
        let explained = cli.run("event", "explain", String(int(view.object["event"]) ?? 0), "--json").object
        #expect(verdicts(explained, signal: "document.viewed")[viewed] == nil)
    }

    @Test func signingRecipientThenSenderFiresSignedAllOnTheSecond() {
        let cli = CLI()
        let recipient = cli.trigger("--on", "document.signed.recipient", "--pipeline", "deal", "--stage", "PREPARATION")
        let sender = cli.trigger("--on", "document.signed.sender", "--pipeline", "deal", "--stage", "PREPAYMENT_INVOICE")
        let all = cli.trigger("--on", "document.signed.all", "--pipeline", "deal", "--stage", "EXECUTING")
        let deal = cli.deal()
        _ = cli.run("document", "create", "--element", String(deal), "--template", "contract", "--ref", "K")
        let first = cli.run("document", "sign", "K", "--party", "recipient", "--json", now: "2026-11-26T08:00:00Z")
        #expect(first.code == 0, "\(first)")
        #expect(moves(first.object).map(\.trigger) == [recipient])
        let explainedFirst = cli.run("event", "explain", String(int(first.object["event"]) ?? 0), "--json").object
        #expect(verdicts(explainedFirst, signal: "document.signed.all").isEmpty, "only one party has signed")
        let second = cli.run("document", "sign", "K", "--party", "sender", "--json", now: "2026-11-26T15:20:00Z")
        #expect(second.code == 0, "\(second)")
        #expect(moves(second.object).map(\.trigger) == [sender, all])
        #expect(movePath(second.object) == ["PREPARATION>PREPAYMENT_INVOICE", "PREPAYMENT_INVOICE>EXECUTING"])
        #expect(cli.stage(deal) == "EXECUTING")
        let doc = document(cli, "K")
        #expect(str(doc["recipient_signed_at"]) == "2026-11-26T08:00:00Z")
        #expect(str(doc["sender_signed_at"]) == "2026-11-26T15:20:00Z")

        // A repeated signature records nothing new and signals nothing.
        #expect(cli.run("element", "move", String(deal), "--stage", "NEW").code == 0)
        let again = cli.run("document", "sign", "K", "--party", "sender", "--json", now: "2026-11-27T10:00:00Z")
        #expect(again.code == 0, "\(again)")
        #expect(str(again.object["status"]) == "recorded")
        #expect(moves(again.object).isEmpty)
        #expect(cli.stage(deal) == "NEW")
        #expect(str(document(cli, "K")["sender_signed_at"]) == "2026-11-26T15:20:00Z")
        let explainedAgain = cli.run("event", "explain", String(int(again.object["event"]) ?? 0), "--json").object
        #expect(((explainedAgain["signals"] as? [Any]) ?? []).isEmpty)
    }

    @Test func signedTriggersHonourTheTemplate() {
        let cli = CLI()
        let contractOnly = cli.trigger("--on", "document.signed.all", "--template", "contract", "--pipeline", "deal", "--stage", "EXECUTING")
        let deal = cli.deal()
        _ = cli.run("document", "create", "--element", String(deal), "--template", "offer", "--ref", "O")
        _ = cli.run("document", "sign", "O", "--party", "sender")
        let both = cli.run("document", "sign", "O", "--party", "recipient", "--json")
        #expect(str(both.object["status"]) == "recorded")
        let explained = cli.run("event", "explain", String(int(both.object["event"]) ?? 0), "--json").object
        #expect(verdicts(explained, signal: "document.signed.all") == [contractOnly: "settings_mismatch"])
        #expect(cli.stage(deal) == "NEW")
    }

    @Test func documentEventsThroughInjectAndIngest() {
        let cli = CLI()
        let viewed = cli.trigger("--on", "document.viewed", "--pipeline", "deal", "--stage", "PREPARATION")
        let deal = cli.deal()
        let made = cli.inject("--type", "document.created", "--element", String(deal), "--data", #"{"template":"offer","ref":"OF-1"}"#)
        #expect(str(made["status"]) == "recorded")
        #expect(int(made["document"]) == 1)
        let sent = cli.inject("--type", "document.sent", "--element", String(deal), "--data", #"{"document":"OF-1","via":"email"}"#)
        #expect(str(sent["status"]) == "recorded")
        #expect(str(document(cli, "OF-1")["sent_via"]) == "email")
        let line = ingestOne(cli, #"{"type":"document.viewed","element":\#(deal),"data":{"document":1}}"#)
        #expect(str(line["status"]) == "moved")
        #expect(moves(line).map(\.trigger) == [viewed])
        let signed = ingestOne(cli, #"{"type":"document.signed","element":\#(deal),"data":{"document":"OF-1","party":"recipient"}}"#)
        #expect(str(signed["status"]) == "recorded")
        #expect(str(document(cli, "OF-1")["recipient_signed_at"]) != nil)
        let all = cli.trigger("--on", "document.signed.all", "--pipeline", "deal", "--stage", "EXECUTING")
        let sender = cli.inject("--type", "document.signed", "--element", String(deal), "--data", #"{"document":"OF-1","party":"sender"}"#)
        #expect(moves(sender).map(\.trigger) == [all])
        // The other way round: created through ingest, sent and viewed through inject.
        let created = ingestOne(cli, #"{"type":"document.created","element":\#(deal),"by":"anna","data":{"template":"offer","ref":"OF-2"}}"#)
        #expect(str(created["status"]) == "recorded")
        #expect(int(created["document"]) == 2)
        #expect(str(document(cli, "OF-2")["created_by"]) == "anna")
        #expect(cli.run("element", "move", String(deal), "--stage", "NEW").code == 0)
        _ = ingestOne(cli, #"{"type":"document.sent","element":\#(deal),"data":{"document":"OF-2","via":"sms"}}"#)
        #expect(str(document(cli, "OF-2")["sent_via"]) == "sms")
        let view = cli.inject("--type", "document.viewed", "--element", String(deal), "--data", #"{"document":"OF-2"}"#)
        #expect(moves(view).map(\.trigger) == [viewed])
    }

    @Test func documentOfAnotherElementIsRejected() {
        let cli = CLI()
        let owner = cli.deal("Owner")
        let stranger = cli.deal("Stranger")
        _ = cli.run("document", "create", "--element", String(owner), "--template", "contract", "--ref", "MINE")
        let run = cli.run("event", "inject", "--type", "document.signed", "--element", String(stranger),
                          "--data", #"{"document":"MINE","party":"recipient"}"#)
        #expect(run.code == 65, "\(run)")
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("crmctl: error: "))
        let byID = cli.run("event", "inject", "--type", "document.viewed", "--element", String(stranger), "--data", #"{"document":1}"#)
        #expect(byID.code == 65, "\(byID)")
        let line = cli.run("event", "ingest", stdin: #"{"type":"document.sent","element":\#(stranger),"data":{"document":1,"via":"email"}}"# + "\n")
        #expect(line.code == 65)
        #expect(str(line.lines.first?["status"]) == "rejected")
        let doc = document(cli, "MINE")
        #expect(isNull(doc["recipient_signed_at"]) && isNull(doc["viewed_at"]) && isNull(doc["sent_at"]))
        #expect(cli.events("--element", String(stranger)).isEmpty)
        let unknown = cli.run("event", "inject", "--type", "document.viewed", "--element", String(owner), "--data", #"{"document":"NOPE"}"#)
        #expect(unknown.code == 66 || unknown.code == 65, "\(unknown)")
        #expect(unknown.out.isEmpty)
    }

    @Test func documentIdIsTriedBeforeRef() {
        let cli = CLI()
        let deal = cli.deal()
        // A ref of digits could never be reached (SPEC §3): it is refused.
        #expect(cli.run("document", "create", "--element", String(deal), "--template", "a", "--ref", "2").code == 65)
        _ = cli.run("document", "create", "--element", String(deal), "--template", "a", "--ref", "X")
        _ = cli.run("document", "create", "--element", String(deal), "--template", "b", "--ref", "1")
        #expect(str(document(cli, "1")["template"]) == "a", "all digits: an id first")
        #expect(str(document(cli, "X")["template"]) == "a")
    }

    @Test func documentListByElement() {
        let cli = CLI()
        let a = cli.deal("A")
        let b = cli.deal("B")
        _ = cli.run("document", "create", "--element", String(a), "--template", "x")
        _ = cli.run("document", "create", "--element", String(b), "--template", "y")
        _ = cli.run("document", "create", "--element", String(a), "--template", "z")
        #expect(cli.run("document", "list", "--element", String(a), "--json").array.compactMap { int($0["id"]) } == [1, 3])
        let text = cli.run("document", "list")
        #expect(text.code == 0)
        #expect(text.err.isEmpty)
    }
}
