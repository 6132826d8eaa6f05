import CRMCore

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

/// What one origin — one event, one command, one due job — set going (SPEC §7 rule 7): the jobs made and
/// the stage changes, in order, and how many jobs reached their run, which is at most `jobLimit`.
public final class Cascade {
    public static let jobLimit = 20

    /// The event at the top of the cascade, once it has an id; nil for a command or a tick's due job.
    var origin: Int64?
    /// Whether the origin is an event whose id the first recorded event gives.
    var awaitsOriginEvent: Bool
    var jobsRun = 0
    /// Jobs that are running now: leaving their stage does not cancel them.
    var running: Set<Int64> = []
    /// Jobs due at once that have not ended yet: they are written once, when they end.
    var unwritten: [Int64: Job] = [:]
    public private(set) var jobs: [JobSummary] = []
    public private(set) var moves: [StageChange] = []
    private var jobIndex: [Int64: Int] = [:]

    /// A cascade whose origin is one command or one due job.
    public init() { awaitsOriginEvent = false }

    /// A cascade whose origin is the next event recorded in it.
    public static func ofEvent() -> Cascade {
        let cascade = Cascade()
        cascade.awaitsOriginEvent = true
        return cascade
    }

    func made(_ job: Job) {
        jobIndex[job.id] = jobs.count
        jobs.append(JobSummary(job: job.id, rule: job.rule, status: job.status, dueAt: job.dueAt))
    }

    /// The status of a job this cascade made, as it is now.
    func status(of job: Int64) -> JobStatus? { jobIndex[job].map { jobs[$0].status } }

    func ended(_ job: Job) {
        if let index = jobIndex[job.id] { jobs[index].status = job.status }
    }

    func moved(_ change: StageChange) { moves.append(change) }
}
