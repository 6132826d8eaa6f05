/// Every failure a command reports: the kind decides the exit code (SPEC §3), the code is the JSON
/// error code, the message is for people.
public struct CRMError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case usage, invalid, notFound, database, busy, `internal`

        public var exitCode: Int32 {
            switch self {
            case .usage: return 64
            case .invalid: return 65
            case .notFound: return 66
            case .database: return 74
            case .busy: return 75
            case .internal: return 1
            }
        }

        public var defaultCode: String {
            switch self {
            case .usage: return "usage"
            case .invalid: return "invalid"
            case .notFound: return "not_found"
            case .database: return "database"
            case .busy: return "busy"
            case .internal: return "internal"
            }
        }
    }

    public var kind: Kind
    public var code: String
    public var message: String

    public init(_ kind: Kind, _ message: String, code: String? = nil) {
        self.kind = kind
        self.code = code ?? kind.defaultCode
        self.message = message
    }

    public var description: String { message }

    /// The code of a `busy` failure that met another writer needing the same rows at the same time (a
    /// deadlock on PostgreSQL), rather than waiting past the busy timeout.
    public static let conflictCode = "conflict"

    public static func usage(_ message: String) -> CRMError { CRMError(.usage, message) }
    public static func invalid(_ message: String, code: String? = nil) -> CRMError { CRMError(.invalid, message, code: code) }
    public static func notFound(_ message: String, code: String? = nil) -> CRMError { CRMError(.notFound, message, code: code) }
}
