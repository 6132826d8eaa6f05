import CRMTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

// crmctl at home in the shell, as the built binary runs: `make install` (binary, man page, completions),
// board and report piped, not on a terminal (no escape codes), and the progress line, which only a terminal gets.

/// A pseudo-terminal: what a program writes to `terminal` can be read back from the master side.
final class PseudoTerminal {
    let master: Int32
    let terminal: FileHandle

    init() throws {
        // posix_openpt and friends are not in Swift's Glibc module; these are their Linux ioctls.
        let getNumber: UInt = 0x8004_5430  // TIOCGPTN
        let setLock: UInt = 0x4004_5431  // TIOCSPTLCK
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlocked: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, setLock, &unlocked) == 0, ioctl(master, getNumber, &number) == 0 else {
            throw HarnessError("no pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw HarnessError("cannot open /dev/pts/\(number)") }
        terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
    }

    deinit { close(master) }

    /// Everything written to the terminal until every writer closed it (read on a thread while `body` runs,
    /// so a full terminal buffer never blocks the writer).
    func capture(_ body: () throws -> Void) rethrows -> String {
        let collected = Collected()
        let reader = Thread { [master] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(master, &buffer, buffer.count)
                if count <= 0 { break }  // EIO once the last writer has closed the terminal
                collected.append(buffer[0..<count])
            }
            collected.done.signal()
        }
        reader.start()
        try body()
        try? terminal.close()
        _ = collected.done.wait(timeout: .now() + 30)
        return String(decoding: collected.bytes, as: UTF8.self)
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [UInt8] = []
        let done = DispatchSemaphore(value: 0)
        var bytes: [UInt8] { lock.withLock { stored } }
        func append(_ bytes: ArraySlice<UInt8>) { lock.withLock { stored += bytes } }
    }
}

@Suite("Manual and completion install") struct ManualAndCompletionInstallTests {
    @Test("make install puts the binary, the man page and the three completion scripts under PREFIX")
    func makeInstall() throws {
        let sandbox = try Sandbox(name: "install")
        let prefix = sandbox.path("prefix")
        // The binary under test stands in for the release build (-o release: not rebuilt here).
        let make = try sandbox.program(
            "/usr/bin/make",
            ["-C", TestPaths.packageRoot.path, "-o", "release", "install", "PREFIX=\(prefix.path)",
             "BIN_RELEASE=\(TestPaths.crmctl.path)", "COMPLETIONS=\(sandbox.path("completions").path)"])
        #expect(make.status == 0, "\(make)")
        let installed = [
            "bin/crmctl", "share/man/man1/crmctl.1", "share/bash-completion/completions/crmctl",
            "share/zsh/site-functions/_crmctl", "share/fish/vendor_completions.d/crmctl.fish",
        ]
        for path in installed {
            let size = (try? FileManager.default.attributesOfItem(atPath: prefix.appendingPathComponent(path).path)[.size] as? Int) ?? 0
            #expect(size > 0, "\(path) is missing or empty")
        }
        #expect(FileManager.default.isExecutableFile(atPath: prefix.appendingPathComponent("bin/crmctl").path))
        let version = try sandbox.program(prefix.appendingPathComponent("bin/crmctl").path, ["--version"])
        #expect(version.stdout == "0.1.0\n", "\(version)")

        let bash = try String(contentsOf: prefix.appendingPathComponent("share/bash-completion/completions/crmctl"), encoding: .utf8)
        #expect(bash.contains("board") && bash.contains("report") && bash.contains("--csv"))
        let syntax = try sandbox.program("/bin/bash", ["-n", prefix.appendingPathComponent("share/bash-completion/completions/crmctl").path])
        #expect(syntax.status == 0, "bash cannot parse its completion script: \(syntax)")
        let zsh = try String(contentsOf: prefix.appendingPathComponent("share/zsh/site-functions/_crmctl"), encoding: .utf8)
        #expect(zsh.hasPrefix("#compdef crmctl"))
        let fish = try String(contentsOf: prefix.appendingPathComponent("share/fish/vendor_completions.d/crmctl.fish"), encoding: .utf8)
        #expect(fish.contains("complete -c 'crmctl'"))
    }

