import CRMCore
import CRMStorage

/// A lease named on the command line: `ID:N` (the message's Nth lease) or a bare id (its current lease).
public struct LeaseToken: Sendable, Equatable {
    public var message: Int64
    public var lease: Int?

    public init(message: Int64, lease: Int?) {
        self.message = message
        self.lease = lease
    }

    /// `ID:N` or `ID`; nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let id = Int64(parts[0]), id > 0 else { return nil }
        if parts.count == 2 {
            guard let lease = Int(parts[1]), lease > 0 else { return nil }
            self.init(message: id, lease: lease)
        } else {
            self.init(message: id, lease: nil)
        }
    }
}

/// How one hand-over ended.
public enum AttemptOutcome: Sendable, Equatable {
    case succeeded
    /// A failed attempt: `code` for the JSON error (`exit`, `timeout`, `signal`, `spawn`), `message` for
    /// `last_error`.
    case failed(code: String, message: String)
}

/// One line of `deliver`: the message after its attempt, and the error of a failed attempt or a lost lease.
public struct DeliveryReport: Sendable {
    public var message: OutboxMessage
    public var error: CRMError?
}

/// What `deliver` did, for its summary.
public struct DeliverySummary: Sendable {
    public var delivered = 0
    public var failed = 0
    public var dead = 0
    public var leaseLost = 0
    public var total: Int { delivered + failed + dead + leaseLost }
    /// An attempt failed or a lease was lost: exit 65.
    public var hadFailures: Bool { failed + dead + leaseLost > 0 }
}

/// Delivery of the outbox (SPEC §9): leases, attempts, backoff, dead letters, and the commands that act
/// on a lease by hand. Every lease is committed before anything is handed over; every completion is
/// written only while the message still holds that lease.
extension CRMStore {
    /// Leases the next due message in its own committed transaction; nil when none is due.
    public func leaseNextMessage(kinds: [MessageKind], leaseMilliseconds: Int64, clock: Clock) throws -> OutboxMessage? {
        try write {
            let now = clock.now()
            return try leaseDueMessage(now: now, kinds: kinds, leaseUntil: now.adding(milliseconds: leaseMilliseconds))
        }
    }

    /// `outbox pull`: leases up to `limit` due messages in one transaction.
    public func pullMessages(kinds: [MessageKind], limit: Int, leaseMilliseconds: Int64, clock: Clock) throws
        -> [OutboxMessage]
    {
        try write {
            let now = clock.now()
            var leased: [OutboxMessage] = []
            while leased.count < limit,
                let message = try leaseDueMessage(now: now, kinds: kinds, leaseUntil: now.adding(milliseconds: leaseMilliseconds))
            {
                leased.append(message)
            }
            return leased
        }
    }

    /// `deliver`: leases the due messages one by one (at most `limit`), hands each to `send` with no
    /// transaction open, and writes how it ended when the message still holds the lease. `report` gets
    /// a line per message as it ends.
    public func deliver(
        kinds: [MessageKind], limit: Int?, maxAttempts: Int, timeoutMilliseconds: Int64, clock: Clock,
        send: (OutboxMessage) -> AttemptOutcome, report: (DeliveryReport) throws -> Void
    ) throws -> DeliverySummary {
        var summary = DeliverySummary()
        let lease = timeoutMilliseconds + DeliveryPolicy.leaseMarginMilliseconds
        while limit.map({ summary.total < $0 }) ?? true,
            let leased = try leaseNextMessage(kinds: kinds, leaseMilliseconds: lease, clock: clock)
        {
            let outcome = send(leased)
            let line = try endAttempt(leased, outcome: outcome, maxAttempts: maxAttempts, clock: clock)
            if line.error?.code == "lease_lost" {
                summary.leaseLost += 1
            } else {
                switch line.message.status {
                case .delivered: summary.delivered += 1
                case .dead: summary.dead += 1
                default: summary.failed += 1
                }
            }
            try report(line)
        }
        return summary
    }

    /// Writes how `leased`'s attempt ended, in its own transaction, when the message still holds that
    /// lease (same lease count, still delivering); otherwise writes nothing and reports `lease_lost`.
    func endAttempt(_ leased: OutboxMessage, outcome: AttemptOutcome, maxAttempts: Int, clock: Clock) throws
        -> DeliveryReport
    {
        try write {
            let current = try message(id: leased.id)
            guard current.status == .delivering, current.leases == leased.leases else {
                let why = "message \(leased.id) lost lease \(leased.leaseToken) while its command ran (now \(current.status.rawValue), lease \(current.leases)); nothing was written"
                return DeliveryReport(message: current, error: CRMError.invalid(why, code: "lease_lost"))
            }
            switch outcome {
            case .succeeded:
                return DeliveryReport(message: try markDelivered(current, at: clock.now()), error: nil)
            case .failed(let code, let text):
                let ended = try markFailed(current, error: text, maxAttempts: maxAttempts, at: clock.now())
                return DeliveryReport(message: ended, error: CRMError.invalid(text, code: code))
            }
        }
    }

