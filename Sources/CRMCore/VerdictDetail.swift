/// A verdict's detail as the facts its sentence is made from: a form (which sentence) and the texts it
/// inserts. Verdicts are kept this way with every event, and the sentence for people is made when it is
/// shown — from the facts, the trigger's stage and, after a winner, the winner's.
public struct VerdictDetail: Sendable, Equatable {
    /// Which sentence; the raw values are stored, so a form keeps its number and new forms go last.
    public enum Form: Int, Sendable, CaseIterable {
        case moved, disabled, alreadyThere, closed, behind, earlierApplied
        case settingDiffers, urlPrefix, quietThreshold, responseUnknown, answeredInTime
        case textMissing, textMissingIgnoringCase, fieldsUnchanged, codeDiffers, conditionFailed
        /// A sentence kept as it was written, when no form reproduces it exactly (see `parse`).
        case verbatim
    }

    public var form: Form
    /// The texts the sentence inserts, in order, quoted already where the sentence quotes them.
    public var facts: [String]

    public init(_ form: Form, _ facts: [String] = []) {
        self.form = form
        self.facts = facts
    }

    /// The sentence: `triggerStage` is the stage of the verdict's trigger, `winner` the trigger that
    /// applied in the same decision and its stage.
    public func sentence(triggerStage: String, winner: (trigger: Int64, stage: String)?) -> String {
        var text = ""
        for piece in VerdictDetail.pieces(of: form) {
            switch piece {
            case .text(let literal): text += literal
            case .fact(let index): text += index < facts.count ? facts[index] : ""
            case .triggerStage: text += triggerStage
            case .winnerTrigger: text += winner.map { String($0.trigger) } ?? "?"
            case .winnerStage: text += winner?.stage ?? "?"
            }
        }
        return text
    }

    /// The detail of a sentence written before verdicts were kept as facts: the form of `kind` that
    /// reproduces `sentence` exactly, or the sentence itself (`verbatim`).
    public static func parse(
        _ sentence: String, kind: VerdictKind, triggerStage: String, winner: (trigger: Int64, stage: String)?
    ) -> VerdictDetail {
        for form in forms(of: kind) {
            if let facts = facts(in: sentence, form: form, triggerStage: triggerStage, winner: winner) {
                let detail = VerdictDetail(form, facts)
                if detail.sentence(triggerStage: triggerStage, winner: winner) == sentence { return detail }
            }
        }
        return VerdictDetail(.verbatim, [sentence])
    }

    enum Piece {
        case text(String)
        case fact(Int)
        case triggerStage, winnerTrigger, winnerStage
    }

    /// The one place the sentences are written.
    static func pieces(of form: Form) -> [Piece] {
        switch form {
        case .moved: [.text("moved the element from "), .fact(0), .text(" to "), .triggerStage]
        case .disabled: [.text("the trigger is disabled")]
        case .alreadyThere: [.text("the element is already in "), .triggerStage]
        case .closed:
            [.text("the element is closed in "), .fact(0), .text(" ("), .fact(1),
             .text("); only a trigger with allow_backwards reopens it")]
        case .behind:
            [.triggerStage, .text(" is before the current stage "), .fact(0),
             .text(" and the trigger does not allow moving backwards")]
        case .earlierApplied:
            [.text("trigger "), .winnerTrigger, .text(" applied first and moved the element to "), .winnerStage]
        case .settingDiffers: [.text("the "), .fact(0), .text(" is "), .fact(1), .text(", the trigger wants "), .fact(2)]
        case .urlPrefix: [.text("the clicked URL "), .fact(0), .text(" does not start with "), .fact(1)]
        case .quietThreshold: [.text("the event is for "), .fact(0), .text(" s of quiet, the trigger's is "), .fact(1), .text(" s")]
        case .responseUnknown: [.text("the response time is unknown: no first client message was recorded in this chat")]
        case .answeredInTime:
            [.text("answered "), .fact(0), .text(" s after the first message, not later than "), .fact(1), .text(" s")]
        case .textMissing: [.text("the message does not contain "), .fact(0)]
        case .textMissingIgnoringCase: [.text("the message does not contain "), .fact(0), .text(" (ignoring case)")]
        case .fieldsUnchanged: [.text("none of "), .fact(0), .text(" changed (changed: "), .fact(1), .text(")")]
        case .codeDiffers: [.text("the event's code is "), .fact(0), .text(", the trigger wants "), .fact(1)]
        case .conditionFailed: [.text("condition "), .fact(0), .text(" does not hold: "), .fact(1), .text(" is \""), .fact(2), .text("\"")]
        case .verbatim: [.fact(0)]
        }
    }

    /// The verdict a form's sentence gives, so a stored form need not name its verdict too; nil for
    /// `verbatim`, which may be any.
    public static func kind(of form: Form) -> VerdictKind? {
        VerdictKind.allCases.first { forms(of: $0).contains(form) }
    }

    private static func forms(of kind: VerdictKind) -> [Form] {
        switch kind {
        case .applied: [.moved]
        case .disabled: [.disabled]
        case .targetIsCurrent: [.alreadyThere]
        case .elementClosed: [.closed]
        case .targetIsBehind: [.behind]
        case .earlierTriggerApplied: [.earlierApplied]
        case .settingsMismatch:
            // The event's code before the other settings: "the event's code is …" reads as a setting too.
            [.codeDiffers, .settingDiffers, .urlPrefix, .quietThreshold, .responseUnknown, .answeredInTime,
             .textMissingIgnoringCase, .textMissing, .fieldsUnchanged]
        case .conditionFailed: [.conditionFailed]
        }
    }

    /// The facts of `sentence` read as `form`: each fact runs to the first occurrence of the text after it.
    /// Ambiguous sentences may read wrongly; `parse` keeps a reading only when it writes the same sentence.
    private static func facts(
        in sentence: String, form: Form, triggerStage: String, winner: (trigger: Int64, stage: String)?
    ) -> [String]? {
        let known: [String?] = pieces(of: form).map { piece in
            switch piece {
            case .text(let literal): literal
            case .triggerStage: triggerStage
            case .winnerTrigger: winner.map { String($0.trigger) }
            case .winnerStage: winner?.stage
            case .fact: nil
            }
        }
        var rest = Substring(sentence)
        var facts: [String] = []
        for (index, literal) in known.enumerated() {
            if let literal {
                guard rest.hasPrefix(literal) else { return nil }
                rest = rest.dropFirst(literal.count)
                continue
            }
            guard let next = known[(index + 1)...].first, let following = next else {
                facts.append(String(rest))
                rest = ""
                continue
            }
            guard let end = rest.firstRange(of: following)?.lowerBound else { return nil }
            facts.append(String(rest[..<end]))
            rest = rest[end...]
        }
        return rest.isEmpty ? facts : nil
    }
}
