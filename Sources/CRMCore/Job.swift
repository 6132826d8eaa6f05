import JSON

/// A job's state (SPEC §7 rule 8): pending until it ends in one of the others.
public enum JobStatus: String, Sendable, CaseIterable {
    case pending, done, skipped, cancelled, failed
}

/// One run of a rule for one element that entered its stage.
public struct Job: Sendable, Equatable {
    public var id: Int64
    public var rule: Int64
    public var element: Int64
    public var pipeline: Int64
    public var stage: String
    public var status: JobStatus
    /// When the element entered the stage.
    public var enteredAt: Timestamp
    public var dueAt: Timestamp
    /// The real time it ended.
    public var ranAt: Timestamp?
    /// The event at the top of the cascade that made it; nil for a command or a tick's due job.
    public var origin: Int64?
    public var detail: String?
    public var error: CRMError?

    public init(
        id: Int64, rule: Int64, element: Int64, pipeline: Int64, stage: String, status: JobStatus,
        enteredAt: Timestamp, dueAt: Timestamp, ranAt: Timestamp? = nil, origin: Int64? = nil, detail: String? = nil,
        error: CRMError? = nil
    ) {
        self.id = id
        self.rule = rule
        self.element = element
        self.pipeline = pipeline
        self.stage = stage
        self.status = status
        self.enteredAt = enteredAt
        self.dueAt = dueAt
        self.ranAt = ranAt
        self.origin = origin
        self.detail = detail
        self.error = error
    }
}

/// The kinds of message a rule puts in the outbox (SPEC §9).
public enum MessageKind: String, Sendable, CaseIterable {
    case sms, email, notify, webhook
}

/// Where a message is on its way out (SPEC §9).
public enum MessageStatus: String, Sendable, CaseIterable {
    case pending, delivering, delivered, dead, discarded
}

/// A message for the outside world, made by a rule's job.
public struct OutboxMessage: Sendable, Equatable {
    public var id: Int64
    public var kind: MessageKind
    public var element: Int64
    public var rule: Int64
    public var job: Int64
    public var to: String?
    public var subject: String?
    public var text: String?
    public var url: String?
    /// What a receiver gets, as one JSON text.
    public var payload: String
    public var status: MessageStatus
    public var attempts: Int
    public var nextAttemptAt: Timestamp
    public var lastError: String?
    public var createdAt: Timestamp
    public var deliveredAt: Timestamp?
    /// How many leases the message has had; the current lease's token is `ID:leases`.
    public var leases: Int
    /// When the current lease runs out (while `delivering`).
    public var leaseUntil: Timestamp?
    /// Whether the current lease took the message over after an earlier one ran out: then only its token
    /// acts for it, not a bare id.
    public var takenOver: Bool

    public init(
        id: Int64, kind: MessageKind, element: Int64, rule: Int64, job: Int64, to: String?, subject: String?,
        text: String?, url: String?, payload: String, status: MessageStatus, attempts: Int, nextAttemptAt: Timestamp,
        lastError: String?, createdAt: Timestamp, deliveredAt: Timestamp?, leases: Int = 0, leaseUntil: Timestamp? = nil,
        takenOver: Bool = false
    ) {
        self.id = id
        self.kind = kind
        self.element = element
        self.rule = rule
        self.job = job
        self.to = to
        self.subject = subject
        self.text = text
        self.url = url
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
        self.leases = leases
        self.leaseUntil = leaseUntil
        self.takenOver = takenOver
    }

    /// The current lease's token, `ID:N`.
    public var leaseToken: String { "\(id):\(leases)" }
}

/// What delivery does with time (SPEC §9): the wait after a failed attempt.
public enum DeliveryPolicy {
    public static let defaultMaxAttempts = 8
    /// What a `deliver` lease has beyond `--timeout`: room for the kill, its grace and the write that ends
    /// the attempt, so a live `deliver` does not lose its lease to another.
    public static let leaseMarginMilliseconds: Int64 = 60_000
    /// 1 minute after the first failed attempt, ×4 after each further one, at most 6 hours.
    public static func backoffMilliseconds(afterAttempt attempt: Int) -> Int64 {
        let cap: Int64 = 6 * 3_600_000
        var wait: Int64 = 60_000
        var step = 1
        while step < attempt && wait < cap {
            wait *= 4
            step += 1
        }
        return min(wait, cap)
    }
}
