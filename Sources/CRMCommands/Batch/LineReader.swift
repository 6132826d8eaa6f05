#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import CRMCore

/// Reads NDJSON input line by line in constant memory. A line longer than `maxLineBytes` is not kept:
/// it is reported as oversize and skipped to its end, so one hostile line cannot exhaust memory.
public final class LineReader {
    public enum Line {
        case text(ArraySlice<UInt8>)
        case oversize
    }

    public static let maxLineBytes = 1 << 20

    private enum Source {
        case descriptor(Int32)
        case memory([UInt8])
    }

    private let source: Source
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var memoryOffset = 0
    private var finished = false
    /// Bytes consumed so far, for progress.
    public private(set) var bytesRead = 0

    public init(descriptor: Int32, maxLineBytes: Int = LineReader.maxLineBytes) {
        source = .descriptor(descriptor)
        self.maxLineBytes = maxLineBytes
    }

    public init(bytes: [UInt8], maxLineBytes: Int = LineReader.maxLineBytes) {
        source = .memory(bytes)
        self.maxLineBytes = maxLineBytes
    }

    /// The next line without its `\n` (and a `\r` before it), or nil at the end of the input.
    public func next() throws(CRMError) -> Line? {
        var oversize = false
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = buffer[start..<end]
                start = newline + 1
                if oversize || line.count > maxLineBytes { return .oversize }
                return .text(line)
            }
            if buffer.count - start > maxLineBytes {
                // Drop what is buffered of an oversize line and keep reading to its end.
                oversize = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            if finished {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                return oversize || line.count > maxLineBytes ? .oversize : .text(line)
            }
            try fill()
        }
    }

    /// Whether `next()` can answer without waiting: a whole line is buffered, the input has ended, or
    /// the descriptor has bytes to read.
    public var hasInputReady: Bool {
        if finished || buffer[start...].contains(UInt8(ascii: "\n")) { return true }
        guard case .descriptor(let descriptor) = source else { return true }
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&request, 1, 0) > 0
    }

    private func fill() throws(CRMError) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        switch source {
        case .memory(let bytes):
            let end = min(bytes.count, memoryOffset + 1 << 16)
            buffer.append(contentsOf: bytes[memoryOffset..<end])
            bytesRead += end - memoryOffset
            memoryOffset = end
            if memoryOffset == bytes.count { finished = true }
        case .descriptor(let descriptor):
            let chunk = 1 << 16
            let oldCount = buffer.count
            buffer.reserveCapacity(oldCount + chunk)
            var got = 0
            buffer.append(contentsOf: repeatElement(0, count: chunk))
            while true {
                got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + oldCount, chunk) }
                if got >= 0 || errno != EINTR { break }
            }
            buffer.removeLast(chunk - max(got, 0))
            if got < 0 { throw CRMError.invalid("cannot read the input: \(String(cString: strerror(errno)))") }
            if got == 0 { finished = true }
            bytesRead += got
        }
    }
}

extension ArraySlice<UInt8> {
    /// Only spaces, tabs and carriage returns: a blank line, which batch input skips.
    var isBlankLine: Bool {
        allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
    }
}
