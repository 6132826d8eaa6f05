import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// SPEC §4 matching details and §6 signals for client communication and the element triggers.
@Suite struct CommunicationTriggerTests {
    func explain(_ cli: CLI, _ result: [String: Any]) -> [String: Any] {
        let run = cli.run("event", "explain", String(int(result["event"]) ?? 0), "--json")
        #expect(run.code == 0, "\(run)")
        return run.object
    }

    @Test func emailOpenedOnlyForEmailSentFromTheElement() {
        let cli = CLI()
        let trigger = cli.trigger("--on", "email.opened", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead("Reader")
        let other = cli.lead("Other")
        // Not sent at all: recorded, with a note, nothing fires.
        let unknown = cli.inject("--type", "email.opened", "--element", String(lead), "--set", "email=m-1")
        #expect(str(unknown["status"]) == "recorded")
        #expect(moves(unknown).isEmpty)
        #expect(((unknown["notes"] as? [Any]) ?? []).isEmpty == false, "the outcome says why nothing fired: \(unknown)")
        // Sent from another element: still not this element's email.
        _ = cli.inject("--type", "email.sent", "--element", String(other), "--set", "email=m-2")
        let foreign = cli.inject("--type", "email.opened", "--element", String(lead), "--set", "email=m-2")
        #expect(str(foreign["status"]) == "recorded")
        // A received email with that id is not one sent from the element either.
        _ = cli.inject("--type", "email.received", "--element", String(lead), "--set", "email=m-3")
        let received = cli.inject("--type", "email.opened", "--element", String(lead), "--set", "email=m-3")
        #expect(str(received["status"]) == "recorded")
        #expect(cli.stage(lead) == "NEW")
        // Sent from the element: fires.
        _ = cli.inject("--type", "email.sent", "--element", String(lead), "--set", "email=m-1")
        let opened = cli.inject("--type", "email.opened", "--element", String(lead), "--set", "email=m-1")
        #expect(str(opened["status"]) == "moved")
        #expect(moves(opened).map(\.trigger) == [trigger])
        #expect(cli.stage(lead) == "IN_PROCESS")
        // The unsent open was still recorded as an event.
        #expect(cli.events("--type", "email.opened").count == 4)
    }

    /// SPEC marks `email` required for email.sent only: an open without it is recorded, signals nothing,
    /// and says why; so are document events without their document and a signature without its party.
    @Test func eventsWithoutOptionalDataAreRecordedWithANote() {
        let cli = CLI()
        let opened = cli.trigger("--on", "email.opened", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        let document = cli.run("document", "create", "--element", String(lead), "--template", "offer").trimmed
        for (type, data) in [("email.opened", "{}"), ("document.sent", "{}"), ("document.viewed", "{}"),
                             ("document.signed", "{}"), ("document.signed", #"{"party":"sender"}"#),
                             ("document.signed", #"{"document":"\#(document)"}"#)] {
            let result = cli.inject("--type", type, "--element", String(lead), "--data", data)
            #expect(str(result["status"]) == "recorded", "\(type) \(data): \(result)")
            #expect(((result["notes"] as? [Any]) ?? []).isEmpty == false, "\(type) \(data): \(result)")
            #expect(verdicts(explain(cli, result), signal: "email.opened")[opened] == nil)
        }
        let shown = cli.run("document", "show", String(document), "--json").object
        #expect(shown["sender_signed_at"] is NSNull && shown["recipient_signed_at"] is NSNull, "\(shown)")
        #expect(cli.stage(lead) == "NEW")
    }

    @Test func linkClickedMatchesURLPrefix() {
        let cli = CLI()
        let pricing = cli.trigger("--on", "email.link_clicked", "--url", "https://shop.example/pricing", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead()
        let about = cli.inject("--type", "email.link_clicked", "--element", String(lead), "--set", "url=https://shop.example/about")
        #expect(str(about["status"]) == "recorded")
        #expect(verdicts(explain(cli, about), signal: "email.link_clicked") == [pricing: "settings_mismatch"])
        let inside = cli.inject("--type", "email.link_clicked", "--element", String(lead), "--set", "url=https://evil.example/?u=https://shop.example/pricing")
        #expect(str(inside["status"]) == "recorded", "the URL must start with the prefix")
        let hit = cli.inject("--type", "email.link_clicked", "--element", String(lead), "--set", "url=https://shop.example/pricing?ref=mail")
        #expect(str(hit["status"]) == "moved")
        #expect(moves(hit).map(\.trigger) == [pricing])
    }

    @Test func callLinesAbsentMeansAnyPresentMeansEqual() {
        let cli = CLI()
        let hotline = cli.trigger("--on", "call.missed", "--line", "hotline", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let anyIncoming = cli.trigger("--on", "call.incoming", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let a = cli.lead("A")
        let b = cli.lead("B")
        let c = cli.lead("C")
        #expect(str(cli.inject("--type", "call.missed", "--element", String(a), "--set", "line=sales")["status"]) == "recorded")
        #expect(str(cli.inject("--type", "call.missed", "--element", String(a))["status"]) == "recorded", "no line is not the hotline")
        #expect(str(cli.inject("--type", "call.missed", "--element", String(a), "--set", "line=hotline2")["status"]) == "recorded")
        #expect(moves(cli.inject("--type", "call.missed", "--element", String(b), "--set", "line=hotline")).map(\.trigger) == [hotline])
        #expect(moves(cli.inject("--type", "call.incoming", "--element", String(c), "--set", "line=whatever")).map(\.trigger) == [anyIncoming])
        // An outgoing call signals only call.outgoing.
        let d = cli.lead("D")
        let outgoing = cli.inject("--type", "call.outgoing", "--element", String(d), "--set", "line=hotline")
        #expect(str(outgoing["status"]) == "recorded")
    }

    @Test func chatFirstMessageOnlyOncePerChat() {
        let cli = CLI()
        let first = cli.trigger("--on", "chat.first_message", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        let one = cli.inject("--type", "chat.message", "--element", String(lead), "--data", #"{"chat":"c-1","text":"Hallo"}"#)
        #expect(moves(one).map(\.trigger) == [first])
        #expect(cli.run("element", "move", String(lead), "--stage", "NEW").code == 0)
        let two = cli.inject("--type", "chat.message", "--element", String(lead), "--data", #"{"chat":"c-1","text":"Noch da?"}"#)
        #expect(str(two["status"]) == "recorded", "the second message of a chat is not a first message")
        let explained = explain(cli, two)
        #expect(verdicts(explained, signal: "chat.first_message").isEmpty)
        let other = cli.inject("--type", "chat.message", "--element", String(lead), "--data", #"{"chat":"c-2","text":"Neuer Chat"}"#)
        #expect(moves(other).map(\.trigger) == [first], "another chat has its own first message")
        // The chat defaults to the channel.
        #expect(cli.run("element", "move", String(lead), "--stage", "NEW").code == 0)
        let web = cli.inject("--type", "chat.message", "--element", String(lead), "--data", #"{"channel":"web","text":"1"}"#)
        #expect(str(web["status"]) == "moved")
        #expect(cli.run("element", "move", String(lead), "--stage", "NEW").code == 0)
        let webAgain = cli.inject("--type", "chat.message", "--element", String(lead), "--data", #"{"channel":"web","text":"2"}"#)
        #expect(str(webAgain["status"]) == "recorded")
    }

    @Test func chatFirstMessageChannelSetting() {
        let cli = CLI()
        let telegram = cli.trigger("--on", "chat.first_message", "--channel", "telegram", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let a = cli.lead()
        let web = cli.inject("--type", "chat.message", "--element", String(a), "--data", #"{"channel":"web","text":"x"}"#)
        #expect(verdicts(explain(cli, web), signal: "chat.first_message") == [telegram: "settings_mismatch"])
        let tg = cli.inject("--type", "chat.message", "--element", String(a), "--data", #"{"channel":"telegram","text":"x"}"#)
        #expect(moves(tg).map(\.trigger) == [telegram])
    }

    @Test func chatTextIsExactUnlessIgnoreCase() {
        let cli = CLI()
        let exact = cli.trigger("--on", "chat.text", "--text", "Bestellung morgen liefern", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead()
        func say(_ text: String) -> [String: Any] {
            cli.inject("--type", "chat.message", "--element", String(lead), "--data", #"{"chat":"c","text":"\#(text)"}"#)
        }
        #expect(str(say("morgen liefern")["status"]) == "recorded")
        #expect(str(say("Bestellung liefern morgen")["status"]) == "recorded", "word order counts")
        #expect(str(say("bestellung morgen liefern")["status"]) == "recorded", "case counts")
        let hit = say("Bitte: Bestellung morgen liefern!")
        #expect(moves(hit).map(\.trigger) == [exact], "every client message is checked, not only the first")

        let cli2 = CLI()
        let loose = cli2.trigger("--on", "chat.text", "--text", "Bestellung morgen liefern", "--ignore-case", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead2 = cli2.lead()
        let miss = cli2.inject("--type", "chat.message", "--element", String(lead2), "--data", #"{"text":"morgen Bestellung liefern"}"#)
        #expect(str(miss["status"]) == "recorded")
        let caseless = cli2.inject("--type", "chat.message", "--element", String(lead2), "--data", #"{"text":"BESTELLUNG MORGEN LIEFERN bitte"}"#)
        #expect(moves(caseless).map(\.trigger) == [loose])
    }

    @Test func firstMessageThenTextAreSequentialSignals() {
        let cli = CLI()
        let first = cli.trigger("--on", "chat.first_message", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let text = cli.trigger("--on", "chat.text", "--text", "kaufen", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead()
        let result = cli.inject("--type", "chat.message", "--element", String(lead), "--data", #"{"text":"ich will kaufen"}"#)
        #expect(moves(result).map(\.trigger) == [first, text])
        #expect(movePath(result) == ["NEW>IN_PROCESS", "IN_PROCESS>PROCESSED"])
        #expect(cli.stage(lead) == "PROCESSED")
        let changes = cli.history(lead).filter { str($0["kind"]) == "stage_changed" }
        #expect(changes.count == 2)
    }

    func answerScenario(late seconds: Int) -> (cli: CLI, lead: Int, late: Int, answered: Int, result: [String: Any]) {
        let cli = CLI()
        let late = cli.trigger("--on", "chat.answer_late", "--seconds", "600", "--pipeline", "lead", "--stage", "JUNK", "--allow-backwards")
        let answered = cli.trigger("--on", "chat.answered", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        _ = cli.inject("--type", "chat.message", "--element", String(lead), "--at", "2026-11-24T10:00:00Z",
                       "--data", #"{"chat":"c-9","text":"Hallo"}"#)
        let answerAt = ISO8601DateFormatter().string(
            from: ISO8601DateFormatter().date(from: "2026-11-24T10:00:00Z")!.addingTimeInterval(TimeInterval(seconds)))
        let result = cli.inject("--type", "chat.answered", "--element", String(lead), "--at", answerAt, "--by", "ben",
                                "--data", #"{"chat":"c-9"}"#)
        return (cli, lead, late, answered, result)
    }

    @Test func lateAnswerEscalatesBeforeTheAnsweredTriggerIsConsidered() {
        let s = answerScenario(late: 601)
        #expect(str(s.result["status"]) == "moved")
        #expect(moves(s.result).map(\.trigger) == [s.late])
        #expect(movePath(s.result) == ["NEW>JUNK"])
        #expect(s.cli.stage(s.lead) == "JUNK")
        let explained = explain(s.cli, s.result)
        #expect(verdicts(explained, signal: "chat.answer_late") == [s.late: "applied"])
        #expect(verdicts(explained, signal: "chat.answered") == [s.answered: "element_closed"])
        let order = ((explained["signals"] as? [Any]) ?? []).compactMap { ($0 as? [String: Any])?["signal"] as? String }
        #expect(order == ["chat.answer_late", "chat.answered"])
    }

    @Test func answerWithinTheLimitIsPlainAnswered() {
        let s = answerScenario(late: 300)
        #expect(moves(s.result).map(\.trigger) == [s.answered])
        #expect(movePath(s.result) == ["NEW>IN_PROCESS"])
        let explained = explain(s.cli, s.result)
        #expect(verdicts(explained, signal: "chat.answer_late") == [s.late: "settings_mismatch"])
        #expect(verdicts(explained, signal: "chat.answered") == [s.answered: "applied"])
    }

    @Test func answerExactlyAtTheLimitIsNotLate() {
        let s = answerScenario(late: 600)
        #expect(moves(s.result).map(\.trigger) == [s.answered])
    }

    @Test func answerWithoutFirstMessageHasUnknownResponseTime() {
        let cli = CLI()
        let late = cli.trigger("--on", "chat.answer_late", "--seconds", "0", "--pipeline", "lead", "--stage", "JUNK", "--allow-backwards")
        let lead = cli.lead()
        let result = cli.inject("--type", "chat.answered", "--element", String(lead), "--data", #"{"chat":"never"}"#)
        #expect(str(result["status"]) == "recorded")
        #expect(cli.stage(lead) == "NEW")
        #expect(verdicts(explain(cli, result), signal: "chat.answer_late")[late] != "applied")
    }

    /// "Both by their `at`": a client message that arrives late but was written earlier starts the clock.
    @Test func responseTimeCountsFromTheEarliestClientMessage() {
        let cli = CLI()
        let late = cli.trigger("--on", "chat.answer_late", "--seconds", "120", "--pipeline", "lead", "--stage", "JUNK")
        let first = cli.trigger("--on", "chat.first_message", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        let arrivedFirst = cli.inject("--type", "chat.message", "--element", String(lead), "--at", "2026-11-24T09:05:00Z",
                                      "--data", #"{"chat":"c","text":"Noch da?"}"#)
        #expect(moves(arrivedFirst).map(\.trigger) == [first], "the first message to arrive is the first message")
        let writtenFirst = cli.inject("--type", "chat.message", "--element", String(lead), "--at", "2026-11-24T09:00:00Z",
                                      "--data", #"{"chat":"c","text":"Hallo"}"#)
        #expect(verdicts(explain(cli, writtenFirst), signal: "chat.first_message").isEmpty)
        let answer = cli.inject("--type", "chat.answered", "--element", String(lead), "--at", "2026-11-24T09:06:00Z",
                                "--data", #"{"chat":"c"}"#)
        #expect(moves(answer).map(\.trigger) == [late], "answered 360 s after 09:00, not 60 s after 09:05: \(answer)")
    }

    /// A message that names only its chat is on the chat's channel, as an answer is.
    @Test func messageOnAKnownChatTakesTheChatsChannel() {
        let cli = CLI()
        let text = cli.trigger("--on", "chat.text", "--text", "Angebot", "--channel", "wa", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead()
        _ = cli.inject("--type", "chat.message", "--element", String(lead), "--data", #"{"chat":"c1","channel":"wa","text":"Hallo"}"#)
        let result = cli.inject("--type", "chat.message", "--element", String(lead), "--data", #"{"chat":"c1","text":"Angebot bitte"}"#)
        #expect(moves(result).map(\.trigger) == [text], "\(result)")
        #expect(verdicts(explain(cli, result), signal: "chat.text") == [text: "applied"])
    }

    @Test func callbackFormSignalsCallbackThenSubmitted() {
        let cli = CLI()
        let callback = cli.trigger("--on", "form.callback", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let submitted = cli.trigger("--on", "form.submitted", "--pipeline", "lead", "--stage", "PROCESSED")
        let a = cli.lead("A")
        let result = cli.inject("--type", "form.submitted", "--element", String(a), "--data", #"{"form":"call-me","kind":"callback"}"#)
        #expect(moves(result).map(\.trigger) == [callback, submitted])
        #expect(movePath(result) == ["NEW>IN_PROCESS", "IN_PROCESS>PROCESSED"])
        let b = cli.lead("B")
        let webform = cli.inject("--type", "form.submitted", "--element", String(b), "--data", #"{"form":"contact"}"#)
        #expect(moves(webform).map(\.trigger) == [submitted], "a webform (the default kind) is not a callback")
        #expect(verdicts(explain(cli, webform), signal: "form.callback").isEmpty)
        let c = cli.lead("C")
        let explicit = cli.inject("--type", "form.submitted", "--element", String(c), "--data", #"{"form":"contact","kind":"webform"}"#)
        #expect(movePath(explicit) == ["NEW>PROCESSED"])
    }

    @Test func formSetting() {
        let cli = CLI()
        let only = cli.trigger("--on", "form.submitted", "--form", "pricing", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead()
        #expect(str(cli.inject("--type", "form.submitted", "--element", String(lead), "--set", "form=contact")["status"]) == "recorded")
        #expect(moves(cli.inject("--type", "form.submitted", "--element", String(lead), "--set", "form=pricing")).map(\.trigger) == [only])
    }

    @Test func paymentReceived() {
        let cli = CLI()
        let paid = cli.trigger("--on", "payment.received", "--pipeline", "deal", "--stage", "WON")
        let deal = cli.deal()
        let result = cli.inject("--type", "payment.received", "--element", String(deal), "--data", #"{"amount":"99.50","currency":"EUR","invoice":"I-7"}"#)
        #expect(moves(result).map(\.trigger) == [paid])
        #expect(cli.stage(deal) == "WON")
        let event = cli.events().last ?? [:]
        #expect((event["data"] as? [String: String]) == ["amount": "99.50", "currency": "EUR", "invoice": "I-7"])
    }

    @Test func fieldChangedOnlyForReallyChangedFields() {
        let cli = CLI()
        let budget = cli.trigger("--on", "field.changed", "--field", "budget", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead("F", "--field", "budget=100")
        let same = cli.inject("--type", "field.changed", "--element", String(lead), "--data", #"{"fields":{"budget":"100"}}"#)
        #expect(str(same["status"]) == "recorded")
        #expect(verdicts(explain(cli, same), signal: "field.changed").isEmpty, "no field changed: no signal")
        let other = cli.inject("--type", "field.changed", "--element", String(lead), "--data", #"{"fields":{"size":"L","budget":"100"}}"#)
        #expect(str(other["status"]) == "recorded")
        #expect(verdicts(explain(cli, other), signal: "field.changed") == [budget: "settings_mismatch"])
        #expect((cli.element(lead)["fields"] as? [String: String]) == ["budget": "100", "size": "L"])
        let changed = cli.inject("--type", "field.changed", "--element", String(lead), "--data", #"{"fields":{"budget":"200"}}"#)
        #expect(moves(changed).map(\.trigger) == [budget])
        // A standard field counts as a field name.
        let cli2 = CLI()
        let title = cli2.trigger("--on", "field.changed", "--field", "title", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead2 = cli2.lead("Old")
        let retitled = cli2.inject("--type", "field.changed", "--element", String(lead2), "--data", #"{"fields":{"title":"New"}}"#)
        #expect(moves(retitled).map(\.trigger) == [title])
        #expect(str(cli2.element(lead2)["title"]) == "New")
    }

    @Test func responsibleChangedAuthorsMovesByTheNewResponsible() {
        let cli = CLI()
        let changed = cli.trigger("--on", "responsible.changed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let missed = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead("R", "--responsible", "anna")
        let result = cli.inject("--type", "responsible.changed", "--element", String(lead), "--set", "responsible=ben", "--by", "carl")
        #expect(moves(result).map(\.trigger) == [changed])
        #expect(str(cli.element(lead)["responsible"]) == "ben")
        let later = cli.inject("--type", "call.missed", "--element", String(lead))
        #expect(moves(later).map(\.trigger) == [missed])
        let changes = cli.history(lead).filter { str($0["kind"]) == "stage_changed" }
        #expect(changes.map { str($0["author"]) } == ["ben", "ben"])
        let own = cli.history(lead).first { str($0["kind"]) == "responsible.changed" }
        #expect(str(own?["author"]) == "carl")
        // The same responsible again is no change.
        let again = cli.inject("--type", "responsible.changed", "--element", String(lead), "--set", "responsible=ben")
        #expect(str(again["status"]) == "recorded")
    }

    @Test func triggerAsWinsOverResponsible() {
        let cli = CLI()
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--as", "dispatcher")
        _ = cli.trigger("--on", "call.incoming", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead("A", "--responsible", "anna")
        let noOne = cli.lead("B")
        _ = cli.inject("--type", "call.missed", "--element", String(lead))
        _ = cli.inject("--type", "call.incoming", "--element", String(lead))
        _ = cli.inject("--type", "call.incoming", "--element", String(noOne))
        #expect(cli.history(lead).filter { str($0["kind"]) == "stage_changed" }.map { str($0["author"]) } == ["dispatcher", "anna"])
        #expect(cli.history(noOne).filter { str($0["kind"]) == "stage_changed" }.map { str($0["author"]) } == ["system"])
    }

    @Test func customCode() {
        let cli = CLI()
        let vip = cli.trigger("--on", "custom", "--code", "vip", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead()
        let other = cli.inject("--type", "custom", "--element", String(lead), "--set", "code=newsletter")
        #expect(str(other["status"]) == "recorded")
        #expect(verdicts(explain(cli, other), signal: "custom") == [vip: "settings_mismatch"])
        let hit = cli.inject("--type", "custom", "--element", String(lead), "--set", "code=vip")
        #expect(moves(hit).map(\.trigger) == [vip])
    }

    // MARK: the rules of §6

    @Test func pipelineOrderDecidesNotTriggerId() {
        let cli = CLI()
        let later = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "PROCESSED")
        let earlier = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let sameStage = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        let result = cli.inject("--type", "call.missed", "--element", String(lead))
        #expect(moves(result).map(\.trigger) == [earlier])
        #expect(verdicts(explain(cli, result), signal: "call.missed") == [
            earlier: "applied", sameStage: "earlier_trigger_applied", later: "earlier_trigger_applied",
        ])
    }

    @Test func backwardsAndClosedRules() {
        let cli = CLI()
        let back = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let current = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "PROCESSED")
        let lead = cli.lead("B", "--stage", "PROCESSED")
        let result = cli.inject("--type", "call.missed", "--element", String(lead))
        #expect(str(result["status"]) == "recorded")
        #expect(verdicts(explain(cli, result), signal: "call.missed") == [back: "target_is_behind", current: "target_is_current"])

        // A closed element: every target counts as moving back; only allow_backwards reopens it.
        let forward = cli.trigger("--on", "call.incoming", "--pipeline", "lead", "--stage", "JUNK")
        let closed = cli.lead("C", "--stage", "CONVERTED")
        let stays = cli.inject("--type", "call.incoming", "--element", String(closed))
        #expect(str(stays["status"]) == "recorded")
        #expect(verdicts(explain(cli, stays), signal: "call.incoming") == [forward: "element_closed"])
        let reopen = cli.trigger("--on", "call.incoming", "--pipeline", "lead", "--stage", "IN_PROCESS", "--allow-backwards")
        let reopened = cli.inject("--type", "call.incoming", "--element", String(closed))
        #expect(moves(reopened).map(\.trigger) == [reopen])
        #expect(cli.stage(closed) == "IN_PROCESS")
    }

    @Test func triggersOfAnotherPipelineAreNeverConsidered() {
        let cli = CLI()
        _ = cli.run("pipeline", "create", "--type", "deal", "--name", "Other", "--stages", "OPEN:Open,NEW:New,WON:Won:success,LOST:Lost:failure")
        let elsewhere = cli.trigger("--on", "payment.received", "--pipeline", "3", "--stage", "WON")
        let deal = cli.deal("In General")
        let result = cli.inject("--type", "payment.received", "--element", String(deal))
        #expect(str(result["status"]) == "recorded")
        #expect(cli.stage(deal) == "NEW")
        #expect(int(cli.element(deal)["pipeline"]) == 2)
        #expect(verdicts(explain(cli, result), signal: "payment.received")[elsewhere] == nil)
    }
}
