import ArgumentParser
import CRMCore
import JSON
import CRMApplication
import CRMStorage

/// The options `lead create` and `deal create` share.
struct ElementOptions: ParsableArguments {
    @Option(help: "The element's title.") var title: String
    @Option(help: "The responsible user.") var responsible: String?
    @Option(help: "The contact's email.") var email: String?
    @Option(help: "The contact's phone.") var phone: String?
    @Option(help: "A free field, NAME=VALUE (repeatable).") var field: [FieldAssignment] = []
    @Option(help: "The stage to start in (default: the pipeline's first).") var stage: String?
    @Option(help: "Your id for the element: created again with it, the element is not made twice.") var key: String?

    func newElement(_ type: EntityType, pipeline: String?) -> NewElement {
        NewElement(
            key: key, type: type, pipeline: pipeline, stage: stage, title: title, responsible: responsible,
            email: email, phone: phone, fields: Dictionary(field.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }))
    }
}

/// `NAME=VALUE`; the name must not be empty.
struct FieldAssignment: ExpressibleByArgument {
    var name: String
    var value: String
    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        name = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
    }
}

/// Creates one element in its own write transaction, or finds the one its key names.
func create(_ new: NewElement, _ context: Context) throws -> ElementCreation {
    try create(new, store: context.store(), clock: context.clock())
}

private func create<Store: CRMStore>(_ new: NewElement, store: Store, clock: Clock) throws -> ElementCreation {
    try store.write { try ElementEditing(store: store, clock: clock).create(new) }
}

/// The id alone — new, or the key's element's (a duplicate) — or with `--json` the element with its
/// `status` and the jobs its entry made (SPEC §7 rule 9).
func printCreated(_ created: ElementCreation, _ context: Context) {
    if context.json { return context.printJSON(Render.created(created)) }
    context.printLine(String(created.element.id))
}

struct LeadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lead", abstract: "Create leads.", subcommands: [Create.self])

    struct Create: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a lead; prints its id.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var element: ElementOptions

        func run(_ context: Context) throws {
            printCreated(try create(element.newElement(.lead, pipeline: nil), context), context)
        }
    }
}

struct DealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deal", abstract: "Create deals.", subcommands: [Create.self])

    struct Create: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a deal; prints its id.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "deal or a pipeline id (default: the first deal pipeline).") var pipeline: String?
        @OptionGroup var element: ElementOptions

        func run(_ context: Context) throws {
            printCreated(try create(element.newElement(.deal, pipeline: pipeline), context), context)
        }
    }
}

