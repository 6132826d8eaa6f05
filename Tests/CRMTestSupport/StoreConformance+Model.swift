import CRMCore
import CRMStorage
import Testing

// Triggers and pipelines (ModelStore).
extension StoreConformance {
    /// Stage changes and stored verdicts name triggers by id: ids grow, and a removed trigger's id is never
    /// given again, not even after the highest was removed. A trigger is found with every value it was
    /// written with; `triggers` lists in id order by pipeline and code; `triggerLabel` names a trigger, also
    /// a removed one.
    func triggerIDsGrowAndAreNeverReused() throws {
        let store = try makeStore()
        let lead = try firstPipeline(store, .lead).id
        let deal = try firstPipeline(store, .deal).id
        var full = Trigger(
            id: 77, name: "call back ✓", code: .callMissed, pipeline: lead, stage: "IN_PROCESS", asUser: "anna",
            allowBackwards: true,
            settings: TriggerSettings(line: "L1", text: "hello", ignoreCase: true, fields: ["source", "title"]),
            conditions: [Condition(field: "source", op: .equal, value: "web"), Condition(field: "amount", op: .greaterOrEqual, value: " 10 ")],
            enabled: true)
        var late = trigger(.chatAnswerLate, pipeline: lead, stage: "JUNK", settings: TriggerSettings(seconds: 600), enabled: false)
        let paid = trigger(.paymentReceived, pipeline: deal, stage: "WON")
        let (one, two, three) = try store.write {
            (try store.insertTrigger(full), try store.insertTrigger(late), try store.insertTrigger(paid))
        }
        #expect(one > 0 && two > one && three > two, "ids grow: \(one), \(two), \(three)")
        full.id = one
        late.id = two
        #expect(try store.findTrigger(id: one) == full)
        #expect(try store.findTrigger(id: two) == late)
        #expect(try store.findTrigger(id: three)?.code == .paymentReceived)
        #expect(try store.findTrigger(id: three + 100) == nil)

        #expect(try store.triggers(pipeline: nil, code: nil).map(\.id) == [one, two, three])
        #expect(try store.triggers(pipeline: lead, code: nil).map(\.id) == [one, two])
        #expect(try store.triggers(pipeline: nil, code: .paymentReceived).map(\.id) == [three])
        #expect(try store.triggers(pipeline: lead, code: .callMissed).map(\.id) == [one])
        #expect(try store.triggers(pipeline: deal, code: .callMissed).isEmpty)

        try store.write { try store.deleteTrigger(id: three) }
        #expect(try store.findTrigger(id: three) == nil)
        #expect(try store.triggers(pipeline: nil, code: nil).map(\.id) == [one, two])
        let four = try store.write { try store.insertTrigger(paid) }
        #expect(four > three, "the removed highest id \(three) is not given again (got \(four))")
        try store.write { try store.deleteTrigger(id: four) }
        let other = try reopen(store)
        let five = try other.write { try other.insertTrigger(paid) }
        #expect(five > four, "nor after reopening (got \(five) after \(four))")
        try store.write { try store.deleteTrigger(id: one) }
        #expect(try store.triggers(pipeline: nil, code: nil).map(\.id) == [two, five])

        // Stored verdicts name triggers by id: a removed trigger keeps its name and stage for them.
        #expect(try store.triggerLabel(id: one) == TriggerLabel(name: "call back ✓", stage: "IN_PROCESS"))
        #expect(try store.triggerLabel(id: two) == TriggerLabel(name: late.name, stage: "JUNK"))
        #expect(try store.triggerLabel(id: five + 100) == nil)
    }

    /// A disabled trigger stays listed (the engine gives it its `disabled` verdict) until enabled again.
    func triggersAreDisabledAndEnabled() throws {
        let store = try makeStore()
        let lead = try firstPipeline(store, .lead).id
        let (one, two) = try store.write {
            (try store.insertTrigger(trigger(.callMissed, pipeline: lead, stage: "IN_PROCESS")),
             try store.insertTrigger(trigger(.callMissed, pipeline: lead, stage: "PROCESSED")))
        }
        try store.write { try store.setTrigger(id: one, enabled: false) }
        #expect(try store.findTrigger(id: one)?.enabled == false)
        #expect(try store.findTrigger(id: two)?.enabled == true)
        #expect(try store.triggers(pipeline: lead, code: .callMissed).map(\.enabled) == [false, true])
        let seen = try store.write { try store.engineTriggers(pipeline: lead, codes: [.callMissed]) }
        #expect(seen.map(\.id).sorted() == [one, two], "the engine sees disabled triggers too")
        #expect(seen.first { $0.id == one }?.enabled == false)
        try store.write { try store.setTrigger(id: one, enabled: true) }
        #expect(try store.findTrigger(id: one)?.enabled == true)
        try store.write { try store.setTrigger(id: one, enabled: true) }
        #expect(try store.findTrigger(id: one)?.enabled == true, "enabling twice changes nothing")
        #expect(try store.findTrigger(id: one)?.stage == "IN_PROCESS")
    }

