@testable import CRMCore
import Testing

private func refusal(_ settings: TriggerSettings, for code: TriggerCode) -> ValidationFailure? {
    do {
        try settings.validate(for: code)
        return nil
    } catch {
        return error
    }
}

@Suite struct TriggerSettingsTests {
    @Test(arguments: [TriggerCode.chatAnswerLate, .chatText, .fieldChanged, .custom])
    func requiredSettingsAreRequired(code: TriggerCode) {
        #expect(refusal(TriggerSettings(), for: code) != nil)
    }

    @Test func requiredSettingsGivenAreAccepted() {
        #expect(refusal(TriggerSettings(seconds: 600), for: .chatAnswerLate) == nil)
        #expect(refusal(TriggerSettings(channel: "telegram", seconds: 600), for: .chatAnswerLate) == nil)
        #expect(refusal(TriggerSettings(text: "Bestellung"), for: .chatText) == nil)
        #expect(refusal(TriggerSettings(channel: "c", text: "x", ignoreCase: true), for: .chatText) == nil)
        #expect(refusal(TriggerSettings(fields: ["amount"]), for: .fieldChanged) == nil)
        #expect(refusal(TriggerSettings(fields: ["amount", "city"]), for: .fieldChanged) == nil)
        #expect(refusal(TriggerSettings(code: "vip"), for: .custom) == nil)
    }

    @Test func missingRequiredSettingIsNamed() {
        #expect(refusal(TriggerSettings(channel: "telegram"), for: .chatAnswerLate)?.message.contains("--seconds") == true)
        #expect(refusal(TriggerSettings(ignoreCase: true), for: .chatText)?.message.contains("--text") == true)
    }

    @Test(arguments: [
        (TriggerCode.callMissed, TriggerSettings(url: "https://a.example/")),
        (.callOutgoing, TriggerSettings(line: "100")),
        (.emailOpened, TriggerSettings(template: "offer")),
        (.chatAnswered, TriggerSettings(seconds: 10)),
        (.chatFirstMessage, TriggerSettings(ignoreCase: true)),
        (.chatFirstMessage, TriggerSettings(text: "hi")),
        (.documentCreated, TriggerSettings(form: "contact")),
        (.paymentReceived, TriggerSettings(code: "x")),
        (.custom, TriggerSettings(fields: ["a"], code: "x")),
        (.fieldChanged, TriggerSettings(channel: "c", fields: ["a"])),
        (.responsibleChanged, TriggerSettings(fields: ["a"])),
    ])
    func settingsACodeDoesNotTakeAreRefused(code: TriggerCode, settings: TriggerSettings) {
        #expect(refusal(settings, for: code) != nil)
    }

    @Test(arguments: [
        (TriggerCode.callMissed, TriggerSettings(line: "100")),
        (.callIncoming, TriggerSettings(line: "100")),
        (.documentSignedAll, TriggerSettings(template: "contract")),
        (.documentViewed, TriggerSettings(template: "offer")),
        (.emailLinkClicked, TriggerSettings(url: "https://a.example/pricing")),
        (.formCallback, TriggerSettings(form: "callme")),
        (.formSubmitted, TriggerSettings(form: "contact")),
        (.chatAnswered, TriggerSettings(channel: "telegram")),
        (.emailOpened, TriggerSettings()),
        (.callMissed, TriggerSettings()),
    ])
    func settingsACodeTakesAreAccepted(code: TriggerCode, settings: TriggerSettings) {
        #expect(refusal(settings, for: code) == nil)
    }
}

@Suite struct TriggerCatalogueTests {
    /// SPEC §4: code, group, settings, Bitrix24 code.
    static let table: [(String, String, Set<TriggerSetting>, String)] = [
        ("document.created", "paperwork", [.template], "DOCUMENT_CREATE"),
        ("document.viewed", "paperwork", [.template], "DOCUMENT_VIEW"),
        ("document.signed.sender", "paperwork", [.template], "SIGN_INITIATOR_SIGNING"),
        ("document.signed.recipient", "paperwork", [.template], "SIGN_OTHER_SIGNING"),
        ("document.signed.all", "paperwork", [.template], "SIGN_FINAL_SIGNING"),
        ("email.opened", "communication", [], "EMAIL_READ"),
        ("email.link_clicked", "communication", [.url], "EMAIL_LINK"),
        ("email.received", "communication", [], "EMAIL"),
        ("email.sent", "communication", [], "EMAIL_SENT"),
        ("form.callback", "communication", [.form], "CALLBACK"),
        ("call.outgoing", "communication", [], "OUTGOING_CALL"),
        ("call.incoming", "communication", [.line], "CALL"),
        ("call.missed", "communication", [.line], "MISSED_CALL"),
        ("chat.first_message", "communication", [.channel], "OPENLINE"),
        ("chat.answered", "communication", [.channel], "OPENLINE_ANSWER"),
        ("chat.answer_late", "communication", [.seconds, .channel], "OPENLINE_ANSWER_CTRL"),
        ("chat.text", "communication", [.text, .channel, .ignoreCase], "OPENLINE_MSG"),
        ("form.submitted", "other", [.form], "WEBFORM"),
        ("field.changed", "element", [.fields], "FIELD_CHANGED"),
        ("responsible.changed", "element", [], "RESP_CHANGED"),
        ("payment.received", "payment", [], "ORDER_PAID"),
        ("custom", "other", [.code], "APP / WEBHOOK"),
        ("stage.idle", "element", [.seconds], "beyond"),
        ("chat.unanswered", "communication", [.seconds, .channel], "beyond"),
    ]

    @Test func theCatalogueHasExactlyTheCodesOfTheSpec() {
        #expect(TriggerCode.allCases.count == 24)
        #expect(Set(TriggerCode.allCases.map(\.rawValue)) == Set(Self.table.map(\.0)))
    }

    @Test(arguments: TriggerCatalogueTests.table.map { $0.0 })
    func eachCodeHasItsGroupSettingsAndBitrixCode(code: String) throws {
        let row = try #require(Self.table.first { $0.0 == code })
        let entry = try #require(TriggerCode(rawValue: code)).entry
        #expect(entry.group == row.1)
        #expect(Set(entry.settings) == row.2)
        #expect(entry.settings.count == row.2.count)
        #expect(entry.bitrixCode == row.3)
        #expect(!entry.description.isEmpty)
    }

    @Test func requiredSettingsAreTheMarkedOnes() {
        let required = Dictionary(
            uniqueKeysWithValues: TriggerCode.allCases.compactMap { code in
                code.requiredSettings.isEmpty ? nil : (code.rawValue, Set(code.requiredSettings))
            })
        #expect(
            required == [
                "chat.answer_late": [.seconds], "chat.text": [.text], "field.changed": [.fields], "custom": [.code],
                "stage.idle": [.seconds], "chat.unanswered": [.seconds],
            ])
    }
}
