import CRMCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands a message to `/bin/sh -c COMMAND` (SPEC §9): started with posix_spawn in its own process group,
/// the payload as one JSON line on stdin, stdout to /dev/null, stderr read for its last non-empty line,
/// crmctl's environment plus `CRMCTL_MESSAGE_ID`, `_KIND`, `_TO` and `_URL`. When it has not exited
/// within the timeout its whole process group gets SIGTERM, then SIGKILL after a short grace.
public final class ShellSender {
    let command: String
    let timeoutMilliseconds: Int64
    /// How `--timeout` was written, for `last_error`.
    let timeoutText: String
    /// crmctl's environment, without variables of the names it sets.
    let baseEnvironment: [String]
    /// Between SIGTERM and SIGKILL.
    static let graceMilliseconds: Int64 = 250
    /// The longest stderr line kept (its start).
    static let lineLimit = 1000

    public init(command: String, timeoutMilliseconds: Int64, timeoutText: String) {
        self.command = command
        self.timeoutMilliseconds = timeoutMilliseconds
        self.timeoutText = timeoutText
        var environment: [String] = []
        if var entry = environ as UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
            while let pointer = entry.pointee {
                let text = String(cString: pointer)
                if !text.hasPrefix("CRMCTL_MESSAGE_") { environment.append(text) }
                entry += 1
            }
        }
        baseEnvironment = environment
    }

    public func send(_ message: OutboxMessage) -> AttemptOutcome {
        var environment = baseEnvironment
        environment.append("CRMCTL_MESSAGE_ID=\(message.id)")
        environment.append("CRMCTL_MESSAGE_KIND=\(message.kind.rawValue)")
        environment.append("CRMCTL_MESSAGE_TO=\(message.to ?? "")")
        environment.append("CRMCTL_MESSAGE_URL=\(message.url ?? "")")
        return run(input: Array(message.payload.utf8) + [UInt8(ascii: "\n")], environment: environment)
    }

    // MARK: the process

    private func run(input: [UInt8], environment: [String]) -> AttemptOutcome {
        var inPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&inPipe) == 0 else { return spawnFailure(errno) }
        guard pipe(&errPipe) == 0 else {
            let code = errno
            close(inPipe[0])
            close(inPipe[1])
            return spawnFailure(code)
        }
        // crmctl runs one thread: nothing else can spawn between the pipe and these.
        for descriptor in inPipe + errPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], STDIN_FILENO)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], STDERR_FILENO)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argumentTexts: [String] = ["/bin/sh", "-c", command]
        let arguments: [UnsafeMutablePointer<CChar>?] = argumentTexts.map { (text: String) in strdup(text) }
        let variables: [UnsafeMutablePointer<CChar>?] = environment.map { (text: String) in strdup(text) }
        defer {
            for pointer in arguments { free(pointer) }
            for pointer in variables { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, arguments + [nil], variables + [nil])
        close(inPipe[0])
        close(errPipe[1])
        guard spawned == 0 else {
            close(inPipe[1])
            close(errPipe[0])
            return spawnFailure(spawned)
        }
        return watch(pid: pid, input: input, stdin: inPipe[1], stderr: errPipe[0])
    }

    /// Feeds stdin, reads stderr and waits for the exit or the timeout.
    private func watch(pid: pid_t, input: [UInt8], stdin: Int32, stderr: Int32) -> AttemptOutcome {
        // A command that exits without reading its stdin must not end crmctl by SIGPIPE: the signal is
        // blocked while the command runs, and one it raised is taken back before it is unblocked.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previousMask)
        var brokePipe = false
        defer {
            if brokePipe {
                var zero = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&pipeSignal, nil, &zero)
            }
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        }

        var stdin = stdin
        var stderr = stderr
        _ = fcntl(stdin, F_SETFL, fcntl(stdin, F_GETFL) | O_NONBLOCK)
        _ = fcntl(stderr, F_SETFL, fcntl(stderr, F_GETFL) | O_NONBLOCK)
        var lines = LastLine()
        var written = 0
        let deadline = Self.monotonicMilliseconds() + timeoutMilliseconds
        var status: Int32 = 0
        var exited = false
        var pause: Int32 = 0

        func closeStdin() {
            if stdin >= 0 { close(stdin) }
            stdin = -1
        }
        func readStderr() {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while stderr >= 0 {
                let count = buffer.withUnsafeMutableBytes { read(stderr, $0.baseAddress, $0.count) }
                if count > 0 {
                    lines.feed(buffer[0..<count])
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(stderr)
                    stderr = -1
                } else if errno == EAGAIN {
                    return
                }
            }
        }
        if input.isEmpty { closeStdin() }

        while true {
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                break
            }
            let remaining = deadline - Self.monotonicMilliseconds()
            if remaining <= 0 { break }
            var fds: [pollfd] = []
            if stdin >= 0 { fds.append(pollfd(fd: stdin, events: Int16(POLLOUT), revents: 0)) }
            if stderr >= 0 { fds.append(pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)) }
            if fds.isEmpty {
                // Both streams closed: the command is ending (its stderr closes a moment before it becomes a
                // zombie), or closed them and runs on. Poll its exit: in microseconds first, then up to 20 ms.
                pause = min(max(pause * 2, 16), 20_000)
                _ = usleep(useconds_t(min(Int64(pause), remaining * 1000)))
                continue
            }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining, 50)))
            if ready <= 0 { continue }
            for entry in fds where entry.revents != 0 {
                if entry.fd == stdin {
                    let count = input.withUnsafeBytes { bytes in
                        write(stdin, bytes.baseAddress! + written, bytes.count - written)
                    }
                    if count > 0 {
                        written += count
                        if written == input.count { closeStdin() }
                    } else if count < 0 && errno != EAGAIN && errno != EINTR {
                        if errno == EPIPE { brokePipe = true }
                        closeStdin()
                    }
                } else if entry.fd == stderr {
                    readStderr()
                }
            }
        }
        closeStdin()
        if !exited {
            _ = kill(-pid, SIGTERM)
            let graceEnd = Self.monotonicMilliseconds() + Self.graceMilliseconds
            while waitpid(pid, &status, WNOHANG) != pid {
                if Self.monotonicMilliseconds() >= graceEnd {
                    _ = kill(-pid, SIGKILL)
                    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                    break
                }
                _ = poll(nil, 0, 5)
            }
            // Children that outlived the shell (or ignored SIGTERM) go too.
            _ = kill(-pid, SIGKILL)
            if stderr >= 0 { close(stderr) }
            return .failed(code: "timeout", message: "killed after the \(timeoutText) timeout")
        }
        readStderr()
        if stderr >= 0 { close(stderr) }
        let signal = status & 0x7f
        if signal != 0 {
            return .failed(code: "killed", message: "killed by signal \(signal)")
        }
        let code = (status >> 8) & 0xff
        if code == 0 { return .succeeded }
        let line = lines.last
        return .failed(code: "command_failed", message: line.isEmpty ? "exit \(code)" : "exit \(code): \(line)")
    }

    private func spawnFailure(_ code: Int32) -> AttemptOutcome {
        .failed(code: "spawn_failed", message: "cannot run /bin/sh: \(String(cString: strerror(code)))")
    }

    static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

/// The last non-empty line of a stream, fed in pieces; only it and the line being read are kept.
struct LastLine {
    private var current: [UInt8] = []
    private var complete: [UInt8] = []

    mutating func feed(_ bytes: ArraySlice<UInt8>) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if !Self.blank(current) { complete = current }
                current.removeAll(keepingCapacity: true)
            } else if current.count < ShellSender.lineLimit {
                current.append(byte)
            }
        }
    }

    var last: String {
        let line = Self.blank(current) ? complete : current
        var text = String(decoding: line, as: UTF8.self)
        while let end = text.last, end.isWhitespace { text.removeLast() }
        return text
    }

    private static func blank(_ line: [UInt8]) -> Bool {
        line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
    }
}
