import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh directory for one test (tests run in parallel), removed with everything in it when the
/// value goes away.
public final class TempDir: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }

    /// Creates `<tmp>/<prefix>-<uuid>`.
    public init(prefix: String = "crmctl-test") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` in this directory.
    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The URL of `name` in this directory.
    public func fileURL(_ name: String) -> URL { url.appendingPathComponent(name) }
}

public func fileBytes(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { Array($0) }
}

/// A file's permission bits (`st_mode & 0o777`), or nil when it does not exist.
public func fileMode(_ path: String) -> Int? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Int(info.st_mode & 0o777)
}

public func fileMode(_ url: URL) -> Int? { fileMode(url.path) }

public func fileExists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

/// The error a test throws to see what a throw leaves behind.
public struct Boom: Error {
    public init() {}
}
