/// The kinds of timeline entry crmctl writes besides an event's own entry, whose kind is the event type.
public enum TimelineKind {
    /// The element was created, in its first stage.
    public static let created = "created"
    /// The element moved from one stage to another, by a trigger or by hand.
    public static let stageChanged = "stage_changed"
    /// A rule's job ended: done, skipped, cancelled or failed.
    public static let rule = "rule"
    /// A rule's note.
    public static let note = "note"
}
