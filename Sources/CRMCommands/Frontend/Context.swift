import ArgumentParser
import CRMCore
import JSON
import CRMApplication
import CRMStorage
import CRMStorePostgres
import CRMStoreSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a process gives a command: its streams and environment. Tests give memory and their own environment.
public struct ProcessIO {
    public var output: Output
    public var errors: Output
    public var input: [UInt8]?
    public var environment: [String: String]

    /// The environment variables crmctl reads.
    static let variables = ["CRMCTL_DB", "CRMCTL_NOW", "CRMCTL_BUSY_TIMEOUT_MS", "COLUMNS", "NO_COLOR", "TERM"]

    /// The real process: stdout, stderr, stdin and the variables of its environment that crmctl reads (only
    /// those: copying the whole environment showed in the start-up profile).
    public static func current() -> ProcessIO {
        var environment: [String: String] = [:]
        for name in variables {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return ProcessIO(
            output: .fileDescriptor(STDOUT_FILENO), errors: .fileDescriptor(STDERR_FILENO), input: nil,
            environment: environment)
    }

    /// In memory, for tests: `input` is what stdin holds.
    public static func memory(input: [UInt8] = [], environment: [String: String] = [:]) -> ProcessIO {
        ProcessIO(output: .memory(), errors: .memory(), input: input, environment: environment)
    }
}

/// Options every command takes.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The database file or postgresql:// URI (default: $CRMCTL_DB, else ./crm.db).", completion: .file())
    public var db: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    public var json = false

    public init() {}
}

/// A command's run: the options every command shares, the process's streams, and the store opened on demand.
public final class Context {
    public let io: ProcessIO
    public let options: GlobalOptions
    private var openedStore: (any CRMStore)?

    init(io: ProcessIO, options: GlobalOptions) {
        self.io = io
        self.options = options
    }

    public var json: Bool { options.json }

    /// `--db`, else `$CRMCTL_DB` (an empty variable counts as unset), else `./crm.db`.
    public func databasePath() throws -> String {
        if let db = options.db {
            // `--db "$UNSET"` must not quietly open another database.
            guard !db.isEmpty else { throw CRMError.usage("--db needs a path") }
            return db
        }
        if let db = io.environment["CRMCTL_DB"], !db.isEmpty { return db }
        return "crm.db"
    }

    /// "Now": `$CRMCTL_NOW` when set, else the system clock.
    public func clock() throws -> Clock { try Clock(environment: io.environment) }

    /// The database, created on first use (SPEC §1).
    public func store() throws -> any CRMStore {
        if let openedStore { return openedStore }
        let store = try openStore(try databasePath())
        openedStore = store
        return store
    }

    /// The database at `location`, created on first use: a server's URI (SPEC §10), else a file.
    public func openStore(_ location: String) throws -> any CRMStore {
        let timeout: Int32
        if let text = io.environment["CRMCTL_BUSY_TIMEOUT_MS"], !text.isEmpty {
            guard let value = Int32(text), value >= 0 else {
                throw CRMError.usage("CRMCTL_BUSY_TIMEOUT_MS must be a number of milliseconds, not \"\(text)\"")
            }
            timeout = value
        } else {
            timeout = 5000
        }
        _ = try clock()  // a malformed $CRMCTL_NOW is refused before the database is touched
        if Context.isServerURI(location) {
            return try PostgresStore(uri: location, busyTimeoutMilliseconds: timeout)
        }
        return try SQLiteStore(path: location, busyTimeoutMilliseconds: timeout)
    }

    /// Whether a database location names a PostgreSQL server rather than an SQLite file.
    static func isServerURI(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Prints one JSON document on stdout.
    public func printJSON(_ value: JSONValue) {
        var bytes: [UInt8] = []
        JSONWriter.write(value, into: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        io.output.write(bytes: bytes)
    }

    public func printLine(_ text: String) { io.output.writeLine(text) }

    /// A streamed list stops reading once its output cannot be written: a full disk, or a closed pipe when
    /// SIGPIPE is ignored (a parent may have set it so), where `… | head -1` must still end at once.
    func stopIfOutputFailed() throws {
        if let failure = io.output.failure {
            throw CRMError(.database, "cannot write the output: \(failure)", code: "output")
        }
    }

    /// Prints lines for people that hold user data, each made safe for a terminal (`printable`): a value
    /// cannot send escape codes to the terminal or start a line of its own.
    func printLines(_ lines: [String]) {
        for line in lines { io.output.writeLine(line.printable) }
    }

    /// A message for people on stderr (never data).
    public func note(_ text: String) { io.errors.writeLine("crmctl: \(text)") }

    /// What a batch command did, on stderr after its data: a sentence for people, or with `--json` the
    /// line `{"summary": {"command": …, figures…}}`, so that a pipeline reading stderr reads JSON only.
    func summary(_ command: String, _ text: String, _ figures: [(String, JSONValue)]) {
        guard json else { return note("\(command): \(text)") }
        let line: JSONValue = ["summary": .object(JSONObject([("command", .string(command))] + figures))]
        io.errors.writeLine(JSONWriter.serialize(line))
    }

    /// The input named by FILE, or stdin for `-` or no FILE.
    func inputReader(_ file: String?) throws -> LineReader {
        guard let file, file != "-" else {
            if let input = io.input { return LineReader(bytes: input) }
            return LineReader(descriptor: STDIN_FILENO)
        }
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw errno == ENOENT
                ? CRMError.notFound("cannot open \(file): \(reason)") : CRMError.invalid("cannot open \(file): \(reason)")
        }
        return LineReader(descriptor: descriptor)
    }
}

/// A crmctl command: runs with a context; errors are reported and mapped to exit codes in one place.
protocol CRMCommand: ParsableCommand {
    var global: GlobalOptions { get }
    func run(_ context: Context) throws
}

extension CRMCommand {
    func run() throws {
        throw CRMError(.internal, "\(Self._commandName) runs through CRMCtl.run")
    }
}
