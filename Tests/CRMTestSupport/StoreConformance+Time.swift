import CRMCore
import CRMStorage
import Testing

// Time (TimeStore): the watched quiet periods of the time triggers and what the automation remembers.
extension StoreConformance {
    /// A watch as the store should give it: due `seconds` after `since`.
    func watch(
        _ element: Int64, _ code: TriggerCode = .stageIdle, chat: String = "", seconds: Int64, since: Timestamp
    ) -> TimeWatch {
        TimeWatch(
            element: element, code: code, chat: chat, seconds: seconds, since: since,
            dueAt: since.adding(milliseconds: seconds * 1000))
    }

    /// Every unfired watch due at or before `now`, in the order a tick takes them (each fired before the
    /// next is asked for), read in a transaction that keeps nothing.
    func dueWatches(_ store: Store, now: Timestamp = november("12-31T00:00")) throws -> [TimeWatch] {
        try store.transaction { () throws -> TransactionEnd<[TimeWatch]> in
            var due: [TimeWatch] = []
            while let next = try store.nextDueWatch(now: now), due.count < 100 {
                due.append(next)
                try store.markFired(next)
            }
            return .rollback(due)
        }
    }

    /// Activity starts a new `stage.idle` quiet period for each threshold given, due that many seconds
    /// later: a later activity moves the period (and a fired watch watches again), an earlier one or one
    /// at the same time changes nothing.
    func activityStartsAQuietPeriodPerThreshold() throws {
        let store = try makeStore()
        let a = try addElement(store, title: "A").id
        let b = try addElement(store, title: "B").id
        let t0 = november("11-02T10:00")
        #expect(try dueWatches(store).isEmpty)
        try store.write { try store.watchActivity(element: a, thresholds: [60, 3600], at: t0) }
        #expect(try dueWatches(store) == [watch(a, seconds: 60, since: t0), watch(a, seconds: 3600, since: t0)])
        #expect(try store.nextDueWatch(now: november("11-02T10:00")) == nil)
        #expect(try store.nextDueWatch(now: november("11-02T10:01")) == watch(a, seconds: 60, since: t0), "due at since + seconds")

        try store.write { try store.markFired(watch(a, seconds: 60, since: t0)) }
        #expect(try dueWatches(store) == [watch(a, seconds: 3600, since: t0)])
        let t1 = november("11-02T10:30")
        try store.write { try store.watchActivity(element: a, thresholds: [60, 3600], at: t1) }
        #expect(try dueWatches(store) == [watch(a, seconds: 60, since: t1), watch(a, seconds: 3600, since: t1)],
                "a later activity: a new period, the fired watch watches again")
        try store.write { try store.watchActivity(element: a, thresholds: [60, 3600], at: november("11-02T10:20")) }
        #expect(try dueWatches(store) == [watch(a, seconds: 60, since: t1), watch(a, seconds: 3600, since: t1)],
                "an earlier activity changes nothing")

        try store.write { try store.markFired(watch(a, seconds: 60, since: t1)) }
        try store.write { try store.watchActivity(element: a, thresholds: [60], at: t1) }
        #expect(try dueWatches(store) == [watch(a, seconds: 3600, since: t1)], "the same period fires once")

        let t2 = november("11-02T11:00")
        try store.write {
            try store.watchActivity(element: a, thresholds: [3600], at: t2)
            try store.watchActivity(element: b, thresholds: [600], at: november("11-02T10:45"))
        }
        #expect(try dueWatches(store) == [
            watch(b, seconds: 600, since: november("11-02T10:45")), watch(a, seconds: 3600, since: t2),
        ], "only the thresholds given, of the element given")
        #expect(try reopen(store).nextDueWatch(now: november("12-31T00:00")) == watch(b, seconds: 600, since: november("11-02T10:45")))
        try store.transaction { () throws -> TransactionEnd<Void> in
            try store.watchActivity(element: b, thresholds: [600, 60], at: november("11-03T10:00"))
            return .rollback(())
        }
        #expect(try dueWatches(store).count == 2, "a dry run keeps nothing")
    }

    /// A chat's `chat.unanswered` watches count from its first client message: an earlier one moves them
    /// back (not one that fired), a later one changes nothing. An answer removes the watches it came in
    /// time for (at most their seconds after the first message) and keeps the others.
    func chatWatchesKeepTheFirstMessageUntilAnswered() throws {
        let store = try makeStore()
        let a = try addElement(store, title: "A").id
        let b = try addElement(store, title: "B").id
        let t0 = november("11-02T10:00")
        func chat(_ element: Int64, _ chat: String = "c-1", seconds: Int64, since: Timestamp) -> TimeWatch {
            watch(element, .chatUnanswered, chat: chat, seconds: seconds, since: since)
        }
        try store.write { try store.watchChat(element: a, chat: "c-1", thresholds: [600, 3600], firstMessageAt: t0) }
        #expect(try dueWatches(store) == [chat(a, seconds: 600, since: t0), chat(a, seconds: 3600, since: t0)])
        try store.write { try store.watchChat(element: a, chat: "c-1", thresholds: [600, 3600], firstMessageAt: november("11-02T10:05")) }
        #expect(try dueWatches(store) == [chat(a, seconds: 600, since: t0), chat(a, seconds: 3600, since: t0)],
                "a later message changes nothing")
        let earlier = november("11-02T09:55")
        try store.write { try store.watchChat(element: a, chat: "c-1", thresholds: [600, 3600], firstMessageAt: earlier) }
        #expect(try dueWatches(store) == [chat(a, seconds: 600, since: earlier), chat(a, seconds: 3600, since: earlier)],
                "an earlier message is the first")

        try store.write { try store.markFired(chat(a, seconds: 600, since: earlier)) }
        let earliest = november("11-02T09:50")
        try store.write { try store.watchChat(element: a, chat: "c-1", thresholds: [600, 3600], firstMessageAt: earliest) }
        #expect(try dueWatches(store) == [chat(a, seconds: 3600, since: earliest)], "a fired watch is not moved back")

        // Other chats, of this element and another, with an idle watch beside them.
        let t1 = november("11-03T10:00")
        try store.write {
            try store.watchChat(element: a, chat: "c-2", thresholds: [600, 3600], firstMessageAt: t1)
            try store.watchChat(element: b, chat: "c-1", thresholds: [600], firstMessageAt: november("11-03T10:01"))
            try store.watchActivity(element: a, thresholds: [600], at: november("11-03T10:02"))
        }
        let others = [
            chat(a, "c-2", seconds: 600, since: t1), chat(b, seconds: 600, since: november("11-03T10:01")),
            watch(a, seconds: 600, since: november("11-03T10:02")),
        ]
        #expect(try dueWatches(store) == [chat(a, seconds: 3600, since: earliest)] + others + [chat(a, "c-2", seconds: 3600, since: t1)])

        // Answered 20 minutes after the first message: too late for 10 minutes, in time for an hour.
        try store.write { try store.chatAnswered(element: a, chat: "c-2", at: november("11-03T10:20")) }
        #expect(try dueWatches(store) == [chat(a, seconds: 3600, since: earliest)] + others,
                "the answer came in time for an hour, not for 10 minutes")
        // Answered exactly at the threshold: in time.
        try store.write { try store.chatAnswered(element: b, chat: "c-1", at: november("11-03T10:11")) }
        #expect(try dueWatches(store) == [chat(a, seconds: 3600, since: earliest), others[0], others[2]],
                "an answer exactly at the threshold is in time")
        try store.write { try store.chatAnswered(element: a, chat: "c-1", at: november("11-02T10:49")) }
        #expect(try dueWatches(store) == [others[0], others[2]], "only the chat answered; not the idle watch")
        try store.write { try store.chatAnswered(element: a, chat: "c-3", at: november("11-03T10:03")) }
        #expect(try dueWatches(store) == [others[0], others[2]], "an answer in a chat without watches")
    }

    /// A tick takes the unfired watch due first, at or before now; once fired it is not due again, and no
    /// other watch is touched. Firing a period that activity has since replaced fires nothing.
    func theNextDueWatchIsTheUnfiredOneDueFirst() throws {
        let store = try makeStore()
        let a = try addElement(store, title: "A").id
        let b = try addElement(store, title: "B").id
        let t0 = november("11-02T10:00")
        #expect(try store.nextDueWatch(now: november("12-31T00:00")) == nil)
        try store.write {
            try store.watchActivity(element: a, thresholds: [3600, 600], at: t0)
            try store.watchChat(element: b, chat: "c-1", thresholds: [300], firstMessageAt: november("11-02T10:02"))
            try store.watchActivity(element: b, thresholds: [3600], at: november("11-02T09:30"))
        }
        #expect(try store.nextDueWatch(now: november("11-02T10:06")) == nil)
        let chat = watch(b, .chatUnanswered, chat: "c-1", seconds: 300, since: november("11-02T10:02"))
        #expect(try store.nextDueWatch(now: november("11-02T10:07")) == chat)
        #expect(try store.nextDueWatch(now: november("11-02T10:09"))?.seconds == 300)
        #expect(try store.nextDueWatch(now: november("12-31T00:00"))?.seconds == 300, "due first, whatever now")

        try store.write { try store.markFired(chat) }
        #expect(try store.nextDueWatch(now: november("11-02T10:09")) == nil, "fired: not due again")
        #expect(try store.nextDueWatch(now: november("11-02T10:10")) == watch(a, seconds: 600, since: t0))
        try store.write { try store.markFired(watch(a, seconds: 600, since: t0)) }
        let other = try reopen(store)
        #expect(try other.nextDueWatch(now: november("11-02T10:30")) == watch(b, seconds: 3600, since: november("11-02T09:30")),
                "fired for another handle too")

        // A tick read the watch, then activity came: firing the old period leaves the new one due.
        let stale = try #require(try store.nextDueWatch(now: november("11-02T10:30")))
        try store.write { try store.watchActivity(element: b, thresholds: [3600], at: november("11-02T10:20")) }
        try store.write { try store.markFired(stale) }
        #expect(try dueWatches(store) == [watch(a, seconds: 3600, since: t0), watch(b, seconds: 3600, since: november("11-02T10:20"))])

        try store.transaction { () throws -> TransactionEnd<Void> in
            try store.markFired(watch(a, seconds: 3600, since: t0))
            #expect(try store.nextDueWatch(now: november("12-31T00:00"))?.element == b, "fired in the transaction itself")
            return .rollback(())
        }
        #expect(try store.nextDueWatch(now: november("12-31T00:00")) == watch(a, seconds: 3600, since: t0), "a dry run fires nothing")
    }

    /// A `stage.idle` trigger added or enabled watches every element of its pipeline from its last
    /// activity: the latest timeline entry that is not a rule's, a note or a time event. A watch already
    /// there is kept: its period fires once.
    func pipelineWatchesStartFromTheLastActivity() throws {
        let store = try makeStore()
        let lead = try firstPipeline(store, .lead).id
        let a = try addElement(store, title: "A").id
        let b = try addElement(store, title: "B").id
        let c = try addElement(store, .deal, title: "C").id
        func append(_ element: Int64, _ kind: String, _ at: String) throws {
            try store.write {
                try store.appendTimeline(element: element, at: november(at), kind: kind, author: "system", event: nil, details: [:])
            }
        }
        try append(a, "created", "11-01T09:00")
        try append(a, "call.missed", "11-02T10:00")
        try append(a, "rule", "11-02T11:00")
        try append(a, "note", "11-02T12:00")
        try append(a, "stage.idle", "11-02T13:00")
        try append(a, "chat.unanswered", "11-02T14:00")
        try append(b, "created", "11-01T09:00")
        try append(b, "stage_changed", "11-02T10:30")
        // Recorded later, at an earlier time (an event from the past).
        try append(b, "email.received", "11-02T10:10")
        try append(c, "created", "11-02T10:00")

        try store.write { try store.watchPipeline(lead, code: .stageIdle, seconds: 600) }
        #expect(try dueWatches(store) == [
            watch(a, seconds: 600, since: november("11-02T10:00")), watch(b, seconds: 600, since: november("11-02T10:30")),
        ], "every element of the pipeline, from its last activity; only this pipeline")

        // Enabled again: the period that fired stays fired; other thresholds are their own.
        try store.write { try store.markFired(watch(a, seconds: 600, since: november("11-02T10:00"))) }
        try store.write { try store.watchPipeline(lead, code: .stageIdle, seconds: 600) }
        #expect(try dueWatches(store) == [watch(b, seconds: 600, since: november("11-02T10:30"))], "a fired period fires once")
        try store.write { try store.watchPipeline(lead, code: .stageIdle, seconds: 60) }
        #expect(try dueWatches(store) == [
            watch(a, seconds: 60, since: november("11-02T10:00")), watch(b, seconds: 60, since: november("11-02T10:30")),
            watch(b, seconds: 600, since: november("11-02T10:30")),
        ])
        #expect(try store.nextDueWatch(now: november("11-02T10:01").adding(milliseconds: -1)) == nil)
        #expect(try store.nextDueWatch(now: november("11-02T10:01")) == watch(a, seconds: 60, since: november("11-02T10:00")))
    }

    /// A `chat.unanswered` trigger added or enabled watches every chat of its pipeline's elements with a
    /// first client message and no answer within the threshold, from that first message.
    func pipelineWatchesFindUnansweredChats() throws {
        let store = try makeStore()
        let lead = try firstPipeline(store, .lead).id
        let a = try addElement(store, title: "A").id
        let b = try addElement(store, title: "B").id
        let c = try addElement(store, .deal, title: "C").id
        func message(_ element: Int64, _ chat: String, _ at: String) throws {
            try record(store, .chatMessage(chat: chat, channel: "sms"), element: element, at: november(at))
        }
        func answer(_ element: Int64, _ chat: String, _ at: String) throws {
            try record(store, .chatAnswered(chat: chat, channel: "sms"), element: element, at: november(at))
        }
        func chat(_ element: Int64, _ chat: String, seconds: Int64, since: String) -> TimeWatch {
            watch(element, .chatUnanswered, chat: chat, seconds: seconds, since: november(since))
        }
        try message(a, "c-1", "11-02T10:30")
        try message(a, "c-1", "11-02T10:00")  // an earlier message, recorded later: the first
        try message(a, "c-2", "11-02T10:01")
        try answer(a, "c-2", "11-02T10:06")  // 5 minutes after
        try answer(a, "c-3", "11-02T10:02")  // an answer alone: no first message
        try message(b, "c-1", "11-02T11:00")
        try answer(b, "c-1", "11-02T11:10")  // exactly 10 minutes after
        try message(c, "c-1", "11-02T09:00")  // another pipeline

        try store.write { try store.watchPipeline(lead, code: .chatUnanswered, seconds: 600) }
        #expect(try dueWatches(store) == [chat(a, "c-1", seconds: 600, since: "11-02T10:00")],
                "only the chat not answered within 10 minutes, from its first message")
        try store.write { try store.watchPipeline(lead, code: .chatUnanswered, seconds: 120) }
        #expect(try dueWatches(store) == [
            chat(a, "c-1", seconds: 120, since: "11-02T10:00"), chat(a, "c-2", seconds: 120, since: "11-02T10:01"),
            chat(a, "c-1", seconds: 600, since: "11-02T10:00"), chat(b, "c-1", seconds: 120, since: "11-02T11:00"),
        ], "answered later than 2 minutes: unanswered for 2 minutes")
        #expect(try dueWatches(store, now: november("11-02T10:02")) == [chat(a, "c-1", seconds: 120, since: "11-02T10:00")])
    }

    /// What the automation remembers between runs (the last tick): nothing at first, then the value last
    /// set, for every handle; names are their own.
    func automationStateIsKeptAndOverwritten() throws {
        let store = try makeStore()
        #expect(try store.automationState("last_tick_at") == nil)
        try store.write { try store.setAutomationState("last_tick_at", to: november("11-02T10:00").milliseconds) }
        #expect(try store.automationState("last_tick_at") == november("11-02T10:00").milliseconds)
        #expect(try store.automationState("other") == nil)
        try store.write {
            try store.setAutomationState("last_tick_at", to: november("11-02T10:01").milliseconds)
            try store.setAutomationState("other", to: -5)
            #expect(try store.automationState("last_tick_at") == november("11-02T10:01").milliseconds,
                    "read back in the same transaction")
        }
        #expect(try store.automationState("last_tick_at") == november("11-02T10:01").milliseconds, "overwritten")
        #expect(try store.automationState("other") == -5)
        try store.write { try store.setAutomationState("last_tick_at", to: november("11-01T10:00").milliseconds) }
        #expect(try reopen(store).automationState("last_tick_at") == november("11-01T10:00").milliseconds,
                "the value last set, not the largest")
        try store.transaction { () throws -> TransactionEnd<Void> in
            try store.setAutomationState("last_tick_at", to: Int64.max)
            try store.setAutomationState("dry", to: 1)
            return .rollback(())
        }
        #expect(try store.automationState("last_tick_at") == november("11-01T10:00").milliseconds, "a dry run keeps nothing")
        #expect(try store.automationState("dry") == nil)
        try store.write { try store.setAutomationState("big", to: Int64.max) }
        #expect(try store.automationState("big") == Int64.max)
        #expect(try store.automationState("LAST_TICK_AT") == nil, "names are exact")
    }
}
