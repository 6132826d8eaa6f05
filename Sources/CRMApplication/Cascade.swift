import CRMCore
import CRMStorage

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
