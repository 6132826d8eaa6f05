import ArgumentParser
import CRMCore
import CRMStore

struct Init: CRMCommand {
    static let configuration = CommandConfiguration(commandName: "init",
        abstract: "Create the database with the default pipelines (idempotent).")

    @OptionGroup var global: GlobalOptions

    func run(_ context: Context) throws {
        let store = try context.store()
        if context.json {
            context.printJSON(["db": .string(store.path), "schema_version": JSONValue(Store.schemaVersion)])
        } else {
            context.printLine(store.path)  // the database it made ready: data, like a created id
        }
    }
}
