import ArgumentParser
import CRMCore
import JSON
import CRMApplication
import CRMStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `crmctl` command line: parses, runs, and turns every failure into its message and exit code.
public struct CRMCtl: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "crmctl",
        abstract: "CRM triggers on the command line: leads and deals moved through their pipelines by what happens.",
        version: "0.1.0",
        subcommands: [
            Init.self, PipelineCommand.self, StageCommand.self, LeadCommand.self, DealCommand.self,
            ElementCommand.self, TriggerCommand.self, RuleCommand.self, JobCommand.self, OutboxCommand.self, Deliver.self,
            TickCommand.self, StatusCommand.self, Copy.self,
            DocumentCommand.self, EventCommand.self, History.self, Board.self, Report.self,
        ]
    )

    public init() {}

    /// Runs the process's command line and exits with its code.
    public static func runAndExit() -> Never {
        let io = ProcessIO.current()
        let code = run(Array(CommandLine.arguments.dropFirst()), io: io)
        Glibc.exit(code)
    }

    /// Runs one command line against `io` and returns the exit code (SPEC §3).
    public static func run(_ arguments: [String], io: ProcessIO) -> Int32 {
        let wantsJSON = arguments.contains("--json")
        defer {
            io.output.flush()
            io.errors.flush()
        }
        let crmCommand: any CRMCommand
        let (rest, global) = splittingGlobalOptions(arguments)
        // `crmctl help NAME…` prints the root's help for a name it does not know: that is a mistake.
        if rest.first == "help", let unknown = unknownCommand(Array(rest.dropFirst())) {
            report(CRMError(.usage, "unknown command \"\(unknown)\" (see crmctl --help)"), io: io, json: wantsJSON)
            return CRMError.Kind.usage.exitCode
        }
        do {
            var command = try parseCommandLine(rest + global)
            guard let parsed = command as? any CRMCommand else {
                let commandType = type(of: command)
                guard commandType.configuration.subcommands.isEmpty else {
                    // `crmctl` or `crmctl lead` alone: a script's empty "$CMD" is a mistake, not a request for
                    // help on stdout. The help goes to stderr, for the person reading it.
                    let name = commandType == CRMCtl.self ? "crmctl" : "crmctl \(commandType.configuration.commandName ?? "")"
                    if wantsJSON {
                        report(CRMError(.usage, "\(name) needs a command (see \(name) --help)"), io: io, json: true)
                    } else {
                        io.errors.writeLine("crmctl: error: \(name) needs a command\n")
                        io.errors.writeLine(CRMCtl.helpMessage(for: commandType, columns: nil))
                    }
                    return CRMError.Kind.usage.exitCode
                }
                // `help`: its run ends in a clean exit that prints the help.
                try command.run()
                return 0
            }
            crmCommand = parsed
        } catch {
            let code = exitCode(for: error).rawValue
            if code == 0 {
                io.output.writeLine(fullMessage(for: error))
                return 0
            }
            report(CRMError(.usage, usageMessage(for: error, rest: rest, global: global)), io: io, json: wantsJSON)
            return CRMError.Kind.usage.exitCode
        }
        let context = Context(io: io, options: crmCommand.global)
        do {
            try crmCommand.run(context)
            // Output that could not be written is an error whatever was done (SPEC §3): a script must not
            // take a lost id for a success.
            io.output.flush()
            if let failure = io.output.failure {
                throw CRMError(.database, "cannot write the output: \(failure)", code: "output")
            }
            return 0
        } catch let error as CRMError {
            report(error, io: io, json: context.json)
            return error.kind.exitCode
        } catch let error as CommandFailed {
            io.output.flush()
            if let failure = io.output.failure {
                report(CRMError(.database, "cannot write the output: \(failure)", code: "output"), io: io, json: context.json)
                return CRMError.Kind.database.exitCode
            }
            return error.exitCode
        } catch {
            report(CRMError(.internal, "\(error)"), io: io, json: context.json)
            return 1
        }
    }

    /// The first of `names` (a command path, options ignored) that is not a command there.
    static func unknownCommand(_ names: [String]) -> String? {
        var command: ParsableCommand.Type = CRMCtl.self
        for name in names where !name.hasPrefix("-") {
            guard let next = subcommand(named: name, of: command) else { return name }
            command = next
        }
        return nil
    }

    /// `--db PATH` and `--json` may come anywhere (`crmctl --db x.db lead list`, `crmctl element --json
    /// list`); the parser wants them after the subcommand, so they are split off and go at the end.
    static func splittingGlobalOptions(_ arguments: [String]) -> (rest: [String], global: [String]) {
        var global: [String] = []
        var rest: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--json" || argument.hasPrefix("--db=") {
                global.append(argument)
            } else if argument == "--db", index + 1 < arguments.endIndex {
                global.append(contentsOf: arguments[index...(index + 1)])
                index += 1
            } else {
                rest.append(argument)
            }
            index += 1
        }
        return (rest, global)
    }

    /// Where the command itself is wrong or missing (`crmctl --json frob`, `crmctl --json`), the parser
    /// blames the moved `--json` or `--db`; the command line without them names the real problem. A command
    /// that is right without them refused one of them (`--json board --html`): its own message says why.
    static func usageMessage(for error: Error, rest: [String], global: [String]) -> String {
        guard !global.isEmpty else { return message(for: error, arguments: rest) }
        do {
            let command = try parseAsRoot(rest)
            if command is any CRMCommand { return message(for: error) }
            if type(of: command) != CRMCtl.self,
                let name = type(of: command).configuration.commandName
            {
                return "crmctl \(name) needs a command (see crmctl \(name) --help)"
            }
        } catch let withoutGlobal where exitCode(for: withoutGlobal) != .success {
            return message(for: withoutGlobal, arguments: rest)
        } catch {
            // Help or version: no command was named.
        }
        return "\(global[0]) needs a command (see crmctl --help)"
    }

    static func report(_ error: CRMError, io: ProcessIO, json: Bool) {
        if json {
            let line: JSONValue = ["error": error.json]
            io.errors.writeLine(JSONWriter.serialize(line))
        } else {
            io.errors.writeLine("crmctl: error: \(error.message)")
        }
    }
}

/// A command that already told the user what went wrong (per-line results of a batch) and only sets the exit code.
struct CommandFailed: Error {
    var exitCode: Int32
}
