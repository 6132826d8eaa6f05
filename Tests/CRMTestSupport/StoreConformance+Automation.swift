import CRMCore
import CRMStorage
import Testing

// Automation rules (RuleStore), their jobs (JobStore) and the outbox's messages (OutboxStore: writing,
// finding and listing them).
extension StoreConformance {
    /// A rule to insert (its id is ignored): at once, on `stage` of `pipeline`.
    func rule(
        _ action: RuleAction = .note, pipeline: Int64, stage: String, name: String? = nil, options: RuleOptions? = nil,
        enabled: Bool = true
    ) -> Rule {
        var note = RuleOptions()
        note.text = "hello"
        return Rule(
            id: 0, name: name ?? "\(action.rawValue) on \(stage)", pipeline: pipeline, stage: stage, action: action,
            options: options ?? note, enabled: enabled)
    }

    /// A job to insert with `id`, entered at `enteredAt` and due at `dueAt`.
    func job(
        _ id: Int64, rule: Int64, element: Element, stage: String? = nil, status: JobStatus = .pending,
        enteredAt: Timestamp = november("11-02T10:00"), dueAt: Timestamp
    ) -> Job {
        Job(
            id: id, rule: rule, element: element.id, pipeline: element.pipeline, stage: stage ?? element.stage,
            status: status, enteredAt: enteredAt, dueAt: dueAt)
    }

    /// Writes `jobs` in one transaction, each with the id it names.
    func insertJobs(_ store: Store, _ jobs: [Job]) throws {
        try store.write { for job in jobs { try store.insertJob(job) } }
    }

    /// Reserves `count` job ids in one transaction (writing nothing).
    func reserveJobIDs(_ store: Store, _ count: Int) throws -> [Int64] {
        try store.write { try (0..<count).map { _ in try store.reserveJobID() } }
    }

    func jobIDs(
        _ store: Store, element: Int64? = nil, rule: Int64? = nil, status: JobStatus? = nil, limit: Int? = nil
    ) throws -> [Int64] {
        var ids: [Int64] = []
        try store.forEachJob(element: element, rule: rule, status: status, limit: limit) { ids.append($0.id) }
        return ids
    }

    /// A message to insert with `id`.
    func message(
        _ id: Int64, kind: MessageKind = .sms, element: Int64, rule: Int64 = 1, job: Int64 = 1,
        status: MessageStatus = .pending, at: Timestamp = november("11-02T10:00")
    ) -> OutboxMessage {
        OutboxMessage(
            id: id, kind: kind, element: element, rule: rule, job: job, to: "+4930123", subject: nil, text: "Hi",
            url: nil, payload: #"{"text":"Hi"}"#, status: status, attempts: 0, nextAttemptAt: at, lastError: nil,
            createdAt: at, deliveredAt: nil)
    }

    func messageIDs(
        _ store: Store, status: MessageStatus? = nil, kind: MessageKind? = nil, element: Int64? = nil, limit: Int? = nil
    ) throws -> [Int64] {
        var ids: [Int64] = []
        try store.forEachMessage(status: status, kind: kind, element: element, limit: limit) { ids.append($0.id) }
        return ids
    }

    // MARK: Rules

