import CRMCore
import SQLiteDB

/// What one event records (SPEC §6 "records") and the signals it gives, in the table's order. The event
/// row itself is the record of calls, clicks, received emails, messages, forms and payments (schema.sql
/// shows them as views); only what later events look up has a table: documents, sent emails, chats.
struct Recording {
    let store: Store
    let event: Int64
    let at: Timestamp
    let by: String?
    let data: JSONObject
    /// Why a signal was not given, for the result and `event explain`.
    var notes: [String] = []
    var document: Int64?
    /// Whether the event changed the element's own values (fields, responsible).
    var changedElement = false

    init(store: Store, event: Int64, at: Timestamp, by: String?, data: JSONObject) {
        self.store = store
        self.event = event
        self.at = at
        self.by = by
        self.data = data
    }

    private var db: Connection { store.db }

    private func text(_ key: String) -> String? { data[key]?.scalarText }

    mutating func apply(_ type: EventType, to element: inout Element) throws -> [Signal] {
        switch type {
        case .documentCreated: return try documentCreated(element)
        case .documentSent: return try documentSent(element)
        case .documentViewed: return try documentViewed(element)
        case .documentSigned: return try documentSigned(element)
        case .emailSent: return try emailSent(element)
        case .emailReceived: return [Signal(.emailReceived)]
        case .emailOpened: return try emailOpened(element)
        case .emailLinkClicked: return linkClicked()
        case .callIncoming: return call(.callIncoming)
        case .callOutgoing: return call(.callOutgoing)
        case .callMissed: return call(.callMissed)
        case .chatMessage: return try chatMessage(element)
        case .chatAnswered: return try chatAnswered(element)
        case .formSubmitted: return formSubmitted()
        case .paymentReceived: return [Signal(.paymentReceived)]
        case .fieldChanged: return fieldChanged(&element)
        case .responsibleChanged: return responsibleChanged(&element)
        case .custom:
            var signal = Signal(.custom)
            signal.customCode = text("code")
            return [signal]
        }
    }

    // MARK: documents

