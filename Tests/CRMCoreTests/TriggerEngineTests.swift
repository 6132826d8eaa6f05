@testable import CRMCore
import Testing

/// The default deal pipeline of SPEC §2 (id 2).
private let general = Pipeline(
    id: 2, type: .deal, name: "General",
    stages: [
        Stage(code: "NEW", name: "New", semantic: .process),
        Stage(code: "PREPARATION", name: "Preparing documents", semantic: .process),
        Stage(code: "PREPAYMENT_INVOICE", name: "Prepayment invoice", semantic: .process),
        Stage(code: "EXECUTING", name: "In progress", semantic: .process),
        Stage(code: "FINAL_INVOICE", name: "Final invoice", semantic: .process),
        Stage(code: "WON", name: "Won", semantic: .success),
        Stage(code: "LOSE", name: "Lost", semantic: .failure),
    ])

private func deal(
    in stage: String = "NEW", responsible: String? = nil, fields: [String: String] = [:]
) -> Element {
    Element(
        id: 42, type: .deal, pipeline: 2, stage: stage, title: "Deal", responsible: responsible, email: nil,
        phone: nil, fields: fields, createdAt: Timestamp(milliseconds: 0), updatedAt: Timestamp(milliseconds: 0))
}

private func trigger(
    _ id: Int64, _ code: TriggerCode, to stage: String, pipeline: Int64 = 2, asUser: String? = nil,
    allowBackwards: Bool = false, settings: TriggerSettings = TriggerSettings(), conditions: [Condition] = [],
    enabled: Bool = true
) -> Trigger {
    Trigger(
        id: id, name: "t\(id)", code: code, pipeline: pipeline, stage: stage, asUser: asUser,
        allowBackwards: allowBackwards, settings: settings, conditions: conditions, enabled: enabled)
}

private func decide(_ element: Element, _ triggers: [Trigger], _ signal: Signal) -> Decision {
    TriggerEngine.decide(element: element, pipeline: general, triggers: triggers, signal: signal)
}

/// The verdicts as "id:kind", in the order the engine lists them.
private func verdicts(_ decision: Decision) -> [String] {
    decision.verdicts.map { "\($0.trigger):\($0.kind.rawValue)" }
}

@Suite struct TriggerEngineRuleOneTests {
    @Test func onlyTriggersOfTheElementsPipelineWithTheSignalledCodeAreCandidates() {
        let triggers = [
            trigger(1, .emailOpened, to: "PREPARATION", pipeline: 3),  // another pipeline, earlier id
            trigger(2, .emailSent, to: "PREPARATION"),  // another code, earlier id
            trigger(5, .emailOpened, to: "PREPARATION"),
        ]
        let decision = decide(deal(), triggers, Signal(.emailOpened))
        #expect(verdicts(decision) == ["5:applied"])
        #expect(decision.move == Move(trigger: 5, from: "NEW", to: "PREPARATION", author: "system"))
    }

    @Test func noCandidateNoVerdictNoMove() {
        let decision = decide(deal(), [trigger(1, .emailOpened, to: "WON", pipeline: 1)], Signal(.emailOpened))
        #expect(decision.verdicts.isEmpty)
        #expect(decision.move == nil)
    }
}

@Suite struct TriggerEngineRuleTwoTests {
    @Test func targetEqualToTheCurrentStage() {
        let decision = decide(deal(in: "PREPARATION"), [trigger(1, .callIncoming, to: "PREPARATION")], Signal(.callIncoming))
        #expect(verdicts(decision) == ["1:target_is_current"])
        #expect(decision.move == nil)
    }

    @Test func targetBeforeTheCurrentStageIsBehind() {
        let decision = decide(deal(in: "EXECUTING"), [trigger(1, .callIncoming, to: "PREPARATION")], Signal(.callIncoming))
        #expect(verdicts(decision) == ["1:target_is_behind"])
        #expect(decision.move == nil)
    }

    @Test func allowBackwardsMovesBack() {
        let triggers = [trigger(1, .callIncoming, to: "PREPARATION", allowBackwards: true)]
        let decision = decide(deal(in: "EXECUTING"), triggers, Signal(.callIncoming))
        #expect(verdicts(decision) == ["1:applied"])
        #expect(decision.move == Move(trigger: 1, from: "EXECUTING", to: "PREPARATION", author: "system"))
    }

