import CRMCore
import CRMStorage
import JSON

/// Makes and runs jobs (SPEC §7): one per enabled rule of the stage an element entered; those due at once
/// run in the entry's transaction, by due time then rule id; each checks its conditions on the element as
/// it is then, does its action — events through the intake, moves through `StageEntry`, messages into the
/// outbox — and ends with one `rule` timeline entry. The caller holds the write transaction.
struct RuleRunner<Store: CRMStore> {
    let store: Store
    let clock: Clock
    let cascade: Cascade

    /// Makes the jobs of `element`'s entry into its current stage and runs those due at once; returns
    /// whether one ran that may have changed the element. A pending job is written when it is made; one due
    /// at once is written when it ends, once.
    func makeJobs(for element: Element, enteredAt: Timestamp) throws -> Bool {
        let rules = try store.enabledRules(pipeline: element.pipeline, stage: element.stage)
        guard !rules.isEmpty else { return false }
        let now = clock.now()
        var made: [(job: Job, rule: Rule)] = []
        for rule in rules {
            let timing = dueTime(of: rule, enteredAt: enteredAt, element: element)
            var job = Job(
                id: try store.reserveJobID(), rule: rule.id, element: element.id, pipeline: element.pipeline,
                stage: element.stage, status: .pending, enteredAt: enteredAt, dueAt: enteredAt, origin: cascade.origin)
            switch timing {
            case .due(let time):
                job.dueAt = time
            case .skip(let reason):
                // A field that is missing or not a date when the job is made skips it at once.
                cascade.unwritten[job.id] = job
                cascade.made(job)
                try end(job, rule: rule, element: element, at: enteredAt, status: .skipped, detail: reason)
                continue
            case .fail(let error):
                cascade.unwritten[job.id] = job
                cascade.made(job)
                try end(job, rule: rule, element: element, at: enteredAt, status: .failed, detail: error.message, error: error)
                continue
            }
            if job.dueAt <= enteredAt || job.dueAt <= now {
                cascade.unwritten[job.id] = job
            } else {
                try store.insertJob(job)
            }
            cascade.made(job)
            made.append((job, rule))
        }
        let atOnce = made.filter { cascade.unwritten[$0.job.id] != nil }
            .sorted { ($0.job.dueAt, $0.rule.id) < ($1.job.dueAt, $1.rule.id) }
        for (job, rule) in atOnce where cascade.status(of: job.id) == .pending {
            // (An earlier job may have moved the element on, which cancelled this one.)
            try run(job, rule: rule)
        }
        return atOnce.contains { [.move, .assign, .set].contains($0.rule.action) }
    }

    /// When a job is due: at a time; skipped (its date field is missing or not a date); or failed (its
    /// rule's zone cannot be read here any more) — never an error that would end the event's cascade.
    enum JobTiming {
        case due(Timestamp)
        case skip(String)
        case fail(CRMError)
    }

    /// When a rule's job for an element entering at `enteredAt` is due (SPEC §8).
    func dueTime(of rule: Rule, enteredAt: Timestamp, element: Element) -> JobTiming {
        guard !rule.timing.isAtOnce else { return .due(enteredAt) }
        do {
            let spec = try TimingSpec(rule.timing)
            switch DueTime.of(spec, entry: enteredAt, element: element, zone: try ZoneDatabase.rules(spec.zoneName)) {
            case .due(let time): return .due(time)
            case .noDate(let reason): return .skip(reason)
            }
        } catch let failure as ValidationFailure {
            return .fail(CRMError.invalid("rule \(rule.id) has a timing this crmctl cannot read: \(failure.message)"))
        } catch let error as CRMError {
            return .fail(CRMError.invalid("rule \(rule.id): \(error.message)"))
        } catch {
            return .fail(CRMError.invalid("rule \(rule.id): \(error)"))
        }
    }

    /// A date field changed while its jobs wait: their due times are computed again (beyond Bitrix24, which
    /// keeps the old one); one whose field is no longer a date is skipped. A new time already past waits
    /// for the next tick.
    func fieldsChanged(_ names: [String], of element: Element, at: Timestamp) throws {
        for job in try store.pendingJobs(element: element.id, stage: element.stage) {
            guard let rule = try store.findRule(id: job.rule),
                let field = rule.timing.beforeField ?? rule.timing.afterField,
                names.contains(where: { field.hasPrefix($0 + ":") })
            else { continue }
            switch dueTime(of: rule, enteredAt: job.enteredAt, element: element) {
            case .due(let time) where time != job.dueAt:
                var moved = job
                moved.dueAt = time
                try store.updateJob(moved)
            case .due:
                continue
            case .skip(let reason):
                try end(job, rule: rule, element: element, at: at, status: .skipped, detail: reason)
            case .fail(let error):
                try end(job, rule: rule, element: element, at: at, status: .failed, detail: error.message, error: error)
            }
        }
    }

