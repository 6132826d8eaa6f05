import Foundation

/// Where the things under test are: the package root (the first directory above this file that holds
/// Package.swift), the crmctl binary the end-to-end and reliability tests run, and the sqlite3 and psql
/// shells.
public enum TestPaths {
    public static let packageRoot: URL = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        var dir = here
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        // Tests/CRMTestSupport/ → the root, should Package.swift ever be out of sight.
        return here.deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// A file or directory of the package, by its path from the root (`schema.sql`, `man/crmctl.1`).
    public static func file(_ relativePath: String) -> URL { packageRoot.appendingPathComponent(relativePath) }

    /// The binary under test: `$CRMCTL_BIN`, else `<root>/.build/debug/crmctl`, else
    /// `<root>/.build-e2e/debug/crmctl`.
    public static let crmctl: URL = {
        if let path = ProcessInfo.processInfo.environment["CRMCTL_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let candidates = [file(".build/debug/crmctl"), file(".build-e2e/debug/crmctl")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    public static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")
    public static let psql = URL(fileURLWithPath: "/usr/bin/psql")
}