    @Test(arguments: ["WON", "LOSE"])
    func aClosedElementIsClosedForEveryTriggerWithoutAllowBackwards(closed: String) {
        let triggers = [
            trigger(1, .paymentReceived, to: "NEW"),
            trigger(2, .paymentReceived, to: "FINAL_INVOICE"),
            trigger(3, .paymentReceived, to: closed == "WON" ? "LOSE" : "WON"),
        ]
        let decision = decide(deal(in: closed), triggers, Signal(.paymentReceived))
        #expect(decision.verdicts.map(\.kind) == [.elementClosed, .elementClosed, .elementClosed])
        #expect(Set(decision.verdicts.map(\.trigger)) == [1, 2, 3])
        #expect(decision.move == nil)
    }

    @Test func allowBackwardsReopensAClosedElement() {
        let triggers = [trigger(4, .paymentReceived, to: "EXECUTING", allowBackwards: true)]
        let decision = decide(deal(in: "LOSE"), triggers, Signal(.paymentReceived))
        #expect(verdicts(decision) == ["4:applied"])
        #expect(decision.move == Move(trigger: 4, from: "LOSE", to: "EXECUTING", author: "system"))
    }

    @Test func fromAClosedStageEvenALaterTargetNeedsAllowBackwards() {
        let triggers = [
            trigger(3, .paymentReceived, to: "LOSE"),
            trigger(7, .paymentReceived, to: "LOSE", allowBackwards: true),
        ]
        let decision = decide(deal(in: "WON"), triggers, Signal(.paymentReceived))
        #expect(verdicts(decision) == ["3:element_closed", "7:applied"])
        #expect(decision.move == Move(trigger: 7, from: "WON", to: "LOSE", author: "system"))
    }

    @Test func aDisabledTriggerIsDisabled() {
        let triggers = [
            trigger(1, .callMissed, to: "PREPARATION", enabled: false),
            trigger(2, .callMissed, to: "EXECUTING"),
        ]
        let decision = decide(deal(), triggers, Signal(.callMissed))
        #expect(verdicts(decision) == ["1:disabled", "2:applied"])
        #expect(decision.move?.to == "EXECUTING")
    }

    @Test func aDisabledTriggerAloneDoesNotMove() {
        let decision = decide(deal(), [trigger(1, .callMissed, to: "PREPARATION", enabled: false)], Signal(.callMissed))
        #expect(verdicts(decision) == ["1:disabled"])
        #expect(decision.move == nil)
    }
}

@Suite struct TriggerEngineRuleThreeTests {
    @Test func theEarliestStageWinsWhateverTheTriggerIds() {
        let triggers = [
            trigger(1, .emailReceived, to: "EXECUTING"),
            trigger(5, .emailReceived, to: "FINAL_INVOICE"),
            trigger(9, .emailReceived, to: "PREPARATION"),
        ]
        let decision = decide(deal(), triggers, Signal(.emailReceived))
        #expect(verdicts(decision) == ["9:applied", "1:earlier_trigger_applied", "5:earlier_trigger_applied"])
        #expect(decision.move == Move(trigger: 9, from: "NEW", to: "PREPARATION", author: "system"))
    }

    @Test func withinOneStageTheLowerIdWins() {
        let triggers = [trigger(4, .emailReceived, to: "EXECUTING"), trigger(2, .emailReceived, to: "EXECUTING")]
        let decision = decide(deal(), triggers, Signal(.emailReceived))
        #expect(verdicts(decision) == ["2:applied", "4:earlier_trigger_applied"])
        #expect(decision.move?.trigger == 2)
    }

    @Test func anEarlierBackwardsTriggerIsTriedFirst() {
        let triggers = [
            trigger(1, .emailReceived, to: "EXECUTING"),
            trigger(2, .emailReceived, to: "NEW", allowBackwards: true),
        ]
        let decision = decide(deal(in: "PREPARATION"), triggers, Signal(.emailReceived))
        #expect(verdicts(decision) == ["2:applied", "1:earlier_trigger_applied"])
        #expect(decision.move == Move(trigger: 2, from: "PREPARATION", to: "NEW", author: "system"))
    }

    @Test func everyTriggerAfterTheWinnerIsEarlierTriggerApplied() {
        // Rule 5 literally: whatever else would stop them (disabled, behind, current), they come after the winner.
        let triggers = [
            trigger(1, .emailReceived, to: "NEW", allowBackwards: true),
            trigger(2, .emailReceived, to: "PREPARATION"),
            trigger(3, .emailReceived, to: "EXECUTING", enabled: false),
        ]
        let decision = decide(deal(in: "PREPARATION"), triggers, Signal(.emailReceived))
        #expect(verdicts(decision) == ["1:applied", "2:earlier_trigger_applied", "3:earlier_trigger_applied"])
    }

