import CLibPQ

extension LibPQ {
    /// libpq's functions, loaded on the first call in the process: crmctl on SQLite never gets here and so
    /// never maps libpq and its dependencies.
    static func loaded() throws(PostgresError) -> UnsafePointer<LibPQ> {
        var error: UnsafePointer<CChar>?
        guard let functions = libpq_load(&error) else {
            let reason = error.map { String(cString: $0) } ?? "libpq.so.5 could not be loaded"
            throw PostgresError(
                kind: .libpqMissing, message: "PostgreSQL needs libpq5, version 14 or newer: apt-get install libpq5 (\(reason))")
        }
        return functions
    }
}
