import CRMCore
import CRMStorage
import JSON
import Testing

// Elements, contacts and the timeline (ElementStore, TimelineStore), and the default pipelines.
extension StoreConformance {
    /// SPEC §2: a new database has pipeline 1 for leads and pipeline 2 for deals, with their stages in order.
    func newStoreHasTheDefaultPipelines() throws {
        let store = try makeStore()
        #expect(!store.location.isEmpty)
        #expect(store.schemaVersion >= 1)
        #expect(try store.pipelineIDs(type: nil) == [1, 2])
        #expect(try store.pipelineIDs(type: .lead) == [1])
        #expect(try store.pipelineIDs(type: .deal) == [2])
        let lead = try #require(try store.findPipeline(id: 1))
        #expect(lead.type == .lead)
        #expect(lead.name == "Leads")
        #expect(lead.stages == [
            Stage(code: "NEW", name: "Unprocessed", semantic: .process),
            Stage(code: "IN_PROCESS", name: "In progress", semantic: .process),
            Stage(code: "PROCESSED", name: "Processed", semantic: .process),
            Stage(code: "CONVERTED", name: "Good lead", semantic: .success),
            Stage(code: "JUNK", name: "Junk lead", semantic: .failure),
        ])
        let deal = try #require(try store.findPipeline(id: 2))
        #expect(deal.type == .deal)
        #expect(deal.name == "General")
        #expect(deal.stages.map(\.code) == ["NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE", "WON", "LOSE"])
        #expect(deal.stages.map(\.semantic) == [.process, .process, .process, .process, .process, .success, .failure])
        #expect(try store.findPipeline(id: 3) == nil)
        #expect(try allElementIDs(store).isEmpty)
        #expect(try store.triggers(pipeline: nil, code: nil).isEmpty)
        #expect(try store.allEvents().isEmpty)
        #expect(try store.documents(element: nil).isEmpty)
    }

    /// `insertElement` ignores the id it is given and returns a new, higher one; `findElement` gives back
    /// every value; `saveElement` writes every value a command changes.
    func elementsAreInsertedFoundAndSaved() throws {
        let store = try makeStore()
        let lead = try firstPipeline(store, .lead)
        let created = november("11-01T09:00")
        var first = Element(
            id: 999, type: .lead, pipeline: lead.id, stage: "NEW", title: "First ✓", responsible: "anna",
            email: "First@Example.com", phone: "+49 30 1234", fields: ["source": "web", "note": "ä \"quoted\""],
            createdAt: created, updatedAt: created)
        var second = Element(
            id: 0, type: .deal, pipeline: try firstPipeline(store, .deal).id, stage: "PREPARATION", title: "Second",
            responsible: nil, email: nil, phone: nil, fields: [:], createdAt: november("11-02T10:00"),
            updatedAt: november("11-03T11:00"))
        let (firstID, secondID) = try store.write { (try store.insertElement(first), try store.insertElement(second)) }
        #expect(firstID > 0)
        #expect(secondID > firstID, "each new element gets a higher id")
        first.id = firstID
        second.id = secondID
        #expect(try store.findElement(id: firstID) == first)
        #expect(try store.findElement(id: secondID) == second)
        #expect(try store.findElement(id: secondID + 100) == nil)

        var changed = first
        changed.stage = "IN_PROCESS"
        changed.title = "Renamed"
        changed.responsible = nil
        changed.email = nil
        changed.phone = "+1 555 0100"
        changed.fields = ["k": "v"]
        changed.updatedAt = november("11-05T12:00")
        try store.write { try store.saveElement(changed) }
        #expect(try store.findElement(id: firstID) == changed)
        #expect(try store.findElement(id: secondID) == second, "saving one element leaves the others")
        var again = changed
        again.responsible = "bob"
        again.email = "bob@example.com"
        again.fields = [:]
        try store.write { try store.saveElement(again) }
        #expect(try store.findElement(id: firstID) == again)
        #expect(try reopen(store).findElement(id: firstID) == again, "saved for another handle too")
    }

    /// SPEC §3 "Element keys": `insertElement` writes the key, `findElement(key:)` finds the element by the
    /// whole key, exactly; `saveElement` keeps the key the element was created with; an erased element's key
    /// names nothing any more, and may name a new element.
    func elementsAreFoundByTheirKey() throws {
        let store = try makeStore()
        let lead = try firstPipeline(store, .lead)
        let at = november("11-01T09:00")
        var keyed = Element(
            id: 0, key: "crm-7 ✓", type: .lead, pipeline: lead.id, stage: "NEW", title: "Keyed", responsible: nil,
            email: nil, phone: nil, fields: [:], createdAt: at, updatedAt: at)
        keyed.id = try store.write { try store.insertElement(keyed) }
        let plain = try addElement(store, title: "Plain")
        #expect(try store.findElement(key: "crm-7 ✓") == keyed)
        #expect(try store.findElement(id: keyed.id)?.key == "crm-7 ✓")
        #expect(try store.findElement(id: plain.id)?.key == nil)
        #expect(try store.findElement(key: "crm-7") == nil, "a key is found whole")
        #expect(try store.findElement(key: "CRM-7 ✓") == nil, "keys are compared exactly")

        var renamed = keyed
        renamed.title = "Renamed"
        renamed.key = "other"
        try store.write { try store.saveElement(renamed) }
        #expect(try store.findElement(key: "crm-7 ✓")?.title == "Renamed", "saving keeps the key of the creation")
        #expect(try store.findElement(key: "other") == nil)
        #expect(try reopen(store).findElement(key: "crm-7 ✓")?.id == keyed.id, "written for another handle too")

        #expect(try store.eraseElement(id: keyed.id) != nil)
        #expect(try store.findElement(key: "crm-7 ✓") == nil, "erasure takes the key with the element")
        let successor = try store.write { try store.insertElement(keyed) }
        #expect(try store.findElement(key: "crm-7 ✓")?.id == successor)
    }

    /// `saveStage` writes the stage and the update time, nothing else.
    func saveStageWritesTheStageAlone() throws {
        let store = try makeStore()
        var element = try addElement(store, .lead, title: "Moved", responsible: "anna", email: "m@example.com", fields: ["a": "1"])
        let other = try addElement(store, .lead, title: "Other")
        try store.write { try store.saveStage(of: element.id, stage: "PROCESSED", updatedAt: november("11-04T08:30")) }
        element.stage = "PROCESSED"
        element.updatedAt = november("11-04T08:30")
        #expect(try store.findElement(id: element.id) == element)
        #expect(try store.findElement(id: other.id) == other)
    }

    /// `elements` in id order, each filter alone and together, and a limit that keeps the first.
    func elementsAreListedInIDOrder() throws {
        let store = try makeStore()
        let deal = try firstPipeline(store, .deal)
        let a = try addElement(store, .lead, title: "A").id
        let b = try addElement(store, .deal, title: "B").id
        let c = try addElement(store, .lead, stage: "IN_PROCESS", title: "C").id
        let d = try addElement(store, .lead, title: "D").id
        let e = try addElement(store, .deal, stage: "WON", title: "E").id
        func list(
            _ type: EntityType? = nil, pipeline: Int64? = nil, stage: String? = nil, after: Int64? = nil, last: Int? = nil,
            limit: Int? = nil
        ) throws -> [Int64] {
            try store.allElements(
                ElementFilter(type: type, pipeline: pipeline, stage: stage, after: after, last: last, limit: limit)
            ).map(\.id)
        }
        #expect(try list() == [a, b, c, d, e])
        #expect(try list(.lead) == [a, c, d])
        #expect(try list(.deal) == [b, e])
        #expect(try list(pipeline: deal.id) == [b, e])
        #expect(try list(stage: "NEW") == [a, b, d])
        #expect(try list(.lead, stage: "NEW") == [a, d])
        #expect(try list(pipeline: deal.id, stage: "WON") == [e])
        #expect(try list(stage: "MISSING").isEmpty)
        #expect(try list(limit: 2) == [a, b], "a limit keeps the first by id")
        #expect(try list(.lead, limit: 1) == [a])
        #expect(try list(limit: 0).isEmpty)
        #expect(try store.allElements().map(\.title) == ["A", "B", "C", "D", "E"])
        #expect(try list(after: b) == [c, d, e], "after: ids greater than the cursor")
        #expect(try list(.lead, after: a) == [c, d])
        #expect(try list(after: e).isEmpty)
        #expect(try list(last: 2) == [d, e], "the last by id, in id order")
        #expect(try list(.lead, last: 2) == [c, d])
        #expect(try list(last: 9) == [a, b, c, d, e])
        #expect(try list(last: 0).isEmpty)
        #expect(try list(last: 3, limit: 2) == [c, d], "the first of the last")
        #expect(try list(after: a, limit: 2) == [b, c])
        #expect(try list(after: b, last: 1) == [e])
    }

    /// `forEachElement` by contact, responsible and title: emails without case, phones by their digits and a
    /// leading `+`, the title as a substring without case.
    func elementsAreFilteredByContactResponsibleAndTitle() throws {
        let store = try makeStore()
        let a = try addElement(store, title: "Acme GmbH", responsible: "anna", email: "Info@Acme.example", phone: "+49 30 1234-5").id
        let b = try addElement(store, .deal, title: "Big ACME deal", responsible: "bob", email: "bob@x.example").id
        let c = try addElement(store, title: "Café Ümlaut", responsible: "anna", phone: "030 12345").id
        let d = try addElement(store, title: "100% off_", email: "info@acme.example").id
        func list(_ filter: ElementFilter) throws -> [Int64] { try store.allElements(filter).map(\.id) }
        #expect(try list(ElementFilter(email: "INFO@acme.EXAMPLE")) == [a, d], "emails without case")
        #expect(try list(ElementFilter(email: "nobody@x.example")).isEmpty)
        #expect(try list(ElementFilter(email: "")).isEmpty, "an email with no key matches nothing")
        #expect(try list(ElementFilter(phone: "+4930 12345")) == [a], "phones by digits and a leading +")
        #expect(try list(ElementFilter(phone: "(030) 123-45")) == [c])
        #expect(try list(ElementFilter(phone: "no digits")).isEmpty)
        #expect(try list(ElementFilter(responsible: "anna")) == [a, c])
        #expect(try list(ElementFilter(responsible: "Anna")).isEmpty, "the responsible exactly")
        #expect(try list(ElementFilter(search: "acme")) == [a, b], "a substring, without case")
        #expect(try list(ElementFilter(search: "ME D")) == [b])
        #expect(try list(ElementFilter(search: "café")) == [c])
        #expect(try list(ElementFilter(search: "%")) == [d], "no pattern characters")
        #expect(try list(ElementFilter(search: "_")) == [d])
        #expect(try list(ElementFilter(search: "")) == [a, b, c, d], "the empty text is in every title")
        #expect(try list(ElementFilter(responsible: "anna", search: "acme")) == [a])
        #expect(try list(ElementFilter(email: "info@acme.example", last: 1)) == [d])
        #expect(try list(ElementFilter(search: "acme", after: a)) == [b])
    }

    /// SPEC §6: an event's contact names the newest element (highest id) in a process stage, of either
    /// type; emails match without case, phones by their digits and a leading `+`. An element id is taken
    /// as is.
    func contactsFindTheNewestElementInAProcessStage() throws {
        let store = try makeStore()
        let old = try addElement(store, .lead, title: "old", email: "Anna@Example.COM", phone: "+49 (30) 1234")
        let newer = try addElement(store, .deal, title: "newer", email: "anna@example.com", phone: "+49-30-1234")
        // Newer still, but closed.
        _ = try addElement(store, .deal, stage: "WON", title: "won", email: "ANNA@EXAMPLE.COM", phone: "+49301234")
        _ = try addElement(store, .lead, stage: "JUNK", title: "junk", email: "anna@example.com", phone: "+49 30 1234")

        #expect(try store.elementID(for: .email("anna@EXAMPLE.com")) == newer.id)
        #expect(try store.elementID(for: .phone("+49 30 12 34")) == newer.id)
        #expect(try store.elementID(for: .phone(" +49.30.1234")) == newer.id)
        #expect(try store.elementID(for: .phone("0049301234")) == nil, "a leading + is not 00")
        #expect(try store.elementID(for: .phone("49301234")) == nil, "nor is its absence")
        #expect(try store.elementID(for: .email("nobody@example.com")) == nil)
        #expect(try store.elementID(for: .email("")) == nil)
        #expect(try store.elementID(for: .phone("+")) == nil)
        #expect(try store.elementID(for: .element(12_345)) == 12_345, "an element id is taken as is")

        // Closing the newest leaves the older one.
        try store.write { try store.saveStage(of: newer.id, stage: "LOSE", updatedAt: november("11-02T09:00")) }
        #expect(try store.elementID(for: .email("anna@example.com")) == old.id)
        #expect(try store.elementID(for: .phone("+49301234")) == old.id)

        // saveElement rewrites what contacts are looked up by.
        var renamed = old
        renamed.email = "New@Example.com"
        renamed.phone = nil
        try store.write { try store.saveElement(renamed) }
        #expect(try store.elementID(for: .email("new@example.COM")) == old.id)
        #expect(try store.elementID(for: .email("anna@example.com")) == nil)
        #expect(try store.elementID(for: .phone("+49301234")) == nil)

        // Process stages of any pipeline, by that pipeline's own semantics.
        let custom = try store.write {
            let id = try store.insertPipeline(type: .deal, name: "Custom")
            try store.writeStages(
                [Stage(code: "OPEN", name: "Open", semantic: .process), Stage(code: "DONE", name: "Done", semantic: .success),
                 Stage(code: "LOST", name: "Lost", semantic: .failure)], pipeline: id)
            return id
        }
        let open = try addElement(store, .deal, pipeline: custom, stage: "OPEN", title: "open", phone: "+1 555 0100")
        #expect(try store.elementID(for: .phone("+15550100")) == open.id)
        try store.write { try store.saveStage(of: open.id, stage: "DONE", updatedAt: november("11-03T09:00")) }
        #expect(try store.elementID(for: .phone("+15550100")) == nil)
    }

    /// Entries come back in the order they were recorded (not by their time), only the element's own,
    /// every value as written; the body sees one entry at a time and may stop the stream by throwing.
    func timelineKeepsRecordingOrderAndStreams() throws {
        let store = try makeStore()
        let a = try addElement(store, .lead, title: "A").id
        let b = try addElement(store, .lead, title: "B").id
        let created: JSONObject = ["pipeline": JSONValue(Int64(1)), "stage": "NEW", "title": "A"]
        let moved: JSONObject = ["from": "NEW", "to": "IN_PROCESS", "trigger": nil, "event": nil]
        let event = try store.write { () throws -> Int64 in
            try store.appendTimeline(
                element: a, at: november("11-03T10:00"), kind: "created", author: "anna", event: nil, details: created)
            try store.appendTimeline(
                element: b, at: november("11-01T10:00"), kind: "created", author: "system", event: nil,
                details: ["pipeline": JSONValue(Int64(1)), "stage": "NEW", "title": "B"])
            let event = try store.reserveEventID()
            // An event's entry comes before its row, as the intake writes them.
            try store.appendTimeline(
                element: a, at: november("11-01T08:00"), kind: "call.missed", author: "system", event: event,
                detailsText: #"{"event":\#(event),"data":{"line":"x","n":[1,true,null]}}"#)
            try store.insertEvent(eventRow(event, element: a, at: november("11-01T08:00")))
            try store.appendTimeline(
                element: a, at: november("11-02T10:00"), kind: "stage_changed", author: "bob", event: nil, details: moved)
            return event
        }

        let entries = try timeline(store, a)
        #expect(entries.map(\.kind) == ["created", "call.missed", "stage_changed"])
        #expect(entries.map(\.at) == [november("11-03T10:00"), november("11-01T08:00"), november("11-02T10:00")])
        #expect(entries.map(\.author) == ["anna", "system", "bob"])
        #expect(entries.allSatisfy { $0.element == a })
        #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.id < $1.id }, "ids grow in recording order")
        #expect(entries.first?.details == created)
        #expect(entries.last?.details == moved)
        let data: JSONObject = ["line": "x", "n": [JSONValue(Int64(1)), true, nil]]
        #expect(entries.dropFirst().first?.details == ["event": JSONValue(event), "data": .object(data)])
        #expect(try timeline(store, b).map(\.title) == ["B"])
        #expect(try timeline(store, b + 100).isEmpty)

        var seen = 0
        #expect(throws: Boom.self) {
            try store.forEachTimelineEntry(element: a) { _ in
                seen += 1
                throw Boom()
            }
        }
        #expect(seen == 1, "a throwing body ends the stream")
        #expect(try timeline(store, a).count == 3)
    }

    /// Timelines of a thousand entries and more, interleaved with another element's, come back whole and in
    /// recording order (a store may read a short one differently from a long one).
    func longTimelinesComeBackWhole() throws {
        let store = try makeStore()
        let short = try addElement(store, .lead, title: "short").id
        let long = try addElement(store, .lead, title: "long").id
        let longer = try addElement(store, .lead, title: "longer").id
        let other = try addElement(store, .lead, title: "other").id
        try store.write {
            for index in 0..<2_500 {
                for (element, count) in [(short, 1_000), (long, 1_001), (longer, 2_500), (other, 2_001)]
                where index < count {
                    try store.appendTimeline(
                        element: element, at: november("11-01T08:00"), kind: "note", author: "system", event: nil,
                        details: ["n": JSONValue(Int64(index))])
                }
            }
        }
        for (element, count) in [(short, 1_000), (long, 1_001), (longer, 2_500), (other, 2_001)] {
            let entries = try timeline(store, element)
            #expect(entries.count == count)
            #expect(entries.map { $0.details["n"]?.scalarText } == (0..<count).map { "\($0)" })
            #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.id < $1.id })
            #expect(entries.allSatisfy { $0.element == element })
        }
    }
}

extension TimelineEntry {
    /// A created entry's title.
    fileprivate var title: String? { details["title"]?.stringValue }
}
