import CRMCore

/// Which elements `forEachElement` streams; nil filters are open. Rows come in id order: those matching
/// every filter and with an id above `after`, then the last `last` of them, then the first `limit` of those.
public struct ElementFilter: Sendable, Equatable {
    public var type: EntityType?
    public var pipeline: Int64?
    public var stage: String?
    /// Compared without case (the contact key of `ContactKey.email`); an email with no key matches nothing.
    public var email: String?
    /// Compared by its digits and a leading `+` (`ContactKey.phone`); a phone with no key matches nothing.
    public var phone: String?
    /// The responsible user, exactly.
    public var responsible: String?
    /// A substring of the title, without case for ASCII letters (other characters as they are).
    public var search: String?
    /// Only ids greater than this one (a cursor).
    public var after: Int64?
    /// Only the last N (by id), still streamed in id order.
    public var last: Int?
    /// Only the first N (by id).
    public var limit: Int?

    public init(
        type: EntityType? = nil, pipeline: Int64? = nil, stage: String? = nil, email: String? = nil,
        phone: String? = nil, responsible: String? = nil, search: String? = nil, after: Int64? = nil,
        last: Int? = nil, limit: Int? = nil
    ) {
        self.type = type
        self.pipeline = pipeline
        self.stage = stage
        self.email = email
        self.phone = phone
        self.responsible = responsible
        self.search = search
        self.after = after
        self.last = last
        self.limit = limit
    }
}

/// Which events `forEachEvent` streams; nil filters are open. Rows come in id order: those matching every
/// filter and with an id above `after`, then the last `last` of them, then the first `limit` of those.
public struct EventFilter: Sendable, Equatable {
    public var element: Int64?
    public var type: String?
    /// Only events at or after this time (their `at`).
    public var since: Timestamp?
    /// Only ids greater than this one (a cursor).
    public var after: Int64?
    /// Only the last N (by id), still streamed in id order.
    public var last: Int?
    /// Only the first N (by id).
    public var limit: Int?

    public init(
        element: Int64? = nil, type: String? = nil, since: Timestamp? = nil, after: Int64? = nil, last: Int? = nil,
        limit: Int? = nil
    ) {
        self.element = element
        self.type = type
        self.since = since
        self.after = after
        self.last = last
        self.limit = limit
    }
}