    @Test func aTriggerThatDoesNotMatchLetsTheNextOneWin() {
        var offer = TriggerSettings()
        offer.template = "offer"
        let triggers = [
            trigger(1, .documentCreated, to: "PREPARATION", settings: offer),
            trigger(2, .documentCreated, to: "EXECUTING"),
        ]
        var signal = Signal(.documentCreated)
        signal.template = "contract"
        let decision = decide(deal(), triggers, signal)
        #expect(verdicts(decision) == ["1:settings_mismatch", "2:applied"])
        #expect(decision.move?.to == "EXECUTING")
    }

    @Test func everyVerdictIsListedInPipelineOrderThenId() {
        let triggers = [
            trigger(1, .paymentReceived, to: "WON"),
            trigger(2, .paymentReceived, to: "EXECUTING"),
            trigger(3, .paymentReceived, to: "PREPAYMENT_INVOICE"),
            trigger(5, .paymentReceived, to: "FINAL_INVOICE"),
            trigger(6, .paymentReceived, to: "PREPARATION", enabled: false),
            trigger(7, .paymentReceived, to: "EXECUTING"),
            trigger(8, .paymentReceived, to: "NEW"),
        ]
        let decision = decide(deal(in: "PREPAYMENT_INVOICE"), triggers, Signal(.paymentReceived))
        #expect(
            verdicts(decision) == [
                "8:target_is_behind", "6:disabled", "3:target_is_current", "2:applied",
                "7:earlier_trigger_applied", "5:earlier_trigger_applied", "1:earlier_trigger_applied",
            ])
        #expect(decision.move == Move(trigger: 2, from: "PREPAYMENT_INVOICE", to: "EXECUTING", author: "system"))
        #expect(decision.verdicts.allSatisfy { !decision.sentence(of: $0, stageOf: { _ in "STAGE" }).isEmpty })
    }
}

@Suite struct TriggerEngineSettingsTests {
    /// The verdict of one trigger on `NEW` for one signal.
    private func verdict(_ settings: TriggerSettings, _ signal: Signal) -> VerdictKind? {
        let decision = decide(deal(), [trigger(1, signal.code, to: "PREPARATION", settings: settings)], signal)
        #expect(decision.verdicts.count == 1)
        #expect((decision.move != nil) == (decision.verdicts.first?.kind == .applied))
        return decision.verdicts.first?.kind
    }

    @Test(arguments: [("offer", .applied), ("contract", .settingsMismatch), (nil, .settingsMismatch)] as [(String?, VerdictKind)])
    func templateMustBeEqual(given: String?, expected: VerdictKind) {
        var settings = TriggerSettings()
        settings.template = "offer"
        var signal = Signal(.documentSignedAll)
        signal.template = given
        #expect(verdict(settings, signal) == expected)
    }

    @Test(arguments: ["contract", nil] as [String?])
    func absentTemplateMeansAny(given: String?) {
        var signal = Signal(.documentCreated)
        signal.template = given
        #expect(verdict(TriggerSettings(), signal) == .applied)
    }

    @Test(arguments: [
        ("https://a.example/pricing?x=1", VerdictKind.applied), ("https://a.example/pricing", .applied),
        ("https://a.example/", .settingsMismatch), ("http://a.example/pricing", .settingsMismatch),
        (nil, .settingsMismatch),
    ] as [(String?, VerdictKind)])
    func urlIsAPrefix(clicked: String?, expected: VerdictKind) {
        var settings = TriggerSettings()
        settings.url = "https://a.example/pricing"
        var signal = Signal(.emailLinkClicked)
        signal.url = clicked
        #expect(verdict(settings, signal) == expected)
    }

    @Test(arguments: [
        (TriggerCode.formSubmitted, "contact", VerdictKind.applied), (.formSubmitted, "Contact", .settingsMismatch),
        (.formCallback, "contact", .applied), (.formCallback, "callme", .settingsMismatch),
    ])
    func formMustBeEqual(code: TriggerCode, form: String, expected: VerdictKind) {
        var settings = TriggerSettings()
        settings.form = "contact"
        var signal = Signal(code)
        signal.form = form
        #expect(verdict(settings, signal) == expected)
    }

    @Test(arguments: [
        (TriggerCode.callIncoming, "100", VerdictKind.applied), (.callIncoming, "200", .settingsMismatch),
        (.callMissed, "100", .applied), (.callMissed, nil, .settingsMismatch),
    ] as [(TriggerCode, String?, VerdictKind)])
    func lineMustBeEqual(code: TriggerCode, line: String?, expected: VerdictKind) {
        var settings = TriggerSettings()
        settings.line = "100"
        var signal = Signal(code)
        signal.line = line
        #expect(verdict(settings, signal) == expected)
    }

