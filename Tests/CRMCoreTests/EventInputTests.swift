@testable import CRMCore
import JSON
import Testing

private func event(_ json: String) throws -> EventInput {
    let value = try JSONParser.parse(json)
    do {
        return try EventInput(json: value)
    } catch {
        Issue.record("refused \(json): \(error.code.rawValue) \(error.message)")
        throw error
    }
}

/// Why the event is refused, or nil when it is accepted.
private func refusal(_ json: String) -> EventInputFailure? {
    guard let value = try? JSONParser.parse(json) else {
        Issue.record("test input is not JSON: \(json)")
        return nil
    }
    do {
        _ = try EventInput(json: value)
        return nil
    } catch {
        return error
    }
}

@Suite struct EventInputTests {
    @Test func aFullEventIsRead() throws {
        let input = try event(
            #"{"key":"k-1","type":"chat.message","element":42,"at":"2026-11-24T10:30:00+01:00","by":"anna","data":{"text":"hi","channel":"tg"}}"#
        )
        #expect(input.key == "k-1")
        #expect(input.type == .chatMessage)
        #expect(input.target == .element(42))
        #expect(input.at == Timestamp(rfc3339: "2026-11-24T09:30:00Z"))
        #expect(input.by == "anna")
        #expect(input.data["text"] == "hi")
    }

    @Test func typeIsRequired() {
        #expect(refusal(#"{"element":1}"#)?.code == .invalid)
        #expect(refusal(#"{"type":null,"element":1}"#)?.code == .invalid)
        #expect(refusal(#"{"type":7,"element":1}"#)?.code == .invalid)
    }

    @Test(arguments: ["email.bounced", "Email.Sent", "", "document.signed.all"])
    func unknownTypeHasItsOwnCode(type: String) {
        #expect(refusal(#"{"type":"\#(type)","element":1}"#)?.code == .unknownType)
    }

    @Test func elementOrContactIsRequiredButNotBoth() throws {
        #expect(refusal(#"{"type":"call.missed"}"#)?.code == .invalid)
        #expect(refusal(#"{"type":"call.missed","element":1,"contact":{"email":"a@b.example"}}"#)?.code == .invalid)
        #expect(try event(#"{"type":"call.missed","contact":{"email":"A@b.example"}}"#).target == .email("A@b.example"))
        #expect(try event(#"{"type":"call.missed","contact":{"phone":"+49 30 1234"}}"#).target == .phone("+49 30 1234"))
    }

    @Test(arguments: [
        #"{"email":"a@b.example","phone":"+4930"}"#, "{}", #"{"fax":"123"}"#, #"{"email":""}"#, #""a@b.example""#,
    ])
    func contactNamesExactlyOneOfEmailOrPhone(contact: String) {
        #expect(refusal(#"{"type":"call.missed","contact":\#(contact)}"#)?.code == .invalid)
    }

