import ArgumentParser
import CRMApplication
import CRMCore
import CRMStorage
import JSON

/// `crmctl deliver --exec COMMAND` (SPEC §9): hands each due message to a shell command, one lease each.
struct Deliver: CRMCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Hand each due outbox message to COMMAND (/bin/sh -c), the payload on its stdin; NDJSON out.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The command that sends one message: run with /bin/sh -c, the payload as one JSON line on stdin.")
    var exec: String
    @Option(help: "Only messages of this kind; repeatable.") var kind: [MessageKindArgument] = []
    @Option(parsing: .unconditional, help: "At most N messages.") var limit: Int?
    @Option(parsing: .unconditional, help: "A message is dead after N failed attempts.") var maxAttempts: Int = DeliveryPolicy.defaultMaxAttempts
    @Option(help: "Kill the command (its process group) when it runs longer (e.g. 30s, 2m).") var timeout: String = "30s"

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        if maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1") }
    }

    func run(_ context: Context) throws {
        let seconds = try parsedDuration(timeout, option: "--timeout")
        let clock = try context.clock()
        let store = try context.store()
        let sender = ShellSender(command: exec, timeoutMilliseconds: seconds * 1000, timeoutText: timeout)
        let summary = try store.deliver(
            kinds: kind.map(\.value), limit: limit, maxAttempts: maxAttempts, timeoutMilliseconds: seconds * 1000,
            clock: clock, send: sender.send
        ) { report in
            var line: JSONObject = [
                "message": JSONValue(report.message.id), "status": .string(report.message.status.rawValue),
                "attempts": JSONValue(Int64(report.message.attempts)),
            ]
            if let error = report.error {
                line["error"] = error.json
            }
            var bytes: [UInt8] = []
            JSONWriter.write(.object(line), into: &bytes)
            bytes.append(UInt8(ascii: "\n"))
            context.io.output.write(bytes: bytes)
            context.io.output.flush()
        }
        context.summary(
            "deliver",
            "\(summary.total) message\(summary.total == 1 ? "" : "s"): \(summary.delivered) delivered, "
                + "\(summary.failed) failed (to retry), \(summary.dead) dead, \(summary.leaseLost) lease lost",
            [("messages", JSONValue(summary.total)), ("delivered", JSONValue(summary.delivered)),
             ("failed", JSONValue(summary.failed)), ("dead", JSONValue(summary.dead)), ("lease_lost", JSONValue(summary.leaseLost))])
        if summary.hadFailures { throw CommandFailed(exitCode: CRMError.Kind.invalid.exitCode) }
    }
}

/// A DURATION option (SPEC §8's syntax), in seconds; malformed or zero is a usage error (64).
func parsedDuration(_ text: String, option: String) throws -> Int64 {
    let duration: Duration
    do {
        duration = try Duration(parsing: text)
    } catch {
        throw CRMError.usage("\(option): \(error.message)")
    }
    guard duration.seconds > 0 else { throw CRMError.usage("\(option) must be longer than 0s") }
    return duration.seconds
}
