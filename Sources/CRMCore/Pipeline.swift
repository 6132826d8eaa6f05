/// The two kinds of CRM element.
public enum EntityType: String, Sendable, CaseIterable {
    case lead, deal
}

/// What reaching a stage means: still in work, won, or lost.
public enum StageSemantic: String, Sendable, CaseIterable {
    case process, success, failure

    /// Success and failure stages close an element.
    public var isClosed: Bool { self != .process }
}

public struct Stage: Sendable, Equatable {
    public var code: String
    public var name: String
    public var semantic: StageSemantic

    public init(code: String, name: String, semantic: StageSemantic) {
        self.code = code
        self.name = name
        self.semantic = semantic
    }

    /// Stage codes are `[A-Z0-9_]+`.
    public static func isValidCode(_ code: String) -> Bool {
        !code.isEmpty
            && code.utf8.allSatisfy {
                switch $0 {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): true
                default: false
                }
            }
    }
}

/// A pipeline and its stages in order.
public struct Pipeline: Sendable, Equatable {
    public var id: Int64
    public var type: EntityType
    public var name: String
    public var stages: [Stage]

    public init(id: Int64, type: EntityType, name: String, stages: [Stage]) {
        self.id = id
        self.type = type
        self.name = name
        self.stages = stages
    }

    public func position(of code: String) -> Int? { stages.firstIndex { $0.code == code } }

    public func stage(_ code: String) -> Stage? { stages.first { $0.code == code } }

    /// Checks the rules of a pipeline's stages; the message says which one is broken.
    public static func validate(stages: [Stage]) throws(ValidationFailure) {
        var seen: Set<String> = []
        for stage in stages {
            guard Stage.isValidCode(stage.code) else {
                throw ValidationFailure("stage code \"\(stage.code)\" must be made of A-Z, 0-9 and _")
            }
            guard seen.insert(stage.code).inserted else {
                throw ValidationFailure("stage code \(stage.code) appears twice")
            }
            guard !stage.name.isEmpty else { throw ValidationFailure("stage \(stage.code) needs a name") }
        }
        guard stages.contains(where: { $0.semantic == .process }) else {
            throw ValidationFailure("a pipeline needs at least one process stage")
        }
        let successes = stages.filter { $0.semantic == .success }.count
        guard successes == 1 else {
            throw ValidationFailure("a pipeline needs exactly one success stage, not \(successes)")
        }
        guard stages.contains(where: { $0.semantic == .failure }) else {
            throw ValidationFailure("a pipeline needs at least one failure stage")
        }
        if let lastProcess = stages.lastIndex(where: { $0.semantic == .process }),
            let firstClosed = stages.firstIndex(where: { $0.semantic.isClosed }), firstClosed < lastProcess
        {
            throw ValidationFailure(
                "success and failure stages come after all process stages (\(stages[firstClosed].code) is before \(stages[lastProcess].code))"
            )
        }
    }
}

/// A rule of the model broken by the input; the message names the problem.
public struct ValidationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
