import JSON
import Testing

@testable import CRMCore

/// SPEC §6's "records" and "signals" columns, decided without a database: the facts are given, the
/// signals, notes and record changes are checked.
@Suite struct SignalRulesTests {
    static let element = Element(
        id: 7, type: .deal, pipeline: 2, stage: "NEW", title: "Deal", responsible: "anna", email: nil, phone: nil,
        fields: ["budget": "10"], createdAt: Timestamp(milliseconds: 0), updatedAt: Timestamp(milliseconds: 0))

    static func time(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    static func contract(senderSigned: String? = nil, recipientSigned: String? = nil, element: Int64 = 7) -> Document {
        Document(
            id: 3, ref: "C-1", element: element, template: "contract", title: nil, createdBy: nil,
            createdAt: time("2026-11-24T08:00:00Z"), sentVia: "email", sentAt: time("2026-11-24T08:05:00Z"),
            senderSignedAt: senderSigned.map(time), recipientSignedAt: recipientSigned.map(time))
    }

    static func records(
        _ type: EventType, _ data: JSONObject, at: String = "2026-11-24T09:00:00Z", facts: EventFacts = EventFacts()
    ) throws -> EventRecords {
        try SignalRules.records(of: type, data: data, at: time(at), element: element, facts: facts)
    }

    @Test func theSecondPartyToSignGivesItsSignalThenSignedAll() throws {
        let first = try Self.records(
            .documentSigned, ["document": "3", "party": "recipient"], facts: EventFacts(document: Self.contract()))
        #expect(first.signals.map(\.code) == [.documentSignedRecipient])
        #expect(first.changes == [.documentSigned(document: 3, party: .recipient)])
        #expect(first.signals.first?.template == "contract")

        let second = try Self.records(
            .documentSigned, ["document": "3", "party": "sender"],
            facts: EventFacts(document: Self.contract(recipientSigned: "2026-11-24T08:30:00Z")))
        #expect(second.signals.map(\.code) == [.documentSignedSender, .documentSignedAll])
        #expect(second.signals.allSatisfy { $0.template == "contract" })
        #expect(second.document == 3)
    }

    @Test func aRepeatedSignatureRecordsAndSignalsNothing() throws {
        let again = try Self.records(
            .documentSigned, ["document": "3", "party": "sender"],
            facts: EventFacts(document: Self.contract(senderSigned: "2026-11-24T08:30:00Z", recipientSigned: "2026-11-24T08:40:00Z")))
        #expect(again.signals.isEmpty)
        #expect(again.changes.isEmpty)
        #expect(again.notes == ["the sender had already signed document 3: nothing new is recorded or signalled"])
    }

    @Test func aDocumentOfAnotherElementOrNoneAtAllIsRefused() {
        #expect(throws: CRMError.invalid("document 3 belongs to element 9, not to element 7")) {
            try Self.records(.documentViewed, ["document": "3"], facts: EventFacts(document: Self.contract(element: 9)))
        }
        #expect(throws: CRMError.notFound("document C-9 does not exist")) {
            try Self.records(.documentViewed, ["document": "C-9"])
        }
    }

    @Test func theFirstMessagePerChatIsSignalledOnce() throws {
        let first = try Self.records(.chatMessage, ["text": "Hallo", "chat": "c1", "channel": "telegram"])
        #expect(first.signals.map(\.code) == [.chatFirstMessage, .chatText])
        #expect(first.changes == [.chatMessage(chat: "c1", channel: "telegram")])

        let known = Chat(channel: "telegram", firstMessageAt: Self.time("2026-11-24T08:00:00Z"))
        let later = try Self.records(.chatMessage, ["text": "Noch da?", "chat": "c1"], facts: EventFacts(chat: known))
        #expect(later.signals.map(\.code) == [.chatText])
        #expect(later.signals.first?.channel == "telegram", "a message on a known chat takes its channel")
        #expect(later.changes.isEmpty, "a later message changes nothing the chat keeps")

        let other = try Self.records(.chatMessage, ["text": "Hi", "chat": "c2"])
        #expect(other.signals.map(\.code) == [.chatFirstMessage, .chatText], "another chat has its own first message")
    }

    @Test func theResponseTimeCountsFromTheEarliestClientMessage() throws {
        // A message that arrives late but happened earlier becomes the chat's first message.
        let known = Chat(channel: nil, firstMessageAt: Self.time("2026-11-24T09:10:00Z"))
        let earlier = try Self.records(
            .chatMessage, ["text": "Zuerst", "chat": "c1"], at: "2026-11-24T09:00:00Z", facts: EventFacts(chat: known))
        #expect(earlier.changes == [.chatMessage(chat: "c1", channel: nil)])
        #expect(earlier.signals.map(\.code) == [.chatText])

        let answered = try Self.records(
            .chatAnswered, ["chat": "c1"], at: "2026-11-24T09:15:00Z",
            facts: EventFacts(chat: Chat(channel: "web", firstMessageAt: Self.time("2026-11-24T09:00:00Z"))))
        #expect(answered.signals.map(\.code) == [.chatAnswerLate, .chatAnswered])
        #expect(answered.signals.first?.responseSeconds == 900)
        #expect(answered.signals.allSatisfy { $0.channel == "web" })

        let unknown = try Self.records(.chatAnswered, ["chat": "c9"])
        #expect(unknown.signals.first?.responseSeconds == nil)
        #expect(unknown.notes == ["no first client message was recorded in chat \"c9\": the response time is unknown"])
    }

    @Test func aCallbackFormSignalsCallbackThenSubmitted() throws {
        let callback = try Self.records(.formSubmitted, ["form": "rueckruf", "kind": "callback"])
        #expect(callback.signals.map(\.code) == [.formCallback, .formSubmitted])
        #expect(callback.signals.allSatisfy { $0.form == "rueckruf" })
        let webform = try Self.records(.formSubmitted, ["form": "kontakt"])
        #expect(webform.signals.map(\.code) == [.formSubmitted])
    }

    @Test func anOpenFiresOnlyForAnEmailSentFromTheElement() throws {
        let sent = try Self.records(.emailOpened, ["email": "m-1"], facts: EventFacts(sentEmail: 12))
        #expect(sent.signals.map(\.code) == [.emailOpened])
        #expect(sent.changes == [.emailOpened(sentEmail: 12)])
        let unknown = try Self.records(.emailOpened, ["email": "m-2"])
        #expect(unknown.signals.isEmpty)
        #expect(unknown.notes == ["email \"m-2\" was not sent from element 7: email.opened does not fire"])
    }

    @Test func aViewOfAnUnsentDocumentIsRecordedButNotSignalled() throws {
        var unsent = Self.contract()
        unsent.sentAt = nil
        let viewed = try Self.records(.documentViewed, ["document": "C-1"], facts: EventFacts(document: unsent))
        #expect(viewed.signals.isEmpty)
        #expect(viewed.changes == [.documentViewed(document: 3)])
    }

    @Test func onlyFieldsThatReallyChangeAreSignalled() throws {
        let changed = try Self.records(.fieldChanged, ["fields": ["budget": "10", "city": "Köln"]])
        #expect(changed.signals.first?.changedFields == ["city"])
        #expect(changed.changedElement)
        #expect(changed.element.fields == ["budget": "10", "city": "Köln"])
        let same = try Self.records(.fieldChanged, ["fields": ["budget": "10"]])
        #expect(same.signals.isEmpty && !same.changedElement)
        let responsible = try Self.records(.responsibleChanged, ["responsible": "anna"])
        #expect(responsible.signals.isEmpty, "anna is responsible already")
    }

    @Test func aTakenRefIsRefusedBeforeAnythingIsRecorded() {
        #expect(throws: CRMError.invalid("a document with ref \"C-1\" exists already")) {
            try Self.records(.documentCreated, ["template": "contract", "ref": "C-1"], facts: EventFacts(refTaken: true))
        }
    }
}
