import CRMCore
import CRMStorage

/// What creating an element with a key that names one already did (SPEC §3 "Element keys").
public enum CreationStatus: String, Sendable {
    /// A new element.
    case created
    /// The key's element, whose values equal those given: nothing written.
    case duplicate
    /// The key's element, changed to the values given (`element import --update`).
    case updated
    /// The key's element, whose values equal those given (`element import --update`): nothing written.
    case unchanged
}

/// What `ElementEditing.create` does with the key's element when the values given differ from its own.
public enum KeyedDifferences: Sendable {
    /// Refused `key_reused` (`lead create`, `deal create`, `element import`).
    case refuse
    /// Applied as `element set` applies them (`element import --update`); the type and pipeline still refuse.
    case apply
}

/// What `ElementEditing.create` did: the element as it is now, and what its creation or change made.
public struct ElementCreation: Sendable {
    public var status: CreationStatus
    public var element: Element
    /// The jobs the new element's entry into its first stage made (SPEC §7 rule 1).
    public var jobs: [JobSummary]
    /// The events that changed the key's element (`updated`), in order.
    public var events: [EventResult]
}

extension NewElement {
    /// The values given that differ from `element`'s: absent values are not compared, nor the stage (an
    /// element moves on after its creation). An email or phone is compared as it would be stored, without
    /// the spaces around it; an empty value means none, as at creation.
    func differences(from element: Element) -> ElementValues {
        func differing(_ name: String, _ given: String?) -> String? {
            guard let given else { return nil }
            let value = name == "email" || name == "phone" ? given.trimmingSpaces : given
            return element.value(of: name) == value ? nil : value
        }
        return ElementValues(
            title: differing("title", title), responsible: differing("responsible", responsible),
            email: differing("email", email), phone: differing("phone", phone),
            fields: fields.sorted { $0.key < $1.key }.compactMap { name, value in
                differing(name, value).map { (name, $0) }
            })
    }
}
