import CRMStorage
import SQLiteDB

extension SQLiteStore {
    /// Runs several reads on one snapshot of the database, so figures that are read apart still add up
    /// while other processes write (board and report). Ends with a rollback: a read has nothing to commit.
    public func readSnapshot<T>(_ body: () throws -> T) throws -> T {
        try read {
            try db.execute("BEGIN")
            defer { db.rollbackIfOpen() }
            return try body()
        }
    }
}
