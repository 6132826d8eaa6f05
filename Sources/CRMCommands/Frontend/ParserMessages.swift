import ArgumentParser

/// The parser reports the first problem it meets, which is not always the one the user made: a mistyped
/// `--titl` comes out as "Missing expected argument '--title'", an id of `-1` as a missing id. These
/// name the real mistake.
extension CRMCtl {
    static func message(for error: Error, arguments: [String]) -> String {
        let parserMessage = message(for: error)
        let command = namedCommand(arguments)
        if !command.type.configuration.subcommands.isEmpty, let word = command.unknownWord {
            return "unknown command \"\(word)\" (see \(command.path) --help)"
        }
        guard parserMessage.hasPrefix("Missing expected argument") || parserMessage.hasPrefix("Unknown option") else {
            return parserMessage
        }
        let options = arguments.prefix { $0 != "--" }
        let known = optionNames(of: command.type)
        if let unknown = options.first(where: { isOptionLike($0) && !known.contains(optionName($0)) }) {
            let name = optionName(unknown)
            if let suggestion = closest(to: name, among: known) {
                return "unknown option '\(name)' (did you mean '\(suggestion)'?)"
            }
            return "unknown option '\(name)' (see \(command.path) --help)"
        }
        if parserMessage.hasPrefix("Missing expected argument '<"),
            let negative = arguments.first(where: { $0.count > 1 && $0.hasPrefix("-") && $0.dropFirst().allSatisfy(\.isNumber) })
        {
            return "\(negative) is not an id: ids are whole numbers from 1"
        }
        return parserMessage
    }

    /// The deepest command the leading words of `arguments` name, how the user calls it, and the word
    /// after it that named nothing.
    static func namedCommand(_ arguments: [String]) -> (type: ParsableCommand.Type, path: String, unknownWord: String?) {
        var command: ParsableCommand.Type = CRMCtl.self
        var path = "crmctl"
        for word in arguments where !word.hasPrefix("-") {
            guard let sub = command.configuration.subcommands.first(where: { $0.configuration.commandName == word }) else {
                return (command, path, word)
            }
            command = sub
            path += " \(word)"
        }
        return (command, path, nil)
    }

    /// The long options a command takes, read from its own help: the parser offers no list of them, and
    /// the help is what the user sees, so a suggestion is always one the help shows.
    static func optionNames(of command: ParsableCommand.Type) -> Set<String> {
        var names: Set<String> = ["--help", "--version", "--json", "--db"]
        for word in helpMessage(for: command, columns: 200).split(whereSeparator: { " ,=<>()[]|\n".contains($0) }) {
            if word.hasPrefix("--"), word.count > 2, word.dropFirst(2).allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
                names.insert(String(word))
            }
        }
        return names
    }

    /// `--name` or `--name=value` (a lone `--` ends the options).
    static func isOptionLike(_ argument: String) -> Bool {
        argument.hasPrefix("--") && argument.count > 2
    }

    static func optionName(_ argument: String) -> String {
        String(argument.split(separator: "=", maxSplits: 1)[0])
    }

    /// The known name nearest to `name` by edit distance, when it is near enough to be a typo.
    static func closest(to name: String, among names: Set<String>) -> String? {
        let typed = Array(name.dropFirst(2))
        let ranked = names.map { ($0, editDistance(typed, Array($0.dropFirst(2)))) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        guard let best = ranked.first, best.1 <= max(1, typed.count / 3) else { return nil }
        return best.0
    }

    /// Edits (insert, delete, replace, swap two neighbours) from `a` to `b`: a swap is the commonest typo.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                let replace = table[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                table[i][j] = Swift.min(table[i - 1][j] + 1, table[i][j - 1] + 1, replace)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = Swift.min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
