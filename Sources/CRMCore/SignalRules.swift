import JSON

/// The records an event's rules look at, found by the intake before `SignalRules` decide: the document it
/// names, the email it says was opened, the chat it belongs to.
public struct EventFacts: Sendable {
    /// The document named by `data.document`, whichever element it belongs to.
    public var document: Document?
    /// Whether a document with `data.ref` exists already (`document.created`).
    public var refTaken = false
    /// The id of the email named by `data.email` among those sent from the element (`email.opened`).
    public var sentEmail: Int64?
    /// The element's chat named by the event (`SignalRules.chatID`), if any message or answer was recorded.
    public var chat: Chat?

    public init(document: Document? = nil, refTaken: Bool = false, sentEmail: Int64? = nil, chat: Chat? = nil) {
        self.document = document
        self.refTaken = refTaken
        self.sentEmail = sentEmail
        self.chat = chat
    }
}

/// A write an event asks for besides its own row, made by the intake in the event's transaction at its `at`.
public enum RecordChange: Sendable, Equatable {
    case createDocument(ref: String?, template: String?, title: String?)
    case documentSent(document: Int64, via: String)
    case documentViewed(document: Int64)
    case documentSigned(document: Int64, party: SigningParty)
    case emailSent(messageID: String?)
    /// The first open is kept; a later one changes nothing.
    case emailOpened(sentEmail: Int64)
    /// The chat keeps its earliest client message and the first channel named.
    case chatMessage(chat: String, channel: String?)
    /// The chat keeps its first answer.
    case chatAnswered(chat: String, channel: String?)
}

public enum SigningParty: String, Sendable {
    case sender, recipient
}

/// What one event records and signals, decided from its data and the facts found.
public struct EventRecords: Sendable, Equatable {
    /// The signals in SPEC §6's order.
    public var signals: [Signal] = []
    /// Why a signal was not given, for the result and `event explain`.
    public var notes: [String] = []
    public var changes: [RecordChange] = []
    /// The element with the event's changes to its own values (fields, responsible).
    public var element: Element
    /// Whether the element's own values changed.
    public var changedElement = false
    /// The existing document the event acted on (a created one gets its id when written).
    public var document: Int64?

    init(element: Element) { self.element = element }
}

/// SPEC §6's "records" and "signals" columns as a pure function: which signals an event gives — both parties
/// signed, a client's first message in a chat, a response time, a callback form — and what it records.
/// The intake looks the facts up before and writes the changes after; nothing here touches storage.
public enum SignalRules {
    /// A chat is named by `chat`, else by its channel.
    public static func chatID(_ data: JSONObject) -> String {
        data["chat"]?.scalarText ?? data["channel"]?.scalarText ?? ""
    }

    public static func records(
        of type: EventType, data: JSONObject, at: Timestamp, element: Element, facts: EventFacts
    ) throws(CRMError) -> EventRecords {
        var rules = Rules(data: data, at: at, facts: facts, records: EventRecords(element: element))
        try rules.apply(type)
        return rules.records
    }

    private struct Rules {
        let data: JSONObject
        let at: Timestamp
        let facts: EventFacts
        var records: EventRecords

        private var element: Element { records.element }

        private func text(_ key: String) -> String? { data[key]?.scalarText }

        private mutating func signal(_ signal: Signal) { records.signals.append(signal) }

        private mutating func note(_ note: String) { records.notes.append(note) }

        mutating func apply(_ type: EventType) throws(CRMError) {
            switch type {
            case .documentCreated: try documentCreated()
            case .documentSent: try documentSent()
            case .documentViewed: try documentViewed()
            case .documentSigned: try documentSigned()
            case .emailSent:
                records.changes.append(.emailSent(messageID: text("email")))
                signal(Signal(.emailSent))
            case .emailReceived: signal(Signal(.emailReceived))
            case .emailOpened: emailOpened()
            case .emailLinkClicked:
                var clicked = Signal(.emailLinkClicked)
                clicked.url = text("url")
                signal(clicked)
            case .callIncoming: call(.callIncoming)
            case .callOutgoing: call(.callOutgoing)
            case .callMissed: call(.callMissed)
            case .chatMessage: chatMessage()
            case .chatAnswered: chatAnswered()
            case .formSubmitted: formSubmitted()
            case .paymentReceived: signal(Signal(.paymentReceived))
            case .fieldChanged: fieldChanged()
            case .responsibleChanged: responsibleChanged()
            case .custom:
                var custom = Signal(.custom)
                custom.customCode = text("code")
                signal(custom)
            case .stageIdle, .chatUnanswered:
                var quiet = Signal(type == .stageIdle ? .stageIdle : .chatUnanswered)
                quiet.threshold = data["seconds"]?.int64Value
                quiet.channel = text("channel")
                signal(quiet)
            }
        }

        // MARK: documents

        private mutating func documentCreated() throws(CRMError) {
            let ref = text("ref")
            if let ref, !ref.isEmpty, ref.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                throw CRMError.invalid("a ref made only of digits (\"\(ref)\") could never be reached: ids are tried first")
            }
            if let ref, facts.refTaken { throw CRMError.invalid("a document with ref \"\(ref)\" exists already") }
            records.changes.append(.createDocument(ref: ref, template: text("template"), title: text("title")))
            var created = Signal(.documentCreated)
            created.template = text("template")
            signal(created)
        }