    @Test(arguments: [
        (TriggerCode.chatFirstMessage, "telegram", VerdictKind.applied), (.chatFirstMessage, "whatsapp", .settingsMismatch),
        (.chatAnswered, "telegram", .applied), (.chatAnswered, nil, .settingsMismatch),
    ] as [(TriggerCode, String?, VerdictKind)])
    func channelMustBeEqual(code: TriggerCode, channel: String?, expected: VerdictKind) {
        var settings = TriggerSettings()
        settings.channel = "telegram"
        var signal = Signal(code)
        signal.channel = channel
        #expect(verdict(settings, signal) == expected)
    }

    @Test(arguments: [
        (601.0, VerdictKind.applied), (600.5, .applied), (600.0, .settingsMismatch), (300.0, .settingsMismatch),
        (nil, .settingsMismatch),
    ] as [(Double?, VerdictKind)])
    func answerLateFiresOnlyOverTheLimit(response: Double?, expected: VerdictKind) {
        var settings = TriggerSettings()
        settings.seconds = 600
        var signal = Signal(.chatAnswerLate)
        signal.responseSeconds = response
        #expect(verdict(settings, signal) == expected)
    }

    @Test(arguments: [
        ("morgen liefern", false, VerdictKind.settingsMismatch),
        ("bestellung morgen liefern", false, .settingsMismatch),
        ("bestellung morgen liefern", true, .applied),
        ("BESTELLUNG MORGEN LIEFERN bitte", true, .applied),
        ("liefern Bestellung morgen", true, .settingsMismatch),
        ("Bitte: Bestellung morgen liefern!", false, .applied),
    ])
    func chatTextContainsTheTextExactly(message: String, ignoreCase: Bool, expected: VerdictKind) {
        var settings = TriggerSettings()
        settings.text = "Bestellung morgen liefern"
        settings.ignoreCase = ignoreCase
        var signal = Signal(.chatText)
        signal.text = message
        #expect(verdict(settings, signal) == expected)
    }

    @Test(arguments: [
        (["title", "city"], VerdictKind.applied), (["amount"], .applied), (["title"], .settingsMismatch),
        ([], .settingsMismatch),
    ])
    func fieldChangedWhenAWatchedFieldChanged(changed: [String], expected: VerdictKind) {
        var settings = TriggerSettings()
        settings.fields = ["amount", "city"]
        var signal = Signal(.fieldChanged)
        signal.changedFields = changed
        #expect(verdict(settings, signal) == expected)
    }

    @Test(arguments: [("vip", .applied), ("VIP", .settingsMismatch), (nil, .settingsMismatch)] as [(String?, VerdictKind)])
    func customCodeMustBeEqual(code: String?, expected: VerdictKind) {
        var settings = TriggerSettings()
        settings.code = "vip"
        var signal = Signal(.custom)
        signal.customCode = code
        #expect(verdict(settings, signal) == expected)
    }
}

@Suite struct TriggerEngineConditionTests {
    private let conditions = [
        Condition(field: "amount", op: .greaterOrEqual, value: "100"),
        Condition(field: "city", op: .equal, value: "Berlin"),
    ]

    @Test func allConditionsHold() {
        let element = deal(fields: ["amount": "150", "city": "Berlin"])
        let decision = decide(element, [trigger(1, .paymentReceived, to: "WON", conditions: conditions)], Signal(.paymentReceived))
        #expect(verdicts(decision) == ["1:applied"])
        #expect(decision.move?.to == "WON")
    }

    @Test(arguments: [
        (["amount": "150", "city": "Hamburg"], "city = Berlin"),
        (["amount": "99", "city": "Berlin"], "amount >= 100"),
        (["city": "Berlin"], "amount >= 100"),
    ])
    func oneFailingConditionFailsAndIsNamed(fields: [String: String], failing: String) throws {
        let triggers = [
            trigger(1, .paymentReceived, to: "PREPARATION", conditions: conditions),
            trigger(2, .paymentReceived, to: "EXECUTING"),
        ]
        let decision = decide(deal(fields: fields), triggers, Signal(.paymentReceived))
        #expect(verdicts(decision) == ["1:condition_failed", "2:applied"])
        let detail = try #require(decision.verdicts.first.map { decision.sentence(of: $0, stageOf: { _ in "PREPARATION" }) })
        #expect(detail.contains(failing))
        #expect(decision.move?.to == "EXECUTING")
    }

