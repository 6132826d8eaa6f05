/// An object that keeps its members in order (output key order matters to users).
///
/// Keys are unique, as the parser rejects duplicates; every way of building an object keeps
/// one member per key. Equality compares members in order, because two objects that differ in
/// order serialize differently.
public struct JSONObject: Equatable, Sendable, Sequence {
    public private(set) var members: [(key: String, value: JSONValue)]

    public init() { members = [] }

    /// A key given twice keeps its first position and takes the later value, as assigning
    /// through the subscript would.
    public init(_ members: [(String, JSONValue)]) {
        self.members = []
        self.members.reserveCapacity(members.count)
        // Small objects (nearly all of them) scan; positions by key keep large ones linear.
        var positions: [String: Int]? = members.count > 16 ? [:] : nil
        for (key, value) in members {
            let position = positions != nil ? positions![key] : self.members.firstIndex { $0.key == key }
            if let position {
                self.members[position].value = value
            } else {
                positions?[key] = self.members.count
                self.members.append((key, value))
            }
        }
    }

    /// For the parser, which has already rejected duplicate keys.
    init(uniqueMembers: [(key: String, value: JSONValue)]) { members = uniqueMembers }

    public var count: Int { members.count }

    public var isEmpty: Bool { members.isEmpty }

    public var keys: [String] { members.map(\.key) }

    /// Setting replaces the value in place if the key is present, else appends; nil removes.
    public subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            let position = members.firstIndex { $0.key == key }
            switch (position, newValue) {
            case (let position?, let value?): members[position].value = value
            case (let position?, nil): members.remove(at: position)
            case (nil, let value?): members.append((key, value))
            case (nil, nil): break
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        members.makeIterator()
    }

    public var underestimatedCount: Int { members.count }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
