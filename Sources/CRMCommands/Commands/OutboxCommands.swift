import ArgumentParser
import CRMApplication
import CRMCore
import CRMStorage
import JSON

struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Messages rules made for the outside world: list, show.",
        subcommands: [List.self, Show.self])

    struct List: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List messages by id, as they are read.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "pending, delivering, delivered, dead or discarded.") var status: MessageStatusArgument?
        @Option(help: "sms, email, notify or webhook.") var kind: MessageKindArgument?
        @Option(help: "Only this element's messages.") var element: Int64?
        @Option(help: "At most N messages (the first by id).") var limit: Int?

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        }

        func run(_ context: Context) throws {
            let store = try context.store()
            if let element { _ = try store.element(id: element) }  // a named element must exist (66)
            var first = true
            if context.json { context.io.output.write("[") }
            try store.forEachMessage(status: status?.value, kind: kind?.value, element: element, limit: limit) { message in
                if context.json {
                    if !first { context.io.output.write(",") }
                    var bytes: [UInt8] = []
                    JSONWriter.write(Render.message(message), into: &bytes)
                    context.io.output.write(bytes: bytes)
                } else {
                    if first { context.printLine("ID  KIND  ELEMENT  STATUS  ATTEMPTS  TO  TEXT") }
                    context.printLine(
                        [String(message.id), message.kind.rawValue, String(message.element), message.status.rawValue,
                         String(message.attempts), message.to ?? message.url ?? "-", message.text ?? "-"]
                            .joined(separator: "  ").printable)
                }
                first = false
            }
            if context.json { context.io.output.write("]\n") }
        }
    }

    struct Show: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one message with its payload.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The message's id.") var id: Int64

        func run(_ context: Context) throws {
            let message = try context.store().message(id: id)
            if context.json { return context.printJSON(Render.message(message)) }
            let fields = Render.message(message).objectValue ?? JSONObject()
            let width = fields.keys.map(\.count).max() ?? 0
            context.printLines(fields.map { key, value in
                let text = value.isNull ? "-" : value.scalarText ?? JSONWriter.serialize(value)
                return key + ":" + String(repeating: " ", count: width - key.count + 2) + text
            })
        }
    }
}

struct MessageStatusArgument: ExpressibleByArgument {
    let value: MessageStatus
    init?(argument: String) {
        guard let status = MessageStatus(rawValue: argument) else { return nil }
        value = status
    }
    static var allValueStrings: [String] { MessageStatus.allCases.map(\.rawValue) }
}

struct MessageKindArgument: ExpressibleByArgument {
    let value: MessageKind
    init?(argument: String) {
        guard let kind = MessageKind(rawValue: argument) else { return nil }
        value = kind
    }
    static var allValueStrings: [String] { MessageKind.allCases.map(\.rawValue) }
}
