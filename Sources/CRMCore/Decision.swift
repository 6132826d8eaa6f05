/// Why a trigger did or did not move the element (SPEC §6 rule 5).
public enum VerdictKind: String, Sendable, CaseIterable {
    case applied
    case disabled
    case settingsMismatch = "settings_mismatch"
    case conditionFailed = "condition_failed"
    case targetIsCurrent = "target_is_current"
    case targetIsBehind = "target_is_behind"
    case elementClosed = "element_closed"
    case earlierTriggerApplied = "earlier_trigger_applied"
}

public struct Verdict: Sendable, Equatable {
    public var trigger: Int64
    public var kind: VerdictKind
    /// Why, as the facts of a sentence for people (`Decision.sentence(of:stageOf:)`).
    public var detail: VerdictDetail

    public init(trigger: Int64, kind: VerdictKind, detail: VerdictDetail) {
        self.trigger = trigger
        self.kind = kind
        self.detail = detail
    }
}

/// A stage change decided by a trigger.
public struct Move: Sendable, Equatable {
    public var trigger: Int64
    public var from: String
    public var to: String
    /// Who the stage change is recorded as.
    public var author: String

    public init(trigger: Int64, from: String, to: String, author: String) {
        self.trigger = trigger
        self.from = from
        self.to = to
        self.author = author
    }
}

/// What the engine decided for one signal: the move, if any, and a verdict for every candidate.
public struct Decision: Sendable, Equatable {
    public var signal: Signal
    public var move: Move?
    public var verdicts: [Verdict]

    public init(signal: Signal, move: Move?, verdicts: [Verdict]) {
        self.signal = signal
        self.move = move
        self.verdicts = verdicts
    }

    /// The sentence of one of the decision's verdicts; `stageOf` gives a trigger's stage (a verdict after
    /// the winner names the winner's).
    public func sentence(of verdict: Verdict, stageOf: (Int64) -> String?) -> String {
        let winner = verdicts.first { $0.kind == .applied }.map { ($0.trigger, stageOf($0.trigger) ?? "?") }
        return verdict.detail.sentence(triggerStage: stageOf(verdict.trigger) ?? "?", winner: winner)
    }
}
