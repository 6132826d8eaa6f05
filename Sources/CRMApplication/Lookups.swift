import CRMCore
import CRMStorage

/// The things a command names, found or refused with the not-found error (66) that names them.
extension ElementStore {
    public func element(id: Int64) throws -> Element {
        guard let element = try findElement(id: id) else { throw CRMError.notFound("element \(id) does not exist") }
        return element
    }
}

extension ModelStore {
    public func pipeline(id: Int64) throws -> Pipeline {
        guard let pipeline = try findPipeline(id: id) else { throw CRMError.notFound("pipeline \(id) does not exist") }
        return pipeline
    }

    /// The pipeline a command names: `lead` or `deal` for the type's first pipeline, a number for an id.
    public func pipeline(named name: String) throws -> Pipeline {
        if let type = EntityType(rawValue: name) {
            guard let id = try pipelineIDs(type: type).first else {
                throw CRMError.notFound("there is no \(type.rawValue) pipeline")
            }
            return try pipeline(id: id)
        }
        if let id = Int64(name), id > 0 { return try pipeline(id: id) }
        // Beyond SPEC: a pipeline's own name works too, when it is unambiguous.
        let named = try pipelineIDs(named: name)
        guard named.count == 1 else {
            throw CRMError.notFound(
                named.isEmpty
                    ? "there is no pipeline \"\(name)\" (name one by lead, deal, its id or its name)"
                    : "more than one pipeline is named \"\(name)\": name it by its id")
        }
        return try pipeline(id: named[0])
    }

    public func pipelines(type: EntityType?) throws -> [Pipeline] {
        try pipelineIDs(type: type).map { try pipeline(id: $0) }
    }

    public func trigger(id: Int64) throws -> Trigger {
        guard let trigger = try findTrigger(id: id) else { throw CRMError.notFound("trigger \(id) does not exist") }
        return trigger
    }
}

/// An argument that may be an id or a caller's name for a thing is tried as an id first when it is all digits.
private func digitsOnly(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
}

extension RecordStore {
    /// The document named by an id or by its ref, if any.
    public func findDocument(named name: String) throws -> Document? {
        if digitsOnly(name), let id = Int64(name), id > 0, let found = try findDocument(id: id) { return found }
        return try findDocument(ref: name)
    }

    public func document(named name: String) throws -> Document {
        guard let found = try findDocument(named: name) else { throw CRMError.notFound("document \(name) does not exist") }
        return found
    }
}

extension EventStore {
    /// The event named by an id or by its key.
    public func event(named name: String) throws -> StoredEvent {
        if digitsOnly(name), let id = Int64(name), let found = try findEvent(id: id) { return found }
        guard let found = try findEvent(key: name) else { throw CRMError.notFound("event \(name) does not exist") }
        return found
    }
}
