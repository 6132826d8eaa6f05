import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The one runner of real processes (crmctl, sqlite3, make, sh, man) for the end-to-end and reliability
// tests. Standard output and error are pipes that threads read from the start, so a run may write any
// amount without filling a pipe and blocking: what it wrote is all there once it has ended.

/// A harness's own failure (a run that hung, output that is not what a check can read).
public struct HarnessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Where a run's standard input comes from.
public enum RunInput: Sendable {
    /// /dev/null.
    case none
    /// These bytes through a pipe, written from a background thread and closed at their end.
    case pipe(Data)
    /// These bytes in a file that the run reads like `< file`.
    case bytes(Data)
    /// A file opened for reading (like `< file` in a shell).
    case file(URL)
    /// A pipe the test writes to while the run goes on (`RunningProcess.feed`); `wait()` closes it.
    case open
}

/// What one finished run produced.
public struct ProcessResult: CustomStringConvertible {
    /// The exit status, or the signal when `signalled`.
    public var status: Int32
    /// Ended by a signal (a crash, or a test's SIGKILL) rather than by exit.
    public var signalled: Bool
    public var stdoutData: Data
    /// Empty when stderr went to a handle of the test's own.
    public var stderrData: Data
    /// The program's name and its arguments.
    public var command: [String]
    public var seconds: Double

    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrData, as: UTF8.self) }

    /// Exited (not signalled) with `code`.
    public func exited(_ code: Int32) -> Bool { !signalled && status == code }

    /// stdout split into lines (without the empty piece after the last newline).
    public var stdoutLines: [String] { textLines(stdout) }
    public var stderrLines: [String] { textLines(stderr) }

    /// stdout as one JSON object.
    public func jsonObject() throws -> [String: Any] {
        guard let object = try json() as? [String: Any] else {
            throw HarnessError("stdout is not a JSON object: \(stdout.prefix(500))")
        }
        return object
    }

    /// stdout as one JSON array of objects.
    public func jsonArray() throws -> [[String: Any]] {
        guard let array = try json() as? [[String: Any]] else {
            throw HarnessError("stdout is not a JSON array of objects: \(stdout.prefix(500))")
        }
        return array
    }

    private func json() throws -> Any {
        try JSONSerialization.jsonObject(with: stdoutData, options: [.fragmentsAllowed])
    }

    /// stdout as NDJSON: one object per line.
    public func ndjson() throws -> [[String: Any]] { try parseNDJSON(stdout) }

    public var description: String {
        let how = signalled ? "killed by signal \(status)" : "exit \(status)"
        return "\(command.prefix(8).joined(separator: " ")) → \(how) after \(String(format: "%.2f", seconds)) s\n"
            + "stdout: \(stdout.prefix(2000))\nstderr: \(stderr.prefix(2000))"
    }
}

/// A process started in the background; `wait()` gives what it produced.
public final class RunningProcess: @unchecked Sendable {
    private let command: [String]
    private let started = Date()
    private let process = Process()
    private let timeout: Double
    private let output: PipeReader
    private let errors: PipeReader?
    private let finished = DispatchSemaphore(value: 0)
    /// The write end of an `.open` input.
    private var inputWriter: FileHandle?
    private var handlesToClose: [FileHandle] = []
    private var filesToRemove: [URL] = []
    private var result: ProcessResult?

