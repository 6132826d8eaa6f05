/// A time zone for rule timing (SPEC §8): UTC, a fixed offset (`+01:00`), or an IANA zone's rules as read
/// from the system's time zone database (a TZif file, with its POSIX TZ string for times after its last
/// transition). Times here are whole seconds since 1970 — in UTC ("instants") or on the zone's wall
/// clock ("local").
public struct TimeZoneRules: Sendable {
    public let name: String
    /// Transition instants, ascending, and the UTC offset from each on.
    private let transitions: [Int64]
    private let offsets: [Int64]
    /// The offset before the first transition (or always, for a fixed zone).
    private let initialOffset: Int64
    private let footer: PosixTZ?

    public static let utc = TimeZoneRules(name: "UTC", offset: 0)

    public init(name: String, offset: Int64) {
        self.name = name
        transitions = []
        offsets = []
        initialOffset = offset
        footer = nil
    }

    /// `+HH:MM` or `-HH:MM` (also `Z`, `UTC`); nil for anything else.
    public static func fixed(_ text: String) -> TimeZoneRules? {
        if text == "Z" || text == "UTC" || text == "+00:00" { return .utc }
        let bytes = Array(text.utf8)
        guard bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"),
            bytes[3] == UInt8(ascii: ":"), let hours = Int64(String(text.dropFirst().prefix(2))),
            let minutes = Int64(String(text.suffix(2))), hours <= 18, minutes < 60,
            bytes[1...2].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            bytes[4...5].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        let seconds = hours * 3600 + minutes * 60
        return TimeZoneRules(name: text, offset: bytes[0] == UInt8(ascii: "-") ? -seconds : seconds)
    }

    /// Reads a TZif file (RFC 8536), version 1 to 4.
    public init(name: String, tzif bytes: [UInt8]) throws(ValidationFailure) {
        let bad = ValidationFailure("the time zone file of \(name) cannot be read")
        var reader = ByteReader(bytes: bytes)
        func header() throws(ValidationFailure) -> (version: UInt8, counts: [Int]) {
            guard reader.take(4) == Array("TZif".utf8), let version = reader.take(1)?.first, reader.take(15) != nil
            else { throw bad }
            var counts: [Int] = []
            for _ in 0..<6 {
                guard let count = reader.integer(4) else { throw bad }
                counts.append(Int(count))
            }
            return (version, counts)
        }
        var (version, counts) = try header()
        var timeSize = 4
        if version >= UInt8(ascii: "2") {
            // Skip the 32-bit block: the 64-bit one after it says the same for all times.
            let (isUT, isStd, leaps, times, types, chars) = (counts[0], counts[1], counts[2], counts[3], counts[4], counts[5])
            guard reader.take(times * 5 + types * 6 + chars + leaps * 8 + isStd + isUT) != nil else { throw bad }
            (_, counts) = try header()
            timeSize = 8
        }
        let (times, types, chars) = (counts[3], counts[4], counts[5])
        var instants: [Int64] = []
        for _ in 0..<times {
            guard let time = reader.integer(timeSize) else { throw bad }
            instants.append(time)
        }
        guard let indices = reader.take(times) else { throw bad }
        var typeOffsets: [Int64] = []
        var typeIsDST: [Bool] = []
        for _ in 0..<types {
            guard let offset = reader.integer(4), let info = reader.take(2) else { throw bad }
            typeOffsets.append(offset)
            typeIsDST.append(info[0] != 0)
        }
        guard !typeOffsets.isEmpty, indices.allSatisfy({ Int($0) < typeOffsets.count }) else { throw bad }
        var footer: PosixTZ?
        if timeSize == 8 {
            guard reader.take(chars + counts[2] * 12 + counts[1] + counts[0]) != nil else { throw bad }
            let rest = reader.rest.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            if let text = rest.first.map({ String(decoding: $0, as: UTF8.self) }), !text.isEmpty {
                footer = PosixTZ(parsing: text)
            }
        }
        self.name = name
        transitions = instants
        offsets = indices.map { typeOffsets[Int($0)] }
        initialOffset = typeOffsets[typeIsDST.firstIndex(of: false) ?? 0]
        self.footer = footer
    }

