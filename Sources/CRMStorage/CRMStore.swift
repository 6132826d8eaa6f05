import CRMCore
import JSON

/// Everything crmctl keeps, as the application sees it. A database is one implementation of these
/// protocols (today SQLite, `CRMStoreSQLite`); the use cases in `CRMApplication` and the commands speak
/// only to them. Implementations own all SQL, map their failures to `CRMError` in `transaction` and
/// `read`, and keep no rule of SPEC §6–§9: those live above.
public protocol CRMStore: StoreTransactions, ElementStore, ModelStore, EventStore, RecordStore, TimelineStore,
    ReportStore, RuleStore, JobStore, OutboxStore, TimeStore, StatusStore, TableCopying
{}

/// How a write transaction ends: a dry run computes everything and keeps nothing.
public enum TransactionEnd<Value> {
    case commit(Value)
    case rollback(Value)
}

/// Transactions: every write runs inside one; a failure in it rolls everything back.
public protocol StoreTransactions: AnyObject {
    /// Where the data lives, for messages (a file path).
    var location: String { get }
    /// The version of the schema this crmctl writes (the store migrates older ones forward).
    var schemaVersion: Int64 { get }

    /// Runs `body` in one write transaction that keeps other writers out of what it reads and writes;
    /// ends as `body` says, or rolls back when it throws. Failures of the database are `CRMError`s. A store
    /// whose writers lock rows rather than the whole database may roll `body` back after a conflict with
    /// another writer (a deadlock) and run it again in a new transaction: `body` must not keep anything
    /// outside the store from an attempt that did not commit.
    func transaction<T>(_ body: () throws -> TransactionEnd<T>) throws -> T

    /// `transaction` in one attempt: where a store would run `body` again after a conflict, it rolls back
    /// and throws `busy` with the code `CRMError.conflictCode` instead, for a caller that does the work
    /// differently then (a chunk of a batch, item by item).
    func transactionOnce<T>(_ body: () throws -> TransactionEnd<T>) throws -> T

    /// Runs reads outside a write transaction.
    func read<T>(_ body: () throws -> T) throws -> T

    /// Runs several reads on one snapshot, so figures read apart still add up while others write.
    func readSnapshot<T>(_ body: () throws -> T) throws -> T

    /// A batch revisits the same pages chunk after chunk: a store may keep more of them in memory.
    func useBatchCache() throws
}

extension StoreTransactions {
    /// A write transaction that commits what `body` did.
    public func write<T>(_ body: () throws -> T) throws -> T {
        try transaction { .commit(try body()) }
    }
}

/// Leads and deals.
public protocol ElementStore: AnyObject {
    func findElement(id: Int64) throws -> Element?
    /// The element created with this key (SPEC §3 "Element keys"), if any.
    func findElement(key: String) throws -> Element?
    /// Writes a new element (its `id` is ignored) with its key, and returns its id. The caller has checked
    /// that no element has the key.
    func insertElement(_ element: Element) throws -> Int64
    /// Writes an element's current values back; its key stays as it was created.
    func saveElement(_ element: Element) throws
    /// Writes a new stage alone: cheaper than `saveElement`.
    func saveStage(of element: Int64, stage: String, updatedAt: Timestamp) throws
    /// The newest element (highest id) in a process stage with this contact (SPEC §6); an element id as is.
    func elementID(for target: EventTarget) throws -> Int64?
    /// Elements in id order, streamed to `body` as they are read (`ElementFilter`).
    func forEachElement(_ filter: ElementFilter, _ body: (Element) throws -> Void) throws
    /// Erases an element and everything recorded about it, in its own write transaction, and sees that no
    /// copy of it stays in the store's files (SPEC §3 "Erasure"); returns the rows removed per table, or nil
    /// when there is no such element.
    func eraseElement(id: Int64) throws -> [(table: String, rows: Int)]?
}

/// Pipelines, their stages, and triggers.
public protocol ModelStore: AnyObject {
    func findPipeline(id: Int64) throws -> Pipeline?
    /// The ids of the type's pipelines, or of those with this name, in id order.
    func pipelineIDs(type: EntityType?) throws -> [Int64]
    func pipelineIDs(named name: String) throws -> [Int64]
    func insertPipeline(type: EntityType, name: String) throws -> Int64
    /// Writes every stage with its position; existing stages keep their row and take the new position.
    func writeStages(_ stages: [Stage], pipeline: Int64) throws

    /// Writes a new trigger (its `id` is ignored) and returns its id; ids are never reused.
    func insertTrigger(_ trigger: Trigger) throws -> Int64
    func findTrigger(id: Int64) throws -> Trigger?
    func triggers(pipeline: Int64?, code: TriggerCode?) throws -> [Trigger]
    /// The pipeline's triggers with one of `codes`, for the engine; a store may keep them for the
    /// rest of the transaction.
    func engineTriggers(pipeline: Int64, codes: [TriggerCode]) throws -> [Trigger]
    func deleteTrigger(id: Int64) throws
    func setTrigger(id: Int64, enabled: Bool) throws
}

