import ArgumentParser

extension CRMCtl {
    /// The command a line names, parsed by ArgumentParser. `parseAsRoot` on crmctl first builds the tree of
    /// all its commands and reflects each command on the path: a third of the CPU time of a cron job's
    /// `event inject`. So when the line starts with the names of a command that has no subcommands, that
    /// command's own parser reads the rest: the same argument set, parsed and validated the same way, the
    /// names found as ArgumentParser finds them (command name or alias). Whatever that parser does not
    /// return as the command (an error, `--help`, `--version`, a completion request) goes through the
    /// whole tree again, so that help, the version and every message are the tree's own.
    static func parseCommandLine(_ arguments: [String]) throws -> ParsableCommand {
        if let (leaf, depth) = leafCommand(namedBy: arguments),
            let command = try? leaf.parseAsRoot(Array(arguments.dropFirst(depth))),
            type(of: command) == leaf
        {
            return command
        }
        return try parseAsRoot(arguments)
    }

    /// The command without subcommands that `arguments` name from their start, and how many names that took.
    static func leafCommand(namedBy arguments: [String]) -> (ParsableCommand.Type, Int)? {
        var command: ParsableCommand.Type = CRMCtl.self
        var depth = 0
        while !command.configuration.subcommands.isEmpty {
            guard depth < arguments.count else { return nil }
            guard let next = subcommand(named: arguments[depth], of: command) else { return nil }
            command = next
            depth += 1
        }
        return depth == 0 ? nil : (command, depth)
    }

    /// The subcommand of `command` that `name` names, as ArgumentParser matches it (command name or alias).
    static func subcommand(named name: String, of command: ParsableCommand.Type) -> ParsableCommand.Type? {
        command.configuration.subcommands.first { $0._commandName == name || $0.configuration.aliases.contains(name) }
    }
}
