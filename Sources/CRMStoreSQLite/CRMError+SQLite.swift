import CRMCore
import SQLiteDB

extension CRMError {
    /// Maps a failure from SQLite: locks to `busy`, file problems to `database`, anything else is a bug.
    init(_ error: SQLiteError, path: String) {
        if error.isBusy {
            self.init(.busy, "the database \(path) stayed locked past the busy timeout; nothing was written, try again")
        } else if error.isFileProblem {
            self.init(.database, "cannot use the database \(path): \(error.message)")
        } else {
            self.init(.internal, error.description)
        }
    }
}