/// Events and their outcomes.
public protocol EventStore: AnyObject {
    /// An id for a new event, never given before: the intake needs it before the event is written (its
    /// timeline entries and records name it), and an event may make others before it is written itself.
    func reserveEventID() throws -> Int64
    func insertEvent(_ row: EventRow) throws
    func keyedEvent(key: String) throws -> KeyedEvent?
    /// Events in id order, streamed to `body` as they are read (`EventFilter`).
    func forEachEvent(_ filter: EventFilter, _ body: (StoredEvent) throws -> Void) throws
    func findEvent(id: Int64) throws -> StoredEvent?
    func findEvent(key: String) throws -> StoredEvent?
    /// The name and stage of a trigger a verdict names, also of one removed since.
    func triggerLabel(id: Int64) throws -> TriggerLabel?
}

/// What events record besides their own row: documents, sent emails, chats.
public protocol RecordStore: AnyObject {
    func findDocument(id: Int64) throws -> Document?
    func findDocument(ref: String) throws -> Document?
    func documents(element: Int64?) throws -> [Document]
    /// The id of the email with this message id sent from the element, if any.
    func sentEmail(element: Int64, messageID: String) throws -> Int64?
    func chat(element: Int64, chat: String) throws -> Chat?
    /// Makes one change an event asks for (`SignalRules`); returns the id of a document it creates.
    func record(_ change: RecordChange, element: Int64, event: Int64, by: String?, at: Timestamp) throws -> Int64?
}

/// Every element's timeline; entries are never rewritten.
public protocol TimelineStore: AnyObject {
    func appendTimeline(element: Int64, at: Timestamp, kind: String, author: String, event: Int64?, detailsText: String)
        throws
    /// An event's own entry, of the event's type: its details are the event's id and data, as the event has
    /// them (`{"event": ID, "data": DATA}` when read).
    func appendEventEntry(element: Int64, at: Timestamp, kind: String, author: String, event: Int64) throws
    /// The element's timeline in recording order, streamed to `body`.
    func forEachTimelineEntry(element: Int64, _ body: (TimelineEntry) throws -> Void) throws
}

/// Automation rules (SPEC §7).
public protocol RuleStore: AnyObject {
    /// Writes a new rule (its `id` is ignored) and returns its id; ids are never reused.
    func insertRule(_ rule: Rule) throws -> Int64
    func findRule(id: Int64) throws -> Rule?
    func rules(pipeline: Int64?, stage: String?) throws -> [Rule]
    /// The enabled rules of a stage in id order; a store may keep them for the rest of the transaction.
    func enabledRules(pipeline: Int64, stage: String) throws -> [Rule]
    func deleteRule(id: Int64) throws
    func setRule(id: Int64, enabled: Bool) throws
    /// For `assign --rotate`: how many runs took a name before this one; counts this one.
    func takeRotationTurn(rule: Int64) throws -> Int64
}

/// Jobs: one run of a rule for one element.
public protocol JobStore: AnyObject {
    /// An id for a new job, never given before.
    func reserveJobID() throws -> Int64
    /// Writes a new job with its reserved id.
    func insertJob(_ job: Job) throws
    func findJob(id: Int64) throws -> Job?
    /// Writes a job's status, due time, run time, detail and error.
    func updateJob(_ job: Job) throws
    /// The element's pending jobs made on entering `stage`, in id order.
    func pendingJobs(element: Int64, stage: String) throws -> [Job]
    /// The pending job due first (then by id) at or before `now`.
    func nextDueJob(now: Timestamp) throws -> Job?
    /// Pending jobs, those of them due before `now`, and the oldest of those due times.
    func jobCounts(now: Timestamp) throws -> (pending: Int, overdue: Int, oldestOverdue: Timestamp?)
    /// Jobs in id order, streamed; nil filters are open.
    func forEachJob(
        element: Int64?, rule: Int64?, status: JobStatus?, limit: Int?, _ body: (Job) throws -> Void
    ) throws
}