    /// Jobs and timeline entries name rules by id: ids grow, and a removed rule's id is never given again,
    /// not even after the highest was removed. A rule is found with every value it was written with (the
    /// fields of `set` in the order given); `rules` lists in id order by pipeline and stage.
    func ruleIDsGrowAndAreNeverReused() throws {
        let store = try makeStore()
        let lead = try firstPipeline(store, .lead).id
        let deal = try firstPipeline(store, .deal).id
        var setOptions = RuleOptions()
        setOptions.fields = [(name: "zeta", value: "1"), (name: "alpha", value: "two ✓"), (name: "mid", value: "")]
        var full = Rule(
            id: 77, name: "set fields ✓", pipeline: lead, stage: "IN_PROCESS", action: .set, options: setOptions,
            timing: RuleTiming(
                after: "1h30m", at: "09:00", beforeField: nil, afterField: nil, workHours: "Mon-Fri 09:00-18:00",
                tz: "Europe/Berlin"),
            conditions: [
                Condition(field: "source", op: .equal, value: "web"), Condition(field: "amount", op: .greaterOrEqual, value: " 10 "),
            ],
            asUser: "anna", enabled: false)
        var rotateOptions = RuleOptions()
        rotateOptions.rotate = ["zoe", "anna", "bob"]
        var rotate = rule(.assign, pipeline: lead, stage: "IN_PROCESS", options: rotateOptions)
        rotate.timing = RuleTiming(beforeField: "meeting:1d", tz: "+01:00")
        var everything = RuleOptions()
        everything.to = "{{email}}"
        everything.text = "Hello {{title}}"
        everything.subject = "Offer"
        everything.title = "Contract"
        everything.template = "contract"
        everything.send = "email"
        everything.url = "https://example.com/hook"
        var mail = rule(.email, pipeline: deal, stage: "WON", options: everything)
        mail.timing = RuleTiming(afterField: "paid:2h")
        let note = rule(.note, pipeline: lead, stage: "NEW")
        let (one, two, three, four) = try store.write {
            (try store.insertRule(full), try store.insertRule(rotate), try store.insertRule(mail), try store.insertRule(note))
        }
        #expect(one > 0 && two > one && three > two && four > three, "ids grow: \(one), \(two), \(three), \(four)")
        full.id = one
        rotate.id = two
        mail.id = three
        #expect(try store.findRule(id: one) == full)
        #expect(try store.findRule(id: one)?.options.fields.map(\.name) == ["zeta", "alpha", "mid"], "set's fields in the order given")
        #expect(try store.findRule(id: two) == rotate)
        #expect(try store.findRule(id: two)?.options.rotate == ["zoe", "anna", "bob"], "the rotation in the order given")
        #expect(try store.findRule(id: three) == mail)
        #expect(try store.findRule(id: four)?.asUser == nil)
        #expect(try store.findRule(id: four)?.timing.isAtOnce == true)
        #expect(try store.findRule(id: four)?.conditions.isEmpty == true)
        #expect(try reopen(store).findRule(id: one) == full)
        #expect(try store.findRule(id: four + 100) == nil)

        func list(_ pipeline: Int64? = nil, _ stage: String? = nil) throws -> [Int64] {
            try store.rules(pipeline: pipeline, stage: stage).map(\.id)
        }
        #expect(try list() == [one, two, three, four], "id order, disabled ones too")
        #expect(try list(lead) == [one, two, four])
        #expect(try list(lead, "IN_PROCESS") == [one, two])
        #expect(try list(nil, "WON") == [three])
        #expect(try list(deal, "IN_PROCESS").isEmpty)
        #expect(try store.rules(pipeline: lead, stage: "IN_PROCESS").first == full)

        try store.write { try store.deleteRule(id: four) }
        #expect(try store.findRule(id: four) == nil)
        #expect(try list() == [one, two, three])
        let five = try store.write { try store.insertRule(note) }
        #expect(five > four, "the removed highest id \(four) is not given again (got \(five))")
        try store.write { try store.deleteRule(id: five) }
        let other = try reopen(store)
        let six = try other.write { try other.insertRule(note) }
        #expect(six > five, "nor after reopening (got \(six) after \(five))")
        try store.write { try store.deleteRule(id: one) }
        #expect(try list() == [two, three, six])
        #expect(try list(lead) == [two, six])
    }