    /// `outbox ack`: the lease's message delivered. A message already delivered stays as it is.
    public func ackMessage(_ token: LeaseToken, clock: Clock) throws -> OutboxMessage {
        try write {
            let message = try self.message(id: token.message)
            switch message.status {
            case .delivered: return message
            case .discarded: throw CRMError.invalid("message \(message.id) was discarded: it cannot be acknowledged")
            default:
                try requireLease(token, of: message)
                return try markDelivered(message, at: clock.now())
            }
        }
    }

    /// `outbox fail`: a failed attempt for the lease's message (backoff, or dead after `maxAttempts`).
    public func failMessage(_ token: LeaseToken, error: String, maxAttempts: Int, clock: Clock) throws -> OutboxMessage {
        try write {
            let message = try self.message(id: token.message)
            try requireLease(token, of: message)
            return try markFailed(message, error: error, maxAttempts: maxAttempts, at: clock.now())
        }
    }

    /// `outbox retry`: a dead, pending or discarded message due now, its attempts reset.
    public func retryMessage(id: Int64, clock: Clock) throws -> OutboxMessage {
        try write {
            var message = try self.message(id: id)
            switch message.status {
            case .delivered: throw CRMError.invalid("message \(id) was delivered: there is nothing to retry")
            case .delivering:
                throw CRMError.invalid(
                    "message \(id) is being delivered (lease \(message.leaseToken) until \(message.leaseUntil?.rfc3339 ?? "-")): ack or fail it, or wait until its lease runs out",
                    code: "delivering")
            case .pending, .dead, .discarded:
                message.status = .pending
                message.attempts = 0
                message.nextAttemptAt = clock.now()
                message.leaseUntil = nil
                message.takenOver = false
                try saveDeliveryState(message)
                return message
            }
        }
    }

    /// `outbox discard`: the message is never handed over (again). A `deliver` whose command is running
    /// for it loses its lease.
    public func discardMessage(id: Int64) throws -> OutboxMessage {
        try write {
            var message = try self.message(id: id)
            switch message.status {
            case .delivered: throw CRMError.invalid("message \(id) was delivered: it cannot be discarded")
            case .discarded: return message
            case .pending, .delivering, .dead:
                message.status = .discarded
                message.leaseUntil = nil
                message.takenOver = false
                try saveDeliveryState(message)
                return message
            }
        }
    }

    /// A token acts for the message's current lease only; a bare id too, except for a lease that took the
    /// message over after an earlier one ran out (the earlier holder may still think it holds it).
    private func requireLease(_ token: LeaseToken, of message: OutboxMessage) throws {
        if let lease = token.lease {
            guard message.status == .delivering, message.leases == lease else {
                throw CRMError.invalid(
                    "lease \(message.id):\(lease) is not message \(message.id)'s current lease (it is \(message.status.rawValue)\(message.status == .delivering ? " under lease \(message.leaseToken)" : ""))",
                    code: "lease_lost")
            }
            return
        }
        guard message.status == .delivering else {
            throw CRMError.invalid(
                "message \(message.id) is \(message.status.rawValue), not being delivered: no lease to act for",
                code: "lease_lost")
        }
        guard !message.takenOver else {
            throw CRMError.invalid(
                "message \(message.id) was taken over after an earlier lease ran out: only its token \(message.leaseToken) acts for it",
                code: "lease_lost")
        }
    }

    private func markDelivered(_ message: OutboxMessage, at now: Timestamp) throws -> OutboxMessage {
        var message = message
        message.status = .delivered
        message.deliveredAt = now
        message.leaseUntil = nil
        try saveDeliveryState(message)
        return message
    }

    private func markFailed(_ message: OutboxMessage, error: String, maxAttempts: Int, at now: Timestamp) throws
        -> OutboxMessage
    {
        var message = message
        message.lastError = error
        message.leaseUntil = nil
        if message.attempts >= maxAttempts {
            message.status = .dead
        } else {
            message.status = .pending
            message.nextAttemptAt = now.adding(
                milliseconds: DeliveryPolicy.backoffMilliseconds(afterAttempt: max(message.attempts, 1)))
        }
        try saveDeliveryState(message)
        return message
    }
}
