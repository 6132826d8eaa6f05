import CRMApplication
import CRMCore
import CRMStorage
import JSON
import Testing

// Transactions and snapshots (StoreTransactions), the board and the movement report (ReportStore).
extension StoreConformance {
    /// Writes one of everything in the caller's transaction; returns the element's id.
    private func writeOneOfEverything(_ store: Store) throws -> Int64 {
        let lead = try firstPipeline(store, .lead).id
        let at = november("11-02T10:00")
        let id = try store.insertElement(
            Element(id: 0, type: .lead, pipeline: lead, stage: "NEW", title: "Kept?", responsible: nil,
                    email: "kept@example.com", phone: nil, fields: [:], createdAt: at, updatedAt: at))
        try store.appendTimeline(element: id, at: at, kind: "created", author: "system", event: nil, details: ["title": "Kept?"])
        let event = try store.reserveEventID()
        _ = try store.record(.createDocument(ref: "D-1", template: "contract", title: nil), element: id, event: event, by: nil, at: at)
        _ = try store.record(.emailSent(messageID: "m-1"), element: id, event: event, by: nil, at: at)
        _ = try store.record(.chatMessage(chat: "c-1", channel: "sms"), element: id, event: event, by: nil, at: at)
        try store.insertEvent(eventRow(event, key: "k-1", element: id, at: at))
        _ = try store.insertTrigger(trigger(.callMissed, pipeline: lead, stage: "IN_PROCESS"))
        let pipeline = try store.insertPipeline(type: .deal, name: "Kept pipeline")
        try store.writeStages(
            [Stage(code: "OPEN", name: "Open", semantic: .process), Stage(code: "WON", name: "Won", semantic: .success),
             Stage(code: "LOST", name: "Lost", semantic: .failure)], pipeline: pipeline)
        try store.saveStage(of: id, stage: "IN_PROCESS", updatedAt: at)
        #expect(try store.findElement(id: id)?.stage == "IN_PROCESS", "a transaction reads its own writes")
        #expect(try store.keyedEvent(key: "k-1")?.element == id)
        #expect(try store.findPipeline(id: pipeline)?.stages.count == 3)
        return id
    }