    /// Rule 5: the element's pending jobs of the stage it left are cancelled (not one that is running).
    func cancelPendingJobs(of element: Element, leaving stage: String, at: Timestamp) throws {
        let notRun = cascade.unwritten.values.filter { $0.element == element.id && $0.stage == stage }
        for job in (try store.pendingJobs(element: element.id, stage: stage) + notRun).sorted(by: { $0.id < $1.id })
        where !cascade.running.contains(job.id) {
            let rule = try store.findRule(id: job.rule)
            try end(job, rule: rule, element: element, at: at, status: .cancelled, detail: "left \(stage) for \(element.stage)")
        }
    }

    /// Runs one job that is due: its rule still enabled, the cascade under its limit, its conditions true.
    func run(_ job: Job, rule found: Rule?) throws {
        var element = try store.element(id: job.element)
        let at = max(job.dueAt, job.enteredAt)
        guard let rule = found, rule.enabled else {
            let why = found == nil ? "rule \(job.rule) was removed before the job ran" : "rule \(job.rule) was disabled before the job ran"
            return try end(job, rule: found, element: element, at: at, status: .cancelled, detail: why)
        }
        guard cascade.jobsRun < Cascade.jobLimit else {
            let error = CRMError.invalid(
                "the cascade already ran \(Cascade.jobLimit) jobs; this one was not run", code: "cascade_limit")
            return try end(job, rule: rule, element: element, at: at, status: .failed, detail: error.message, error: error)
        }
        cascade.jobsRun += 1
        if let failed = rule.conditions.first(where: { !$0.holds(for: element.value(of: $0.field)) }) {
            let detail = "condition \(failed) does not hold: \(failed.field) is \"\(element.value(of: failed.field))\""
            return try end(job, rule: rule, element: element, at: at, status: .skipped, detail: detail)
        }
        cascade.running.insert(job.id)
        defer { cascade.running.remove(job.id) }
        let authoredBy = element
        let outcome: (detail: String, error: CRMError?)
        do {
            outcome = (try act(rule, job: job, element: &element, at: at), nil)
        } catch let error as CRMError where error.kind == .invalid || error.kind == .notFound {
            outcome = (error.message, error.kind == .notFound ? CRMError.invalid(error.message, code: error.code) : error)
        }
        // Its entry is authored as the job began: an `assign` does not author its own end.
        try end(job, rule: rule, element: authoredBy, at: at, status: outcome.error == nil ? .done : .failed,
                detail: outcome.detail, error: outcome.error)
    }

    /// Ends a job: its status written, its `rule` timeline entry (rule 8).
    func end(
        _ job: Job, rule: Rule?, element: Element, at: Timestamp, status: JobStatus, detail: String,
        error: CRMError? = nil
    ) throws {
        var ended = job
        ended.status = status
        ended.ranAt = clock.now()
        ended.detail = detail
        ended.error = error
        if cascade.unwritten.removeValue(forKey: job.id) != nil {
            try store.insertJob(ended)
        } else {
            try store.updateJob(ended)
        }
        cascade.ended(ended)
        var details: JSONObject = [
            "rule": JSONValue(job.rule), "job": JSONValue(job.id), "action": JSONValue(rule?.action.rawValue),
            "status": .string(status.rawValue), "detail": .string(detail),
        ]
        if let error { details["error"] = error.json }
        try store.appendTimeline(
            element: element.id, at: at, kind: TimelineKind.rule,
            author: rule?.author(for: element) ?? element.responsible.userName ?? "system", event: nil, details: details)
    }

    // MARK: actions

