/// A rule's timing options read (SPEC §8): checked once at `rule add`, used for every job's due time.
public struct TimingSpec: Sendable {
    public enum FieldSide: Sendable { case before, after }

    public var after: Int64 = 0
    /// `--at HH:MM`, as seconds after midnight.
    public var clockTime: Int64?
    public var field: (name: String, side: FieldSide, seconds: Int64)?
    public var workHours: WorkHours?
    /// `--tz`: nil for UTC; an IANA name must be resolved to rules by the caller (it reads a file).
    public var zoneName: String?

    /// Reads the options as given; a malformed one is a usage error (its message names it).
    public init(_ timing: RuleTiming) throws(ValidationFailure) {
        if let text = timing.after { after = try Duration(parsing: text).seconds }
        if let text = timing.at {
            guard let time = TimingSpec.clock(text) else {
                throw ValidationFailure("--at \"\(text)\" is not a clock time HH:MM (00:00 to 23:59)")
            }
            clockTime = time
        }
        if timing.beforeField != nil && timing.afterField != nil {
            throw ValidationFailure("give --before-field or --after-field, not both")
        }
        if let text = timing.beforeField ?? timing.afterField {
            let option = timing.beforeField != nil ? "--before-field" : "--after-field"
            guard timing.after == nil else { throw ValidationFailure("\(option) cannot be combined with --after") }
            guard let colon = text.lastIndex(of: ":"), colon != text.startIndex else {
                throw ValidationFailure("\(option) \"\(text)\" must be NAME:DURATION, e.g. deadline:2d")
            }
            let duration = try Duration(parsing: String(text[text.index(after: colon)...]))
            field = (String(text[..<colon]), timing.beforeField != nil ? .before : .after, duration.seconds)
        }
        if let text = timing.workHours { workHours = try WorkHours(parsing: text) }
        if let zone = timing.tz {
            guard TimeZoneRules.fixed(zone) != nil || TimingSpec.isZoneName(zone) else {
                throw ValidationFailure("--tz \"\(zone)\" is not a zone: an IANA name such as Europe/Berlin or an offset such as +01:00")
            }
            zoneName = zone
        }
    }

    /// `Area/Location`-like names: letters, digits, `/`, `_`, `-`, `+`; no `..` (it names a file).
    static func isZoneName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/") && !name.contains("..")
            && name.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || [UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+")].contains(byte)
            }
    }

    /// `HH:MM` in seconds after midnight.
    static func clock(_ text: String) -> Int64? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }),
            let hours = Int64(parts[0]), let minutes = Int64(parts[1]), hours < 24, minutes < 60
        else { return nil }
        return hours * 3600 + minutes * 60
    }
}

/// `--work-hours 'Mon-Fri 09:00-18:00'`: days (`Mon`…`Sun`, ranges and commas) and one time range whose
/// end is outside it.
public struct WorkHours: Sendable, Equatable {
    /// Weekdays 0 (Sunday) … 6 (Saturday).
    public var days: Set<Int64>
    public var start: Int64
    public var end: Int64

    static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    public init(parsing text: String) throws(ValidationFailure) {
        let bad = ValidationFailure(
            "--work-hours \"\(text)\" must be DAYS HH:MM-HH:MM, e.g. 'Mon-Fri 09:00-18:00' or 'Mon,Wed,Fri 08:00-12:00'")
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 2 else { throw bad }
        var days: Set<Int64> = []
        for part in words[0].split(separator: ",", omittingEmptySubsequences: false) {
            let range = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(range.count) else { throw bad }
            guard let first = WorkHours.dayNames.firstIndex(of: String(range[0])),
                let last = WorkHours.dayNames.firstIndex(of: String(range[range.count - 1]))
            else { throw bad }
            var day = first
            while true {
                days.insert(Int64(day))
                if day == last { break }
                day = (day + 1) % 7
            }
        }
        let times = words[1].split(separator: "-", omittingEmptySubsequences: false)
        guard times.count == 2, let start = TimingSpec.clock(String(times[0])), let end = TimingSpec.clock(String(times[1])),
            start < end
        else { throw bad }
        self.days = days
        self.start = start
        self.end = end
    }
}

/// When a job is due (SPEC §8), or why it cannot be.
public enum DueTime: Sendable, Equatable {
    case due(Timestamp)
    /// The rule's date field is missing or not a date: the job is skipped.
    case noDate(String)

    /// The entry time plus `--after`, or the field's date before/after by its duration; then the first
    /// `--at` at or after it; then moved into `--work-hours`. Clock times are in `zone`.
    public static func of(_ spec: TimingSpec, entry: Timestamp, element: Element, zone: TimeZoneRules) -> DueTime {
        var due: Int64
        let milliseconds = floorMod(entry.milliseconds, 1000)
        if let field = spec.field {
            guard let date = date(element.fields[field.name], zone: zone) else {
                let value = element.fields[field.name].map { "is \"\($0)\", not a date" } ?? "is missing"
                return .noDate("field \(field.name) \(value)")
            }
            due = field.side == .before ? date - field.seconds : date + field.seconds
        } else {
            due = floorDiv(entry.milliseconds, 1000) + spec.after
        }
        var keepsMilliseconds = spec.field == nil
        if let clock = spec.clockTime {
            let local = zone.local(due)
            let midnight = floorDiv(local, 86_400) * 86_400
            var candidate = zone.instant(local: midnight + clock)
            if candidate < due || (candidate == due && keepsMilliseconds && milliseconds > 0) {
                candidate = zone.instant(local: midnight + 86_400 + clock)
            }
            due = candidate
            keepsMilliseconds = false
        }
        if let hours = spec.workHours {
            let moved = WorkHoursRule.next(due, hours: hours, zone: zone)
            if moved != due { keepsMilliseconds = false }
            due = moved
        }
        return .due(Timestamp(milliseconds: due * 1000 + (keepsMilliseconds ? milliseconds : 0)))
    }

    /// A field's date: RFC 3339, or `YYYY-MM-DD` meaning midnight in `zone`; in seconds.
    static func date(_ text: String?, zone: TimeZoneRules) -> Int64? {
        guard let text = text?.trimmingSpaces, !text.isEmpty else { return nil }
        if let time = Timestamp(rfc3339: text) { return floorDiv(time.milliseconds, 1000) }
        guard text.utf8.count == 10, let midnight = Timestamp(rfc3339: text + "T00:00:00Z") else { return nil }
        return zone.instant(local: floorDiv(midnight.milliseconds, 1000))
    }
}

enum WorkHoursRule {
    /// `due` if it falls in the hours, else the next start of them.
    static func next(_ due: Int64, hours: WorkHours, zone: TimeZoneRules) -> Int64 {
        let local = zone.local(due)
        let day = floorDiv(local, 86_400)
        let secondOfDay = local - day * 86_400
        for offset in Int64(0)...7 {
            let candidateDay = day + offset
            guard hours.days.contains(floorMod(candidateDay + 4, 7)) else { continue }
            if offset == 0 {
                if secondOfDay >= hours.start && secondOfDay < hours.end { return due }
                if secondOfDay >= hours.end { continue }
            }
            return zone.instant(local: candidateDay * 86_400 + hours.start)
        }
        return due
    }
}

extension String {
    /// Without leading and trailing spaces.
    public var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
