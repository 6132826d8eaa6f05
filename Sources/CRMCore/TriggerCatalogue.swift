/// The trigger codes of SPEC §4: what each fires on and which settings it takes.
public enum TriggerCode: String, Sendable, CaseIterable {
    case documentCreated = "document.created"
    case documentViewed = "document.viewed"
    case documentSignedSender = "document.signed.sender"
    case documentSignedRecipient = "document.signed.recipient"
    case documentSignedAll = "document.signed.all"
    case emailOpened = "email.opened"
    case emailLinkClicked = "email.link_clicked"
    case emailReceived = "email.received"
    case emailSent = "email.sent"
    case formCallback = "form.callback"
    case callOutgoing = "call.outgoing"
    case callIncoming = "call.incoming"
    case callMissed = "call.missed"
    case chatFirstMessage = "chat.first_message"
    case chatAnswered = "chat.answered"
    case chatAnswerLate = "chat.answer_late"
    case chatText = "chat.text"
    case formSubmitted = "form.submitted"
    case fieldChanged = "field.changed"
    case responsibleChanged = "responsible.changed"
    case paymentReceived = "payment.received"
    case custom = "custom"
    // Made by `crmctl tick` (SPEC §8).
    case stageIdle = "stage.idle"
    case chatUnanswered = "chat.unanswered"

    /// Whether `crmctl tick` makes this code's events: a quiet time reached.
    public var isTimeTrigger: Bool { self == .stageIdle || self == .chatUnanswered }

    public var entry: CatalogueEntry {
        switch self {
        case .documentCreated:
            return .init("paperwork", "a document is created on the element", [.template], "DOCUMENT_CREATE")
        case .documentViewed:
            return .init(
                "paperwork", "the client opens a document that was sent from the element", [.template],
                "DOCUMENT_VIEW")
        case .documentSignedSender:
            return .init("paperwork", "the company's signer signs", [.template], "SIGN_INITIATOR_SIGNING")
        case .documentSignedRecipient:
            return .init("paperwork", "the client signs", [.template], "SIGN_OTHER_SIGNING")
        case .documentSignedAll:
            return .init("paperwork", "the last missing party signs", [.template], "SIGN_FINAL_SIGNING")
        case .emailOpened:
            return .init("communication", "the client opens an email sent from the element", [], "EMAIL_READ")
        case .emailLinkClicked:
            return .init("communication", "the client clicks a link in an email", [.url], "EMAIL_LINK")
        case .emailReceived:
            return .init("communication", "an email from the client arrives", [], "EMAIL")
        case .emailSent:
            return .init("communication", "an employee sends the client an email", [], "EMAIL_SENT")
        case .formCallback:
            return .init("communication", "the client submits a callback form", [.form], "CALLBACK")
        case .callOutgoing:
            return .init("communication", "an employee calls the client", [], "OUTGOING_CALL")
        case .callIncoming:
            return .init("communication", "the client's call is received", [.line], "CALL")
        case .callMissed:
            return .init("communication", "the client's call is missed", [.line], "MISSED_CALL")
        case .chatFirstMessage:
            return .init("communication", "the client's first message in a chat", [.channel], "OPENLINE")
        case .chatAnswered:
            return .init(
                "communication", "an employee takes the chat (clicks Answer)", [.channel], "OPENLINE_ANSWER")
        case .chatAnswerLate:
            return .init(
                "communication", "the chat is taken later than N seconds after the client's first message",
                [.seconds, .channel], "OPENLINE_ANSWER_CTRL")
        case .chatText:
            return .init(
                "communication", "a client message contains the text", [.text, .channel, .ignoreCase],
                "OPENLINE_MSG")
        case .formSubmitted:
            return .init("other", "the client submits any web form", [.form], "WEBFORM")
        case .fieldChanged:
            return .init("element", "one of the named fields changes value", [.fields], "FIELD_CHANGED")
        case .responsibleChanged:
            return .init("element", "the responsible person changes", [], "RESP_CHANGED")
        case .paymentReceived:
            return .init("payment", "a payment for the element arrives", [], "ORDER_PAID")
        case .custom:
            return .init("other", "an event of type custom with the same code", [.code], "APP / WEBHOOK")
        case .stageIdle:
            return .init(
                "element", "nothing has happened to the element for N seconds: no event, no stage change (crmctl tick)",
                [.seconds], "beyond")
        case .chatUnanswered:
            return .init(
                "communication", "a chat's first client message has had no answer for N seconds (crmctl tick)",
                [.seconds, .channel], "beyond")
        }
    }

    /// The settings a trigger with this code must be given.
    public var requiredSettings: [TriggerSetting] {
        switch self {
        case .chatAnswerLate, .stageIdle, .chatUnanswered: return [.seconds]
        case .chatText: return [.text]
        case .fieldChanged: return [.fields]
        case .custom: return [.code]
        default: return []
        }
    }
}

/// One row of the catalogue.
public struct CatalogueEntry: Sendable {
    public var group: String
    public var description: String
    public var settings: [TriggerSetting]
    public var bitrixCode: String

    init(_ group: String, _ description: String, _ settings: [TriggerSetting], _ bitrixCode: String) {
        self.group = group
        self.description = description
        self.settings = settings
        self.bitrixCode = bitrixCode
    }
}

/// A setting a trigger may carry, named as its `trigger add` option.
public enum TriggerSetting: String, Sendable, CaseIterable {
    case template, url, form, line, channel, seconds, text
    case ignoreCase = "ignore-case"
    case fields = "field"
    case code

    /// How the setting is written on the command line, e.g. `--seconds N`.
    public var usage: String {
        switch self {
        case .template: return "--template T"
        case .url: return "--url U"
        case .form: return "--form F"
        case .line: return "--line L"
        case .channel: return "--channel C"
        case .seconds: return "--seconds N"
        case .text: return "--text S"
        case .ignoreCase: return "--ignore-case"
        case .fields: return "--field NAME"
        case .code: return "--code C"
        }
    }
}

extension TriggerCode {
    /// The settings as the catalogue prints them (SPEC §4): `--seconds N (required)`, `--field NAME
    /// (required, repeatable)`.
    public var settingLabels: [String] {
        entry.settings.map { setting in
            let marks = [requiredSettings.contains(setting) ? "required" : nil, setting == .fields ? "repeatable" : nil]
                .compactMap { $0 }
            return marks.isEmpty ? setting.usage : "\(setting.usage) (\(marks.joined(separator: ", ")))"
        }
    }
}
