import CRMCore
import CRMStorage
import JSON

/// `crmctl status` (SPEC §8): the last tick, jobs pending and overdue, outbox messages per status, and
/// whether the automation lags behind a `--max-lag`.
public struct AutomationStatus: Sendable {
    public var lastTickAt: Timestamp?
    public var pendingJobs: Int
    public var overdueJobs: Int
    public var oldestOverdueDueAt: Timestamp?
    public var messages: [MessageStatus: Int]
    public var oldestUndeliveredAt: Timestamp?
    public var lagging = false
    /// Why it lags, for people.
    public var reasons: [String] = []

    /// Reads the figures at `now` on one snapshot; with `maxLag` (milliseconds), decides whether it lags:
    /// a job or a deliverable message overdue longer than that, or no tick within it while jobs wait.
    public static func read<Store: CRMStore>(_ store: Store, now: Timestamp, maxLag: Int64?) throws -> AutomationStatus {
        try store.readSnapshot {
            let jobs = try store.jobCounts(now: now)
            let outbox = try store.outboxFigures(now: now)
            var status = AutomationStatus(
                lastTickAt: try store.automationState(Tick<Store>.lastTickKey).map(Timestamp.init(milliseconds:)),
                pendingJobs: jobs.pending, overdueJobs: jobs.overdue, oldestOverdueDueAt: jobs.oldestOverdue,
                messages: outbox.counts, oldestUndeliveredAt: outbox.oldestUndelivered)
            guard let maxLag else { return status }
            let limit = now.adding(milliseconds: -maxLag)
            if let oldest = jobs.oldestOverdue, oldest < limit {
                status.reasons.append("a job has been due since \(oldest.rfc3339), longer than the allowed lag")
            }
            if let oldest = outbox.oldestDue, oldest < limit {
                status.reasons.append("a message has been due for delivery since \(oldest.rfc3339), longer than the allowed lag")
            }
            if jobs.pending > 0, status.lastTickAt.map({ $0 < limit }) ?? true {
                status.reasons.append(
                    status.lastTickAt.map { "no tick since \($0.rfc3339) while \(jobs.pending) jobs are pending" }
                        ?? "no tick has run while \(jobs.pending) jobs are pending")
            }
            status.lagging = !status.reasons.isEmpty
            return status
        }
    }

    public var json: JSONValue {
        var outbox = JSONObject(MessageStatus.allCases.map { ($0.rawValue, JSONValue(Int64(messages[$0] ?? 0))) })
        outbox["oldest_undelivered_at"] = JSONValue(oldestUndeliveredAt?.rfc3339)
        return [
            "last_tick_at": JSONValue(lastTickAt?.rfc3339),
            "jobs": [
                "pending": JSONValue(Int64(pendingJobs)), "overdue": JSONValue(Int64(overdueJobs)),
                "oldest_overdue_due_at": JSONValue(oldestOverdueDueAt?.rfc3339),
            ],
            "outbox": .object(outbox), "lagging": .bool(lagging), "reasons": .array(reasons.map(JSONValue.string)),
        ]
    }
}
