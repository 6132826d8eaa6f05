import ArgumentParser
import CRMCore
import JSON
import CRMApplication
import CRMStorage

struct EventCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event", abstract: "Feed events in, one at a time or as NDJSON batches, and see what they did.",
        subcommands: [Inject.self, Ingest.self, List.self, Explain.self, Types.self])

    struct Inject: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "inject", abstract: "Record one event and let the triggers act on it.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The event type, e.g. call.missed (see crmctl event types).", completion: .list(EventType.sendable.map(\.rawValue)))
        var type: String
        @Option(parsing: .unconditional, help: "The element's id.") var element: Int64?
        @Option(help: "The contact's email: the newest element in a process stage with it.") var email: String?
        @Option(help: "The contact's phone: the newest element in a process stage with it.") var phone: String?
        @Option(help: "An idempotency key: a repeated key applies nothing twice.") var key: String?
        @Option(help: "When it happened, RFC 3339 (default: now).") var at: String?
        @Option(help: "Who did it.") var by: String?
        @Option(help: "The event's data, a JSON object.") var data: String?
        @Option(help: "A data value, KEY=VALUE (repeatable; strings).") var set: [FieldAssignment] = []
        @Flag(help: "Compute the result and write nothing.") var dryRun = false

        func validate() throws {
            let targets = [element != nil, email != nil, phone != nil].filter { $0 }.count
            guard targets == 1 else { throw ValidationError("give exactly one of --element, --email, --phone") }
            if let at, Timestamp(rfc3339: at) == nil {
                throw ValidationError(Timestamp.problem("--at", rfc3339: at))
            }
        }

        func run(_ context: Context) throws {
            let input = try eventInput()
            let result = try apply(input, store: context.store(), clock: context.clock())
            if let error = result.error { throw error }
            if context.json { return context.printJSON(result.json()) }
            context.printLine(Render.eventSummary(result))
        }

        private func apply<Store: CRMStore>(_ input: EventInput, store: Store, clock: Clock) throws -> EventResult {
            try EventIntake(store: store, clock: clock).applyAlone(input, dryRun: dryRun)
        }

        private func eventInput() throws -> EventInput {
            var dataObject = JSONObject()
            if let data {
                let parsed: JSONValue
                do {
                    parsed = try JSONParser.parse(data)
                } catch {
                    throw CRMError.invalid("--data is not valid JSON: \(error.message)", code: "invalid_json")
                }
                guard let object = parsed.objectValue else { throw CRMError.invalid("--data must be a JSON object") }
                dataObject = object
            }
            for assignment in set { dataObject[assignment.name] = .string(assignment.value) }
            var event: JSONObject = ["type": .string(type)]
            if let key { event["key"] = .string(key) }
            if let element { event["element"] = JSONValue(element) }
            if let email { event["contact"] = ["email": .string(email)] }
            if let phone { event["contact"] = ["phone": .string(phone)] }
            if let at { event["at"] = .string(at) }
            if let by { event["by"] = .string(by) }
            event["data"] = .object(dataObject)
            do {
                return try EventInput(json: .object(event))
            } catch {
                throw CRMError.invalid(error.message, code: error.code.rawValue)
            }
        }
    }

    struct Ingest: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "ingest",
            abstract: "Apply NDJSON events from a file or stdin: one result line per input line.",
            discussion: #"Each line: {"key":…,"type":…,"element":ID or "contact":{"email":…}|{"phone":…},"at":…,"by":…,"data":{…}}"#)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The NDJSON file; - or nothing for stdin.", completion: .file()) var file: String?
        @Flag(help: "Compute the results and write nothing.") var dryRun = false

        func run(_ context: Context) throws {
            try ingest(store: context.store(), clock: context.clock(), context)
        }

        private func ingest<Store: CRMStore>(store: Store, clock: Clock, _ context: Context) throws {
            let intake = EventIntake(store: store, clock: clock)
            let dryRun = dryRun  // read once: a property wrapper's value is looked up on every read
            try BatchRun(context: context, verb: "ingest", dryRun: dryRun).run(
                store: store, file: file, input: NDJSONInput.init, prepare: IngestLine.init
            ) { line, output in
                var result: EventResult
                switch line.event {
                case .success(let input): result = try intake.apply(input)
                case .failure(let rejection): result = rejection.result
                }
                result.dryRun = dryRun
                result.write(into: &output, line: line.number)
                return result.status.rawValue
            }
        }
    }

    /// An input line as the reading thread leaves it: the event checked, or the result that refuses it. A
    /// class: the line is handed on and kept until its chunk commits, a reference is cheaper to copy.
    final class IngestLine: Sendable {
        struct Rejection: Error {
            let result: EventResult
        }

        let number: Int
        let event: Result<EventInput, Rejection>

        init(_ record: BatchRecord) {
            number = record.line
            switch record {
            case .rejected(_, let code, let message):
                // A line that is not even JSON has the same keys as a rejected event, nothing known in them.
                event = .failure(Rejection(result: .rejected(CRMError.invalid(message, code: code))))
            case .value(let value, _):
                do {
                    event = .success(try EventInput(json: value))
                } catch {
                    let object = value.objectValue
                    event = .failure(Rejection(result: .rejected(
                        CRMError.invalid(error.message, code: error.code.rawValue),
                        key: object?["key"]?.stringValue, type: object?["type"]?.stringValue,
                        element: object?["element"]?.int64Value)))
                }
            }
        }
    }

    struct List: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List events by id, as they are read.")
        @OptionGroup var global: GlobalOptions
        @Option(parsing: .unconditional, help: "Only this element's events.") var element: Int64?
        @Option(help: "Only events of this type.") var type: String?
        @Option(parsing: .unconditional, help: "Only events with an id greater than ID (a cursor).") var after: Int64?
        @Option(parsing: .unconditional, help: "Only the last N events (by id), printed in id order.") var last: Int?
        @Option(help: "Only events at or after TIME (RFC 3339, or a date for its midnight UTC).", transform: ReportTime.parse) var since: ReportTime?
        @Option(parsing: .unconditional, help: "At most N events (the first by id).") var limit: Int?

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
            if let last, last < 0 { throw ValidationError("--last must not be negative") }
            if let after, after < 0 { throw ValidationError("--after must not be negative") }
        }

        func run(_ context: Context) throws {
            if let type, EventType(rawValue: type) == nil {
                throw CRMError.invalid(EventType.unknownMessage(type), code: "unknown_type")
            }
            let store = try context.store()
            if let element { _ = try store.element(id: element) }  // a named element must exist (66)
            let filter = EventFilter(
                element: element, type: type, since: since?.timestamp, after: after, last: last, limit: limit)
            var list = StreamedList(context, header: List.header)
            try store.forEachEvent(filter) { event in
                try list.add(event.json, line: List.line(event))
            }
            list.finish()
        }

        static let header = "ID  AT  TYPE  ELEMENT  STATUS  KEY  MOVES"

        /// One event per line, read as it streams: no column widths to know in advance.
        static func line(_ event: StoredEvent) -> String {
            let moves = (event.json.objectValue?["moves"]?.arrayValue ?? []).compactMap { move -> String? in
                guard let object = move.objectValue else { return nil }
                return "\(object["from"]?.stringValue ?? "?")→\(object["to"]?.stringValue ?? "?")"
            }
            return [String(event.id), event.at.rfc3339, event.type, String(event.element), event.status,
                    event.key ?? "-", moves.isEmpty ? "-" : moves.joined(separator: " ")].joined(separator: "  ").printable
        }
    }

    struct Types: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "types",
            abstract: "Print the event types that can be sent in, their data (required keys marked) and the signals they give.")
        @OptionGroup var global: GlobalOptions

        func run(_ context: Context) throws {
            let types = EventType.sendable
            func data(_ type: EventType) -> [String] { type.dataKeys.map { type.requires($0) ? "\($0) (required)" : $0 } }
            if context.json {
                return context.printJSON(.array(types.map { type in
                    [
                        "type": .string(type.rawValue), "data": .array(data(type).map(JSONValue.string)),
                        "signals": .array(type.signals.map(JSONValue.string)),
                    ]
                }))
            }
            context.printLine(
                TextTable(
                    header: ["TYPE", "DATA", "SIGNALS, IN ORDER"],
                    rows: types.map { type in
                        [type.rawValue, data(type).joined(separator: ", "), type.signals.isEmpty ? "-" : type.signals.joined(separator: "; ")]
                    }
                ).render())
        }
    }

    struct Explain: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "explain",
            abstract: "Show why an event moved its element or not: the verdict of every trigger considered.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The event's id or key (tried as an id first when it is all digits).") var event: String?
        @Option(help: "The event's key, named unambiguously.") var key: String?

        func validate() throws {
            guard (event == nil) != (key == nil) else { throw ValidationError("give an event id or key, or --key K") }
            if event?.isEmpty == true || key?.isEmpty == true { throw ValidationError("an event id or key must not be empty") }
        }

        /// A trigger as a verdict names it: its name, and its stage unless the name says it already (the
        /// default name is `CODE → STAGE`).
        static func label(_ verdict: JSONObject) -> String {
            let name = verdict["name"]?.stringValue ?? "removed"
            let stage = verdict["stage"]?.stringValue ?? "?"
            return name.hasSuffix("→ \(stage)") ? name : "\(name) → \(stage)"
        }

        func run(_ context: Context) throws {
            let store = try context.store()
            let found: StoredEvent
            if let key {
                guard let byKey = try store.findEvent(key: key) else { throw CRMError.notFound("no event has the key \(key)") }
                found = byKey
            } else {
                found = try store.event(named: event ?? "")
            }
            let explanation = try found.explanation(labels: store.triggerLabel)
            if context.json { return context.printJSON(explanation) }
            guard let object = explanation.objectValue else { return }
            func text(_ key: String) -> String { object[key].map { $0.scalarText ?? JSONWriter.serialize($0) } ?? "-" }
            var lines = ["event \(text("id")) \(text("type")) on element \(text("element")) at \(text("at")): \(text("status"))"]
            if let key = object["key"]?.stringValue { lines.append("  key: \(key)") }
            for note in object["notes"]?.arrayValue ?? [] { lines.append("  note: \(note.stringValue ?? "")") }
            let signals = object["signals"]?.arrayValue ?? []
            if signals.isEmpty { lines.append("  no signal: no trigger was considered") }
            for signal in signals {
                guard let signal = signal.objectValue else { continue }
                lines.append("  signal \(signal["signal"]?.stringValue ?? "?")")
                let verdicts = signal["verdicts"]?.arrayValue ?? []
                if verdicts.isEmpty { lines.append("    no trigger of the pipeline has this code") }
                for verdict in verdicts {
                    guard let verdict = verdict.objectValue else { continue }
                    lines.append(
                        "    trigger \(verdict["trigger"]?.scalarText ?? "?") (\(Self.label(verdict))): \(verdict["verdict"]?.stringValue ?? "?") — \(verdict["detail"]?.stringValue ?? "")"
                    )
                }
            }
            for move in object["moves"]?.arrayValue ?? [] {
                guard let move = move.objectValue else { continue }
                let cause = move["trigger"]?.scalarText.map { "trigger \($0)" }
                    ?? "rule \(move["rule"]?.scalarText ?? "?"), job \(move["job"]?.scalarText ?? "?")"
                lines.append("  moved \(move["from"]?.stringValue ?? "?") → \(move["to"]?.stringValue ?? "?") (\(cause))")
            }
            for job in object["jobs"]?.arrayValue ?? [] {
                guard let job = job.objectValue else { continue }
                lines.append(
                    "  job \(job["job"]?.scalarText ?? "?") (rule \(job["rule"]?.scalarText ?? "?")): \(job["status"]?.stringValue ?? "?"), due \(job["due_at"]?.stringValue ?? "?")")
            }
            context.printLines(lines)
        }
    }
}
