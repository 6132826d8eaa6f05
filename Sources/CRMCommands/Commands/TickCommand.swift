import ArgumentParser
import CRMApplication
import CRMCore
import CRMStorage
import JSON

/// `crmctl tick`: cron's way of letting time pass (SPEC §8).
struct TickCommand: CRMCommand {
    static let configuration = CommandConfiguration(commandName: "tick",
        abstract: "Run the jobs that are due and make the time-trigger events whose moment has come; NDJSON out.",
        discussion: """
            Run it from cron every minute. Ticks are safe together: each job or time event is claimed and \
            applied in one transaction, so two ticks never run the same one, and a killed tick loses at most \
            its open chunk, which the next tick does again.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(parsing: .unconditional, help: "At most N jobs and time events; the rest waits for the next tick.") var limit: Int?
    @Flag(help: "Print what a tick would do now and write nothing.") var dryRun = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
    }

    func run(_ context: Context) throws {
        try tick(store: context.store(), clock: context.clock(), context)
    }

    private func tick<Store: CRMStore>(store: Store, clock: Clock, _ context: Context) throws {
        var jobs: [JobStatus: Int] = [:]
        var events = 0
        try Tick(store: store, clock: clock).run(limit: limit, dryRun: dryRun) { outcomes in
            var stream = JSONStream()
            for outcome in outcomes {
                outcome.write(into: &stream)
                stream.endLine()
                switch outcome {
                case .job(let job, _, _): jobs[job.status, default: 0] += 1
                case .timeEvent: events += 1
                }
            }
            context.io.output.write(bytes: stream.bytes)
            context.io.output.flush()
        }
        let ran = jobs.values.reduce(0, +)
        let statuses = JobStatus.allCases.compactMap { status in jobs[status].map { "\($0) \(status.rawValue)" } }
        context.summary(
            "tick",
            "\(ran) jobs\(statuses.isEmpty ? "" : " (" + statuses.joined(separator: ", ") + ")"), \(events) time events"
                + (dryRun ? " (dry run: nothing written)" : ""),
            [("jobs", JSONValue(ran))] + JobStatus.allCases.compactMap { status in jobs[status].map { (status.rawValue, JSONValue($0)) } }
                + [("time_events", JSONValue(events)), ("dry_run", .bool(dryRun))])
    }
}
