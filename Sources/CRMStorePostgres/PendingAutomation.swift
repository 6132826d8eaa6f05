// SCAFFOLDING for helper 3 — delete this file once every method below is implemented for real.
import CRMCore
import CRMStorage

extension PostgresStore {
    public func reserveJobID() throws -> Int64 { fatalError("not yet ported") }
    public func insertJob(_ job: Job) throws { fatalError("not yet ported") }
    public func findJob(id: Int64) throws -> Job? { fatalError("not yet ported") }
    public func updateJob(_ job: Job) throws { fatalError("not yet ported") }
    public func pendingJobs(element: Int64, stage: String) throws -> [Job] { fatalError("not yet ported") }
    public func nextDueJob(now: Timestamp) throws -> Job? { fatalError("not yet ported") }
    public func jobCounts(now: Timestamp) throws -> (pending: Int, overdue: Int, oldestOverdue: Timestamp?) { fatalError("not yet ported") }
    public func forEachJob(element: Int64?, rule: Int64?, status: JobStatus?, limit: Int?, _ body: (Job) throws -> Void) throws { fatalError("not yet ported") }

    public func reserveMessageID() throws -> Int64 { fatalError("not yet ported") }
    public func insertMessage(_ message: OutboxMessage) throws { fatalError("not yet ported") }
    public func findMessage(id: Int64) throws -> OutboxMessage? { fatalError("not yet ported") }
    public func forEachMessage(status: MessageStatus?, kind: MessageKind?, element: Int64?, limit: Int?, _ body: (OutboxMessage) throws -> Void) throws { fatalError("not yet ported") }
    public func leaseDueMessage(now: Timestamp, kinds: [MessageKind], leaseUntil: Timestamp) throws -> OutboxMessage? { fatalError("not yet ported") }
    public func saveDeliveryState(_ message: OutboxMessage) throws { fatalError("not yet ported") }

    public func watchActivity(element: Int64, thresholds: [Int64], at: Timestamp) throws { fatalError("not yet ported") }
    public func watchChat(element: Int64, chat: String, thresholds: [Int64], firstMessageAt at: Timestamp) throws { fatalError("not yet ported") }
    public func chatAnswered(element: Int64, chat: String, at: Timestamp) throws { fatalError("not yet ported") }
    public func watchPipeline(_ pipeline: Int64, code: TriggerCode, seconds: Int64) throws { fatalError("not yet ported") }
    public func nextDueWatch(now: Timestamp) throws -> TimeWatch? { fatalError("not yet ported") }
    public func markFired(_ watch: TimeWatch) throws { fatalError("not yet ported") }
    public func dropWatch(_ watch: TimeWatch) throws { fatalError("not yet ported") }
    public func automationState(_ name: String) throws -> Int64? { fatalError("not yet ported") }
    public func setAutomationState(_ name: String, to value: Int64) throws { fatalError("not yet ported") }
}