    @Test func conditionsReadTheStandardFields() {
        var element = deal(responsible: "anna")
        element.title = "Big deal for ACME"
        let triggers = [
            trigger(
                1, .paymentReceived, to: "WON",
                conditions: [
                    Condition(field: "title", op: .contains, value: "ACME"),
                    Condition(field: "responsible", op: .equal, value: "anna"),
                ])
        ]
        #expect(verdicts(decide(element, triggers, Signal(.paymentReceived))) == ["1:applied"])
        element.responsible = "bob"
        #expect(verdicts(decide(element, triggers, Signal(.paymentReceived))) == ["1:condition_failed"])
    }
}

@Suite struct TriggerEngineSequenceTests {
    private func lateThenAnswered(response: Double) -> [Decision] {
        var late = TriggerSettings()
        late.seconds = 600
        let triggers = [
            trigger(1, .chatAnswerLate, to: "EXECUTING", settings: late),
            trigger(2, .chatAnswered, to: "PREPARATION"),
        ]
        var lateSignal = Signal(.chatAnswerLate)
        lateSignal.responseSeconds = response
        return TriggerEngine.decide(
            element: deal(), pipeline: general, triggers: triggers, signals: [lateSignal, Signal(.chatAnswered)])
    }

    @Test func theNextSignalSeesTheStageThePreviousOneLeft() {
        let decisions = lateThenAnswered(response: 601)
        #expect(decisions.count == 2)
        #expect(decisions.map(\.signal.code) == [.chatAnswerLate, .chatAnswered])
        #expect(decisions[0].move == Move(trigger: 1, from: "NEW", to: "EXECUTING", author: "system"))
        #expect(verdicts(decisions[1]) == ["2:target_is_behind"])
        #expect(decisions[1].move == nil)
    }

    @Test func withoutAnEarlierMoveTheLaterSignalMoves() {
        let decisions = lateThenAnswered(response: 300)
        #expect(verdicts(decisions[0]) == ["1:settings_mismatch"])
        #expect(decisions[0].move == nil)
        #expect(decisions[1].move == Move(trigger: 2, from: "NEW", to: "PREPARATION", author: "system"))
    }

    @Test func eachSignalMovesAtMostOnceAndFromWhereTheLastLeft() {
        let triggers = [
            trigger(1, .documentSignedRecipient, to: "PREPARATION"),
            trigger(2, .documentSignedRecipient, to: "EXECUTING"),
            trigger(3, .documentSignedAll, to: "PREPARATION"),
            trigger(4, .documentSignedAll, to: "FINAL_INVOICE"),
        ]
        let decisions = TriggerEngine.decide(
            element: deal(), pipeline: general, triggers: triggers,
            signals: [Signal(.documentSignedRecipient), Signal(.documentSignedAll)])
        #expect(verdicts(decisions[0]) == ["1:applied", "2:earlier_trigger_applied"])
        #expect(decisions[0].move == Move(trigger: 1, from: "NEW", to: "PREPARATION", author: "system"))
        #expect(verdicts(decisions[1]) == ["3:target_is_current", "4:applied"])
        #expect(decisions[1].move == Move(trigger: 4, from: "PREPARATION", to: "FINAL_INVOICE", author: "system"))
    }

    @Test func aSignalThatClosesTheElementClosesItForTheNext() {
        let triggers = [trigger(1, .formCallback, to: "LOSE"), trigger(2, .formSubmitted, to: "PREPARATION")]
        let decisions = TriggerEngine.decide(
            element: deal(), pipeline: general, triggers: triggers,
            signals: [Signal(.formCallback), Signal(.formSubmitted)])
        #expect(decisions[0].move?.to == "LOSE")
        #expect(verdicts(decisions[1]) == ["2:element_closed"])
    }
}

@Suite struct TriggerEngineAuthorTests {
    @Test(arguments: [
        ("anna", "bob", "anna"), (nil, "bob", "bob"), (nil, nil, "system"), (nil, "", "system"),
        ("anna", nil, "anna"),
    ] as [(String?, String?, String)])
    func authorIsTheTriggersAsElseTheResponsibleElseSystem(asUser: String?, responsible: String?, author: String) {
        let decision = decide(
            deal(responsible: responsible), [trigger(1, .responsibleChanged, to: "EXECUTING", asUser: asUser)],
            Signal(.responsibleChanged))
        #expect(decision.move?.author == author)
    }
}
