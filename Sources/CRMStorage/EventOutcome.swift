import CRMCore

/// What an event did, as kept with it: the moves of its cascade, the jobs it made, the notes on why it
/// signalled nothing, its document, and the decision on each signal with every considered trigger's verdict.
/// A store keeps it in whatever form it likes; `event explain`, `event list` and a repeated key read it back.
public struct EventOutcome: Sendable, Equatable {
    public var moves: [StageChange]
    public var jobs: [JobSummary]
    public var notes: [String]
    public var document: Int64?
    /// The decisions in signal order; read back, a decision has its signal's code and its verdicts (no move:
    /// `moves` has them).
    public var decisions: [Decision]

    public init(
        moves: [StageChange] = [], jobs: [JobSummary] = [], notes: [String] = [], document: Int64? = nil,
        decisions: [Decision] = []
    ) {
        self.moves = moves
        self.jobs = jobs
        self.notes = notes
        self.document = document
        self.decisions = decisions
    }
}

/// A stage change in a result: by a trigger deciding on an event's signal, by hand, or by a rule's job.
public struct StageChange: Sendable, Equatable {
    public var trigger: Int64?
    public var rule: Int64?
    public var job: Int64?
    public var from: String
    public var to: String
    /// Who the stage change is recorded as.
    public var author: String

    public init(trigger: Int64? = nil, rule: Int64? = nil, job: Int64? = nil, from: String, to: String, author: String) {
        self.trigger = trigger
        self.rule = rule
        self.job = job
        self.from = from
        self.to = to
        self.author = author
    }
}

/// A job as a result lists it (SPEC §7 rule 9).
public struct JobSummary: Sendable, Equatable {
    public var job: Int64
    public var rule: Int64
    public var status: JobStatus
    public var dueAt: Timestamp

    public init(job: Int64, rule: Int64, status: JobStatus, dueAt: Timestamp) {
        self.job = job
        self.rule = rule
        self.status = status
        self.dueAt = dueAt
    }
}

