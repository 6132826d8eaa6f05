import CRMCore
import Foundation
import Testing

@testable import CRMCommands

/// The batch input read on a thread of its own: records come in input order with the line and byte counts
/// they were read at, a reading error reaches the caller, and `hasInputReady` never promises
/// a record that waits for input.
@Suite struct ReadAheadTests {
    /// Every record of `input`, each with the lines and bytes the consumer sees once it has it.
    func drain(_ input: ReadAhead<BatchRecord>) throws -> [(record: BatchRecord, lines: Int, bytes: Int)] {
        var seen: [(BatchRecord, Int, Int)] = []
        while let record = try input.next() { seen.append((record, input.lines, input.bytesRead)) }
        return seen
    }

    @Test func recordsComeInOrderWithTheCountsTheyWereReadAt() throws {
        // More lines than the channel holds, blank ones and unreadable ones among them.
        var text = ""
        for number in 1...5_000 {
            switch number % 7 {
            case 0: text += "  \n"
            case 3: text += "{not json\n"
            default: text += "{\"n\":\(number)}\n"
            }
        }
        text += "\n\n"  // blank lines at the end count as lines too
        let bytes = Array(text.utf8)
        let input = try ReadAhead(NDJSONInput(LineReader(bytes: bytes)), prepare: { $0 })
        let seen = try drain(input)

        let expected = (1...5_000).filter { $0 % 7 != 0 }
        #expect(seen.map(\.record.line) == expected)
        for (record, lines, _) in seen {
            #expect(lines == record.line, "the consumer's line count is the record's own line")
            switch record {
            case .value(let value, let line): #expect(value.objectValue?["n"]?.int64Value == Int64(line))
            case .rejected(let line, let code, _): #expect(line % 7 == 3 && code == "invalid_json")
            }
        }
        #expect(input.lines == 5_002)
        #expect(input.bytesRead == bytes.count)
        #expect(try input.next() == nil, "the end stays the end")
        #expect(input.hasInputReady, "at the end, next() answers at once")
    }

    @Test func preparedRecordsAreWhatPrepareMade() throws {
        let lines = (1...1_000).map { "{\"n\":\($0)}" }.joined(separator: "\n")
        let input = try ReadAhead(NDJSONInput(LineReader(bytes: Array(lines.utf8))), prepare: { record in
            if case .value(let value, _) = record { return value.objectValue?["n"]?.int64Value ?? -1 }
            return -1
        })
        var numbers: [Int64] = []
        while let number = try input.next() { numbers.append(number) }
        #expect(numbers == Array(1...1_000))
    }

    @Test func aReadingErrorReachesTheCaller() throws {
        // A CSV header that names a column twice is refused when the first record is read.
        let input = try ReadAhead(
            CSVElementInput(LineReader(bytes: Array("title,title\na,b\n".utf8))), prepare: { $0 })
        #expect(throws: CRMError.self) { _ = try input.next() }
        #expect(try input.next() == nil, "after the error the input has ended")
    }

    @Test func aConsumerThatStopsEarlyLeavesNoReaderWaiting() throws {
        let lines = String(repeating: "{\"a\":1}\n", count: 20_000)
        for _ in 0..<20 {
            let input = try ReadAhead(NDJSONInput(LineReader(bytes: Array(lines.utf8))), prepare: { $0 })
            _ = try input.next()
            // Dropped here with the channel full: its reader stops at its next record instead of waiting.
        }
    }

    @Test func aStalledPipeIsNotInputReady() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let input = try ReadAhead(NDJSONInput(LineReader(descriptor: ends[0])), prepare: { $0 })
        let first = Array("{\"n\":1}\n{\"n\":2}\n".utf8)
        #expect(write(ends[1], first, first.count) == first.count)
        #expect(try input.next()?.line == 1)
        #expect(try input.next()?.line == 2)
        // Nothing more was written: a chunk must end rather than wait for the next line.
        #expect(!input.hasInputReady, "a pipe with nothing in it has no record coming")
        let last = Array("{\"n\":3}\n".utf8)
        #expect(write(ends[1], last, last.count) == last.count)
        close(ends[1])
        #expect(try input.next()?.line == 3)
        #expect(try input.next() == nil)
        #expect(input.lines == 3)
    }
}