        /// The event's document, which must belong to its element; nil (with a note saying what `missing`
        /// means) when the event names none.
        private mutating func ownDocument(missing: String) throws(CRMError) -> Document? {
            guard let name = text("document") else {
                note("no document is named: \(missing)")
                return nil
            }
            guard let found = facts.document else { throw CRMError.notFound("document \(name) does not exist") }
            guard found.element == element.id else {
                throw CRMError.invalid("document \(found.id) belongs to element \(found.element), not to element \(element.id)")
            }
            records.document = found.id
            return found
        }

        private mutating func documentSent() throws(CRMError) {
            guard let sent = try ownDocument(missing: "nothing is recorded as sent") else { return }
            records.changes.append(.documentSent(document: sent.id, via: text("via") ?? "email"))
        }

        private mutating func documentViewed() throws(CRMError) {
            guard let viewed = try ownDocument(missing: "document.viewed does not fire") else { return }
            if viewed.viewedAt == nil { records.changes.append(.documentViewed(document: viewed.id)) }
            guard viewed.sentAt != nil else {
                note("document \(viewed.id) was not sent from the element: document.viewed does not fire")
                return
            }
            var signal = Signal(.documentViewed)
            signal.template = viewed.template
            self.signal(signal)
        }

        /// That party's signal, then `document.signed.all` when the other party had signed already.
        private mutating func documentSigned() throws(CRMError) {
            guard let signed = try ownDocument(missing: "nothing is signed or signalled") else { return }
            guard let party = text("party").flatMap(SigningParty.init(rawValue:)) else {
                note("no party (sender or recipient) is named: document \(signed.id) is not signed, nothing is signalled")
                return
            }
            let isSender = party == .sender
            guard (isSender ? signed.senderSignedAt : signed.recipientSignedAt) == nil else {
                note("the \(party.rawValue) had already signed document \(signed.id): nothing new is recorded or signalled")
                return
            }
            records.changes.append(.documentSigned(document: signed.id, party: party))
            var partySignal = Signal(isSender ? .documentSignedSender : .documentSignedRecipient)
            partySignal.template = signed.template
            signal(partySignal)
            guard (isSender ? signed.recipientSignedAt : signed.senderSignedAt) != nil else { return }
            var allSignal = Signal(.documentSignedAll)
            allSignal.template = signed.template
            signal(allSignal)
        }

        // MARK: email, calls

        private mutating func emailOpened() {
            guard let messageID = text("email") else {
                note("no email is named: email.opened does not fire")
                return
            }
            guard let sent = facts.sentEmail else {
                note("email \"\(messageID)\" was not sent from element \(element.id): email.opened does not fire")
                return
            }
            records.changes.append(.emailOpened(sentEmail: sent))
            signal(Signal(.emailOpened))
        }

        private mutating func call(_ code: TriggerCode) {
            var call = Signal(code)
            call.line = text("line")
            signal(call)
        }

        // MARK: chats, forms

        /// A message on a known chat without a channel is on the chat's channel. The chat keeps the earliest
        /// `at` of its client messages, whatever order they arrive in: a response time counts from it.
        private mutating func chatMessage() {
            let known = facts.chat
            let channel = text("channel") ?? known?.channel
            let earliest = known?.firstMessageAt
            let isEarliest = earliest.map { at < $0 } ?? true
            let namesTheChannel = known?.channel == nil && channel != nil
            if isEarliest || namesTheChannel {
                records.changes.append(.chatMessage(chat: SignalRules.chatID(data), channel: channel))
            }
            if earliest == nil {
                var first = Signal(.chatFirstMessage)
                first.channel = channel
                signal(first)
            }
            var message = Signal(.chatText)
            message.channel = channel
            message.text = text("text")
            signal(message)
        }

        /// `chat.answer_late` (with the response time from the earliest client message), then `chat.answered`.
        private mutating func chatAnswered() {
            records.changes.append(.chatAnswered(chat: SignalRules.chatID(data), channel: text("channel")))
            let channel = text("channel") ?? facts.chat?.channel
            var late = Signal(.chatAnswerLate)
            late.channel = channel
            if let first = facts.chat?.firstMessageAt {
                late.responseSeconds = at.seconds(since: first)
            } else {
                note("no first client message was recorded in chat \"\(SignalRules.chatID(data))\": the response time is unknown")
            }
            var answered = Signal(.chatAnswered)
            answered.channel = channel
            signal(late)
            signal(answered)
        }

        private mutating func formSubmitted() {
            var submitted = Signal(.formSubmitted)
            submitted.form = text("form")
            if text("kind") == "callback" {
                var callback = Signal(.formCallback)
                callback.form = text("form")
                signal(callback)
            }
            signal(submitted)
        }

        // MARK: the element's own values

        private mutating func fieldChanged() {
            var changed: [String] = []
            for (name, value) in data["fields"]?.objectValue ?? JSONObject() {
                if records.element.set(field: name, to: value.scalarText ?? "") { changed.append(name) }
            }
            guard !changed.isEmpty else {
                note("no field changed its value: field.changed does not fire")
                return
            }
            records.changedElement = true
            var signal = Signal(.fieldChanged)
            signal.changedFields = changed
            self.signal(signal)
        }

        private mutating func responsibleChanged() {
            let responsible = text("responsible") ?? ""
            guard element.responsible != responsible else {
                note("the responsible is already \(responsible): responsible.changed does not fire")
                return
            }
            records.element.responsible = responsible
            records.changedElement = true
            signal(Signal(.responsibleChanged))
        }
    }
}
