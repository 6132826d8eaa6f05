/// SPEC §6's rules as a pure function: from an element, its pipeline, the triggers and signals to
/// decisions. Real runs, `--dry-run` and `event explain` all come from here.
public enum TriggerEngine {
    /// Decides the signals of one event in order; each sees the stage the previous one left (rule 4).
    public static func decide(element: Element, pipeline: Pipeline, triggers: [Trigger], signals: [Signal])
        -> [Decision]
    {
        var element = element
        return signals.map { signal in
            let decision = decide(element: element, pipeline: pipeline, triggers: triggers, signal: signal)
            if let move = decision.move { element.stage = move.to }
            return decision
        }
    }

    /// Decides one signal: at most one move, and a verdict for every trigger of the pipeline with its code.
    public static func decide(element: Element, pipeline: Pipeline, triggers: [Trigger], signal: Signal) -> Decision {
        // Rule 1: only the element's own pipeline; a trigger never moves an element elsewhere. The candidates
        // are put in rule 3's order by their indices: a batch decides every event, and copying the triggers
        // themselves to sort them took most of the time here.
        let unknownPosition = pipeline.stages.count
        var order: [(position: Int, id: Int64, index: Int)] = []
        for index in triggers.indices where triggers[index].pipeline == element.pipeline && triggers[index].code == signal.code {
            order.append((pipeline.position(of: triggers[index].stage) ?? unknownPosition, triggers[index].id, index))
        }
        order.sort { ($0.position, $0.id) < ($1.position, $1.id) }
        let currentPosition = pipeline.position(of: element.stage) ?? unknownPosition
        let currentSemantic = pipeline.stage(element.stage)?.semantic ?? .process

        var move: Move?
        var verdicts: [Verdict] = []
        verdicts.reserveCapacity(order.count)
        for (position, id, index) in order {
            // Rule 4: one move per signal; every trigger after the winner says so (rule 5).
            if move != nil {
                verdicts.append(Verdict(trigger: id, kind: .earlierTriggerApplied, detail: VerdictDetail(.earlierApplied)))
                continue
            }
            let (kind, detail) = eligibility(
                of: triggers[index], position: position, element: element, currentPosition: currentPosition,
                currentSemantic: currentSemantic, signal: signal)
            if kind == .applied {
                let author = triggers[index].asUser.userName ?? element.responsible.userName ?? "system"
                move = Move(trigger: id, from: element.stage, to: triggers[index].stage, author: author)
            }
            verdicts.append(Verdict(trigger: id, kind: kind, detail: detail))
        }
        return Decision(signal: signal, move: move, verdicts: verdicts)
    }

    /// Rule 2: whether a trigger ahead of every winner moves the element, and why not.
    private static func eligibility(
        of trigger: Trigger, position: Int, element: Element, currentPosition: Int, currentSemantic: StageSemantic,
        signal: Signal
    ) -> (VerdictKind, VerdictDetail) {
        if !trigger.enabled {
            return (.disabled, VerdictDetail(.disabled))
        } else if trigger.stage == element.stage {
            return (.targetIsCurrent, VerdictDetail(.alreadyThere))
        } else if currentSemantic.isClosed && !trigger.allowBackwards {
            return (.elementClosed, VerdictDetail(.closed, [element.stage, currentSemantic.rawValue]))
        } else if position < currentPosition && !trigger.allowBackwards {
            return (.targetIsBehind, VerdictDetail(.behind, [element.stage]))
        } else if let mismatch = settingsMismatch(trigger.settings, signal) {
            return (.settingsMismatch, mismatch)
        } else if let failed = trigger.conditions.first(where: { !$0.holds(for: element.value(of: $0.field)) }) {
            return (
                .conditionFailed,
                VerdictDetail(.conditionFailed, ["\(failed)", failed.field, element.value(of: failed.field)])
            )
        }
        return (.applied, VerdictDetail(.moved, [element.stage]))
    }

    /// Why the trigger's settings do not match the signal's facts, or nil when they match.
    static func settingsMismatch(_ settings: TriggerSettings, _ signal: Signal) -> VerdictDetail? {
        if let mismatch = equalityMismatch("template", settings.template, signal.template) { return mismatch }
        if let prefix = settings.url, !(signal.url ?? "").hasPrefix(prefix) {
            return VerdictDetail(.urlPrefix, [quoted(signal.url), quoted(prefix)])
        }
        if let mismatch = equalityMismatch("form", settings.form, signal.form) { return mismatch }
        if let mismatch = equalityMismatch("line", settings.line, signal.line) { return mismatch }
        if let mismatch = equalityMismatch("channel", settings.channel, signal.channel) { return mismatch }
        if signal.code.isTimeTrigger {
            if let wanted = settings.seconds, wanted != signal.threshold {
                return VerdictDetail(.quietThreshold, [signal.threshold.map(String.init) ?? "no", String(wanted)])
            }
        } else if let limit = settings.seconds {
            guard let response = signal.responseSeconds else {
                return VerdictDetail(.responseUnknown)
            }
            guard response > Double(limit) else {
                return VerdictDetail(.answeredInTime, [secondsText(response), String(limit)])
            }
        }
        if let wanted = settings.text {
            let message = signal.text ?? ""
            let found = settings.ignoreCase
                ? message.lowercased().containsText(wanted.lowercased()) : message.containsText(wanted)
            if !found {
                return VerdictDetail(settings.ignoreCase ? .textMissingIgnoringCase : .textMissing, [quoted(wanted)])
            }
        }
        if !settings.fields.isEmpty, !settings.fields.contains(where: signal.changedFields.contains) {
            let changed = signal.changedFields.isEmpty ? "none" : signal.changedFields.joined(separator: ", ")
            return VerdictDetail(.fieldsUnchanged, [settings.fields.joined(separator: ", "), changed])
        }
        if let wanted = settings.code, wanted != signal.customCode {
            return VerdictDetail(.codeDiffers, [quoted(signal.customCode), quoted(wanted)])
        }
        return nil
    }

    private static func equalityMismatch(_ name: String, _ wanted: String?, _ actual: String?) -> VerdictDetail? {
        guard let wanted, wanted != actual else { return nil }
        return VerdictDetail(.settingDiffers, [name, quoted(actual), quoted(wanted)])
    }

    private static func quoted(_ text: String?) -> String { text.map { "\"\($0)\"" } ?? "not given" }

    private static func secondsText(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int64(seconds)) : String(seconds)
    }
}
