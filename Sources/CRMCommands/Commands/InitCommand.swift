import ArgumentParser
import CRMCore
import JSON
import CRMApplication
import CRMStorage

struct Init: CRMCommand {
    static let configuration = CommandConfiguration(commandName: "init",
        abstract: "Create the database with the default pipelines (idempotent).")

    @OptionGroup var global: GlobalOptions

    func run(_ context: Context) throws {
        let store = try context.store()
        if context.json {
            context.printJSON(["db": .string(store.location), "schema_version": JSONValue(store.schemaVersion)])
        } else {
            context.printLine(store.location)  // the database it made ready: data, like a created id
        }
    }
}
