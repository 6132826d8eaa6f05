import CRMCore

extension MovementReport {
    /// The period's flow for pictures and the automation's part in it: per pipeline the elements entering
    /// each stage (a funnel), the moves per day, the jobs per rule and the outbox messages per status. Same
    /// scope as the report: the pipeline (or every pipeline) and the period, jobs by their due time and
    /// messages by their creation.
    public struct Breakdown: Sendable {
        public var funnels: [Funnel] = []
        /// Only the days with moves, in order.
        public var movesPerDay: [DayMoves] = []
        /// By rule id; a removed rule keeps its jobs without a name.
        public var jobsPerRule: [RuleJobs] = []
        public var messagesPerStatus: [MessageStatus: Int] = [:]

        public init() {}
    }

    /// One pipeline's stages in order, each with the distinct elements that entered it in the period (created
    /// in it or moved into it).
    public struct Funnel: Sendable {
        public var pipeline: Int64
        public var name: String
        public var stages: [(stage: Stage, entered: Int)]

        public init(pipeline: Int64, name: String, stages: [(stage: Stage, entered: Int)]) {
            self.pipeline = pipeline
            self.name = name
            self.stages = stages
        }
    }

    public struct DayMoves: Sendable, Equatable {
        /// Midnight UTC of the day.
        public var day: Timestamp
        public var moves: Int

        public init(day: Timestamp, moves: Int) {
            self.day = day
            self.moves = moves
        }
    }

    public struct RuleJobs: Sendable {
        public var rule: Int64
        /// Nil when the rule has been removed since.
        public var name: String?
        public var action: String?
        public var jobs: [JobStatus: Int]

        public init(rule: Int64, name: String?, action: String?, jobs: [JobStatus: Int]) {
            self.rule = rule
            self.name = name
            self.action = action
            self.jobs = jobs
        }
    }
}
