import CRMCore
import PostgresDB

extension PostgresError {
    /// A failure that running the transaction again may not meet: a deadlock, a serialization failure, or a
    /// unique key another writer committed first.
    var isConflict: Bool { kind == .deadlock || kind == .serializationFailure || kind == .uniqueViolation }
}

extension CRMError {
    /// Maps a failure from PostgreSQL: locks and conflicts to `busy` (75), an unreachable server, a refused
    /// login or a missing libpq to `database` (74), anything else is a bug. `uri`, when given, is taken out
    /// of the message: libpq repeats the connection string, password and all.
    init(_ error: PostgresError, location: String, uri: String? = nil) {
        var message = error.message
        if let uri, !uri.isEmpty { message = message.replacing(uri, with: location) }
        switch error.kind {
        case .lockNotAvailable, .deadlock, .serializationFailure:
            self.init(.busy, "a lock in \(location) was not granted within the busy timeout; nothing was written, try again")
        case .connection, .libpqMissing:
            self.init(.database, "cannot use the database \(location): \(message)")
        case .uniqueViolation, .other:
            // Class 08 is a broken connection, 53 a server out of resources, 57 a server shutting down, 3D a
            // database that does not exist, 28 a refused login: the database, not crmctl.
            if let state = error.sqlState, ["08", "53", "57", "3D", "28", "42501"].contains(where: state.hasPrefix) {
                self.init(.database, "cannot use the database \(location): \(message)")
            } else {
                self.init(.internal, error.description)
            }
        }
    }
}
