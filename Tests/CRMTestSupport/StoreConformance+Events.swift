import CRMCore
import CRMStorage
import JSON
import Testing

// Events (EventStore).
extension StoreConformance {
    /// The intake takes an event's id before it writes the event's records, and an event made by a job is
    /// written before the event that set the job going: `reserveEventID` gives a new id each time, in
    /// increasing order; the next transaction and another handle go on past the ids written.
    func eventIDsAreReservedOnceEach() throws {
        let store = try makeStore()
        let element = try addElement(store).id
        let first = try store.write { () throws -> Int64 in
            let first = try store.reserveEventID()
            #expect(first >= 1)
            let second = try store.reserveEventID()
            #expect(second == first + 1, "a new id each time")
            // Written in the other order, as a job's event is written before its origin's.
            try store.insertEvent(eventRow(second, key: "k", element: element, at: november("11-02T10:01")))
            try store.insertEvent(eventRow(first, element: element, at: november("11-02T10:00")))
            #expect(try store.reserveEventID() == first + 2)
            return first
        }
        // An id reserved but not written may come again (SQLite counts from the largest written) or not (a
        // PostgreSQL sequence leaves a gap): either way no written id is given again.
        let next = try store.write { try store.reserveEventID() }
        #expect(next > first + 1, "the next transaction goes on past the ids written")
        let other = try reopen(store)
        let byOther = try other.write { () throws -> Int64 in
            let id = try other.reserveEventID()
            #expect(id > first + 1)
            try other.insertEvent(eventRow(id, element: element, at: november("11-02T10:02")))
            return id
        }
        #expect(try store.write { try store.reserveEventID() } > byOther, "ids written by another handle are not given again")
        #expect(try store.allEvents().map(\.id) == [first, first + 1, byOther])
    }

