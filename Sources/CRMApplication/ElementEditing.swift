import CRMCore
import CRMStorage
import JSON

/// What `lead create`, `deal create` and `element import` give for a new element.
public struct NewElement: Sendable {
    /// The caller's id for the element: given again, it names the element created first.
    public var key: String?
    public var type: EntityType
    public var pipeline: String?
    public var stage: String?
    public var title: String
    public var responsible: String?
    public var email: String?
    public var phone: String?
    public var fields: [String: String]

    public init(
        key: String? = nil, type: EntityType, pipeline: String? = nil, stage: String? = nil, title: String,
        responsible: String? = nil, email: String? = nil, phone: String? = nil, fields: [String: String] = [:]
    ) {
        self.key = key
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

/// New values for an element (`element set`, `element import --update`); nil is no change.
public struct ElementValues: Sendable {
    public var title: String?
    public var responsible: String?
    public var email: String?
    public var phone: String?
    /// Free fields, in the order given.
    public var fields: [(name: String, value: String)]

    public init(
        title: String? = nil, responsible: String? = nil, email: String? = nil, phone: String? = nil,
        fields: [(name: String, value: String)] = []
    ) {
        self.title = title
        self.responsible = responsible
        self.email = email
        self.phone = phone
        self.fields = fields
    }

    /// The title, email, phone and free fields given: the names `field.changed` takes.
    var standardAndFreeFields: [(name: String, value: String)] {
        [("title", title), ("email", email), ("phone", phone)].compactMap { name, value in value.map { (name, $0) } }
            + fields
    }

    public var isEmpty: Bool { responsible == nil && standardAndFreeFields.isEmpty }

    /// What is given, for messages: `title`, `responsible`, `field budget`.
    public var names: [String] {
        (responsible == nil ? [] : ["responsible"])
            + standardAndFreeFields.map { Element.standardFields.contains($0.name) ? $0.name : "field \($0.name)" }
    }
}

/// What moving an element did: the element as it is now, and the jobs and moves its cascade made.
public struct ElementChange: Sendable {
    public var element: Element
    /// The stage it was in before.
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

    /// Creates an element in its first stage (or the one named) — or, when an element has the key given,
    /// returns that one (SPEC §3 "Element keys"): `duplicate` when the values given equal its own, else
    /// `key_reused`, unless `differences` is `.apply`. The caller holds the write transaction. Every check
    /// runs before the first write.
    public func create(_ new: NewElement, differences: KeyedDifferences = .refuse) throws -> ElementCreation {
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
        if let key = new.key {
            guard !key.isEmpty else { throw CRMError.invalid("a key must not be empty") }
            if let keyed = try store.findElement(key: key) {
                return try reuse(keyed, for: new, pipeline: pipeline, differences: differences)
            }
        }
        let now = clock.now()
        var element = Element(
            id: 0, key: new.key, type: new.type, pipeline: pipeline.id, stage: stage, title: new.title,
            responsible: new.responsible.flatMap { $0.isEmpty ? nil : $0 },
            email: new.email.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 },
            phone: new.phone.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 },
            fields: new.fields, createdAt: now, updatedAt: now)
        element.id = try store.insertElement(element)
        let cascade = Cascade()
        try StageEntry(store: store, clock: clock, cascade: cascade).enter(
            &element, stage: stage, at: now, author: element.responsible ?? "system", cause: .created)
        return ElementCreation(status: .created, element: element, jobs: cascade.jobs, events: [])
    }

    /// The element `new`'s key names, given again: compared, and with `.apply` changed to the values given.
    private func reuse(
        _ keyed: Element, for new: NewElement, pipeline: Pipeline, differences mode: KeyedDifferences
    ) throws -> ElementCreation {
        func keyReused(_ why: String) -> CRMError {
            CRMError.invalid("key \"\(keyed.key ?? "")\" names element \(keyed.id), \(why)", code: "key_reused")
        }
        // Nothing changes an element's type or pipeline, not even --update.
        guard keyed.type == new.type else {
            throw keyReused("a \(keyed.type.rawValue), not a \(new.type.rawValue): an element's type never changes")
        }
        guard new.pipeline == nil || keyed.pipeline == pipeline.id else {
            throw keyReused(
                "which is in pipeline \(keyed.pipeline), not \(pipeline.id): an element's pipeline never changes")
        }
        let changes = new.differences(from: keyed)
        if changes.isEmpty {
            let status: CreationStatus = mode == .apply ? .unchanged : .duplicate
            return ElementCreation(status: status, element: keyed, jobs: [], events: [])
        }
        guard mode == .apply else {
            throw keyReused(
                "whose values differ from those given: \(changes.names.joined(separator: ", ")) "
                    + "(element set changes them, or element import --update)")
        }
        let events = try set(changes, of: keyed.id, by: nil)
        return ElementCreation(status: .updated, element: try store.element(id: keyed.id), jobs: [], events: events)
    }

    /// Changes an element's values as `element set` does (SPEC §3): a `responsible.changed` event when the
    /// responsible differs, then one `field.changed` event for the title, email, phone and free fields that
    /// differ; values equal to the current ones are no change. The caller holds the write transaction.
    /// Returns the events' results, [] when nothing differs.
    public func set(_ values: ElementValues, of id: Int64, by: String?) throws -> [EventResult] {
        let element = try store.element(id: id)
        var inputs: [EventInput] = []
        if let responsible = values.responsible, responsible != (element.responsible ?? "") {
            inputs.append(try EventInput.shorthand(
                .responsibleChanged, element: id, by: by, data: ["responsible": .string(responsible)]))
        }
        var changes = JSONObject()
        for (name, value) in values.standardAndFreeFields
        where element.value(of: name) != value && changes[name] == nil {
            changes[name] = .string(value)
        }
        if !changes.isEmpty {
            inputs.append(try EventInput.shorthand(
                .fieldChanged, element: id, by: by, data: ["fields": .object(changes)]))
        }
        let intake = EventIntake(store: store, clock: clock)
        var results: [EventResult] = []
        for input in inputs {
            let result = try intake.apply(input)
            if let error = result.error {
                // A refused event writes nothing; after an earlier one was written, only a rollback of the
                // whole transaction keeps the change from being half made.
                guard results.isEmpty else {
                    throw CRMError(
                        .internal, "element \(id): \(input.type.rawValue) was refused after an earlier event: \(error.message)")
                }
                throw error
            }
            results.append(result)
        }
        return results
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