    private mutating func documentCreated(_ element: Element) throws -> [Signal] {
        let ref = text("ref")
        if let ref, try store.findDocument(ref: ref) != nil {
            throw CRMError.invalid("a document with ref \"\(ref)\" exists already")
        }
        try db.run(
            """
            INSERT INTO documents (ref, element, template, title, created_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [SQLiteValue(ref), .integer(element.id), SQLiteValue(text("template")), SQLiteValue(text("title")),
             SQLiteValue(by), .integer(at.milliseconds)])
        document = db.lastInsertedRowID
        var signal = Signal(.documentCreated)
        signal.template = text("template")
        return [signal]
    }

    /// The event's document, which must belong to its element; nil (with a note saying what `missing` is)
    /// when the event names none.
    private mutating func ownDocument(_ element: Element, missing: String) throws -> Document? {
        guard let name = text("document") else {
            notes.append("no document is named: \(missing)")
            return nil
        }
        let found = try store.document(named: name)
        guard found.element == element.id else {
            throw CRMError.invalid("document \(found.id) belongs to element \(found.element), not to element \(element.id)")
        }
        document = found.id
        return found
    }

    private mutating func documentSent(_ element: Element) throws -> [Signal] {
        guard let sent = try ownDocument(element, missing: "nothing is recorded as sent") else { return [] }
        try db.run(
            "UPDATE documents SET sent_via = ?, sent_at = ? WHERE id = ?",
            [.text(text("via") ?? "email"), .integer(at.milliseconds), .integer(sent.id)])
        return []
    }

    private mutating func documentViewed(_ element: Element) throws -> [Signal] {
        guard let viewed = try ownDocument(element, missing: "document.viewed does not fire") else { return [] }
        if viewed.viewedAt == nil {
            try db.run("UPDATE documents SET viewed_at = ? WHERE id = ?", [.integer(at.milliseconds), .integer(viewed.id)])
        }
        guard viewed.sentAt != nil else {
            notes.append("document \(viewed.id) was not sent from the element: document.viewed does not fire")
            return []
        }
        var signal = Signal(.documentViewed)
        signal.template = viewed.template
        return [signal]
    }

    private mutating func documentSigned(_ element: Element) throws -> [Signal] {
        guard let signed = try ownDocument(element, missing: "nothing is signed or signalled") else { return [] }
        guard let party = text("party") else {
            notes.append("no party (sender or recipient) is named: document \(signed.id) is not signed, nothing is signalled")
            return []
        }
        let isSender = party == "sender"
        guard (isSender ? signed.senderSignedAt : signed.recipientSignedAt) == nil else {
            notes.append("the \(party) had already signed document \(signed.id): nothing new is recorded or signalled")
            return []
        }
        let column = isSender ? "sender_signed_at" : "recipient_signed_at"
        try db.run("UPDATE documents SET \(column) = ? WHERE id = ?", [.integer(at.milliseconds), .integer(signed.id)])
        var partySignal = Signal(isSender ? .documentSignedSender : .documentSignedRecipient)
        partySignal.template = signed.template
        guard (isSender ? signed.recipientSignedAt : signed.senderSignedAt) != nil else { return [partySignal] }
        var allSignal = Signal(.documentSignedAll)
        allSignal.template = signed.template
        return [partySignal, allSignal]
    }

    // MARK: email

    private func emailSent(_ element: Element) throws -> [Signal] {
        try db.run(
            "INSERT INTO sent_emails (element, message_id, at, event) VALUES (?, ?, ?, ?)",
            [.integer(element.id), SQLiteValue(text("email")), .integer(at.milliseconds), .integer(event)])
        return [Signal(.emailSent)]
    }

    private mutating func emailOpened(_ element: Element) throws -> [Signal] {
        guard let messageID = text("email") else {
            notes.append("no email is named: email.opened does not fire")
            return []
        }
        guard
            let sent = try db.cached(
                "SELECT id FROM sent_emails WHERE element = ? AND message_id = ? ORDER BY id LIMIT 1"
            ).firstRow([.integer(element.id), .text(messageID)], { $0.int64(0) })
        else {
            notes.append("email \"\(messageID)\" was not sent from element \(element.id): email.opened does not fire")
            return []
        }
        try db.run(
            "UPDATE sent_emails SET opened_at = coalesce(opened_at, ?) WHERE id = ?",
            [.integer(at.milliseconds), .integer(sent)])
        return [Signal(.emailOpened)]
    }

    private func linkClicked() -> [Signal] {
        var signal = Signal(.emailLinkClicked)
        signal.url = text("url")
        return [signal]
    }

    // MARK: calls, chats, forms

    private func call(_ code: TriggerCode) -> [Signal] {
        var signal = Signal(code)
        signal.line = text("line")
        return [signal]
    }

    /// A chat is named by `chat`, else by its channel.
    private var chatID: String { text("chat") ?? text("channel") ?? "" }

    /// A message on a known chat without a channel is on the chat's channel. The chat keeps the earliest
    /// `at` of its client messages, whatever order they arrive in: a response time counts from it.
    private func chatMessage(_ element: Element) throws -> [Signal] {
        let known = try db.cached("SELECT channel, first_message_at FROM chats WHERE element = ? AND chat = ?")
            .firstRow([.integer(element.id), .text(chatID)]) { (channel: $0.text(0), first: $0.optionalInt64(1)) }
        let channel = text("channel") ?? known?.channel
        let earliest = known?.first ?? nil
        let isEarliest = earliest.map { at.milliseconds < $0 } ?? true
        let namesTheChannel = known?.channel == nil && channel != nil
        if isEarliest || namesTheChannel {
            try db.run(
                """
                INSERT INTO chats (element, chat, channel, first_message_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (element, chat) DO UPDATE SET
                    first_message_at = min(coalesce(chats.first_message_at, excluded.first_message_at),
                                           excluded.first_message_at),
                    channel = coalesce(chats.channel, excluded.channel)
                """, [.integer(element.id), .text(chatID), SQLiteValue(channel), .integer(at.milliseconds)])
        }
        var signals: [Signal] = []
        if earliest == nil {
            var first = Signal(.chatFirstMessage)
            first.channel = channel
            signals.append(first)
        }
        var textSignal = Signal(.chatText)
        textSignal.channel = channel
        textSignal.text = text("text")
        signals.append(textSignal)
        return signals
    }

    private mutating func chatAnswered(_ element: Element) throws -> [Signal] {
        let chat = try db.cached("SELECT channel, first_message_at FROM chats WHERE element = ? AND chat = ?")
            .firstRow([.integer(element.id), .text(chatID)]) { (channel: $0.text(0), first: $0.optionalInt64(1)) }
        try db.run(
            """
            INSERT INTO chats (element, chat, channel, answered_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (element, chat) DO UPDATE SET answered_at = coalesce(chats.answered_at, excluded.answered_at)
            """, [.integer(element.id), .text(chatID), SQLiteValue(text("channel")), .integer(at.milliseconds)])
        let channel = text("channel") ?? chat?.channel
        var late = Signal(.chatAnswerLate)
        late.channel = channel
        if let first = chat?.first ?? nil {
            late.responseSeconds = at.seconds(since: Timestamp(milliseconds: first))
        } else {
            notes.append("no first client message was recorded in chat \"\(chatID)\": the response time is unknown")
        }
        var answered = Signal(.chatAnswered)
        answered.channel = channel
        return [late, answered]
    }

    private func formSubmitted() -> [Signal] {
        var submitted = Signal(.formSubmitted)
        submitted.form = text("form")
        guard text("kind") == "callback" else { return [submitted] }
        var callback = Signal(.formCallback)
        callback.form = text("form")
        return [callback, submitted]
    }

    // MARK: the element's own values

    private mutating func fieldChanged(_ element: inout Element) -> [Signal] {
        var changed: [String] = []
        for (name, value) in data["fields"]?.objectValue ?? JSONObject() {
            if element.set(field: name, to: value.scalarText ?? "") { changed.append(name) }
        }
        guard !changed.isEmpty else {
            notes.append("no field changed its value: field.changed does not fire")
            return []
        }
        changedElement = true
        var signal = Signal(.fieldChanged)
        signal.changedFields = changed
        return [signal]
    }

    private mutating func responsibleChanged(_ element: inout Element) -> [Signal] {
        let responsible = text("responsible") ?? ""
        guard element.responsible != responsible else {
            notes.append("the responsible is already \(responsible): responsible.changed does not fire")
            return []
        }
        element.responsible = responsible
        changedElement = true
        return [Signal(.responsibleChanged)]
    }
}
