import CRMApplication
import CRMCore
import CRMStorage
import CRMTestSupport
import Testing

@testable import CRMStoreSQLite

/// The writer's memo keeps elements and their newest timeline entries from one write transaction to the
/// next: what another connection committed meanwhile, and what a transaction rolled back, must show.
@Suite struct WriterMemoTests {
    /// The kinds and `from`s of the element's history, walked back along the chain from its head: an entry
    /// chained to a stale head would drop the entries after that head, or loop.
    static func history(_ store: SQLiteStore, _ element: Int64) throws -> [String] {
        var entries: [String] = []
        try store.forEachTimelineEntry(element: element) { entry in
            entries.append(entry.details["from"]?.stringValue.map { "\(entry.kind) from \($0)" } ?? entry.kind)
        }
        return entries
    }

    /// Each entry names the element's entry before it, and each head the element's newest.
    static func linksAreWhole(_ store: SQLiteStore) throws -> Bool {
        try store.db.scalarInt64(
            """
            SELECT (SELECT count(*) FROM timeline t
                    WHERE t.previous IS NOT (SELECT max(id) FROM timeline p WHERE p.element = t.element AND p.id < t.id))
                 + (SELECT count(*) FROM timeline_heads h
                    WHERE h.last IS NOT (SELECT max(id) FROM timeline t WHERE t.element = h.element))
            """) == 0
    }

    /// A manual move inside the caller's transaction (`element move` opens its own).
    static func move(_ store: SQLiteStore, _ id: Int64, to stage: String) throws {
        var element = try store.element(id: id)
        try StageEntry(store: store, clock: clock(), cascade: Cascade()).enter(
            &element, stage: stage, at: clock().now(), author: "system", cause: .manual)
    }

    @Test func anotherConnectionsCommitIsSeenByTheNextTransaction() throws {
        let dir = TempDir()
        let writer = try openStore(dir.file("crm.db"))
        let other = try openStore(dir.file("crm.db"))
        try writer.useBatchCache()  // a batch keeps the memo
        let element = try writer.write { try editing(writer).create(NewElement(type: .lead, title: "M")).element }
        #expect(try writer.write { try writer.element(id: element.id) }.stage == "NEW")

        _ = try moveElement(other, id: element.id, to: "JUNK", author: "bob")

        #expect(try writer.write { try writer.element(id: element.id) }.stage == "JUNK")
        _ = try moveElement(writer, id: element.id, to: "IN_PROCESS", author: nil)
        #expect(try Self.history(writer, element.id)
            == ["created", "stage_changed from NEW", "stage_changed from JUNK"])
        #expect(try Self.linksAreWhole(writer))
    }

    @Test func aTransactionThatDoesNotCommitLeavesNothingRemembered() throws {
        let dir = TempDir()
        let store = try openStore(dir.file("crm.db"))
        try store.useBatchCache()  // a batch keeps the memo
        let element = try store.write { try editing(store).create(NewElement(type: .lead, title: "M")).element }

        #expect(throws: Boom.self) {
            try store.write {
                try Self.move(store, element.id, to: "JUNK")
                throw Boom()
            }
        }
        try store.transaction { () throws -> TransactionEnd<Void> in
            try Self.move(store, element.id, to: "IN_PROCESS")
            return .rollback(())
        }

        #expect(try store.write { try store.element(id: element.id) }.stage == "NEW")
        _ = try moveElement(store, id: element.id, to: "PROCESSED", author: nil)
        #expect(try Self.history(store, element.id) == ["created", "stage_changed from NEW"])
        #expect(try Self.linksAreWhole(store))
    }

    @Test func whatTheMemoGivesIsWhatTheFileHolds() throws {
        let dir = TempDir()
        let writer = try openStore(dir.file("crm.db"))
        try writer.useBatchCache()
        let element = try writer.write {
            try editing(writer).create(NewElement(type: .lead, title: "M", email: "a@b.example", fields: ["k": "v"])).element
        }
        try writer.write {
            var changed = try writer.element(id: element.id)
            changed.fields = ["k": "w", "n": "1"]
            changed.responsible = "anna"
            changed.updatedAt = Timestamp(milliseconds: changed.updatedAt.milliseconds + 1)
            try writer.saveElement(changed)
            try Self.move(writer, element.id, to: "JUNK")
        }
        let remembered = try writer.write { try writer.element(id: element.id) }
        let reader = try openStore(dir.file("crm.db"))
        #expect(remembered == (try reader.element(id: element.id)))
        #expect(remembered.fields == ["k": "w", "n": "1"])
        #expect(remembered.stage == "JUNK")

        // A changed contact is written with its key: the element is found by it.
        try writer.write {
            var changed = try writer.element(id: element.id)
            changed.email = "New@B.example"
            try writer.saveElement(changed)
        }
        try Self.move(writer, element.id, to: "IN_PROCESS")  // outside a transaction: the memo is not used
        #expect(try writer.write { try writer.element(id: element.id) } == (try reader.element(id: element.id)))
        #expect(try reader.elementID(for: .email("new@b.example")) == element.id)
        #expect(try reader.elementID(for: .email("a@b.example")) == nil)
        try writer.write { try Self.move(writer, element.id, to: "PROCESSED") }
        #expect(try Self.history(reader, element.id).count == 4)
        #expect(try Self.linksAreWhole(reader))
    }
}
