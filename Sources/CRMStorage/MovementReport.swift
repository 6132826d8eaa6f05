import CRMCore

/// What moved elements in a period: stage changes by trigger, by stage pair and by hand, events by type, and
/// how many elements reached a success or a failure stage. Times are those of the timeline entries and events
/// (a move by a trigger carries its event's time).
public struct MovementReport: Sendable {
    public struct TriggerMoves: Sendable {
        public var trigger: Int64
        /// Nil when the trigger has been removed since.
        public var name: String?
        public var code: String?
        public var moves: Int

        public init(trigger: Int64, name: String?, code: String?, moves: Int) {
            self.trigger = trigger
            self.name = name
            self.code = code
            self.moves = moves
        }
    }

    public struct StageMoves: Sendable {
        public var pipeline: Int64
        public var from: String
        public var to: String
        public var moves: Int

        public init(pipeline: Int64, from: String, to: String, moves: Int) {
            self.pipeline = pipeline
            self.from = from
            self.to = to
            self.moves = moves
        }
    }

    public struct CreatedInStage: Sendable {
        public var pipeline: Int64
        public var stage: String
        public var created: Int

        public init(pipeline: Int64, stage: String, created: Int) {
            self.pipeline = pipeline
            self.stage = stage
            self.created = created
        }
    }

    public struct TypeCount: Sendable {
        public var type: String
        public var events: Int

        public init(type: String, events: Int) {
            self.type = type
            self.events = events
        }
    }

    public var byTrigger: [TriggerMoves] = []
    public var byStage: [StageMoves] = []
    public var manualMoves = 0
    public var events: [TypeCount] = []
    /// Elements created in the period, and where.
    public var created = 0
    public var createdByStage: [CreatedInStage] = []
    /// Distinct elements moved into a success (failure) stage in the period.
    public var reachedSuccess = 0
    public var reachedFailure = 0
    /// What the HTML report draws beyond these figures; read only when asked for (`breakdown: true`), as the
    /// text and JSON reports do not show it.
    public var breakdown: Breakdown?

    public var triggerMoves: Int { byTrigger.reduce(0) { $0 + $1.moves } }
    public var moves: Int { triggerMoves + manualMoves }

    public init() {}
}
