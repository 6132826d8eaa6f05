import CRMCore

extension MovementReport {
    /// What the HTML report shows beyond the figures and tables of the text report: the moves per day, the jobs
    /// per rule and the outbox messages per status. Same scope as the report: the pipeline (or every pipeline)
    /// and the period, jobs by their due time and messages by their creation.
    public struct Breakdown: Sendable {
        /// Only the days with moves, in order.
        public var movesPerDay: [DayMoves] = []
        /// By rule id; a removed rule keeps its jobs without a name.
        public var jobsPerRule: [RuleJobs] = []
        public var messagesPerStatus: [MessageStatus: Int] = [:]

        public init() {}
    }

    /// A pipeline's stages in order, each with its entries in the period: the elements created in it and the
    /// moves into it (an element that enters twice counts twice).
    public struct Funnel: Sendable {
        public var pipeline: Pipeline
        public var stages: [(stage: Stage, entered: Int)]
    }

    /// The funnel of `pipeline`, from the moves per stage pair and the creations per stage: the figures the
    /// text report reads, so the page's funnel always adds up with its tables.
    public func funnel(of pipeline: Pipeline) -> Funnel {
        var entered: [String: Int] = [:]
        for moves in byStage where moves.pipeline == pipeline.id { entered[moves.to, default: 0] += moves.moves }
        for creations in createdByStage where creations.pipeline == pipeline.id {
            entered[creations.stage, default: 0] += creations.created
        }
        return Funnel(pipeline: pipeline, stages: pipeline.stages.map { ($0, entered[$0.code] ?? 0) })
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
