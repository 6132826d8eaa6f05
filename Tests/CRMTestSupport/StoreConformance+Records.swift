import CRMCore
import CRMStorage
import Testing

// Documents, sent emails and chats (RecordStore): every RecordChange.
extension StoreConformance {
    /// A created document gets an id (returned) and its creation; sent, viewed and signed set their
    /// times on the document named, whichever element's event names it. Only a creation returns an id.
    func documentsRecordEachStep() throws {
        let store = try makeStore()
        let a = try addElement(store, title: "A").id
        let b = try addElement(store, title: "B").id
        let first = try #require(
            try record(store, .createDocument(ref: "D-1", template: "contract", title: "Contract"), element: a, by: "anna",
                       at: november("11-02T10:00")))
        let second = try #require(
            try record(store, .createDocument(ref: nil, template: "invoice", title: nil), element: b, at: november("11-02T11:00")))
        let third = try #require(
            try record(store, .createDocument(ref: nil, template: "offer", title: "Offer"), element: a, at: november("11-02T12:00")))
        #expect(Set([first, second, third]).count == 3, "each document its own id")

        let created = Document(
            id: first, ref: "D-1", element: a, template: "contract", title: "Contract", createdBy: "anna",
            createdAt: november("11-02T10:00"))
        #expect(try store.findDocument(id: first) == created)
        #expect(try store.findDocument(id: second) == Document(
            id: second, ref: nil, element: b, template: "invoice", title: nil, createdBy: nil, createdAt: november("11-02T11:00")))
        #expect(try store.findDocument(ref: "D-1") == created)
        #expect(try store.findDocument(ref: "D-2") == nil)
        #expect(try store.findDocument(id: max(first, second, third) + 100) == nil)
        #expect(try store.documents(element: a).map(\.id) == [first, third])
        #expect(try store.documents(element: b).map(\.id) == [second])
        #expect(try store.documents(element: nil).map(\.id) == [first, second, third])

        #expect(try record(store, .documentSent(document: first, via: "email"), element: a, at: november("11-03T10:00")) == nil)
        // The event that views it may be another element's: the document is named by its id.
        #expect(try record(store, .documentViewed(document: first), element: b, at: november("11-04T10:00")) == nil)
        #expect(try record(store, .documentSigned(document: first, party: .sender), element: a, at: november("11-05T10:00")) == nil)
        var expected = created
        expected.sentVia = "email"
        expected.sentAt = november("11-03T10:00")
        expected.viewedAt = november("11-04T10:00")
        expected.senderSignedAt = november("11-05T10:00")
        #expect(try store.findDocument(id: first) == expected)
        #expect(try record(store, .documentSigned(document: first, party: .recipient), element: a, at: november("11-06T10:00")) == nil)
        expected.recipientSignedAt = november("11-06T10:00")
        #expect(try store.findDocument(id: first) == expected)
        #expect(try record(store, .documentSent(document: third, via: "sms"), element: a, at: november("11-07T10:00")) == nil)
        #expect(try store.findDocument(id: third)?.sentVia == "sms")
        #expect(try store.findDocument(id: third)?.sentAt == november("11-07T10:00"))
        #expect(try store.findDocument(id: third)?.viewedAt == nil)
        #expect(try store.findDocument(id: second)?.sentAt == nil, "the others are left as they were")
    }

    /// A sent email is found by its element and message id; an open is recorded once: the first.
    func sentEmailsKeepTheirFirstOpen() throws {
        let store = try makeStore()
        let a = try addElement(store, title: "A").id
        let b = try addElement(store, title: "B").id
        #expect(try store.sentEmail(element: a, messageID: "m-1") == nil)
        #expect(try record(store, .emailSent(messageID: "m-1"), element: a, at: november("11-02T10:00")) == nil)
        try record(store, .emailSent(messageID: "m-2"), element: a, at: november("11-02T11:00"))
        try record(store, .emailSent(messageID: "m-3"), element: b, at: november("11-02T12:00"))
        let one = try #require(try store.sentEmail(element: a, messageID: "m-1"))
        let two = try #require(try store.sentEmail(element: a, messageID: "m-2"))
        #expect(one != two)
        #expect(try store.sentEmail(element: b, messageID: "m-1") == nil, "only the element's own emails")
        #expect(try store.sentEmail(element: a, messageID: "m-3") == nil)
        #expect(try store.sentEmail(element: b, messageID: "m-3") != nil)
        #expect(try store.sentEmail(element: a, messageID: "M-1") == nil, "message ids are exact")

        #expect(try recordedTimes.emailOpened(store, one) == nil)
        #expect(try record(store, .emailOpened(sentEmail: one), element: a, at: november("11-03T10:00")) == nil)
        #expect(try recordedTimes.emailOpened(store, one) == november("11-03T10:00"))
        try record(store, .emailOpened(sentEmail: one), element: a, at: november("11-04T10:00"))
        #expect(try recordedTimes.emailOpened(store, one) == november("11-03T10:00"), "the first open is kept")
        #expect(try recordedTimes.emailOpened(store, two) == nil)
        #expect(try store.sentEmail(element: a, messageID: "m-1") == one)
    }

    /// A chat keeps its earliest client message, whatever order they come in, and the first channel named.
    func chatsKeepTheEarliestMessageAndFirstChannel() throws {
        let store = try makeStore()
        let a = try addElement(store, title: "A").id
        let b = try addElement(store, title: "B").id
        #expect(try store.chat(element: a, chat: "c-1") == nil)
        #expect(try record(store, .chatMessage(chat: "c-1", channel: nil), element: a, at: november("11-03T10:00")) == nil)
        #expect(try store.chat(element: a, chat: "c-1") == Chat(channel: nil, firstMessageAt: november("11-03T10:00")))
        try record(store, .chatMessage(chat: "c-1", channel: "telegram"), element: a, at: november("11-04T10:00"))
        #expect(try store.chat(element: a, chat: "c-1") == Chat(channel: "telegram", firstMessageAt: november("11-03T10:00")))
        try record(store, .chatMessage(chat: "c-1", channel: "whatsapp"), element: a, at: november("11-02T10:00"))
        #expect(try store.chat(element: a, chat: "c-1") == Chat(channel: "telegram", firstMessageAt: november("11-02T10:00")),
                "an earlier message that comes later is the first; the channel stays the first named")
        try record(store, .chatMessage(chat: "c-1", channel: "sms"), element: a, at: november("11-05T10:00"))
        #expect(try store.chat(element: a, chat: "c-1") == Chat(channel: "telegram", firstMessageAt: november("11-02T10:00")))

        #expect(try store.chat(element: b, chat: "c-1") == nil, "chats are the element's own")
        #expect(try store.chat(element: a, chat: "c-2") == nil)
        try record(store, .chatMessage(chat: "c-1", channel: "sms"), element: b, at: november("11-06T10:00"))
        #expect(try store.chat(element: b, chat: "c-1") == Chat(channel: "sms", firstMessageAt: november("11-06T10:00")))
        #expect(try store.chat(element: a, chat: "c-1") == Chat(channel: "telegram", firstMessageAt: november("11-02T10:00")))
    }

    /// A chat keeps its first answer. An answer alone makes the chat known, without a first message.
    func chatsKeepTheFirstAnswer() throws {
        let store = try makeStore()
        let a = try addElement(store, title: "A").id
        #expect(try recordedTimes.chatAnswered(store, a, "c-1") == nil)
        #expect(try record(store, .chatAnswered(chat: "c-1", channel: "telegram"), element: a, at: november("11-03T10:00")) == nil)
        #expect(try store.chat(element: a, chat: "c-1") == Chat(channel: "telegram", firstMessageAt: nil))
        #expect(try recordedTimes.chatAnswered(store, a, "c-1") == november("11-03T10:00"))
        try record(store, .chatAnswered(chat: "c-1", channel: "telegram"), element: a, at: november("11-04T10:00"))
        #expect(try recordedTimes.chatAnswered(store, a, "c-1") == november("11-03T10:00"), "the first answer is kept")
        try record(store, .chatMessage(chat: "c-1", channel: "sms"), element: a, at: november("11-02T10:00"))
        #expect(try store.chat(element: a, chat: "c-1") == Chat(channel: "telegram", firstMessageAt: november("11-02T10:00")))
        #expect(try recordedTimes.chatAnswered(store, a, "c-1") == november("11-03T10:00"))

        // A message first, then the answers.
        try record(store, .chatMessage(chat: "c-2", channel: "sms"), element: a, at: november("11-05T10:00"))
        #expect(try recordedTimes.chatAnswered(store, a, "c-2") == nil)
        try record(store, .chatAnswered(chat: "c-2", channel: "sms"), element: a, at: november("11-05T10:30"))
        try record(store, .chatAnswered(chat: "c-2", channel: "sms"), element: a, at: november("11-05T11:00"))
        #expect(try recordedTimes.chatAnswered(store, a, "c-2") == november("11-05T10:30"))
        #expect(try store.chat(element: a, chat: "c-2") == Chat(channel: "sms", firstMessageAt: november("11-05T10:00")))
        #expect(try recordedTimes.chatAnswered(store, a, "c-1") == november("11-03T10:00"))
    }
}
