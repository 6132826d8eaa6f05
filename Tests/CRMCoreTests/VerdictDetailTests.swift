import CRMCore
import Testing

struct VerdictDetailTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesTheStandardVectors(message: String, hex: String) {
        let digest = SHA256.digest(message.utf8)
        #expect(digest.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() == hex)
    }

    @Test func aLongMessageSpansBlocks() {
        let digest = SHA256.digest([UInt8](repeating: 0x61, count: 1_000))
        #expect(digest.prefix(4) == [0x41, 0xed, 0xec, 0xe4])
    }

    static let winner: (trigger: Int64, stage: String) = (4, "PROCESSED")

    /// Every sentence the engine writes reads back as its form and facts, and an unknown one stays verbatim.
    @Test(arguments: [
        (VerdictKind.applied, "moved the element from NEW to IN_PROCESS", VerdictDetail.Form.moved),
        (.disabled, "the trigger is disabled", .disabled),
        (.targetIsCurrent, "the element is already in IN_PROCESS", .alreadyThere),
        (.elementClosed, "the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it", .closed),
        (.targetIsBehind, "IN_PROCESS is before the current stage PROCESSED and the trigger does not allow moving backwards", .behind),
        (.earlierTriggerApplied, "trigger 4 applied first and moved the element to PROCESSED", .earlierApplied),
        (.settingsMismatch, "the line is \"sales\", the trigger wants \"hotline\"", .settingDiffers),
        (.settingsMismatch, "the line is not given, the trigger wants \"a, the trigger wants b\"", .settingDiffers),
        (.settingsMismatch, "the clicked URL \"https://x.example/a\" does not start with \"https://x.example/b\"", .urlPrefix),
        (.settingsMismatch, "the event is for no s of quiet, the trigger's is 600 s", .quietThreshold),
        (.settingsMismatch, "the response time is unknown: no first client message was recorded in this chat", .responseUnknown),
        (.settingsMismatch, "answered 301.5 s after the first message, not later than 600 s", .answeredInTime),
        (.settingsMismatch, "the message does not contain \"abmelden\" (ignoring case)", .textMissingIgnoringCase),
        (.settingsMismatch, "the message does not contain \"abmelden\"", .textMissing),
        (.settingsMismatch, "none of budget, city changed (changed: none)", .fieldsUnchanged),
        (.settingsMismatch, "the event's code is not given, the trigger wants \"webinar\"", .codeDiffers),
        (.conditionFailed, "condition budget > 5000 does not hold: budget is \"12\"", .conditionFailed),
        (.conditionFailed, "a sentence of another crmctl", .verbatim),
    ])
    func aSentenceReadsBackAsItsFacts(kind: VerdictKind, sentence: String, form: VerdictDetail.Form) {
        let detail = VerdictDetail.parse(sentence, kind: kind, triggerStage: "IN_PROCESS", winner: Self.winner)
        #expect(detail.form == form)
        #expect(detail.sentence(triggerStage: "IN_PROCESS", winner: Self.winner) == sentence)
        #expect(form == .verbatim || VerdictDetail.kind(of: form) == kind)
    }
}
