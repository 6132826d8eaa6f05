import CRMCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's time zone database (Debian's tzdata: /usr/share/zoneinfo, or `$TZDIR`), read once per zone
/// and process. Not Foundation's TimeZone: it would load ICU at every start.
public enum ZoneDatabase {
    nonisolated(unsafe) private static var loaded: [String: TimeZoneRules] = [:]

    /// The rules of `--tz`: nil is UTC, an offset is fixed, a name is read from the database.
    public static func rules(_ name: String?) throws(CRMError) -> TimeZoneRules {
        guard let name else { return .utc }
        if let fixed = TimeZoneRules.fixed(name) { return fixed }
        if let rules = loaded[name] { return rules }
        let directory = getenv("TZDIR").map { String(cString: $0) } ?? "/usr/share/zoneinfo"
        guard let bytes = read(directory + "/" + name) else {
            throw CRMError.usage(
                "--tz \(name) is not in the time zone database (\(directory)); install tzdata, or give an offset such as +01:00")
        }
        do {
            let rules = try TimeZoneRules(name: name, tzif: bytes)
            loaded[name] = rules
            return rules
        } catch {
            throw CRMError.usage("--tz \(name): \(error.message)")
        }
    }

    private static func read(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { break }
            bytes += chunk[0..<count]
            if bytes.count > 1 << 20 { return nil }
        }
        return bytes
    }
}
