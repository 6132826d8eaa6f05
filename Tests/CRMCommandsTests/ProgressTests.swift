import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// The progress line of ingest and import: when it is drawn, what it says, and when it is not shown at all.
@Suite struct ProgressTests {
    /// What the progress line wrote, and a clock the test moves.
    final class FakeTerminal: @unchecked Sendable {
        var written: [String] = []
        var clock: Int64 = 10_000

        func progress(fileSize: Int = 1000, width: Int = 80) -> BatchProgress {
            BatchProgress(
                verb: "ingest", fileSize: fileSize, width: width, now: { self.clock }, write: { self.written.append($0) })
        }
    }

    @Test func drawnAtMostFourTimesASecondAndNeverInTheFirstQuarterSecond() {
        let terminal = FakeTerminal()
        let progress = terminal.progress()
        progress.update(lines: 10, bytesRead: 100)
        terminal.clock += 249
        progress.update(lines: 20, bytesRead: 200)
        #expect(terminal.written.isEmpty)
        terminal.clock += 1
        progress.update(lines: 30, bytesRead: 300)
        #expect(terminal.written.count == 1)
        terminal.clock += 100
        progress.update(lines: 40, bytesRead: 400)
        #expect(terminal.written.count == 1)
        terminal.clock += 150
        progress.update(lines: 50, bytesRead: 500)
        #expect(terminal.written.count == 2)
        #expect(terminal.written.allSatisfy { $0.hasPrefix("\r") && $0.hasSuffix("\u{1B}[K") })
        progress.finish()
        #expect(terminal.written.last == "\r\u{1B}[K")
    }

    @Test func aShortRunLeavesNothingBehind() {
        let terminal = FakeTerminal()
        let progress = terminal.progress()
        terminal.clock += 100
        progress.update(lines: 5, bytesRead: 1000)
        progress.finish()
        #expect(terminal.written.isEmpty)
    }

    @Test func theLineSaysLinesRateShareAndTimeLeft() {
        let progress = FakeTerminal().progress(fileSize: 1000)
        #expect(progress.line(lines: 120_000, bytesRead: 400, elapsedMilliseconds: 5000)
            == "ingest: 120,000 lines · 24,000 lines/s · 40% · about 8 s left")
        #expect(progress.line(lines: 300_000, bytesRead: 1000, elapsedMilliseconds: 20_000)
            == "ingest: 300,000 lines · 15,000 lines/s · 100%")
        #expect(BatchProgress.duration(95) == "2 min")
        #expect(BatchProgress.duration(3_900) == "1 h 5 min")
        #expect(BatchProgress.grouped(1_234_567) == "1,234,567")
        #expect(BatchProgress.grouped(999) == "999")
    }

    @Test func theLineFitsItsTerminal() {
        let terminal = FakeTerminal()
        let progress = terminal.progress(width: 30)
        terminal.clock += 300
        progress.update(lines: 123_456, bytesRead: 500)
        let line = terminal.written.first ?? ""
        #expect(line.dropFirst().dropLast(3).count <= 29, "\(line)")
        #expect(line.contains("…"))
    }

    @Test func onlyARegularFileHasASize() throws {
        let cli = CLI()
        let path = cli.path("events.ndjson")
        try String(repeating: "{}\n", count: 10).write(toFile: path, atomically: true, encoding: .utf8)
        let context = Context(io: .memory(), options: GlobalOptions())
        #expect(BatchProgress.inputFileSize(path, context) == 30)
        #expect(BatchProgress.inputFileSize(cli.path("missing"), context) == nil)
        #expect(BatchProgress.inputFileSize(cli.dir, context) == nil)  // a directory
        #expect(BatchProgress.inputFileSize(nil, context) == nil)  // stdin held in memory
        #expect(BatchProgress.inputFileSize("-", context) == nil)
    }
}
