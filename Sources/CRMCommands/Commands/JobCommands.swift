import ArgumentParser
import CRMApplication
import CRMCore
import CRMStorage
import JSON

struct JobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job", abstract: "The jobs rules made: list, show, cancel.",
        subcommands: [List.self, Show.self, Cancel.self])

    struct List: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs by id, as they are read.")
        @OptionGroup var global: GlobalOptions
        @Option(parsing: .unconditional, help: "Only this element's jobs.") var element: Int64?
        @Option(parsing: .unconditional, help: "Only this rule's jobs.") var rule: Int64?
        @Option(help: "pending, done, skipped, cancelled or failed.") var status: JobStatusArgument?
        @Option(parsing: .unconditional, help: "At most N jobs (the first by id).") var limit: Int?

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        }

        func run(_ context: Context) throws {
            let store = try context.store()
            if let element { _ = try store.element(id: element) }  // a named element must exist (66)
            var list = StreamedList(context, header: JobCommand.header)
            try store.forEachJob(element: element, rule: rule, status: status?.value, limit: limit) { job in
                try list.add(Render.job(job), line: JobCommand.line(job))
            }
            list.finish()
        }
    }

    static let header = "ID  RULE  ELEMENT  STAGE  STATUS  DUE_AT  DETAIL"

    /// One job per line, read as it streams: no column widths to know in advance.
    static func line(_ job: Job) -> String {
        [String(job.id), String(job.rule), String(job.element), job.stage, job.status.rawValue, job.dueAt.rfc3339,
         job.detail ?? "-"].joined(separator: "  ").printable
    }

    struct Show: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one job.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job's id.") var id: Int64

        func run(_ context: Context) throws {
            JobCommand.print(try context.store().job(id: id), context)
        }
    }

    struct Cancel: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a pending job.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job's id.") var id: Int64

        func run(_ context: Context) throws {
            JobCommand.print(try context.store().cancelJob(id: id, clock: context.clock()), context)
        }
    }

    static func print(_ job: Job, _ context: Context) {
        if context.json { return context.printJSON(Render.job(job)) }
        var lines = [
            "id:       \(job.id)", "rule:     \(job.rule)", "element:  \(job.element)", "stage:    \(job.stage)",
            "status:   \(job.status.rawValue)", "due_at:   \(job.dueAt.rfc3339)", "ran_at:   \(job.ranAt?.rfc3339 ?? "-")",
            "origin:   \(job.origin.map(String.init) ?? "-")", "detail:   \(job.detail ?? "-")",
        ]
        if let error = job.error { lines.append("error:    \(error.code): \(error.message)") }
        context.printLines(lines)
    }
}

struct JobStatusArgument: ExpressibleByArgument {
    let value: JobStatus
    init?(argument: String) {
        guard let status = JobStatus(rawValue: argument) else { return nil }
        value = status
    }
    static var allValueStrings: [String] { JobStatus.allCases.map(\.rawValue) }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