    /// `keyedEvent` gives what the idempotency check compares; `findEvent` by id and by key gives the event
    /// as written; `forEachEvent` lists in id order by element, type, time, a cursor, the last N and a limit
    /// that keeps the first.
    func eventsAreFoundByIDKeyElementAndType() throws {
        let store = try makeStore()
        let a = try addElement(store, title: "A").id
        let b = try addElement(store, title: "B").id
        // Every part of an outcome reads back as written: moves by a trigger and by a rule, jobs, notes, the
        // document, and verdicts as their facts (one of them a sentence kept verbatim).
        let outcome = EventOutcome(
            moves: [
                StageChange(trigger: 1, from: "NEW", to: "IN_PROCESS", author: "anna"),
                StageChange(rule: 2, job: 3, from: "IN_PROCESS", to: "PROCESSED", author: "system"),
            ],
            jobs: [JobSummary(job: 3, rule: 2, status: .done, dueAt: november("11-02T10:00"))], notes: ["a note"],
            document: 7,
            decisions: [
                Decision(
                    signal: Signal(.callMissed), move: nil,
                    verdicts: [
                        Verdict(trigger: 1, kind: .applied, detail: VerdictDetail(.moved, ["NEW"])),
                        Verdict(trigger: 5, kind: .settingsMismatch, detail: VerdictDetail(.settingDiffers, ["line", #""x""#, "not given"])),
                        Verdict(trigger: 6, kind: .conditionFailed, detail: VerdictDetail(.verbatim, ["as written, ü"])),
                    ]),
                Decision(signal: Signal(.custom), move: nil, verdicts: []),
            ])
        let (e1, e2, e3, e4) = try store.write { () throws -> (Int64, Int64, Int64, Int64) in
            let e1 = try store.reserveEventID()
            try store.insertEvent(
                eventRow(
                    e1, key: "k-1", type: "call.missed", element: a, at: november("11-02T10:00"), by: "anna",
                    data: #"{"line":"x","n":1.50,"list":[true,null,"ü"]}"#, status: "moved", outcome: outcome))
            let e2 = try insertEvent(store, type: "email.received", element: b, at: november("11-01T10:00"))
            let e3 = try insertEvent(store, key: "k-3", type: "call.missed", element: b, at: november("11-03T10:00"))
            let e4 = try insertEvent(store, type: "call.missed", element: a, at: november("11-04T10:00"), data: #"{"line":"y"}"#)
            return (e1, e2, e3, e4)
        }

        let keyed = try #require(try store.keyedEvent(key: "k-1"))
        #expect(keyed.id == e1)
        #expect(keyed.type == "call.missed")
        #expect(keyed.element == a)
        #expect(keyed.fingerprint == eventRow(e1, element: a, at: november("11-02T10:00"), data: #"{"line":"x","n":1.50,"list":[true,null,"ü"]}"#).fingerprint)
        #expect(keyed.outcome == outcome)
        #expect(try store.keyedEvent(key: "k-3")?.id == e3)
        #expect(try store.keyedEvent(key: "k-2") == nil)

        let first = try #require(try store.findEvent(id: e1))
        #expect(first.id == e1)
        #expect(first.key == "k-1")
        #expect(first.type == "call.missed")
        #expect(first.element == a)
        #expect(first.at == november("11-02T10:00"))
        #expect(first.by == "anna")
        #expect(first.data == (try JSONParser.parse(#"{"line":"x","n":1.50,"list":[true,null,"ü"]}"#)), "the data as given")
        #expect(first.status == "moved")
        #expect(first.outcome == outcome)
        let second = try #require(try store.findEvent(id: e2))
        #expect(second.key == nil)
        #expect(second.by == nil)
        #expect(second.status == "recorded")
        #expect(second.data == .object(JSONObject()))
        #expect(try store.findEvent(id: e4 + 100) == nil)
        #expect(try store.findEvent(key: "k-3")?.id == e3)
        #expect(try store.findEvent(key: "k-1")?.id == e1)
        #expect(try store.findEvent(key: "missing") == nil)

        func list(
            element: Int64? = nil, type: String? = nil, since: Timestamp? = nil, after: Int64? = nil, last: Int? = nil,
            limit: Int? = nil
        ) throws -> [Int64] {
            try store.allEvents(
                EventFilter(element: element, type: type, since: since, after: after, last: last, limit: limit)
            ).map(\.id)
        }
        #expect(try list() == [e1, e2, e3, e4], "id order, not time order")
        #expect(try list(element: a) == [e1, e4])
        #expect(try list(type: "call.missed") == [e1, e3, e4])
        #expect(try list(element: b, type: "call.missed") == [e3])
        #expect(try list(type: "payment.received").isEmpty)
        #expect(try list(limit: 2) == [e1, e2], "a limit keeps the first by id")
        #expect(try list(element: a, limit: 1) == [e1])
        #expect(try list(limit: 0).isEmpty)
        #expect(try list(after: e2) == [e3, e4], "after: ids greater than the cursor")
        #expect(try list(after: e4).isEmpty)
        #expect(try list(after: e1, limit: 1) == [e2])
        #expect(try list(last: 3) == [e2, e3, e4], "the last by id, in id order")
        #expect(try list(last: 10) == [e1, e2, e3, e4])
        #expect(try list(last: 0).isEmpty)
        #expect(try list(type: "call.missed", last: 2) == [e3, e4])
        #expect(try list(last: 3, limit: 2) == [e2, e3], "the first of the last")
        #expect(try list(after: e1, last: 1) == [e4])
        #expect(try list(since: november("11-02T10:00")) == [e1, e3, e4], "since: inclusive, by at")
        #expect(try list(since: november("11-02T10:01")) == [e3, e4])
        #expect(try list(element: b, since: november("11-02T00:00")) == [e3])
        #expect(try store.allEvents(EventFilter(element: a)).last?.data == (try JSONParser.parse(#"{"line":"y"}"#)))
    }
}
