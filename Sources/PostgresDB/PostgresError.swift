/// A failed PostgreSQL call: what kind of failure it is (what a store maps to an exit code), the server's
/// SQLSTATE when it sent one, its message and the SQL that ran.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// libpq.so.5 could not be loaded (Debian's libpq5 is not installed).
        case libpqMissing
        /// The server could not be reached, refused the login, or the connection broke.
        case connection
        /// 23505 unique_violation.
        case uniqueViolation
        /// 55P03 lock_not_available: a lock was not granted within `lock_timeout`, or NOWAIT.
        case lockNotAvailable
        /// 40001 serialization_failure: the transaction may succeed if run again.
        case serializationFailure
        /// 40P01 deadlock_detected: the transaction may succeed if run again.
        case deadlock
        case other
    }

    public let kind: Kind
    /// The five-character SQLSTATE; nil for failures no server reported (loading libpq, connecting).
    public let sqlState: String?
    public let message: String
    public let sql: String?

    public init(kind: Kind, sqlState: String? = nil, message: String, sql: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
    }

    /// An error the server reported with `sqlState`, on a connection that is still up.
    init(sqlState: String?, message: String, sql: String?) {
        let kind: Kind =
            switch sqlState {
            case "23505": .uniqueViolation
            case "55P03": .lockNotAvailable
            case "40001": .serializationFailure
            case "40P01": .deadlock
            default: .other
            }
        self.init(kind: kind, sqlState: sqlState, message: message, sql: sql)
    }

    public var description: String {
        var text = "PostgreSQL error"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let sql { text += " (in: \(sql))" }
        return text
    }
}
