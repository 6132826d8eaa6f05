#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The progress line of `event ingest` and `element import`: lines done, their rate, the share of the file
/// read and the time left, redrawn in place at most four times a second. Only for a person watching: it is
/// shown when stderr is a terminal and the input is a file of known size, so pipes and cron logs get nothing
/// but the summary.
final class BatchProgress {
    static let intervalMilliseconds: Int64 = 250

    private let verb: String
    private let fileSize: Int
    private let width: Int
    private let now: () -> Int64
    private let write: (String) -> Void
    private let started: Int64
    private var lastDrawn: Int64
    private var drawn = false

    /// `now` reads a monotonic clock in milliseconds; `write` puts text on the terminal at once.
    init(verb: String, fileSize: Int, width: Int, now: @escaping () -> Int64, write: @escaping (String) -> Void) {
        self.verb = verb
        self.fileSize = fileSize
        self.width = width
        self.now = now
        self.write = write
        started = now()
        // The first line waits a full interval, so a short run shows none.
        lastDrawn = started
    }

    /// A progress line on the process's stderr, or nil when nobody is watching one.
    static func start(verb: String, file: String?, context: Context) -> BatchProgress? {
        guard Terminal.isTerminal(STDERR_FILENO), let size = inputFileSize(file, context), size > 0 else { return nil }
        return BatchProgress(
            verb: verb, fileSize: size, width: Terminal.width(of: STDERR_FILENO, environment: context.io.environment),
            now: monotonicMilliseconds, write: writeToStandardError)
    }

    /// The input's size when it is a regular file: FILE, or stdin redirected from one.
    static func inputFileSize(_ file: String?, _ context: Context) -> Int? {
        var status = stat()
        if let file, file != "-" {
            guard stat(file, &status) == 0 else { return nil }
        } else {
            guard context.io.input == nil, fstat(STDIN_FILENO, &status) == 0 else { return nil }
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// Redraws the line if the last one is older than the interval.
    func update(lines: Int, bytesRead: Int) {
        let time = now()
        guard time - lastDrawn >= BatchProgress.intervalMilliseconds else { return }
        lastDrawn = time
        drawn = true
        write("\r" + line(lines: lines, bytesRead: bytesRead, elapsedMilliseconds: time - started).truncated(toWidth: width - 1) + "\u{1B}[K")
    }

    /// Clears the line, so the summary stands alone.
    func finish() {
        if drawn { write("\r\u{1B}[K") }
    }

    /// `ingest: 120,000 lines · 24,000 lines/s · 40% · about 8 s left`
    func line(lines: Int, bytesRead: Int, elapsedMilliseconds: Int64) -> String {
        let elapsed = max(elapsedMilliseconds, 1)
        let percent = min(100, bytesRead * 100 / fileSize)
        var text = "\(verb): \(Self.grouped(lines)) lines · \(Self.grouped(Int(Int64(lines) * 1000 / elapsed))) lines/s · \(percent)%"
        if bytesRead > 0, bytesRead < fileSize {
            // At the rate so far, rounded up: "0 s left" would be wrong while anything is left.
            let millisecondsLeft = Int64(fileSize - bytesRead) * elapsed / Int64(bytesRead)
            let secondsLeft = Int((millisecondsLeft + 999) / 1000)
            text += " · about \(Self.duration(secondsLeft)) left"
        }
        return text
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    /// "8 s", "3 min", "1 h 5 min".
    static func duration(_ seconds: Int) -> String {
        if seconds < 90 { return "\(seconds) s" }
        let minutes = (seconds + 30) / 60
        if minutes < 60 { return "\(minutes) min" }
        return "\(minutes / 60) h \(minutes % 60) min"
    }

    private static func monotonicMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    private static func writeToStandardError(_ text: String) {
        var text = text
        // Progress is a courtesy: a terminal that cannot take it must not stop the run.
        _ = text.withUTF8 { writeAll(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
    }
}
