import ArgumentParser
import CRMApplication
import CRMCore
import CRMStorage
import JSON

/// `crmctl status`: for a monitor to tell that cron stopped (SPEC §8).
struct StatusCommand: CRMCommand {
    static let configuration = CommandConfiguration(commandName: "status",
        abstract: "The health of the automation: the last tick, jobs pending and overdue, the outbox; exit 69 when behind --max-lag.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Exit 69 when a job or a deliverable message has been overdue longer than this, or no tick ran within it while jobs are pending (e.g. 10m).")
    var maxLag: String?

    func run(_ context: Context) throws {
        var lag: Int64?
        if let maxLag {
            do {
                lag = try Duration(parsing: maxLag).seconds * 1000
            } catch {
                throw CRMError.usage("--max-lag: \(error.message)")
            }
        }
        let status = try read(store: context.store(), now: context.clock().now(), maxLag: lag)
        if context.json {
            context.printJSON(status.json)
        } else {
            let counts = MessageStatus.allCases.map { "\(status.messages[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
            context.printLines([
                "last tick:    \(status.lastTickAt?.rfc3339 ?? "never")",
                "jobs:         \(status.pendingJobs) pending, \(status.overdueJobs) overdue"
                    + (status.oldestOverdueDueAt.map { " (oldest due \($0.rfc3339))" } ?? ""),
                "outbox:       \(counts)"
                    + (status.oldestUndeliveredAt.map { " (oldest undelivered from \($0.rfc3339))" } ?? ""),
                "lagging:      \(status.lagging ? "yes" : "no")",
            ])
        }
        guard status.lagging else { return }
        if context.json {
            let line: JSONValue = ["error": ["code": "lagging", "message": .string(status.reasons.joined(separator: "; "))]]
            context.io.errors.writeLine(JSONWriter.serialize(line))
        } else {
            for reason in status.reasons { context.note("lagging: \(reason)") }
        }
        throw CommandFailed(exitCode: 69)
    }

    private func read<Store: CRMStore>(store: Store, now: Timestamp, maxLag: Int64?) throws -> AutomationStatus {
        try AutomationStatus.read(store, now: now, maxLag: maxLag)
    }
}
