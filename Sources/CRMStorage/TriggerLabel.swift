/// A trigger as verdicts name it, also once removed: its name and its stage.
public struct TriggerLabel: Sendable, Equatable {
    public var name: String
    public var stage: String

    public init(name: String, stage: String) {
        self.name = name
        self.stage = stage
    }
}