    /// A store may keep the engine's triggers for one transaction, not longer: the next one sees triggers
    /// added, changed and removed since, by this handle or another.
    func engineTriggersSeeEarlierTransactions() throws {
        let store = try makeStore()
        let lead = try firstPipeline(store, .lead).id
        let deal = try firstPipeline(store, .deal).id
        func engine(_ codes: [TriggerCode] = [.callMissed]) throws -> [Trigger] {
            try store.write { try store.engineTriggers(pipeline: lead, codes: codes) }
        }
        #expect(try engine().isEmpty)
        let one = try store.write { try store.insertTrigger(trigger(.callMissed, pipeline: lead, stage: "IN_PROCESS")) }
        #expect(try engine().map(\.id) == [one], "added in an earlier transaction")

        let other = try reopen(store)
        let (two, paid) = try other.write {
            _ = try other.insertTrigger(trigger(.callMissed, pipeline: deal, stage: "WON"))
            return (try other.insertTrigger(trigger(.callMissed, pipeline: lead, stage: "PROCESSED")),
                    try other.insertTrigger(trigger(.paymentReceived, pipeline: lead, stage: "CONVERTED")))
        }
        #expect(try engine().map(\.id).sorted() == [one, two], "added by another handle; only the pipeline's own")
        #expect(try engine([.callMissed, .paymentReceived]).map(\.id).sorted() == [one, two, paid])
        #expect(try engine([.paymentReceived]).map(\.id) == [paid], "only the codes asked for")
        #expect(try engine([]).isEmpty)

        try other.write { try other.setTrigger(id: one, enabled: false) }
        #expect(try engine().first { $0.id == one }?.enabled == false, "disabled by another handle")
        try other.write { try other.deleteTrigger(id: two) }
        #expect(try engine().map(\.id) == [one], "removed by another handle")
        try store.write { try store.deleteTrigger(id: one) }
        #expect(try engine().isEmpty)
    }

    /// Pipelines by type and by name, in id order; a pipeline is found with its stages in order.
    func pipelinesAreFoundByTypeAndName() throws {
        let store = try makeStore()
        let leads = try store.pipelineIDs(type: .lead)
        let deals = try store.pipelineIDs(type: .deal)
        let stages = [
            Stage(code: "OPEN", name: "Open", semantic: .process), Stage(code: "WON", name: "Won ✓", semantic: .success),
            Stage(code: "LOST", name: "Lost", semantic: .failure),
        ]
        let (extra, twin, other) = try store.write {
            let extra = try store.insertPipeline(type: .deal, name: "Extra")
            try store.writeStages(stages, pipeline: extra)
            let twin = try store.insertPipeline(type: .deal, name: "Extra")
            try store.writeStages(stages, pipeline: twin)
            let other = try store.insertPipeline(type: .deal, name: "Other deals")
            try store.writeStages(stages, pipeline: other)
            return (extra, twin, other)
        }
        #expect(extra > deals.max() ?? 0 && twin > extra && other > twin)
        #expect(try store.pipelineIDs(type: .deal) == deals + [extra, twin, other])
        #expect(try store.pipelineIDs(type: .lead) == leads)
        #expect(try store.pipelineIDs(type: nil) == (leads + deals).sorted() + [extra, twin, other])
        #expect(try store.pipelineIDs(named: "Extra") == [extra, twin])
        #expect(try store.pipelineIDs(named: "Other deals") == [other])
        #expect(try store.pipelineIDs(named: "Missing").isEmpty)
        #expect(try store.pipelineIDs(named: "Leads") == leads)
        #expect(try store.findPipeline(id: extra) == Pipeline(id: extra, type: .deal, name: "Extra", stages: stages))
        #expect(try reopen(store).findPipeline(id: other) == Pipeline(id: other, type: .deal, name: "Other deals", stages: stages))
        #expect(try store.findPipeline(id: other + 100) == nil)
    }

    /// `writeStages` writes stages in the order given: existing ones keep their row (a trigger or element in
    /// them is still there) and take their new position, new ones are added; the same transaction reads
    /// the new order (`addStage` writes and reads back in one).
    func writeStagesReordersAndKeepsStages() throws {
        let store = try makeStore()
        let a = Stage(code: "A", name: "First", semantic: .process)
        let b = Stage(code: "B", name: "Second", semantic: .process)
        let c = Stage(code: "C", name: "Third", semantic: .process)
        let won = Stage(code: "W", name: "Won", semantic: .success)
        let lost = Stage(code: "L", name: "Lost", semantic: .failure)
        let pipeline = try store.write { () throws -> Int64 in
            let id = try store.insertPipeline(type: .deal, name: "Board")
            try store.writeStages([a, b, won, lost], pipeline: id)
            #expect(try store.findPipeline(id: id)?.stages == [a, b, won, lost], "read back in the same transaction")
            return id
        }
        let inA = try addElement(store, .deal, pipeline: pipeline, stage: "A", title: "in A", email: "a@example.com")
        let onA = try store.write { try store.insertTrigger(trigger(.callMissed, pipeline: pipeline, stage: "A")) }

        try store.write {
            _ = try store.findPipeline(id: pipeline)
            try store.writeStages([b, a, c, won, lost], pipeline: pipeline)
            #expect(try store.findPipeline(id: pipeline)?.stages == [b, a, c, won, lost], "the new order in the same transaction")
        }
        #expect(try store.findPipeline(id: pipeline)?.stages == [b, a, c, won, lost])
        #expect(try reopen(store).findPipeline(id: pipeline)?.stages == [b, a, c, won, lost])
        #expect(try store.findTrigger(id: onA)?.stage == "A")
        #expect(try store.findElement(id: inA.id) == inA)
        #expect(try store.elementID(for: .email("a@example.com")) == inA.id, "A is still a process stage")
        let lead = try firstPipeline(store, .lead)
        #expect(lead.stages.count == 5, "other pipelines keep their stages")
    }
}
