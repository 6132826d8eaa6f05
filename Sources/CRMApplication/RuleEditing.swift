import CRMCore
import CRMStorage

/// Rules as commands change them (SPEC §7), checked as `trigger add` checks triggers; and jobs cancelled
/// by hand.
extension CRMStore {
    /// Adds a rule after checking its action's options (the command checked which are given), its
    /// stage, a `move` target, its timing and its conditions; `rule.id` and `rule.pipeline` are ignored.
    public func addRule(_ rule: Rule, pipelineName: String) throws -> Rule {
        if let problem = rule.options.dataProblem(for: rule.action) { throw CRMError.invalid(problem) }
        return try write {
            var rule = rule
            rule.asUser = rule.asUser.userName
            let pipeline = try self.pipeline(named: pipelineName)
            guard pipeline.stage(rule.stage) != nil else {
                throw CRMError.notFound("pipeline \(pipeline.id) has no stage \(rule.stage)")
            }
            if rule.action == .move, let target = rule.options.to, pipeline.stage(target) == nil {
                throw CRMError.notFound("pipeline \(pipeline.id) has no stage \(target) to move to")
            }
            rule.pipeline = pipeline.id
            if rule.name.isEmpty { rule.name = "\(rule.stage): \(rule.action.rawValue)" }
            rule.id = try insertRule(rule)
            return rule
        }
    }

    public func rule(id: Int64) throws -> Rule {
        guard let rule = try findRule(id: id) else { throw CRMError.notFound("rule \(id) does not exist") }
        return rule
    }

    /// Removes a rule; its pending jobs are cancelled when they come due (SPEC §7 rule 5).
    public func removeRule(id: Int64) throws -> Rule {
        try write {
            let rule = try self.rule(id: id)
            try deleteRule(id: id)
            return rule
        }
    }

    public func setRule(id: Int64, enabled: Bool) throws -> Rule {
        try write {
            _ = try self.rule(id: id)
            try setRule(id: id, enabled: enabled)
            return try self.rule(id: id)
        }
    }

    public func job(id: Int64) throws -> Job {
        guard let job = try findJob(id: id) else { throw CRMError.notFound("job \(id) does not exist") }
        return job
    }

    public func message(id: Int64) throws -> OutboxMessage {
        guard let message = try findMessage(id: id) else { throw CRMError.notFound("message \(id) does not exist") }
        return message
    }

    /// `job cancel`: a pending job ends `cancelled`, with its timeline entry; any other is refused (65).
    public func cancelJob(id: Int64, clock: Clock) throws -> Job {
        try write {
            let job = try self.job(id: id)
            guard job.status == .pending else {
                throw CRMError.invalid("job \(id) is \(job.status.rawValue), not pending: only a pending job can be cancelled")
            }
            try RuleRunner(store: self, clock: clock, cascade: Cascade()).end(
                job, rule: try findRule(id: job.rule), element: try element(id: job.element), at: clock.now(),
                status: .cancelled, detail: "cancelled by hand")
            return try self.job(id: id)
        }
    }
}