    /// Nothing of `writeOneOfEverything` is in `store`, read in a transaction of its own.
    private func expectNothingKept(_ store: Store, element: Int64, pipelines: [Int64], _ label: String) throws {
        try store.transaction { () throws -> TransactionEnd<Void> in
            #expect(try allElementIDs(store).isEmpty, "\(label): an element")
            #expect(try store.findElement(id: element) == nil, "\(label): the element")
            #expect(try timeline(store, element).isEmpty, "\(label): a timeline entry")
            #expect(try store.allEvents().isEmpty, "\(label): an event")
            #expect(try store.keyedEvent(key: "k-1") == nil, "\(label): the keyed event")
            #expect(try store.documents(element: nil).isEmpty, "\(label): a document")
            #expect(try store.findDocument(ref: "D-1") == nil, "\(label): the document's ref")
            #expect(try store.sentEmail(element: element, messageID: "m-1") == nil, "\(label): the sent email")
            #expect(try store.chat(element: element, chat: "c-1") == nil, "\(label): the chat")
            #expect(try store.triggers(pipeline: nil, code: nil).isEmpty, "\(label): a trigger")
            #expect(try store.pipelineIDs(type: nil) == pipelines, "\(label): a pipeline")
            #expect(try store.pipelineIDs(named: "Kept pipeline").isEmpty, "\(label): the pipeline's name")
            for id in pipelines { #expect(try store.findPipeline(id: id)?.stages.isEmpty == false) }
            return .rollback(())
        }
    }

    /// A dry run: `.rollback` returns its value and keeps nothing, for this handle or another; the store
    /// goes on writing.
    func aRollbackKeepsNothing() throws {
        let store = try makeStore()
        let pipelines = try store.pipelineIDs(type: nil)
        let (value, element) = try store.transaction { () throws -> TransactionEnd<(String, Int64)> in
            .rollback(("dry", try writeOneOfEverything(store)))
        }
        #expect(value == "dry")
        try expectNothingKept(store, element: element, pipelines: pipelines, "after a rollback")
        try expectNothingKept(try reopen(store), element: element, pipelines: pipelines, "after a rollback, another handle")
        let kept = try addElement(store, title: "after")
        #expect(try allElementIDs(store) == [kept.id])
    }

    /// A failure in a transaction keeps nothing and reaches the caller as it was thrown (a `CRMError` keeps
    /// its kind: it decides the exit code).
    func aThrowKeepsNothing() throws {
        let store = try makeStore()
        let pipelines = try store.pipelineIDs(type: nil)
        var element: Int64 = 0
        #expect(throws: Boom.self) {
            try store.transaction { () throws -> TransactionEnd<Void> in
                element = try writeOneOfEverything(store)
                throw Boom()
            }
        }
        try expectNothingKept(store, element: element, pipelines: pipelines, "after a throw")
        #expect(throws: CRMError.notFound("no such thing", code: "no_element")) {
            try store.write {
                element = try writeOneOfEverything(store)
                throw CRMError.notFound("no such thing", code: "no_element")
            }
        }
        try expectNothingKept(store, element: element, pipelines: pipelines, "after a CRMError")
        try expectNothingKept(try reopen(store), element: element, pipelines: pipelines, "after a throw, another handle")
        let kept = try addElement(store, title: "after")
        #expect(try allElementIDs(store) == [kept.id])
    }

    /// `.commit` (and `write`) keeps everything and returns the body's value; `read` returns its body's value
    /// and passes its errors on; a batch's cache changes nothing that is read.
    func aCommitKeepsEverything() throws {
        let store = try makeStore()
        let (value, element) = try store.transaction { () throws -> TransactionEnd<(Int, Int64)> in
            .commit((42, try writeOneOfEverything(store)))
        }
        #expect(value == 42)
        for (handle, label) in [(store, "this handle"), (try reopen(store), "another handle")] {
            #expect(try handle.findElement(id: element)?.stage == "IN_PROCESS", "\(label)")
            #expect(try timeline(handle, element).count == 1, "\(label)")
            #expect(try handle.keyedEvent(key: "k-1")?.element == element, "\(label)")
            #expect(try handle.findDocument(ref: "D-1")?.element == element, "\(label)")
            #expect(try handle.sentEmail(element: element, messageID: "m-1") != nil, "\(label)")
            #expect(try handle.chat(element: element, chat: "c-1")?.channel == "sms", "\(label)")
            #expect(try handle.triggers(pipeline: nil, code: nil).count == 1, "\(label)")
            #expect(try handle.pipelineIDs(named: "Kept pipeline").count == 1, "\(label)")
        }
        #expect(try store.write { "written" } == "written")
        #expect(try store.read { try allElementIDs(store) } == [element])
        #expect(throws: Boom.self) { try store.read { () throws -> Int in throw Boom() } }
        try store.useBatchCache()
        let next = try addElement(store, title: "next")
        #expect(try store.read { try allElementIDs(store) } == [element, next.id])
    }

    /// Reads in one `readSnapshot` add up while another handle commits meanwhile; the next read sees the
    /// commit. A throwing body's error reaches the caller.
    func aReadSnapshotSeesOneState() throws {
        let store = try makeStore()
        let other = try reopen(store)
        let first = try addElement(store, title: "first")
        let (before, during, otherSees) = try store.readSnapshot { () throws -> (Int, Int, Int) in
            let before = try allElementIDs(store).count
            _ = try addElement(other, title: "meanwhile")
            let otherSees = try allElementIDs(other).count
            let during = try allElementIDs(store).count
            return (before, during, otherSees)
        }
        #expect(before == 1)
        #expect(otherSees == 2, "the other handle committed")
        #expect(during == 1, "the snapshot does not see a commit made after it began")
        #expect(try allElementIDs(store).count == 2, "the next read sees it")
        #expect(try store.readSnapshot { try store.findElement(id: first.id)?.title } == "first")
        #expect(throws: Boom.self) { try store.readSnapshot { () throws -> Int in throw Boom() } }
        _ = try addElement(store, title: "after")
        #expect(try allElementIDs(other).count == 3, "a snapshot holds nothing back once it ends")
    }

    /// The board: every stage of the pipeline in order, with its count and its newest elements (highest ids
    /// first, at most `newest`); other pipelines' elements do not count.
    func theBoardCountsEachStageAndShowsTheNewest() throws {
        let store = try makeStore()
        let lead = try firstPipeline(store, .lead)
        let deal = try firstPipeline(store, .deal)
        _ = try addElement(store, .lead, title: "one")
        let two = try addElement(store, .lead, title: "two")
        let three = try addElement(store, .lead, stage: "IN_PROCESS", title: "three")
        let four = try addElement(store, .lead, title: "four", email: "four@example.com", fields: ["k": "v"])
        let five = try addElement(store, .lead, stage: "CONVERTED", title: "five")
        let dealOne = try addElement(store, .deal, title: "deal one")

        let board = try store.board(of: lead, newest: 2)
        #expect(board.map(\.stage) == lead.stages)
        #expect(board.map(\.count) == [3, 1, 0, 1, 0])
        #expect(board.first?.newest.map(\.element) == [four, two], "the newest first, at most two")
        #expect(board.dropFirst().first?.newest.map(\.element) == [three])
        #expect(board.dropFirst(3).first?.newest.map(\.element) == [five])
        #expect(board.last?.newest.isEmpty == true)
        #expect(board.first?.newest.map(\.inStageSince) == [four.createdAt, two.createdAt], "no entry recorded: since creation")

        let counts = try store.board(of: lead, newest: 0)
        #expect(counts.map(\.count) == [3, 1, 0, 1, 0])
        #expect(counts.allSatisfy { $0.newest.isEmpty })

        let deals = try store.board(of: deal, newest: 5)
        #expect(deals.map(\.stage.code) == deal.stages.map(\.code))
        #expect(deals.map(\.count) == [1, 0, 0, 0, 0, 0, 0])
        #expect(deals.first?.newest.map(\.element) == [dealOne])
    }

    /// The report reads what the one stage-entry path writes (`StageEntry`) and the events: moves by
    /// trigger and by hand, by stage pair, events by type, elements created and closed, per pipeline and
    /// period (`since` inclusive, `until` exclusive); a removed trigger keeps its moves without a name.
    func theMovementReportCountsMovesEventsAndOutcomes() throws {
        let store = try makeStore()
        let lead = try firstPipeline(store, .lead).id
        let deal = try firstPipeline(store, .deal).id
        func entry(at: Timestamp) throws -> StageEntry<Store> {
            StageEntry(store: store, clock: try Clock(environment: ["CRMCTL_NOW": at.rfc3339]), cascade: Cascade())
        }
        func created(_ type: EntityType, _ title: String, at: Timestamp) throws -> Element {
            var element = try addElement(store, type, title: title, at: at)
            try store.write {
                try entry(at: at).enter(&element, stage: element.stage, at: at, author: "system", cause: .created)
            }
            return element
        }
        func move(_ element: inout Element, to stage: String, at: Timestamp, by trigger: Int64? = nil, type: String = "") throws {
            try store.write {
                guard let trigger else {
                    try entry(at: at).enter(&element, stage: stage, at: at, author: "anna", cause: .manual)
                    return
                }
                let event = try insertEvent(store, type: type, element: element.id, at: at)
                try entry(at: at).enter(
                    &element, stage: stage, at: at, author: "system", cause: .trigger(trigger, event: event))
            }
        }
        let (callBack, dealPaid) = try store.write {
            (try store.insertTrigger(trigger(.callMissed, pipeline: lead, stage: "IN_PROCESS", name: "call back")),
             try store.insertTrigger(trigger(.paymentReceived, pipeline: deal, stage: "WON", name: "deal paid")))
        }
        var one = try created(.lead, "one", at: november("11-01T09:00"))
        var two = try created(.lead, "two", at: november("11-01T09:00"))
        var dealOne = try created(.deal, "deal one", at: november("11-03T09:00"))
        try move(&one, to: "IN_PROCESS", at: november("11-02T10:00"), by: callBack, type: "call.missed")
        try move(&two, to: "JUNK", at: november("11-03T10:00"))
        try store.write { _ = try insertEvent(store, type: "call.missed", element: two.id, at: november("11-04T10:00")) }
        try move(&one, to: "CONVERTED", at: november("11-05T10:00"))
        try move(&dealOne, to: "WON", at: november("11-06T10:00"), by: dealPaid, type: "payment.received")

        func triggers(_ report: MovementReport) -> [String] {
            report.byTrigger.map { "\($0.trigger) \($0.name ?? "-") \($0.code ?? "-") \($0.moves)" }
        }
        func stages(_ report: MovementReport) -> [String] {
            report.byStage.map { "\($0.pipeline) \($0.from)>\($0.to) \($0.moves)" }
        }
        func events(_ report: MovementReport) -> [String] { report.events.map { "\($0.type) \($0.events)" } }

        let all = try store.movementReport(pipeline: nil, since: nil, until: nil)
        #expect(triggers(all) == ["\(callBack) call back call.missed 1", "\(dealPaid) deal paid payment.received 1"])
        #expect(all.manualMoves == 2)
        #expect(stages(all) == [
            "\(lead) IN_PROCESS>CONVERTED 1", "\(lead) NEW>IN_PROCESS 1", "\(lead) NEW>JUNK 1", "\(deal) NEW>WON 1",
        ])
        #expect(events(all) == ["call.missed 2", "payment.received 1"])
        #expect(all.created == 3)
        #expect(all.createdByStage.map { "\($0.pipeline) \($0.stage) \($0.created)" } == ["\(lead) NEW 2", "\(deal) NEW 1"])
        #expect(all.breakdown == nil, "read only when asked for")
        #expect(all.reachedSuccess == 2)
        #expect(all.reachedFailure == 1)
        #expect(all.moves == 4)

        let leads = try store.movementReport(pipeline: lead, since: nil, until: nil)
        #expect(triggers(leads) == ["\(callBack) call back call.missed 1"])
        #expect(leads.manualMoves == 2)
        #expect(stages(leads) == ["\(lead) IN_PROCESS>CONVERTED 1", "\(lead) NEW>IN_PROCESS 1", "\(lead) NEW>JUNK 1"])
        #expect(events(leads) == ["call.missed 2"])
        #expect(leads.created == 2)
        #expect(leads.reachedSuccess == 1)
        #expect(leads.reachedFailure == 1)

        let period = try store.movementReport(pipeline: nil, since: november("11-03T10:00"), until: november("11-06T10:00"))
        #expect(triggers(period).isEmpty, "the trigger moves are outside the period")
        #expect(period.manualMoves == 2, "since is inclusive")
        #expect(stages(period) == ["\(lead) IN_PROCESS>CONVERTED 1", "\(lead) NEW>JUNK 1"])
        #expect(events(period) == ["call.missed 1"], "until is exclusive")
        #expect(period.created == 0)
        #expect(period.reachedSuccess == 1)
        #expect(period.reachedFailure == 1)

        let late = try store.movementReport(pipeline: deal, since: november("11-06T10:00"), until: nil)
        #expect(triggers(late) == ["\(dealPaid) deal paid payment.received 1"])
        #expect(late.manualMoves == 0)
        #expect(events(late) == ["payment.received 1"])
        #expect(late.reachedSuccess == 1)
        #expect(late.reachedFailure == 0)

        // The breakdown: moves per day (midnight UTC), on the report's scope and period.
        let days = try #require(try store.movementReport(pipeline: nil, since: nil, until: nil, breakdown: true).breakdown)
        #expect(days.movesPerDay == [
            MovementReport.DayMoves(day: november("11-02T00:00"), moves: 1),
            MovementReport.DayMoves(day: november("11-03T00:00"), moves: 1),
            MovementReport.DayMoves(day: november("11-05T00:00"), moves: 1),
            MovementReport.DayMoves(day: november("11-06T00:00"), moves: 1),
        ])
        #expect(days.jobsPerRule.isEmpty && days.messagesPerStatus.isEmpty)
        let leadDays = try store.movementReport(pipeline: lead, since: november("11-03T00:00"), until: nil, breakdown: true)
        #expect(leadDays.breakdown?.movesPerDay.map(\.moves) == [1, 1])
        // The funnel: per stage in pipeline order, the creations in it and the moves into it.
        let leadPipeline = try firstPipeline(store, .lead)
        #expect(all.funnel(of: leadPipeline).stages.map(\.entered) == [2, 1, 0, 1, 1])

        let empty = try store.movementReport(pipeline: nil, since: november("11-20T00:00"), until: nil)
        #expect(empty.moves == 0 && empty.byStage.isEmpty && empty.events.isEmpty && empty.created == 0)

        try store.write { try store.deleteTrigger(id: dealPaid) }
        let removed = try store.movementReport(pipeline: nil, since: nil, until: nil)
        #expect(triggers(removed) == ["\(callBack) call back call.missed 1", "\(dealPaid) - - 1"], "a removed trigger's moves stay")
    }
}