    /// The zone's UTC offset at an instant, in seconds.
    public func offset(at instant: Int64) -> Int64 {
        if let last = transitions.last, instant >= last, let footer { return footer.offset(at: instant) }
        if transitions.isEmpty { return footer?.offset(at: instant) ?? initialOffset }
        guard instant >= transitions[0] else { return initialOffset }
        // The last transition at or before the instant.
        var low = 0
        var high = transitions.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if transitions[middle] <= instant { low = middle } else { high = middle - 1 }
        }
        return offsets[low]
    }

    /// The instant of a wall-clock time. A time that does not exist (the spring gap) moves forward by the
    /// gap; one that exists twice (the autumn overlap) takes the first.
    public func instant(local: Int64) -> Int64 {
        let before = offset(at: local - 86_400)
        let after = offset(at: local + 86_400)
        let valid = [before, after].filter { offset(at: local - $0) == $0 }.map { local - $0 }
        if let first = valid.min() { return first }
        return local - before
    }

    /// The wall-clock time of an instant.
    public func local(_ instant: Int64) -> Int64 { instant + offset(at: instant) }
}

/// Big-endian reading of a TZif file.
private struct ByteReader {
    let bytes: [UInt8]
    var position = 0

    mutating func take(_ count: Int) -> [UInt8]? {
        guard count >= 0, position + count <= bytes.count else { return nil }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// A signed big-endian integer of 4 or 8 bytes.
    mutating func integer(_ size: Int) -> Int64? {
        guard let raw = take(size) else { return nil }
        var value: UInt64 = 0
        for byte in raw { value = value << 8 | UInt64(byte) }
        return size == 4 ? Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: value))) : Int64(bitPattern: value)
    }

    var rest: ArraySlice<UInt8> { bytes[position...] }
}

/// A POSIX TZ string (`CET-1CEST,M3.5.0,M10.5.0/3`): the rule a TZif file gives for times after its
/// last transition.
struct PosixTZ: Sendable {
    /// A daylight-saving boundary: `Mm.w.d` (month, week 1–5 with 5 the last, weekday 0 Sunday), `Jn`
    /// (day 1–365, no leap day) or `n` (day 0–365), at a wall-clock time in seconds.
    enum Day: Sendable {
        case monthWeekDay(month: Int64, week: Int64, weekday: Int64)
        case julianNoLeap(Int64)
        case zeroBased(Int64)
    }

    var standardOffset: Int64
    var daylight: (offset: Int64, start: Day, startTime: Int64, end: Day, endTime: Int64)?

    init?(parsing text: String) {
        var scanner = Substring(text)
        guard PosixTZ.name(&scanner), let standard = PosixTZ.time(&scanner) else { return nil }
        // POSIX writes offsets west of Greenwich as positive.
        standardOffset = -standard
        guard !scanner.isEmpty else { return }
        guard PosixTZ.name(&scanner) else { return nil }
        var daylightOffset = standardOffset + 3600
        if let first = scanner.first, first != "," { guard let value = PosixTZ.time(&scanner) else { return nil }; daylightOffset = -value }
        guard scanner.first == "," else { return nil }
        scanner.removeFirst()
        guard let (start, startTime) = PosixTZ.boundary(&scanner), scanner.first == "," else { return nil }
        scanner.removeFirst()
        guard let (end, endTime) = PosixTZ.boundary(&scanner), scanner.isEmpty else { return nil }
        daylight = (daylightOffset, start, startTime, end, endTime)
    }