    @Test("man -l renders the page with every command, without warnings", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/man")))
    func manRendersThePage() throws {
        let sandbox = try Sandbox(name: "man")
        var environment = sandbox.environment
        environment["MANWIDTH"] = "80"
        environment["MAN_KEEP_FORMATTING"] = nil
        let page = TestPaths.file("man/crmctl.1").path
        let man = try sandbox.program("/usr/bin/man", ["--warnings", "-l", page], environment: environment)
        #expect(man.status == 0, "\(man)")
        #expect(man.stderr.isEmpty, "man or groff warned: \(man.stderr)")
        let text = man.stdout
        for heading in ["NAME", "SYNOPSIS", "COMMANDS", "ENVIRONMENT", "EXIT STATUS", "EXAMPLES"] {
            #expect(text.contains("\n\(heading)\n"), "no \(heading)")
        }
        for command in ["init", "pipeline create", "element import", "event ingest", "trigger add", "document sign", "board", "report"] {
            #expect(text.contains("crmctl \(command)"), "the page lacks crmctl \(command)")
        }
        let widest = text.components(separatedBy: "\n").map(\.count).max() ?? 0
        #expect(widest <= 80, "a line of \(widest) columns")
    }
}

@Suite("Board and report piped") struct BoardReportPipedTests {
    @Test("board and report piped into a file have no escape codes and fit 80 columns, even with a colour TERM")
    func pipedOutputIsPlain() throws {
        let sandbox = try Sandbox(name: "piped")
        sandbox.environment["TERM"] = "xterm-256color"
        try sandbox.ok(["trigger", "add", "--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--name", "call back"])
        for number in 1...6 { try sandbox.create(["lead", "create", "--title", "Lead \(number) with a rather long title"]) }
        try sandbox.ok(["element", "move", "2", "--stage", "CONVERTED"])
        try sandbox.ok(["event", "inject", "--type", "call.missed", "--element", "1"])
        for command in [["board"], ["board", "--pipeline", "deal"], ["report"]] {
            let run = try sandbox.ok(command)
            #expect(!run.stdout.contains("\u{1B}"), "\(run)")
            #expect(run.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(run)")
            #expect(run.stderr.isEmpty)
        }
        let board = try sandbox.ok(["board"]).stdout
        #expect(board.contains("IN_PROCESS   1"), "\(board)")
        #expect(board.contains("✓ CONVERTED  1"), "\(board)")
        let report = try sandbox.ok(["report"]).stdout
        #expect(report.contains("Moves            2 (1 by triggers, 1 by hand)"), "\(report)")
    }
}

@Suite("Progress on a terminal only") struct ProgressTerminalTests {
    /// A database with 100 leads and an NDJSON file of `count` keyed call events on them.
    func prepare(_ sandbox: Sandbox, events count: Int) throws -> URL {
        let leads = (1...100).map { #"{"type":"lead","title":"Lead \#($0)"}"# }.joined(separator: "\n") + "\n"
        try sandbox.ok(["element", "import"], input: .pipe(Data(leads.utf8)))
        let events = sandbox.path("events.ndjson")
        var text = ""
        for number in 0..<count {
            text += #"{"key":"k\#(number)","type":"call.incoming","element":\#(number % 100 + 1),"data":{"line":"x"}}"# + "\n"
        }
        try text.write(to: events, atomically: true, encoding: .utf8)
        return events
    }

    @Test("stderr on a terminal shows the progress line, then the summary alone")
    func terminalGetsTheProgressLine() throws {
        let sandbox = try Sandbox(name: "progress-tty")
        let events = try prepare(sandbox, events: 30_000)
        let terminal = try PseudoTerminal()
        var outcome: ProcessResult?
        let screen = try terminal.capture {
            outcome = try sandbox.program(TestPaths.crmctl.path, ["event", "ingest", events.path], stderr: terminal.terminal)
        }
        #expect(outcome?.status == 0, "\(String(describing: outcome))")
        #expect(outcome?.stdout.split(separator: "\n").count == 30_000)
        #expect(screen.contains("\rcrmctl: ingest: ") == false)
        #expect(screen.contains("ingest: "), "\(screen)")
        #expect(screen.contains(" lines/s · "), "no progress line on the terminal: \(screen.debugDescription)")
        #expect(screen.contains("% · about ") || screen.contains("100%"), "\(screen.debugDescription)")
        // The line is cleared before the summary, which ends the output on a line of its own.
        #expect(screen.hasSuffix("\r\u{1B}[Kcrmctl: ingest: 30000 lines: 30000 recorded\r\n"), "\(screen.debugDescription)")
    }

    @Test("stderr into a file gets the summary alone, and so does stdin that is a pipe")
    func pipesAndFilesGetTheSummaryAlone() throws {
        let sandbox = try Sandbox(name: "progress-file")
        let events = try prepare(sandbox, events: 30_000)
        let run = try sandbox.ok(["event", "ingest", events.path])
        #expect(run.stderr == "crmctl: ingest: 30000 lines: 30000 recorded\n")
        #expect(run.stdoutLines.count == 30_000)
        let again = try sandbox.ok(["event", "ingest"], input: .file(events))
        #expect(again.stderr == "crmctl: ingest: 30000 lines: 30000 duplicate\n")
    }
}