/// Messages for the outside world (SPEC §9).
public protocol OutboxStore: AnyObject {
    /// An id for a new message, never given before (its payload names it).
    func reserveMessageID() throws -> Int64
    /// Writes a new message with its reserved id.
    func insertMessage(_ message: OutboxMessage) throws
    func findMessage(id: Int64) throws -> OutboxMessage?
    /// Messages in id order, streamed; nil filters are open.
    func forEachMessage(
        status: MessageStatus?, kind: MessageKind?, element: Int64?, limit: Int?,
        _ body: (OutboxMessage) throws -> Void
    ) throws
    /// Leases the oldest due message of one of `kinds` (empty: any kind) and returns it as leased, or nil
    /// when none is due. Due: `pending` with `nextAttemptAt` at or before `now`, or `delivering` with its
    /// lease run out (`leaseUntil` at or before `now`); oldest: the earliest due time (`nextAttemptAt`, or
    /// `leaseUntil` for a lease that ran out), then the lowest id. The lease: status `delivering`, attempts
    /// and leases + 1, `leaseUntil`, `takenOver` when the message was `delivering`. The caller holds the
    /// write transaction.
    func leaseDueMessage(now: Timestamp, kinds: [MessageKind], leaseUntil: Timestamp) throws -> OutboxMessage?
    /// Writes a message's delivery state: status, attempts, leases, lease until, taken over, next attempt,
    /// last error, delivered at.
    func saveDeliveryState(_ message: OutboxMessage) throws
}

/// A moment a tick makes a time-trigger event (SPEC §8): the element (and chat) quiet for `seconds`
/// since `since`.
public struct TimeWatch: Sendable, Equatable {
    public var element: Int64
    public var code: TriggerCode
    /// The chat for `chat.unanswered`, "" for `stage.idle`.
    public var chat: String
    public var seconds: Int64
    public var since: Timestamp
    public var dueAt: Timestamp

    public init(element: Int64, code: TriggerCode, chat: String, seconds: Int64, since: Timestamp, dueAt: Timestamp) {
        self.element = element
        self.code = code
        self.chat = chat
        self.seconds = seconds
        self.since = since
        self.dueAt = dueAt
    }
}

/// Time (SPEC §8): the watched quiet periods and what the automation remembers between runs.
public protocol TimeStore: AnyObject {
    /// Activity at `at`: each `stage.idle` threshold of the element starts a new quiet period, unless its
    /// current one started later.
    func watchActivity(element: Int64, thresholds: [Int64], at: Timestamp) throws
    /// A chat's first client message at `at` (or an earlier one, which becomes the first): its
    /// `chat.unanswered` thresholds count from it.
    func watchChat(element: Int64, chat: String, thresholds: [Int64], firstMessageAt at: Timestamp) throws
    /// The chat was answered at `at`: thresholds not yet passed then no longer fire.
    func chatAnswered(element: Int64, chat: String, at: Timestamp) throws
    /// Watches for a time trigger added or enabled: every element (or chat) of the pipeline, from its
    /// last activity (or first unanswered message).
    func watchPipeline(_ pipeline: Int64, code: TriggerCode, seconds: Int64) throws
    /// The unfired watch due first at or before `now`.
    func nextDueWatch(now: Timestamp) throws -> TimeWatch?
    /// The watch fired: this period makes no second event.
    func markFired(_ watch: TimeWatch) throws
    /// No enabled trigger wants the watch any more: it goes (enabling one watches again from the last activity).
    func dropWatch(_ watch: TimeWatch) throws
    func automationState(_ name: String) throws -> Int64?
    func setAutomationState(_ name: String, to value: Int64) throws
}

/// The health of the automation (`crmctl status`, SPEC §8).
public protocol StatusStore: AnyObject {
    /// Messages per status; the oldest undelivered one's creation (pending or delivering); and the oldest
    /// due time of a deliverable message at `now` (pending and due, or delivering with its lease run out).
    func outboxFigures(now: Timestamp) throws
        -> (counts: [MessageStatus: Int], oldestUndelivered: Timestamp?, oldestDue: Timestamp?)
}

/// The figures of `board` and `report`, each read on one snapshot.
public protocol ReportStore: AnyObject {
    func board(of pipeline: Pipeline, newest: Int) throws -> [BoardColumn]
    /// The report for `pipeline` (nil: every pipeline) over `since` (inclusive) to `until` (exclusive), with
    /// its `breakdown` when asked for.
    func movementReport(pipeline: Int64?, since: Timestamp?, until: Timestamp?, breakdown: Bool) throws -> MovementReport
}

extension ReportStore {
    /// The report's figures without the breakdown (the text and JSON reports).
    public func movementReport(pipeline: Int64?, since: Timestamp?, until: Timestamp?) throws -> MovementReport {
        try movementReport(pipeline: pipeline, since: since, until: until, breakdown: false)
    }
}

extension TimelineStore {
    public func appendTimeline(
        element: Int64, at: Timestamp, kind: String, author: String, event: Int64?, details: JSONObject
    ) throws {
        try appendTimeline(
            element: element, at: at, kind: kind, author: author, event: event,
            detailsText: JSONWriter.serialize(.object(details)))
    }
}
