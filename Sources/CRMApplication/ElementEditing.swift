import CRMCore
import CRMStorage

/// What `lead create`, `deal create` and `element import` give for a new element.
public struct NewElement: Sendable {
    public var type: EntityType
    public var pipeline: String?
    public var stage: String?
    public var title: String
    public var responsible: String?
    public var email: String?
    public var phone: String?
    public var fields: [String: String]

    public init(
        type: EntityType, pipeline: String? = nil, stage: String? = nil, title: String, responsible: String? = nil,
        email: String? = nil, phone: String? = nil, fields: [String: String] = [:]
    ) {
        self.type = type
        self.pipeline = pipeline
        self.stage = stage
        self.title = title
        self.responsible = responsible
        self.email = email
        self.phone = phone
        self.fields = fields
    }
}

/// What creating or moving an element did: the element as it is now, and the jobs its cascade made.
public struct ElementChange: Sendable {
    public var element: Element
    /// The stage it was in before (for a new element, the stage it was created in).
    public var from: String
    public var jobs: [JobSummary]
    public var moves: [StageChange]
}

/// Creating elements and moving them by hand; both enter a stage through `StageEntry`, each one origin of
/// its own cascade (SPEC §7 rule 7).
public struct ElementEditing<Store: CRMStore> {
    let store: Store
    let clock: Clock

    public init(store: Store, clock: Clock) {
        self.store = store
        self.clock = clock
    }

    /// Creates an element in its first stage (or the one named); the caller holds the write transaction.
    /// Every check runs before the first write.
    public func create(_ new: NewElement) throws -> ElementChange {
        guard !new.title.isEmpty else { throw CRMError.invalid("an element needs a title") }
        for name in new.fields.keys.sorted() {
            if let problem = Element.fieldNameProblem(name) { throw CRMError.invalid(problem) }
            // At creation --title, --email and --phone give them; a second way would be ambiguous.
            if Element.standardFields.contains(name) { throw CRMError.invalid("\(name) is a standard field, not a free one (use --\(name))") }
        }
        let pipeline = try store.pipeline(named: new.pipeline ?? new.type.rawValue)
        guard pipeline.type == new.type else {
            throw CRMError.invalid("pipeline \(pipeline.id) is a \(pipeline.type.rawValue) pipeline, not a \(new.type.rawValue) one")
        }
        let stage = new.stage ?? pipeline.stages[0].code
        guard pipeline.stage(stage) != nil else {
            throw CRMError.notFound("pipeline \(pipeline.id) has no stage \(stage)")
        }
        let now = clock.now()
        var element = Element(
            id: 0, type: new.type, pipeline: pipeline.id, stage: stage, title: new.title,
            responsible: new.responsible.flatMap { $0.isEmpty ? nil : $0 },
            email: new.email.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 },
            phone: new.phone.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 },
            fields: new.fields, createdAt: now, updatedAt: now)
        element.id = try store.insertElement(element)
        let cascade = Cascade()
        try StageEntry(store: store, clock: clock, cascade: cascade).enter(
            &element, stage: stage, at: now, author: element.responsible ?? "system", cause: .created)
        return ElementChange(element: element, from: stage, jobs: cascade.jobs, moves: cascade.moves)
    }

    /// Moves an element by hand (`element move`) in its own write transaction: any direction, no trigger
    /// fires. Returns the element and the stage it was in; a move to the current stage changes nothing.
    public func move(id: Int64, to stage: String, author: String?) throws -> ElementChange {
        try store.write {
            var element = try store.element(id: id)
            let pipeline = try store.pipeline(id: element.pipeline)
            guard pipeline.stage(stage) != nil else {
                throw CRMError.notFound("pipeline \(pipeline.id) has no stage \(stage)")
            }
            let from = element.stage
            guard stage != from else { return ElementChange(element: element, from: from, jobs: [], moves: []) }
            let cascade = Cascade()
            try StageEntry(store: store, clock: clock, cascade: cascade).enter(
                &element, stage: stage, at: clock.now(),
                author: author.userName ?? element.responsible.userName ?? "system", cause: .manual)
            return ElementChange(element: element, from: from, jobs: cascade.jobs, moves: cascade.moves)
        }
    }
}