    /// Does the rule's action; returns the job's detail. A `CRMError` of kind invalid or not found fails
    /// the job (what the action did before it stays, like the rest of the cascade).
    private func act(_ rule: Rule, job: Job, element: inout Element, at: Timestamp) throws -> String {
        let options = rule.options
        let author = rule.author(for: element)
        func filled(_ text: String?) -> String? {
            text.map { (try? TextTemplate(parsing: $0))?.fill(element) ?? $0 }
        }
        switch rule.action {
        case .move:
            let target = options.to ?? ""
            let pipeline = try store.pipeline(id: element.pipeline)
            guard pipeline.stage(target) != nil else {
                throw CRMError.invalid("pipeline \(pipeline.id) has no stage \(target) (any more)")
            }
            guard target != element.stage else { return "already in \(target)" }
            let from = element.stage
            try StageEntry(store: store, clock: clock, cascade: cascade).enter(
                &element, stage: target, at: at, author: author, cause: .rule(rule.id, job: job.id))
            return "moved from \(from) to \(target)"
        case .assign:
            let user: String
            if let to = options.to {
                user = to
            } else {
                let turn = try store.takeRotationTurn(rule: rule.id)
                user = options.rotate[Int(turn % Int64(options.rotate.count))]
            }
            let event = try record(.responsibleChanged, ["responsible": .string(user)], job: job, by: author, at: at, element)
            return "assigned to \(user) (event \(event.event ?? 0))"
        case .set:
            let fields = JSONObject(options.fields.map { ($0.name, JSONValue.string($0.value)) })
            let event = try record(.fieldChanged, ["fields": .object(fields)], job: job, by: author, at: at, element)
            return "set \(options.fields.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")) (event \(event.event ?? 0))"
        case .note:
            let text = filled(options.text) ?? ""
            try store.appendTimeline(
                element: element.id, at: at, kind: TimelineKind.note, author: author, event: nil,
                details: ["text": .string(text), "rule": JSONValue(rule.id), "job": JSONValue(job.id)])
            return text
        case .document:
            var data: JSONObject = ["template": JSONValue(options.template)]
            if let title = filled(options.title) { data["title"] = .string(title) }
            let created = try record(.documentCreated, data, job: job, by: author, at: at, element)
            guard let document = created.document else { return "created no document" }
            guard let via = options.send else { return "created document \(document) (event \(created.event ?? 0))" }
            let sent = try record(
                .documentSent, ["document": JSONValue(document), "via": .string(via)], job: job, by: author, at: at,
                try store.element(id: element.id))
            return "created document \(document) and sent it by \(via) (events \(created.event ?? 0), \(sent.event ?? 0))"
        case .sms, .email, .notify, .webhook:
            return try message(rule, job: job, element: element, at: at, author: author, filled: filled)
        }
    }

    /// Puts the rule's message in the outbox; an email also makes its `email.sent` event.
    private func message(
        _ rule: Rule, job: Job, element: Element, at: Timestamp, author: String, filled: (String?) -> String?
    ) throws -> String {
        let options = rule.options
        let kind = MessageKind(rawValue: rule.action.rawValue)!
        let recipient: String?
        switch kind {
        case .sms: recipient = filled(options.to) ?? element.phone
        case .email: recipient = filled(options.to) ?? element.email
        case .notify: recipient = filled(options.to) ?? element.responsible
        case .webhook: recipient = nil
        }
        if kind != .webhook, (recipient ?? "").isEmpty {
            throw CRMError.invalid("the \(kind.rawValue) has no recipient: --to is empty and so is the element's", code: "no_recipient")
        }
        let text = filled(options.text)
        let subject = kind == .email ? filled(options.subject) : nil
        let now = clock.now()
        let id = try store.reserveMessageID()
        let payload: JSONValue
        if kind == .webhook {
            payload = ["message": JSONValue(id), "rule": JSONValue(rule.id), "job": JSONValue(job.id), "element": element.json]
        } else {
            payload = [
                "message": JSONValue(id), "kind": .string(kind.rawValue), "to": JSONValue(recipient),
                "subject": JSONValue(subject), "text": JSONValue(text), "element": element.json,
            ]
        }
        try store.insertMessage(
            OutboxMessage(
                id: id, kind: kind, element: element.id, rule: rule.id, job: job.id, to: recipient, subject: subject,
                text: text, url: options.url, payload: JSONWriter.serialize(payload), status: .pending, attempts: 0,
                nextAttemptAt: now, lastError: nil, createdAt: now, deliveredAt: nil))
        guard kind == .email else { return "\(kind.rawValue) message \(id) to \(recipient ?? options.url ?? "")" }
        var data: JSONObject = ["email": .string("outbox-\(id)"), "to": JSONValue(recipient)]
        if let subject { data["subject"] = .string(subject) }
        let sent = try record(.emailSent, data, job: job, by: author, at: at, element)
        return "email message \(id) to \(recipient ?? "") (event \(sent.event ?? 0))"
    }

    /// A job's event (rule 6): an event of SPEC §6 in every respect, in this cascade, carrying `"job": ID`.
    private func record(
        _ type: EventType, _ data: JSONObject, job: Job, by: String, at: Timestamp, _ element: Element
    ) throws -> EventResult {
        var data = data
        data["job"] = JSONValue(job.id)
        let input = try EventInput.shorthand(type, element: element.id, by: by, data: data, at: at)
        return try EventIntake(store: store, clock: clock).record(input, in: cascade)
    }
}
