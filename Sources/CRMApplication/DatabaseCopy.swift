import CRMCore
import CRMStorage

/// `crmctl copy` (SPEC §10): a whole CRM from one database into an empty one — SQLite to PostgreSQL and
/// back — every row as it is (ids, keys, outcomes, timeline), read on one snapshot of the source and
/// written in one transaction on the target, so the target has all of it or nothing.
public struct DatabaseCopy {
    let source: any CRMStore
    let target: any CRMStore

    public init(from source: any CRMStore, to target: any CRMStore) {
        self.source = source
        self.target = target
    }

    /// Copies every table and returns its row count, in copy order.
    public func run() throws -> [(table: String, rows: Int)] {
        try source.readSnapshot {
            try target.write {
                try requireEmptyTarget()
                // The target's default pipelines make way for the source's, which has them too (maybe renamed).
                try target.deleteAllRows(of: "stages")
                try target.deleteAllRows(of: "pipelines")
                var counts: [(table: String, rows: Int)] = []
                for (table, _) in CopiedTables.all {
                    let columns = try source.copiedColumns(of: table)
                    guard try target.copiedColumns(of: table).map(\.name) == columns.map(\.name) else {
                        throw CRMError.invalid(
                            "the table \(table) of \(target.location) does not have the columns of \(source.location)")
                    }
                    var rows = 0
                    try source.forEachCopiedRow(of: table, columns: columns) { values in
                        try target.insertCopiedRow(into: table, columns: columns, values)
                        rows += 1
                    }
                    counts.append((table, rows))
                }
                for table in CopiedTables.withGivenIDs {
                    try target.continueIDs(in: table, after: try source.highestIDGiven(in: table))
                }
                return counts
            }
        }
    }

    /// Empty: what a new database holds (the default pipelines) and nothing else.
    private func requireEmptyTarget() throws {
        for (table, _) in CopiedTables.all where !["pipelines", "stages"].contains(table) {
            let rows = try target.rowCount(of: table)
            guard rows == 0 else {
                throw CRMError.invalid(
                    "\(target.location) is not empty (\(table): \(rows) rows): crmctl copy writes only into a new database",
                    code: "target_not_empty")
            }
        }
        guard try target.highestIDGiven(in: "pipelines") <= 2 else {
            throw CRMError.invalid(
                "\(target.location) is not empty (pipelines were added): crmctl copy writes only into a new database",
                code: "target_not_empty")
        }
    }
}
