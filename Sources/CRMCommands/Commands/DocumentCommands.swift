import ArgumentParser
import CRMCore
import JSON
import CRMApplication
import CRMStorage

/// The document commands are shorthands for the document events of SPEC §6: same engine, same result.
struct DocumentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "document", abstract: "Create, send, view, sign and list documents; each step fires the paperwork triggers.",
        subcommands: [Create.self, Send.self, View.self, Sign.self, List.self, Show.self])

    struct Create: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a document on an element; prints its id.")
        @OptionGroup var global: GlobalOptions
        @Option(parsing: .unconditional, help: "The element's id.") var element: Int64
        @Option(help: "The template, e.g. offer or contract.") var template: String
        @Option(help: "The document's title.") var title: String?
        @Option(help: "Your own unique id for the document.") var ref: String?
        @Option(help: "Who creates it.") var by: String?

        func run(_ context: Context) throws {
            var data: JSONObject = ["template": .string(template)]
            if let title { data["title"] = .string(title) }
            if let ref { data["ref"] = .string(ref) }
            try DocumentCommand.record(.documentCreated, element: element, by: by, data: data, context: context) { result in
                String(result.document ?? 0)
            }
        }
    }

    struct Send: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: "Send a document to the client.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document's id or ref.") var document: String
        @Option(help: "email or sms.") var via: Channel
        @Option(help: "Who sends it.") var by: String?

        enum Channel: String, CaseIterable, ExpressibleByArgument { case email, sms }

        func run(_ context: Context) throws {
            try DocumentCommand.record(
                .documentSent, document: document, by: by, data: ["via": .string(via.rawValue)], context: context)
        }
    }

    struct View: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "view", abstract: "Record that the client opened the document through its link.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document's id or ref.") var document: String

        func run(_ context: Context) throws {
            try DocumentCommand.record(.documentViewed, document: document, by: nil, data: JSONObject(), context: context)
        }
    }

    struct Sign: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "sign", abstract: "Record a party's signature.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document's id or ref.") var document: String
        @Option(help: "sender (the company's signer) or recipient (the client).") var party: Party
        @Option(help: "Who signs.") var by: String?

        enum Party: String, CaseIterable, ExpressibleByArgument { case sender, recipient }

        func run(_ context: Context) throws {
            try DocumentCommand.record(
                .documentSigned, document: document, by: by, data: ["party": .string(party.rawValue)], context: context)
        }
    }

    struct List: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List documents by id.")
        @OptionGroup var global: GlobalOptions
        @Option(parsing: .unconditional, help: "Only this element's documents.") var element: Int64?

        func run(_ context: Context) throws {
            let store = try context.store()
            if let element { _ = try store.element(id: element) }  // a named element must exist (66)
            let documents = try store.documents(element: element)
            if context.json { return context.printJSON(.array(documents.map(Render.document))) }
            context.printLine(
                TextTable(
                    header: ["ID", "REF", "ELEMENT", "TEMPLATE", "SENT", "VIEWED", "SIGNED", "TITLE"],
                    rows: documents.map { document in
                        let signed = [document.senderSignedAt.map { _ in "sender" }, document.recipientSignedAt.map { _ in "recipient" }]
                            .compactMap { $0 }
                        return [String(document.id), document.ref ?? "-", String(document.element), document.template,
                                document.sentVia ?? "-", document.viewedAt == nil ? "-" : "yes",
                                signed.isEmpty ? "-" : signed.joined(separator: "+"), document.title ?? "-"]
                    }
                ).render())
        }
    }

    struct Show: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one document.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document's id or ref (tried as an id first when it is all digits).") var document: String?
        @Option(help: "The document's ref, named unambiguously.") var ref: String?

        func validate() throws {
            guard (document == nil) != (ref == nil) else { throw ValidationError("give a document id or ref, or --ref R") }
            if document?.isEmpty == true || ref?.isEmpty == true { throw ValidationError("a document id or ref must not be empty") }
        }

        func run(_ context: Context) throws {
            let store = try context.store()
            let found: Document
            if let ref {
                guard let byRef = try store.findDocument(ref: ref) else { throw CRMError.notFound("no document has the ref \(ref)") }
                found = byRef
            } else {
                found = try store.document(named: document ?? "")
            }
            if context.json { return context.printJSON(Render.document(found)) }
            let json = Render.document(found).objectValue ?? JSONObject()
            let width = json.keys.map(\.count).max() ?? 0
            context.printLines(json.map { key, value in
                key + ":" + String(repeating: " ", count: width - key.count + 2) + (value.scalarText ?? "-")
            })
        }
    }

    /// Records a document event on the document's own element.
    static func record(
        _ type: EventType, document: String, by: String?, data: JSONObject, context: Context
    ) throws {
        let found = try context.store().document(named: document)
        var data = data
        data["document"] = JSONValue(found.id)
        try record(type, element: found.element, by: by, data: data, context: context) { Render.eventSummary($0) }
    }

    /// Runs the event and prints its result with the document under `document` (`--json`), else `text`.
    static func record(
        _ type: EventType, element: Int64, by: String?, data: JSONObject, context: Context,
        text: (EventResult) -> String
    ) throws {
        let input = try EventInput.shorthand(type, element: element, by: by, data: data)
        let store = try context.store()
        let result = try apply(input, store: store, clock: context.clock())
        if let error = result.error { throw error }
        guard context.json else { return context.printLine(text(result)) }
        var object = result.json().objectValue ?? JSONObject()
        if let id = result.document {
            let document = Render.document(try store.document(named: String(id)))
            object["document"] = document
            if type == .documentCreated, var created = document.objectValue {
                // `document create` is also a create command, which prints the whole object (SPEC §3 says
                // both): the document's keys come first, then the event result's (`element` is the same).
                for (key, value) in object where created[key] == nil { created[key] = value }
                object = created
            }
        }
        context.printJSON(.object(object))
    }

    private static func apply<Store: CRMStore>(_ input: EventInput, store: Store, clock: Clock) throws -> EventResult {
        try EventIntake(store: store, clock: clock).applyAlone(input, dryRun: false)
    }
}