    /// A writer to a pipe whose reader has gone must get EPIPE, not kill the test runner with SIGPIPE.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Starts `executable` with `arguments` and exactly `environment`, in `directory`. stderr goes to
    /// `stderr` when given (a terminal, say), else it is collected like stdout. `wait()` kills a run that
    /// has not ended `timeout` seconds after it was called.
    public init(
        _ executable: URL, _ arguments: [String], environment: [String: String], directory: URL,
        input: RunInput = .none, stderr: FileHandle? = nil, timeout: Double
    ) throws {
        command = [executable.lastPathComponent] + arguments
        self.timeout = timeout
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory

        let outPipe = Pipe()
        process.standardOutput = outPipe
        output = PipeReader(outPipe)
        if let stderr {
            process.standardError = stderr
            errors = nil
        } else {
            let errPipe = Pipe()
            process.standardError = errPipe
            errors = PipeReader(errPipe)
        }

        var feeder: Thread?
        var inputPipe: Pipe?
        switch input {
        case .none:
            process.standardInput = FileHandle.nullDevice
        case .file(let url):
            let handle = try FileHandle(forReadingFrom: url)
            handlesToClose.append(handle)
            process.standardInput = handle
        case .bytes(let data):
            let url = directory.appendingPathComponent(".run-\(UUID().uuidString).in")
            try data.write(to: url)
            filesToRemove.append(url)
            let handle = try FileHandle(forReadingFrom: url)
            handlesToClose.append(handle)
            process.standardInput = handle
        case .pipe(let data):
            RunningProcess.ignoreSIGPIPE
            let pipe = Pipe()
            inputPipe = pipe
            process.standardInput = pipe
            let writer = pipe.fileHandleForWriting
            feeder = Thread {
                // A reader that stops early closes its end: write errors are not ours to report.
                try? writer.write(contentsOf: data)
                try? writer.close()
            }
        case .open:
            RunningProcess.ignoreSIGPIPE
            let pipe = Pipe()
            inputPipe = pipe
            process.standardInput = pipe
        }

        let finished = self.finished
        process.terminationHandler = { _ in finished.signal() }
        // A child inherits the signal mask of the thread that spawns it, and the threads tests run on block
        // nearly every signal: a shell's `wait` would then never see its children end. The run starts with
        // none blocked, as from a shell.
        var none = sigset_t()
        var kept = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &kept)
        do {
            try process.run()
            pthread_sigmask(SIG_SETMASK, &kept, nil)
        } catch {
            pthread_sigmask(SIG_SETMASK, &kept, nil)
            cleanUp()
            throw error
        }
        // Process.run closed the child's ends of the pipes in this process.
        output.start()
        errors?.start()
        if case .open = input { inputWriter = inputPipe?.fileHandleForWriting }
        feeder?.start()
    }

    public var isRunning: Bool { process.isRunning }

    /// Bytes read from stdout so far.
    public var stdoutSize: Int { output.count }

    /// Writes to the run's standard input (only with `.open`; `wait()` closes it).
    public func feed(_ data: Data) throws {
        guard let inputWriter else { throw HarnessError("this run has no open input") }
        try inputWriter.write(contentsOf: data)
    }

    private func closeInput() {
        try? inputWriter?.close()
        inputWriter = nil
    }

    /// SIGKILL: the process dies at once, wherever it is.
    public func kill9() { _ = kill(process.processIdentifier, SIGKILL) }

    /// Closes an `.open` input, waits for the end (killing the run after `timeout` seconds) and returns
    /// what it produced.
    @discardableResult
    public func wait() throws -> ProcessResult {
        if let result { return result }
        closeInput()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill9()
            process.waitUntilExit()
            cleanUp()
            throw HarnessError("\(command.prefix(6).joined(separator: " ")) hung for \(timeout) s and was killed")
        }
        process.waitUntilExit()
        // The readers reach the end once every writer has closed the pipe: normally at the exit. A child the
        // run left behind may hold it longer; its output is not waited for beyond a grace period.
        let grace = DispatchTime.now() + 30
        let stdoutData = output.collected(waitingUntil: grace)
        let stderrData = errors?.collected(waitingUntil: grace) ?? Data()
        cleanUp()
        let finishedRun = ProcessResult(
            status: process.terminationStatus,
            signalled: process.terminationReason == .uncaughtSignal,
            stdoutData: stdoutData,
            stderrData: stderrData,
            command: command,
            seconds: Date().timeIntervalSince(started))
        result = finishedRun
        return finishedRun
    }

    private func cleanUp() {
        closeInput()
        for handle in handlesToClose { try? handle.close() }
        handlesToClose = []
        for file in filesToRemove { try? FileManager.default.removeItem(at: file) }
        filesToRemove = []
    }
}

/// Reads a pipe to its end on a thread of its own, keeping everything read.
private final class PipeReader: @unchecked Sendable {
    private let pipe: Pipe
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) { self.pipe = pipe }

    func start() {
        // The thread keeps this reader, and with it the pipe's read end, until the end of the data.
        Thread { [self] in
            let descriptor = pipe.fileHandleForReading.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    lock.withLock { data.append(contentsOf: buffer[0..<count]) }
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            done.signal()
        }.start()
    }

    var count: Int { lock.withLock { data.count } }

    /// Everything read, once the end is reached or `deadline` passes.
    func collected(waitingUntil deadline: DispatchTime) -> Data {
        _ = done.wait(timeout: deadline)
        return lock.withLock { data }
    }
}