    private static func name(_ scanner: inout Substring) -> Bool {
        if scanner.first == "<" {
            guard let close = scanner.firstIndex(of: ">") else { return false }
            scanner = scanner[scanner.index(after: close)...]
            return true
        }
        let name = scanner.prefix { $0.isLetter }
        guard name.count >= 3 else { return false }
        scanner = scanner.dropFirst(name.count)
        return true
    }

    /// `[+-]hh[:mm[:ss]]` in seconds.
    private static func time(_ scanner: inout Substring) -> Int64? {
        var sign: Int64 = 1
        if scanner.first == "+" || scanner.first == "-" {
            sign = scanner.first == "-" ? -1 : 1
            scanner.removeFirst()
        }
        var parts: [Int64] = []
        while parts.count < 3 {
            let digits = scanner.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int64(digits) else { return nil }
            parts.append(value)
            scanner = scanner.dropFirst(digits.count)
            guard scanner.first == ":" else { break }
            scanner.removeFirst()
        }
        let seconds = parts.enumerated().reduce(Int64(0)) { $0 + $1.element * [3600, 60, 1][$1.offset] }
        return sign * seconds
    }

    private static func boundary(_ scanner: inout Substring) -> (Day, Int64)? {
        let day: Day
        if scanner.first == "M" {
            scanner.removeFirst()
            let fields = scanner.prefix { $0.isNumber || $0 == "." }.split(separator: ".").compactMap { Int64($0) }
            guard fields.count == 3, (1...12).contains(fields[0]), (1...5).contains(fields[1]), (0...6).contains(fields[2])
            else { return nil }
            scanner = scanner.dropFirst(scanner.prefix { $0.isNumber || $0 == "." }.count)
            day = .monthWeekDay(month: fields[0], week: fields[1], weekday: fields[2])
        } else {
            let julian = scanner.first == "J"
            if julian { scanner.removeFirst() }
            let digits = scanner.prefix { $0.isASCII && $0.isNumber }
            guard let value = Int64(digits) else { return nil }
            scanner = scanner.dropFirst(digits.count)
            day = julian ? .julianNoLeap(value) : .zeroBased(value)
        }
        var time: Int64 = 7200
        if scanner.first == "/" {
            scanner.removeFirst()
            guard let value = PosixTZ.time(&scanner) else { return nil }
            time = value
        }
        return (day, time)
    }

    func offset(at instant: Int64) -> Int64 {
        guard let daylight else { return standardOffset }
        let year = Timestamp.civilFromDays(floorDiv(instant + standardOffset, 86_400)).year
        // Starts are written in standard time, ends in daylight time.
        let start = PosixTZ.day(daylight.start, year: year) * 86_400 + daylight.startTime - standardOffset
        let end = PosixTZ.day(daylight.end, year: year) * 86_400 + daylight.endTime - daylight.offset
        let inDaylight = start < end ? (instant >= start && instant < end) : (instant < end || instant >= start)
        return inDaylight ? daylight.offset : standardOffset
    }

    /// The day (since 1970) a boundary falls on in `year`.
    static func day(_ day: Day, year: Int64) -> Int64 {
        let january1 = Timestamp.daysFromCivil(year: year, month: 1, day: 1)
        switch day {
        case .zeroBased(let n):
            return january1 + n
        case .julianNoLeap(let n):
            let leap = Timestamp.daysIn(month: 2, year: year) == 29
            return january1 + n - 1 + (leap && n >= 60 ? 1 : 0)
        case .monthWeekDay(let month, let week, let weekday):
            let first = Timestamp.daysFromCivil(year: year, month: month, day: 1)
            // 1970-01-01 was a Thursday (weekday 4).
            let firstWeekday = floorMod(first + 4, 7)
            var result = first + floorMod(weekday - firstWeekday, 7) + (week - 1) * 7
            let last = first + Timestamp.daysIn(month: month, year: year) - 1
            while result > last { result -= 7 }
            return result
        }
    }
}

func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
    value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
}

func floorMod(_ value: Int64, _ divisor: Int64) -> Int64 { value - floorDiv(value, divisor) * divisor }
