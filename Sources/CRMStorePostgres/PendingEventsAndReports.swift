// SCAFFOLDING for helper 2 — delete this file once every method below is implemented for real.
import CRMCore
import CRMStorage

extension PostgresStore {
    public func insertEvent(_ row: EventRow) throws { fatalError("not yet ported") }
    public func keyedEvent(key: String) throws -> KeyedEvent? { fatalError("not yet ported") }
    public func forEachEvent(_ filter: EventFilter, _ body: (StoredEvent) throws -> Void) throws { fatalError("not yet ported") }
    public func findEvent(id: Int64) throws -> StoredEvent? { fatalError("not yet ported") }
    public func findEvent(key: String) throws -> StoredEvent? { fatalError("not yet ported") }
    public func triggerLabel(id: Int64) throws -> TriggerLabel? { fatalError("not yet ported") }

    public func appendTimeline(element: Int64, at: Timestamp, kind: String, author: String, event: Int64?, detailsText: String) throws { fatalError("not yet ported") }
    public func appendEventEntry(element: Int64, at: Timestamp, kind: String, author: String, event: Int64) throws { fatalError("not yet ported") }
    public func forEachTimelineEntry(element: Int64, _ body: (TimelineEntry) throws -> Void) throws { fatalError("not yet ported") }

    public func board(of pipeline: Pipeline, newest: Int) throws -> [BoardColumn] { fatalError("not yet ported") }
    public func movementReport(pipeline: Int64?, since: Timestamp?, until: Timestamp?, breakdown: Bool) throws -> MovementReport { fatalError("not yet ported") }
    public func outboxFigures(now: Timestamp) throws -> (counts: [MessageStatus: Int], oldestUndelivered: Timestamp?, oldestDue: Timestamp?) { fatalError("not yet ported") }
}
