#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command's bytes go: a file descriptor (buffered, so piped output stays in order and is
/// written in large blocks) or, in tests, memory.
public final class Output {
    private let descriptor: Int32?
    private var buffer: [UInt8] = []
    /// Everything written, when the output is memory.
    public private(set) var captured: [UInt8] = []
    /// Why a write failed (a full disk, an I/O error), the first time one did; later writes are dropped.
    public private(set) var failure: String?

    private init(descriptor: Int32?) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 16)
    }

    public static func fileDescriptor(_ descriptor: Int32) -> Output { Output(descriptor: descriptor) }
    public static func memory() -> Output { Output(descriptor: nil) }

    public var text: String { String(decoding: captured, as: UTF8.self) }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    public func writeLine(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    public func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        guard let descriptor else {
            captured.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        if failure == nil, let error = buffer.withUnsafeBytes({ writeAll(descriptor, $0) }) {
            failure = String(cString: strerror(error))
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writes all of `bytes` to `descriptor`, across short writes and interruptions; returns the errno of a
/// write that failed. (A closed pipe ends the process by SIGPIPE before that, as it does a C tool.)
@discardableResult
func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    guard let base = bytes.baseAddress else { return nil }
    var offset = 0
    while offset < bytes.count {
        let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += written
    }
    return nil
}