    @Test(arguments: [#""1""#, "1.5", "-5", "0", "123456789012345678901234567890", "1e0", "true", "[1]"])
    func elementMustBeAPositiveInteger(element: String) {
        #expect(refusal(#"{"type":"call.missed","element":\#(element)}"#)?.code == .invalid)
    }

    @Test func largestElementIdIsAccepted() throws {
        #expect(try event(#"{"type":"call.missed","element":9223372036854775807}"#).target == .element(.max))
    }

    @Test(arguments: [
        #""yesterday""#, #""2026-11-24""#, #""2026-13-01T00:00:00Z""#, #""2026-11-24T09:30:00""#, "1764000000", #""""#,
    ])
    func badAtIsRefused(at: String) {
        #expect(refusal(#"{"type":"call.missed","element":1,"at":\#(at)}"#)?.code == .invalid)
    }

    @Test(arguments: ["elemnt", "Type", "data2", "moves"])
    func unknownTopLevelKeysAreRefused(key: String) {
        #expect(refusal(#"{"type":"call.missed","element":1,"\#(key)":1}"#)?.code == .invalid)
    }

    @Test(arguments: [
        ("chat.message", #"{"channel":"tg"}"#),
        ("chat.message", #"{"text":null}"#),
        ("document.signed", #"{"document":3,"party":"both"}"#),
        ("document.created", #"{"title":"Offer"}"#),
        ("email.sent", #"{"subject":"Hi"}"#),
        ("email.link_clicked", #"{"email":"m-1"}"#),
        ("form.submitted", #"{"kind":"callback"}"#),
        ("form.submitted", #"{"form":"f","kind":"phone"}"#),
        ("field.changed", "{}"),
        ("field.changed", #"{"fields":{}}"#),
        ("responsible.changed", "{}"),
        ("custom", #"{"name":"x"}"#),
        ("document.sent", #"{"document":3,"via":"fax"}"#),
    ])
    func requiredAndTypedDataIsChecked(type: String, data: String) {
        #expect(refusal(#"{"type":"\#(type)","element":1,"data":\#(data)}"#)?.code == .invalid)
    }

    @Test(arguments: [
        ("chat.message", #"{"text":"Bestellung morgen liefern"}"#),
        ("document.signed", #"{"document":3,"party":"sender"}"#),
        ("document.signed", #"{"document":"ref-1","party":"recipient"}"#),
        ("document.signed", #"{"document":3}"#),
        ("document.viewed", "{}"),
        ("email.opened", "{}"),
        ("document.created", #"{"template":"offer"}"#),
        ("email.sent", #"{"email":"m-1"}"#),
        ("email.link_clicked", #"{"url":"https://a.example/"}"#),
        ("form.submitted", #"{"form":"contact","kind":"callback"}"#),
        ("field.changed", #"{"fields":{"amount":"100","title":"X"}}"#),
        ("responsible.changed", #"{"responsible":"bob"}"#),
        ("custom", #"{"code":"vip"}"#),
        ("call.incoming", "{}"),
        ("email.received", "{}"),
        ("payment.received", #"{"amount":100,"currency":"EUR"}"#),
        ("chat.answered", #"{"channel":"tg"}"#),
    ])
    func validDataIsAccepted(type: String, data: String) {
        #expect(refusal(#"{"type":"\#(type)","element":1,"data":\#(data)}"#) == nil)
    }

    @Test func dataMayBeLeftOutWhenNothingIsRequired() {
        #expect(refusal(#"{"type":"call.outgoing","element":1}"#) == nil)
        #expect(refusal(#"{"type":"chat.message","element":1}"#)?.code == .invalid)
    }

    @Test func fingerprintIsTheSameForTheSameEventInAnotherOffset() throws {
        let utc = try event(#"{"key":"k","type":"custom","element":1,"at":"2026-11-24T09:30:00Z","data":{"code":"a"}}"#)
        let berlin = try event(
            #"{"key":"k","type":"custom","element":1,"at":"2026-11-24T10:30:00+01:00","data":{"code":"a"}}"#)
        #expect(utc.fingerprint == berlin.fingerprint)
    }

    @Test func fingerprintIgnoresKeyOrder() throws {
        let one = try event(#"{"type":"payment.received","element":1,"data":{"amount":5,"currency":"EUR"}}"#)
        let two = try event(#"{"data":{"currency":"EUR","amount":5},"element":1,"type":"payment.received"}"#)
        #expect(one.fingerprint == two.fingerprint)
    }

    @Test(arguments: [
        #"{"type":"custom","element":1,"at":"2026-11-24T09:30:00Z","data":{"code":"b"}}"#,
        #"{"type":"custom","element":2,"at":"2026-11-24T09:30:00Z","data":{"code":"a"}}"#,
        #"{"type":"custom","element":1,"at":"2026-11-24T09:30:01Z","data":{"code":"a"}}"#,
        #"{"type":"custom","element":1,"data":{"code":"a"}}"#,
        #"{"type":"custom","element":1,"at":"2026-11-24T09:30:00Z","by":"anna","data":{"code":"a"}}"#,
        #"{"type":"custom","element":1,"at":"2026-11-24T09:30:00Z","data":{"code":"a","extra":1}}"#,
        #"{"type":"custom","contact":{"email":"a@b.example"},"at":"2026-11-24T09:30:00Z","data":{"code":"a"}}"#,
    ])
    func fingerprintDiffersWhenTheEventDiffers(other: String) throws {
        let base = try event(#"{"type":"custom","element":1,"at":"2026-11-24T09:30:00Z","data":{"code":"a"}}"#)
        #expect(try event(other).fingerprint != base.fingerprint)
    }

    @Test func fingerprintIgnoresTheKeyItself() throws {
        let one = try event(#"{"key":"k-1","type":"call.missed","element":1}"#)
        let two = try event(#"{"key":"k-2","type":"call.missed","element":1}"#)
        #expect(one.fingerprint == two.fingerprint)
    }
}

@Suite struct ContactKeyTests {
    @Test(arguments: [
        ("+49 30 1234", "+49301234"), ("+49-30-12 34", "+49301234"), (" +49 (30) 1234", "+49301234"),
        ("030 1234", "0301234"), ("(030) 12-34", "0301234"), ("0049301234", "0049301234"),
    ])
    func phonesCompareByDigitsAndALeadingPlus(phone: String, key: String) {
        #expect(ContactKey.phone(phone) == key)
    }

    @Test func aPlusIsNotADoubleZero() {
        #expect(ContactKey.phone("0049301234") != ContactKey.phone("+49301234"))
        #expect(ContactKey.phone("49301234") != ContactKey.phone("+49301234"))
    }

    @Test func phonesWithoutDigitsHaveNoKey() {
        #expect(ContactKey.phone(nil) == nil)
        #expect(ContactKey.phone("") == nil)
        #expect(ContactKey.phone("+") == nil)
        #expect(ContactKey.phone("n/a") == nil)
    }

    @Test func emailsCompareWithoutCase() {
        #expect(ContactKey.email("Anna@Example.COM") == ContactKey.email("anna@example.com"))
        #expect(ContactKey.email("anna@example.com") != ContactKey.email("anna@example.org"))
        #expect(ContactKey.email("") == nil)
        #expect(ContactKey.email(nil) == nil)
    }
}