    /// A stage entry makes a job for each enabled rule of the stage, in id order. A store may keep them for
    /// one transaction, not longer: the next one sees rules added, disabled, enabled and removed since, by
    /// this handle or another.
    func enabledRulesSeeEarlierTransactions() throws {
        let store = try makeStore()
        let lead = try firstPipeline(store, .lead).id
        let deal = try firstPipeline(store, .deal).id
        func enabled(_ pipeline: Int64? = nil, _ stage: String = "IN_PROCESS") throws -> [Int64] {
            try store.write { try store.enabledRules(pipeline: pipeline ?? lead, stage: stage).map(\.id) }
        }
        #expect(try enabled().isEmpty)
        let (one, off, two) = try store.write {
            (try store.insertRule(rule(pipeline: lead, stage: "IN_PROCESS")),
             try store.insertRule(rule(pipeline: lead, stage: "IN_PROCESS", enabled: false)),
             try store.insertRule(rule(.move, pipeline: lead, stage: "IN_PROCESS")))
        }
        _ = try store.write { try store.insertRule(rule(pipeline: lead, stage: "NEW")) }
        _ = try store.write { try store.insertRule(rule(pipeline: deal, stage: "NEW")) }
        #expect(try enabled() == [one, two], "only the enabled ones of the stage, in id order")
        #expect(try store.write { try store.enabledRules(pipeline: lead, stage: "IN_PROCESS") }.first?.action == .note)

        let other = try reopen(store)
        let three = try other.write { try other.insertRule(rule(pipeline: lead, stage: "IN_PROCESS")) }
        #expect(try enabled() == [one, two, three], "added by another handle")
        try other.write { try other.setRule(id: one, enabled: false) }
        #expect(try store.findRule(id: one)?.enabled == false)
        #expect(try enabled() == [two, three], "disabled by another handle")
        try store.write { try store.setRule(id: off, enabled: true) }
        #expect(try enabled() == [off, two, three], "enabled in an earlier transaction")
        try other.write { try other.deleteRule(id: two) }
        #expect(try enabled() == [off, three], "removed by another handle")
        try store.write { try store.setRule(id: three, enabled: false) }
        #expect(try enabled() == [off])
        try store.write { try store.setRule(id: off, enabled: true) }
        #expect(try enabled() == [off], "enabling twice changes nothing")
        #expect(try enabled(deal, "IN_PROCESS").isEmpty)

        try store.write {
            #expect(try store.enabledRules(pipeline: lead, stage: "IN_PROCESS").map(\.id) == [off])
            let four = try store.insertRule(rule(pipeline: lead, stage: "IN_PROCESS"))
            #expect(try store.enabledRules(pipeline: lead, stage: "IN_PROCESS").map(\.id) == [off, four],
                    "a rule added in the transaction itself")
        }
    }

    /// `assign --rotate` takes the names in turn: each rule counts its own turns, 0, 1, 2 …, and the count
    /// is kept between transactions and handles.
    func rotationTurnsCountPerRule() throws {
        let store = try makeStore()
        let lead = try firstPipeline(store, .lead).id
        var rotate = RuleOptions()
        rotate.rotate = ["anna", "bob"]
        let (one, two) = try store.write {
            (try store.insertRule(rule(.assign, pipeline: lead, stage: "IN_PROCESS", options: rotate)),
             try store.insertRule(rule(.assign, pipeline: lead, stage: "PROCESSED", options: rotate)))
        }
        #expect(try store.write { [try store.takeRotationTurn(rule: one), try store.takeRotationTurn(rule: one)] } == [0, 1])
        #expect(try store.write { try store.takeRotationTurn(rule: one) } == 2, "counted on in the next transaction")
        #expect(try store.write { try store.takeRotationTurn(rule: two) } == 0, "each rule its own count")
        let other = try reopen(store)
        #expect(try other.write { try other.takeRotationTurn(rule: one) } == 3, "and by another handle")
        #expect(try store.transaction { .rollback(try store.takeRotationTurn(rule: one)) } == 4)
        #expect(try store.write { try store.takeRotationTurn(rule: one) } == 4, "a dry run's turn is not kept")
        #expect(try store.write { try store.takeRotationTurn(rule: two) } == 1)
        try store.write { try store.setRule(id: one, enabled: false) }
        try store.write { try store.setRule(id: one, enabled: true) }
        #expect(try store.write { try store.takeRotationTurn(rule: one) } == 5, "disabling does not reset the count")
        #expect(try store.findRule(id: one)?.options.rotate == ["anna", "bob"])
    }

    // MARK: Jobs

    /// A rule's jobs are written when they end or wait, after others are made: `reserveJobID` gives a new
    /// id each time, in increasing order; the next transaction and another handle go on past the ids
    /// written, whatever order they were written in.
    func jobIDsAreReservedOnceEach() throws {
        let store = try makeStore()
        let element = try addElement(store)
        let ruleID = try store.write { try store.insertRule(rule(pipeline: element.pipeline, stage: element.stage)) }
        let first = try store.write { () throws -> Int64 in
            let first = try store.reserveJobID()
            #expect(first >= 1)
            let second = try store.reserveJobID()
            #expect(second == first + 1, "a new id each time")
            // Written in the other order, as a job run at once is written when it ends.
            try store.insertJob(job(second, rule: ruleID, element: element, dueAt: november("11-03T10:00")))
            try store.insertJob(job(first, rule: ruleID, element: element, status: .done, dueAt: november("11-02T10:00")))
            #expect(try store.reserveJobID() == first + 2)
            return first
        }
        let next = try store.write { try store.reserveJobID() }
        #expect(next > first + 1, "past the ids written (got \(next) after \(first + 1))")
        let other = try reopen(store)
        let theirs = try other.write { () throws -> Int64 in
            let id = try other.reserveJobID()
            #expect(id > first + 1, "another handle goes on past the ids written (got \(id))")
            try other.insertJob(job(id, rule: ruleID, element: element, dueAt: november("11-04T10:00")))
            return id
        }
        let mine = try store.write { try store.reserveJobID() }
        #expect(mine > theirs, "ids written by another handle are not given again (got \(mine) after \(theirs))")
        #expect(try jobIDs(store) == [first, first + 1, theirs])
        let reserved = try reserveJobIDs(store, 3)
        #expect(reserved[0] > theirs && reserved[1] == reserved[0] + 1 && reserved[2] == reserved[0] + 2,
                "new ids each call, past every id written: \(reserved) after \(theirs)")
    }

    /// A job is found with every value it was written with (a failed one's error by its code and message);
    /// `updateJob` writes its status, due time, run time, detail and error, and nothing else.
    func jobsAreWrittenFoundAndUpdated() throws {
        let store = try makeStore()
        let element = try addElement(store, stage: "IN_PROCESS")
        let ruleID = try store.write { try store.insertRule(rule(pipeline: element.pipeline, stage: "IN_PROCESS")) }
        let event = try store.write { try insertEvent(store, element: element.id, at: november("11-02T09:59")) }
        let error = CRMError.invalid("the cascade already ran 20 jobs; this one was not run ✓", code: "cascade_limit")
        let ids = try reserveJobIDs(store, 3)
        let failed = Job(
            id: ids[0], rule: ruleID, element: element.id, pipeline: element.pipeline, stage: "IN_PROCESS", status: .failed,
            enteredAt: november("11-02T10:00"), dueAt: november("11-02T10:30"), ranAt: november("11-02T10:31"), origin: event,
            detail: "the cascade already ran 20 jobs; this one was not run ✓", error: error)
        var waiting = Job(
            id: ids[1], rule: ruleID + 100, element: element.id, pipeline: element.pipeline, stage: "PROCESSED",
            status: .pending, enteredAt: november("11-02T11:00"), dueAt: november("11-05T09:00"))
        let skipped = Job(
            id: ids[2], rule: ruleID, element: element.id, pipeline: element.pipeline, stage: "IN_PROCESS", status: .skipped,
            enteredAt: november("11-02T12:00"), dueAt: november("11-02T12:00"), ranAt: november("11-02T12:00"),
            origin: nil, detail: "condition source = web does not hold: source is \"\"")
        try insertJobs(store, [failed, waiting, skipped])

        let found = try #require(try store.findJob(id: ids[0]))
        #expect(found.error?.code == "cascade_limit")
        #expect(found.error?.message == error.message)
        var withoutError = found
        withoutError.error = nil
        var expected = failed
        expected.error = nil
        #expect(withoutError == expected, "every value as written")
        #expect(try store.findJob(id: ids[1]) == waiting,
                "a job without run time, origin, detail or error, of a rule that is not there (jobs outlive their rule)")
        #expect(try store.findJob(id: ids[2]) == skipped)
        #expect(try reopen(store).findJob(id: ids[2]) == skipped)
        #expect(try store.findJob(id: ids[2] + 100) == nil)

        // The job waits longer, then fails.
        waiting.dueAt = november("11-06T09:00")
        try store.write { try store.updateJob(waiting) }
        #expect(try store.findJob(id: ids[1]) == waiting)
        var ended = waiting
        ended.status = .failed
        ended.ranAt = november("11-06T09:00")
        ended.detail = "no recipient"
        ended.error = CRMError.invalid("no recipient", code: "no_recipient")
        // What updateJob does not write stays as it was.
        var ignored = ended
        ignored.rule = ruleID
        ignored.stage = "JUNK"
        ignored.enteredAt = november("11-01T00:00")
        ignored.origin = event
        try store.write { try store.updateJob(ignored) }
        let updated = try #require(try store.findJob(id: ids[1]))
        #expect(updated.status == .failed)
        #expect(updated.dueAt == november("11-06T09:00"))
        #expect(updated.ranAt == november("11-06T09:00"))
        #expect(updated.detail == "no recipient")
        #expect(updated.error?.code == "no_recipient")
        #expect(updated.error?.message == "no recipient")
        #expect(updated.rule == ruleID + 100 && updated.stage == "PROCESSED" && updated.origin == nil
                && updated.enteredAt == november("11-02T11:00"), "only status, due time, run time, detail and error")

        // And an update clears what it no longer has.
        var cleared = found
        cleared.status = .done
        cleared.ranAt = nil
        cleared.detail = nil
        cleared.error = nil
        try store.write { try store.updateJob(cleared) }
        #expect(try store.findJob(id: ids[0]) == cleared)
        #expect(try store.findJob(id: ids[2]) == skipped, "the others are left as they were")
    }

    /// Leaving a stage cancels the element's pending jobs of that stage: `pendingJobs` lists exactly those,
    /// in id order.
    func pendingJobsAreTheElementsOfTheStage() throws {
        let store = try makeStore()
        let a = try addElement(store, stage: "IN_PROCESS", title: "A")
        let b = try addElement(store, stage: "IN_PROCESS", title: "B")
        let ruleID = try store.write { try store.insertRule(rule(pipeline: a.pipeline, stage: "IN_PROCESS")) }
        let ids = try reserveJobIDs(store, 7)
        let due = november("11-05T10:00")
        // Written out of id order, due in the other order.
        try insertJobs(store, [
            job(ids[3], rule: ruleID, element: a, dueAt: november("11-03T10:00")),
            job(ids[0], rule: ruleID, element: a, dueAt: november("11-09T10:00")),
            job(ids[1], rule: ruleID, element: a, status: .done, dueAt: due),
            job(ids[2], rule: ruleID, element: a, stage: "PROCESSED", dueAt: due),
            job(ids[4], rule: ruleID, element: b, dueAt: due),
            job(ids[5], rule: ruleID, element: a, status: .cancelled, dueAt: due),
            job(ids[6], rule: ruleID + 1, element: a, dueAt: due),
        ])
        #expect(try store.pendingJobs(element: a.id, stage: "IN_PROCESS").map(\.id) == [ids[0], ids[3], ids[6]])
        #expect(try store.pendingJobs(element: a.id, stage: "PROCESSED").map(\.id) == [ids[2]])
        #expect(try store.pendingJobs(element: b.id, stage: "IN_PROCESS").map(\.id) == [ids[4]])
        #expect(try store.pendingJobs(element: b.id, stage: "PROCESSED").isEmpty)
        #expect(try store.pendingJobs(element: a.id, stage: "IN_PROCESS").first?.dueAt == november("11-09T10:00"))

        var cancelled = try #require(try store.findJob(id: ids[3]))
        cancelled.status = .cancelled
        try store.write { try store.updateJob(cancelled) }
        #expect(try store.pendingJobs(element: a.id, stage: "IN_PROCESS").map(\.id) == [ids[0], ids[6]], "a job that ended")
        try store.write {
            var done = try #require(try store.findJob(id: ids[0]))
            done.status = .done
            try store.updateJob(done)
            #expect(try store.pendingJobs(element: a.id, stage: "IN_PROCESS").map(\.id) == [ids[6]],
                    "an update in the transaction itself")
        }
    }

    /// A tick runs the pending job due first (then by id) at or before now; none due later, none ended.
    func theNextDueJobIsThePendingOneDueFirst() throws {
        let store = try makeStore()
        let a = try addElement(store, stage: "IN_PROCESS", title: "A")
        let b = try addElement(store, stage: "IN_PROCESS", title: "B")
        let ruleID = try store.write { try store.insertRule(rule(pipeline: a.pipeline, stage: "IN_PROCESS")) }
        #expect(try store.nextDueJob(now: november("11-30T00:00")) == nil)
        let ids = try reserveJobIDs(store, 6)
        try insertJobs(store, [
            job(ids[0], rule: ruleID, element: a, dueAt: november("11-05T10:00")),
            job(ids[1], rule: ruleID, element: b, dueAt: november("11-03T10:00")),
            job(ids[2], rule: ruleID, element: a, dueAt: november("11-03T10:00")),
            job(ids[3], rule: ruleID, element: b, status: .done, dueAt: november("11-02T10:00")),
            job(ids[4], rule: ruleID, element: b, status: .skipped, dueAt: november("11-01T10:00")),
            job(ids[5], rule: ruleID, element: a, enteredAt: november("11-01T10:00"), dueAt: november("11-04T10:00")),
        ])
        #expect(try store.nextDueJob(now: november("11-03T09:59")) == nil, "none due yet; the ended ones never")
        let first = try #require(try store.nextDueJob(now: november("11-03T10:00")), "due at now")
        #expect(first == job(ids[1], rule: ruleID, element: b, dueAt: november("11-03T10:00")), "the same due time: the lower id")
        #expect(try store.nextDueJob(now: november("11-30T00:00"))?.id == ids[1])

        // Run in due order, as a tick does.
        var order: [Int64] = []
        try store.write {
            while let next = try store.nextDueJob(now: november("11-30T00:00")) {
                order.append(next.id)
                var ran = next
                ran.status = .done
                ran.ranAt = november("11-30T00:00")
                try store.updateJob(ran)
                if order.count > 10 { break }
            }
        }
        #expect(order == [ids[1], ids[2], ids[5], ids[0]])
        #expect(try store.nextDueJob(now: november("11-30T00:00")) == nil)

        // A job that waits longer is due later.
        let late = try store.write { () throws -> Int64 in
            let id = try store.reserveJobID()
            try store.insertJob(job(id, rule: ruleID, element: a, dueAt: november("11-06T10:00")))
            return id
        }
        var moved = try #require(try store.findJob(id: late))
        moved.dueAt = november("11-08T10:00")
        try store.write { try store.updateJob(moved) }
        #expect(try store.nextDueJob(now: november("11-07T10:00")) == nil)
        #expect(try store.nextDueJob(now: november("11-08T10:00"))?.id == late)
    }

    /// `status` counts the pending jobs, those due strictly before now, and the oldest of those due times.
    func jobCountsCountPendingAndOverdue() throws {
        let store = try makeStore()
        let a = try addElement(store, stage: "IN_PROCESS")
        let ruleID = try store.write { try store.insertRule(rule(pipeline: a.pipeline, stage: "IN_PROCESS")) }
        func counts(_ now: Timestamp) throws -> (Int, Int, Timestamp?) {
            let counted = try store.jobCounts(now: now)
            return (counted.pending, counted.overdue, counted.oldestOverdue)
        }
        #expect(try counts(november("11-30T00:00")) == (0, 0, nil))
        let ids = try reserveJobIDs(store, 6)
        try insertJobs(store, [
            job(ids[0], rule: ruleID, element: a, dueAt: november("11-05T10:00")),
            job(ids[1], rule: ruleID, element: a, dueAt: november("11-03T10:00")),
            job(ids[2], rule: ruleID, element: a, dueAt: november("11-04T10:00")),
            job(ids[3], rule: ruleID, element: a, status: .done, dueAt: november("11-01T10:00")),
            job(ids[4], rule: ruleID, element: a, status: .failed, dueAt: november("11-01T11:00")),
            job(ids[5], rule: ruleID, element: a, status: .cancelled, dueAt: november("11-01T12:00")),
        ])
        #expect(try counts(november("11-02T00:00")) == (3, 0, nil), "only pending jobs; none overdue")
        #expect(try counts(november("11-03T10:00")) == (3, 0, nil), "due at now is not overdue")
        #expect(try counts(november("11-03T10:01")) == (3, 1, november("11-03T10:00")))
        #expect(try counts(november("11-05T10:00")) == (3, 2, november("11-03T10:00")))
        #expect(try counts(november("11-30T00:00")) == (3, 3, november("11-03T10:00")))
        var done = try #require(try store.findJob(id: ids[1]))
        done.status = .done
        try store.write { try store.updateJob(done) }
        #expect(try counts(november("11-30T00:00")) == (2, 2, november("11-04T10:00")))
    }

    /// `job list` streams jobs in id order, by element, rule and status; a limit keeps the first.
    func jobsAreListedByElementRuleAndStatus() throws {
        let store = try makeStore()
        let a = try addElement(store, stage: "IN_PROCESS", title: "A")
        let b = try addElement(store, stage: "IN_PROCESS", title: "B")
        let (r1, r2) = try store.write {
            (try store.insertRule(rule(pipeline: a.pipeline, stage: "IN_PROCESS")),
             try store.insertRule(rule(pipeline: a.pipeline, stage: "IN_PROCESS")))
        }
        let ids = try reserveJobIDs(store, 5)
        try insertJobs(store, [
            job(ids[4], rule: r1, element: a, dueAt: november("11-01T10:00")),
            job(ids[0], rule: r1, element: a, status: .done, dueAt: november("11-09T10:00")),
            job(ids[1], rule: r2, element: b, dueAt: november("11-03T10:00")),
            job(ids[2], rule: r2, element: a, status: .failed, dueAt: november("11-03T10:00")),
            job(ids[3], rule: r1, element: b, status: .done, dueAt: november("11-03T10:00")),
        ])
        #expect(try jobIDs(store) == ids, "id order, not due or writing order")
        #expect(try jobIDs(store, element: a.id) == [ids[0], ids[2], ids[4]])
        #expect(try jobIDs(store, rule: r2) == [ids[1], ids[2]])
        #expect(try jobIDs(store, status: .done) == [ids[0], ids[3]])
        #expect(try jobIDs(store, status: .pending) == [ids[1], ids[4]])
        #expect(try jobIDs(store, status: .cancelled).isEmpty)
        #expect(try jobIDs(store, element: b.id, rule: r1) == [ids[3]])
        #expect(try jobIDs(store, element: a.id, rule: r1, status: .pending) == [ids[4]])
        #expect(try jobIDs(store, element: a.id, rule: r2, status: .done).isEmpty)
        #expect(try jobIDs(store, limit: 2) == [ids[0], ids[1]], "a limit keeps the first by id")
        #expect(try jobIDs(store, element: a.id, limit: 2) == [ids[0], ids[2]])
        #expect(try jobIDs(store, limit: 0).isEmpty)
        var listed: [Job] = []
        try store.forEachJob(element: nil, rule: nil, status: .failed, limit: nil) { listed.append($0) }
        #expect(listed == [job(ids[2], rule: r2, element: a, status: .failed, dueAt: november("11-03T10:00"))])
    }

    // MARK: Outbox

    /// A message's payload names its id before it is written: `reserveMessageID` gives a new id each time,
    /// in increasing order; the next transaction and another handle go on past the ids written.
    func messageIDsAreReservedOnceEach() throws {
        let store = try makeStore()
        let element = try addElement(store).id
        let first = try store.write { () throws -> Int64 in
            let first = try store.reserveMessageID()
            #expect(first >= 1)
            let second = try store.reserveMessageID()
            #expect(second == first + 1, "a new id each time")
            try store.insertMessage(message(second, element: element))
            try store.insertMessage(message(first, element: element))
            #expect(try store.reserveMessageID() == first + 2)
            return first
        }
        let next = try store.write { try store.reserveMessageID() }
        #expect(next > first + 1, "past the ids written (got \(next) after \(first + 1))")
        let other = try reopen(store)
        let theirs = try other.write { () throws -> Int64 in
            let id = try other.reserveMessageID()
            #expect(id > first + 1, "another handle goes on past the ids written (got \(id))")
            try other.insertMessage(message(id, element: element))
            return id
        }
        let mine = try store.write { try store.reserveMessageID() }
        #expect(mine > theirs, "ids written by another handle are not given again (got \(mine) after \(theirs))")
        #expect(try messageIDs(store) == [first, first + 1, theirs])
    }

    /// A message is found with every value it was written with; `forEachMessage` streams in id order by
    /// status, kind and element; a limit keeps the first.
    func messagesAreWrittenFoundAndListed() throws {
        let store = try makeStore()
        let a = try addElement(store, title: "A").id
        let b = try addElement(store, title: "B").id
        let ids = try store.write { try (0..<5).map { _ in try store.reserveMessageID() } }
        let full = OutboxMessage(
            id: ids[0], kind: .email, element: a, rule: 7, job: 9, to: "anna@example.com", subject: "Offer ✓",
            text: "Hello\nthere", url: "https://example.com/doc", payload: #"{"subject":"Offer ✓","text":"Hello\nthere"}"#,
            status: .delivered, attempts: 3, nextAttemptAt: november("11-02T10:05"), lastError: "503 from the relay",
            createdAt: november("11-02T10:00"), deliveredAt: november("11-02T10:06"))
        let bare = OutboxMessage(
            id: ids[1], kind: .webhook, element: b, rule: 8, job: 10, to: nil, subject: nil, text: nil, url: nil,
            payload: "{}", status: .pending, attempts: 0, nextAttemptAt: november("11-03T10:00"), lastError: nil,
            createdAt: november("11-03T10:00"), deliveredAt: nil)
        try store.write {
            try store.insertMessage(message(ids[4], kind: .notify, element: b, status: .dead))
            try store.insertMessage(bare)
            try store.insertMessage(full)
            try store.insertMessage(message(ids[2], kind: .sms, element: a))
            try store.insertMessage(message(ids[3], kind: .email, element: b, status: .discarded))
        }
        #expect(try store.findMessage(id: ids[0]) == full)
        #expect(try store.findMessage(id: ids[1]) == bare)
        #expect(try reopen(store).findMessage(id: ids[0]) == full)
        #expect(try store.findMessage(id: ids[4] + 100) == nil)

        #expect(try messageIDs(store) == ids, "id order, not writing order")
        #expect(try messageIDs(store, status: .pending) == [ids[1], ids[2]])
        #expect(try messageIDs(store, status: .delivering).isEmpty)
        #expect(try messageIDs(store, kind: .email) == [ids[0], ids[3]])
        #expect(try messageIDs(store, element: b) == [ids[1], ids[3], ids[4]])
        #expect(try messageIDs(store, status: .pending, element: a) == [ids[2]])
        #expect(try messageIDs(store, kind: .email, element: a) == [ids[0]])
        #expect(try messageIDs(store, status: .dead, kind: .notify, element: b) == [ids[4]])
        #expect(try messageIDs(store, status: .dead, kind: .sms, element: b).isEmpty)
        #expect(try messageIDs(store, limit: 2) == [ids[0], ids[1]], "a limit keeps the first by id")
        #expect(try messageIDs(store, element: b, limit: 1) == [ids[1]])
        #expect(try messageIDs(store, limit: 0).isEmpty)
        var listed: [OutboxMessage] = []
        try store.forEachMessage(status: .delivered, kind: nil, element: nil, limit: nil) { listed.append($0) }
        #expect(listed == [full])
    }
}
