import CRMCore
import CRMStorage

/// The streamed lists gathered into arrays, for checks that want every row.
extension ElementStore {
    public func allElements(_ filter: ElementFilter = ElementFilter()) throws -> [Element] {
        var elements: [Element] = []
        try forEachElement(filter) { elements.append($0) }
        return elements
    }
}

extension EventStore {
    public func allEvents(_ filter: EventFilter = EventFilter()) throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        try forEachEvent(filter) { events.append($0) }
        return events
    }
}
