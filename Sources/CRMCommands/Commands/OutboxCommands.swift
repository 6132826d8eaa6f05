import ArgumentParser
import CRMApplication
import CRMCore
import CRMStorage
import JSON

struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Messages rules made for the outside world: list, show, pull, ack, fail, retry, discard.",
        subcommands: [List.self, Show.self, Pull.self, Ack.self, Fail.self, Retry.self, Discard.self])

    struct List: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List messages by id, as they are read.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "pending, delivering, delivered, dead or discarded.") var status: MessageStatusArgument?
        @Option(help: "sms, email, notify or webhook.") var kind: MessageKindArgument?
        @Option(parsing: .unconditional, help: "Only this element's messages.") var element: Int64?
        @Option(parsing: .unconditional, help: "At most N messages (the first by id).") var limit: Int?

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        }

        func run(_ context: Context) throws {
            let store = try context.store()
            if let element { _ = try store.element(id: element) }  // a named element must exist (66)
            var list = StreamedList(context, header: "ID  KIND  ELEMENT  STATUS  ATTEMPTS  TO  TEXT")
            try store.forEachMessage(status: status?.value, kind: kind?.value, element: element, limit: limit) { message in
                try list.add(Render.message(message), line: Self.line(message))
            }
            list.finish()
        }

        /// One message per line, read as it streams.
        static func line(_ message: OutboxMessage) -> String {
            [String(message.id), message.kind.rawValue, String(message.element), message.status.rawValue,
             String(message.attempts), message.to ?? message.url ?? "-", message.text ?? "-"]
                .joined(separator: "  ").printable
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

extension OutboxCommand {
    struct Pull: CRMCommand {
        static let configuration = CommandConfiguration(
            commandName: "pull", abstract: "Lease up to N due messages and print them as NDJSON, each with its lease token.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only messages of this kind; repeatable.") var kind: [MessageKindArgument] = []
        @Option(parsing: .unconditional, help: "At most N messages.") var limit: Int = 100
        @Option(help: "How long the lease holds (e.g. 5m, 1h).") var lease: String = "5m"

        func validate() throws {
            if limit < 0 { throw ValidationError("--limit must not be negative") }
        }

        func run(_ context: Context) throws {
            let seconds = try parsedDuration(lease, option: "--lease")
            let clock = try context.clock()
            let leased = try context.store().pullMessages(
                kinds: kind.map(\.value), limit: limit, leaseMilliseconds: seconds * 1000, clock: clock)
            for message in leased {
                var object = Render.message(message).objectValue ?? JSONObject()
                object["lease"] = .string(message.leaseToken)
                var bytes: [UInt8] = []
                JSONWriter.write(.object(object), into: &bytes)
                bytes.append(UInt8(ascii: "\n"))
                context.io.output.write(bytes: bytes)
            }
            context.summary("pull", "\(leased.count) message\(leased.count == 1 ? "" : "s") leased", [("leased", JSONValue(leased.count))])
        }
    }

    struct Ack: CRMCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack", abstract: "Mark leased messages delivered (ID:N, the lease token, or a bare ID).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Lease tokens (ID:N) or message ids.") var leases: [LeaseTokenArgument]

        func validate() throws {
            if leases.isEmpty { throw ValidationError("ack needs at least one ID or ID:N") }
        }

        func run(_ context: Context) throws {
            let store = try context.store()
            let clock = try context.clock()
            var failure: CRMError?
            for token in leases {
                do {
                    OutboxCommand.printState(try store.ackMessage(token.value, clock: clock), context)
                } catch let error as CRMError where error.kind == .invalid || error.kind == .notFound {
                    // Each token on its own: the others are still acknowledged; the first failure sets the exit code.
                    CRMCtl.report(error, io: context.io, json: context.json)
                    failure = failure ?? error
                }
            }
            if let failure { throw CommandFailed(exitCode: failure.kind.exitCode) }
        }
    }

    struct Fail: CRMCommand {
        static let configuration = CommandConfiguration(
            commandName: "fail", abstract: "Record a failed attempt for a leased message (backoff, or dead).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The lease token (ID:N) or the message id.") var lease: LeaseTokenArgument
        @Option(help: "Why the attempt failed (kept as last_error).") var error: String
        @Option(parsing: .unconditional, help: "The message is dead after N failed attempts.") var maxAttempts: Int = DeliveryPolicy.defaultMaxAttempts

        func validate() throws {
            if maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1") }
        }

        func run(_ context: Context) throws {
            let clock = try context.clock()
            OutboxCommand.printState(
                try context.store().failMessage(lease.value, error: error, maxAttempts: maxAttempts, clock: clock), context)
        }
    }

    struct Retry: CRMCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry", abstract: "Make a dead (or pending) message due now, its attempts reset.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The message's id.") var id: Int64

        func run(_ context: Context) throws {
            let clock = try context.clock()
            OutboxCommand.printState(try context.store().retryMessage(id: id, clock: clock), context)
        }
    }

    struct Discard: CRMCommand {
        static let configuration = CommandConfiguration(
            commandName: "discard", abstract: "Never hand a message over (again).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The message's id.") var id: Int64

        func run(_ context: Context) throws {
            OutboxCommand.printState(try context.store().discardMessage(id: id), context)
        }
    }

    /// A message after ack, fail, retry or discard: its JSON object (one line), or `ID  STATUS  attempts N`.
    static func printState(_ message: OutboxMessage, _ context: Context) {
        if context.json { return context.printJSON(Render.message(message)) }
        var line = "\(message.id)  \(message.status.rawValue)  attempts \(message.attempts)"
        if message.status == .pending { line += "  next \(message.nextAttemptAt.rfc3339)" }
        context.printLine(line)
    }
}

struct LeaseTokenArgument: ExpressibleByArgument {
    let value: LeaseToken
    init?(argument: String) {
        guard let token = LeaseToken(parsing: argument) else { return nil }
        value = token
    }
}

struct MessageStatusArgument: ExpressibleByArgument {
    let value: MessageStatus
    init?(argument: String) {
        guard let status = MessageStatus(rawValue: argument) else { return nil }
        value = status
    }
    static var allValueStrings: [String] { MessageStatus.allCases.map(\.rawValue) }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

struct MessageKindArgument: ExpressibleByArgument {
    let value: MessageKind
    init?(argument: String) {
        guard let kind = MessageKind(rawValue: argument) else { return nil }
        value = kind
    }
    static var allValueStrings: [String] { MessageKind.allCases.map(\.rawValue) }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
