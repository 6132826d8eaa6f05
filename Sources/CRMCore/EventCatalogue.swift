/// SPEC §6's table of event types for people and scripts: the data each takes and the signals it gives
/// (`crmctl event types`), and the event type behind a trigger code (for the error of a type that is a code).
extension EventType {
    /// The types that can be sent in: every one but the time events `crmctl tick` makes.
    public static var sendable: [EventType] { allCases.filter { !$0.isMadeByTick } }

    /// The data keys this type reads, in the table's order.
    public var dataKeys: [String] {
        switch self {
        case .documentCreated: return ["template", "title", "ref"]
        case .documentSent: return ["document", "via"]
        case .documentViewed: return ["document"]
        case .documentSigned: return ["document", "party"]
        case .emailSent: return ["email", "subject", "to"]
        case .emailOpened: return ["email"]
        case .emailLinkClicked: return ["url", "email"]
        case .emailReceived: return ["email", "subject", "from"]
        case .callIncoming, .callOutgoing, .callMissed: return ["line", "call", "duration"]
        case .chatMessage: return ["text", "channel", "chat"]
        case .chatAnswered: return ["channel", "chat"]
        case .formSubmitted: return ["form", "kind", "fields"]
        case .paymentReceived: return ["amount", "currency", "invoice"]
        case .fieldChanged: return ["fields"]
        case .responsibleChanged: return ["responsible"]
        case .custom: return ["code"]
        case .stageIdle, .chatUnanswered: return ["seconds"]
        }
    }

    /// Whether the type needs the key (SPEC §6 "req.").
    public func requires(_ key: String) -> Bool { requiredData.contains(key) }

    /// The signals it gives, in order, with their condition.
    public var signals: [String] {
        switch self {
        case .documentCreated: return ["document.created"]
        case .documentSent: return []
        case .documentViewed: return ["document.viewed (if the document was sent)"]
        case .documentSigned:
            return ["document.signed.sender or document.signed.recipient (the party's)",
                    "document.signed.all (when both have now signed)"]
        case .emailSent: return ["email.sent"]
        case .emailOpened: return ["email.opened (if the email was sent from the element)"]
        case .emailLinkClicked: return ["email.link_clicked"]
        case .emailReceived: return ["email.received"]
        case .callIncoming: return ["call.incoming"]
        case .callOutgoing: return ["call.outgoing"]
        case .callMissed: return ["call.missed"]
        case .chatMessage: return ["chat.first_message (the client's first in the chat)", "chat.text"]
        case .chatAnswered: return ["chat.answer_late", "chat.answered"]
        case .formSubmitted: return ["form.callback (kind callback)", "form.submitted"]
        case .paymentReceived: return ["payment.received"]
        case .fieldChanged: return ["field.changed (with the fields whose value changed)"]
        case .responsibleChanged: return ["responsible.changed"]
        case .custom: return ["custom"]
        case .stageIdle: return ["stage.idle"]
        case .chatUnanswered: return ["chat.unanswered"]
        }
    }

    /// The message for a type that is not one: the valid types, and which type fires a trigger code.
    public static func unknownMessage(_ name: String) -> String {
        var message = "unknown event type \"\(name)\""
        if let code = TriggerCode(rawValue: name) {
            let type = sendable.first { event in event.signals.contains { $0.contains(code.rawValue) } }
            message += code.isTimeTrigger
                ? " (\(name) is a trigger code; crmctl tick makes its events)"
                : " (\(name) is a trigger code; the event that signals it is \(type?.rawValue ?? "?"))"
        }
        return message + "; the types are " + sendable.map(\.rawValue).joined(separator: ", ") + " (see crmctl event types)"
    }
}