struct ElementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "element", abstract: "Import, list, show, move and edit leads and deals.",
        subcommands: [Import.self, List.self, Show.self, Move.self, SetValues.self, Delete.self])

    struct Import: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "import",
            abstract: "Create elements from NDJSON or CSV: one result line per input line or row.",
            discussion: """
                Each NDJSON line: {"key":…,"type":"lead","title":"…","responsible":…,"email":…,"phone":…,"pipeline":…,"stage":…,"fields":{…}}
                With --csv, a header row names the columns: key, type, title, responsible, email, phone, pipeline \
                and stage are the element's own, any other column is a free field; an empty cell is no value.
                A key already imported names its element: the line is a duplicate (nothing written) when its \
                values equal the element's, else refused (key_reused) unless --update. So a killed or nightly \
                import can simply run again. Result statuses: created, duplicate, updated, unchanged, rejected.
                """)
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Read CSV (RFC 4180) with a header row instead of NDJSON.") var csv = false
        @Flag(help: "A key's element whose values differ takes those given, as element set changes them (events, triggers).")
        var update = false
        @Argument(help: "The NDJSON or CSV file; - or nothing for stdin.", completion: .file()) var file: String?

        func run(_ context: Context) throws {
            try run(store: context.store(), clock: context.clock(), context)
        }

        private func run<Store: CRMStore>(store: Store, clock: Clock, _ context: Context) throws {
            let batch = BatchRun(context: context, verb: "import", dryRun: false)
            let editing = ElementEditing(store: store, clock: clock)
            let differences: KeyedDifferences = update ? .apply : .refuse
            let importRecord = { (record: BatchRecord, output: inout JSONStream) throws -> String in
                let (result, status) = try Self.importLine(record, editing: editing, differences: differences)
                output.value(result)
                return status
            }
            if csv {
                try batch.run(store: store, file: file, input: CSVElementInput.init, prepare: { $0 }, process: importRecord)
            } else {
                try batch.run(store: store, file: file, process: importRecord)
            }
        }

        /// One import line's result (`{line, status, element, key}`, with the element's type, pipeline and
        /// stage, the events an update made, or the error): the element created or found by its key, or why
        /// the line was refused.
        static func importLine<Store: CRMStore>(
            _ record: BatchRecord, editing: ElementEditing<Store>, differences: KeyedDifferences
        ) throws -> (JSONValue, String) {
            let value: JSONValue
            let line: Int
            switch record {
            case .rejected(let rejectedLine, let code, let message):
                let error: JSONValue = ["code": .string(code), "message": .string(message)]
                return (rejected(line: rejectedLine, key: nil, error: error), "rejected")
            case .value(let parsed, let parsedLine):
                (value, line) = (parsed, parsedLine)
            }
            do {
                // create refuses bad data before it writes anything.
                let created = try editing.create(try newElement(value), differences: differences)
                let element = created.element
                var result: JSONObject = [
                    "line": JSONValue(Int64(line)), "status": .string(created.status.rawValue),
                    "element": JSONValue(element.id), "key": JSONValue(element.key),
                    "type": .string(element.type.rawValue), "pipeline": JSONValue(element.pipeline),
                    "stage": .string(element.stage),
                ]
                if created.status == .updated { result["events"] = .array(created.events.map { JSONValue($0.event) }) }
                return (.object(result), created.status.rawValue)
            } catch var error as CRMError where error.kind != .busy && error.kind != .database && error.kind != .internal {
                // A line is data, not a command line: what would be a usage error is bad data here.
                if error.kind == .usage { error = CRMError.invalid(error.message) }
                return (rejected(line: line, key: value.objectValue?["key"]?.stringValue, error: error.json), "rejected")
            }
        }

        private static func rejected(line: Int, key: String?, error: JSONValue) -> JSONValue {
            ["line": JSONValue(Int64(line)), "status": "rejected", "element": .null, "key": JSONValue(key), "error": error]
        }

        static let keys: Set<String> = [
            "key", "type", "title", "responsible", "email", "phone", "pipeline", "stage", "fields",
        ]

        static func newElement(_ value: JSONValue) throws -> NewElement {
            guard let object = value.objectValue else { throw CRMError.invalid("an element must be a JSON object") }
            if let unknown = object.keys.first(where: { !keys.contains($0) }) {
                throw CRMError.invalid("unknown key \"\(unknown)\" (an element has \(keys.sorted().joined(separator: ", ")))")
            }
            func text(_ key: String) throws -> String? {
                guard let member = object[key], !member.isNull else { return nil }
                guard let text = member.stringValue else { throw CRMError.invalid("\(key) must be a string") }
                return text
            }
            guard let typeName = try text("type") else { throw CRMError.invalid("type is missing (lead or deal)") }
            guard let type = EntityType(rawValue: typeName) else {
                throw CRMError.invalid("type must be lead or deal, not \"\(typeName)\"")
            }
            guard let title = try text("title") else { throw CRMError.invalid("title is missing") }
            var pipeline: String?
            if let member = object["pipeline"], !member.isNull {
                if let id = member.int64Value, id > 0 {
                    pipeline = String(id)
                } else if let name = member.stringValue {
                    pipeline = name
                } else {
                    throw CRMError.invalid("pipeline must be lead, deal or a pipeline id")
                }
            }
            var fields: [String: String] = [:]
            if let member = object["fields"], !member.isNull {
                guard let fieldObject = member.objectValue else { throw CRMError.invalid("fields must be an object") }
                for (name, fieldValue) in fieldObject {
                    guard let text = fieldValue.scalarText else {
                        throw CRMError.invalid("fields.\(name) must be a string or a number")
                    }
                    fields[name] = text
                }
            }
            return NewElement(
                key: try text("key"), type: type, pipeline: pipeline, stage: try text("stage"), title: title,
                responsible: try text("responsible"), email: try text("email"), phone: try text("phone"), fields: fields)
        }
    }

    struct List: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List elements by id, as they are read.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "lead or deal.") var type: EntityTypeArgument?
        @Option(help: "lead, deal, or a pipeline id.") var pipeline: String?
        @Option(help: "Only elements in this stage.") var stage: String?
        @Option(help: "Only elements with this email (compared without case).") var email: String?
        @Option(help: "Only elements with this phone (compared by its digits and a leading +).") var phone: String?
        @Option(help: "Only elements this user is responsible for.") var responsible: String?
        @Option(help: "Only elements whose title contains TEXT (without case for ASCII letters).") var search: String?
        @Option(parsing: .unconditional, help: "Only elements with an id greater than ID (a cursor).") var after: Int64?
        @Option(parsing: .unconditional, help: "Only the last N elements (by id), printed in id order.") var last: Int?
        @Option(parsing: .unconditional, help: "At most N elements (the first by id).") var limit: Int?

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
            if let last, last < 0 { throw ValidationError("--last must not be negative") }
            if let after, after < 0 { throw ValidationError("--after must not be negative") }
        }

        func run(_ context: Context) throws {
            let store = try context.store()
            let pipelines = try pipeline.map { [try store.pipeline(named: $0)] } ?? store.pipelines(type: type?.value)
            if let stage, !pipelines.contains(where: { $0.stage(stage) != nil }) {
                let searched = pipeline.map { "pipeline \($0)" } ?? type.map { "\($0.value.rawValue) pipeline" } ?? "pipeline"
                throw CRMError.notFound("no \(searched) has a stage \(stage)")
            }
            let filter = ElementFilter(
                type: type?.value, pipeline: pipeline == nil ? nil : pipelines.first?.id, stage: stage, email: email,
                phone: phone, responsible: responsible, search: search, after: after, last: last, limit: limit)
            var list = StreamedList(context, header: List.header)
            try store.forEachElement(filter) { element in
                try list.add(Render.element(element), line: List.line(element))
            }
            list.finish()
        }

        static let header = "ID  TYPE  PIPELINE  STAGE  RESPONSIBLE  TITLE"

        /// One element per line, read as it streams: no column widths to know in advance.
        static func line(_ element: Element) -> String {
            [String(element.id), element.type.rawValue, String(element.pipeline), element.stage,
             element.responsible ?? "-", element.title].joined(separator: "  ").printable
        }
    }

    struct Show: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one element.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The element's id.") var id: Int64

        func run(_ context: Context) throws {
            Self.print(try context.store().element(id: id), context)
        }

        static func print(_ element: Element, _ context: Context) {
            if context.json { return context.printJSON(Render.element(element)) }
            var lines = [
                "id:           \(element.id)", "key:          \(element.key ?? "-")",
                "type:         \(element.type.rawValue)", "pipeline:     \(element.pipeline)", "stage:        \(element.stage)", "title:        \(element.title)",
                "responsible:  \(element.responsible ?? "-")", "email:        \(element.email ?? "-")",
                "phone:        \(element.phone ?? "-")",
            ]
            for (name, value) in element.fields.sorted(by: { $0.key < $1.key }) { lines.append("field \(name): \(value)") }
            lines += ["created_at:   \(element.createdAt.rfc3339)", "updated_at:   \(element.updatedAt.rfc3339)"]
            context.printLines(lines)
        }
    }

    struct Move: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "move",
            abstract: "Move an element by hand to any stage of its pipeline; fires no trigger.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The element's id.") var id: Int64
        @Option(help: "The target stage's code.") var stage: String
        @Option(name: .customLong("as"), help: "Who moves it (default: the responsible, else system).") var asUser: String?

        func run(_ context: Context) throws {
            let moved = try move(store: context.store(), clock: context.clock())
            if context.json { return context.printJSON(Render.elementWithJobs(moved)) }
            let element = moved.element
            guard let first = moved.moves.first else { return context.printLine("\(element.id): already in \(element.stage)") }
            // A rule may have moved it on: every stage change of the cascade, in order.
            let path = ([first.from] + moved.moves.map(\.to)).joined(separator: " → ")
            context.printLine("\(element.id): \(path)")
        }

        private func move<Store: CRMStore>(store: Store, clock: Clock) throws -> ElementChange {
            try ElementEditing(store: store, clock: clock).move(id: id, to: stage, author: asUser)
        }
    }

    struct Delete: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "delete",
            abstract: "Erase an element and everything recorded about it: events, timeline, documents, chats, emails, jobs, messages.",
            discussion: "In one transaction; the freed space is overwritten and the write-ahead log emptied, so no personal data of it stays in the file. Prints nothing (--json: the rows removed per table).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The element's id.") var id: Int64

        func run(_ context: Context) throws {
            guard let rows = try context.store().eraseElement(id: id) else {
                throw CRMError.notFound("element \(id) does not exist")
            }
            guard context.json else { return }
            context.printJSON(["deleted": JSONValue(id), "rows": .object(JSONObject(rows.map { ($0.table, JSONValue(Int64($0.rows))) }))])
        }
    }

    struct SetValues: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "set",
            abstract: "Change an element's values: records responsible.changed and field.changed events, which fire triggers.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The element's id.") var id: Int64
        @Option(help: "A new title.") var title: String?
        @Option(help: "A new responsible user.") var responsible: String?
        @Option(help: "A new email.") var email: String?
        @Option(help: "A new phone.") var phone: String?
        @Option(help: "A free field, NAME=VALUE (repeatable).") var field: [FieldAssignment] = []
        @Option(name: .customLong("as"), help: "Who changes it (the events' by).") var asUser: String?

        func run(_ context: Context) throws {
            let results = try apply(store: context.store(), clock: context.clock())
            if context.json { return context.printJSON(.array(results.map { $0.json() })) }
            for result in results { context.printLine(Render.eventSummary(result)) }
        }

        private func apply<Store: CRMStore>(store: Store, clock: Clock) throws -> [EventResult] {
            let values = ElementValues(
                title: title, responsible: responsible, email: email, phone: phone,
                fields: field.map { ($0.name, $0.value) })
            return try store.write { try ElementEditing(store: store, clock: clock).set(values, of: id, by: asUser) }
        }
    }
}
