import ArgumentParser
import CRMApplication
import CRMCore
import JSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `crmctl copy --from SOURCE --to TARGET` (SPEC §10): moving a CRM between a file and a server.
struct Copy: CRMCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole CRM into a new database (SQLite file or postgresql:// URI), ids and all.",
        discussion: """
            The target must be new (created now, or holding only the default pipelines); it is written in one \
            transaction, so it gets everything or nothing. Prints the rows copied per table.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The database to copy: a file or a postgresql:// URI.") var from: String
    @Option(help: "The new database to copy into: a file or a postgresql:// URI.") var to: String

    func run(_ context: Context) throws {
        guard !from.isEmpty, !to.isEmpty else { throw CRMError.usage("--from and --to need a database") }
        guard global.db == nil else { throw CRMError.usage("copy takes --from and --to, not --db") }
        // Opening a file creates it: a mistyped source would be copied as an empty CRM.
        if !Context.isServerURI(from), access(from, F_OK) != 0 {
            throw CRMError.notFound("there is no database \(from) to copy", code: "no_database")
        }
        let source = try context.openStore(from)
        let target = try context.openStore(to)
        let counts = try DatabaseCopy(from: source, to: target).run()
        if context.json {
            context.printJSON([
                "from": .string(source.location), "to": .string(target.location),
                "tables": .object(JSONObject(counts.map { ($0.table, JSONValue($0.rows)) })),
            ])
        } else {
            context.printLine(
                TextTable(header: ["TABLE", "ROWS"], rows: counts.map { [$0.table, String($0.rows)] }, numeric: [1]).render())
        }
    }
}
