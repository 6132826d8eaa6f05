/// When a rule's job is due (SPEC §8): the entry time, plus `--after`.
public enum DueTime {
    public static func of(_ timing: RuleTiming, entry: Timestamp, element: Element) throws(CRMError) -> Timestamp {
        guard let after = timing.after else { return entry }
        do {
            return entry.adding(milliseconds: try Duration(parsing: after).seconds * 1000)
        } catch {
            throw CRMError.invalid("the rule's --after is not a duration: \(error.message)")
        }
    }
}
