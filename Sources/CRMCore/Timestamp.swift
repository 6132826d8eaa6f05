#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in time in whole milliseconds since 1970-01-01T00:00:00Z; the project's only time type.
///
/// Calendar arithmetic uses the proleptic Gregorian calendar in UTC, with day counts from the
/// days-from-civil method (eras of 400 years, years starting in March so that the leap day
/// falls at the end), which needs no tables and no time zone data.
public struct Timestamp: Comparable, Hashable, Sendable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public static func systemNow() -> Timestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp(milliseconds: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
    }

    public func adding(milliseconds delta: Int64) -> Timestamp { Timestamp(milliseconds: milliseconds + delta) }

    /// Converted before subtracting so that extreme values cannot overflow; the result is exact
    /// while both times lie within about 285,000 years of 1970.
    public func seconds(since earlier: Timestamp) -> Double {
        (Double(milliseconds) - Double(earlier.milliseconds)) / 1000
    }

    // MARK: Reading

    /// Reads an RFC 3339 date-time, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with `T`, `t` or
    /// a space between date and time and `Z` or `z` for UTC. Fractions of 1–9 digits are
    /// truncated to milliseconds. Leap seconds (":60") are rejected, as a count of milliseconds
    /// since the epoch has no place for them.
    public init?(rfc3339 text: String) {
        var text = text
        guard let milliseconds = text.withUTF8({ Timestamp.parse($0) }), Timestamp.writableRange.contains(milliseconds)
        else { return nil }
        self.milliseconds = milliseconds
    }

    /// A well-formed time that its offset carries out of the years 0001–9999 in UTC
    /// (`9999-12-31T23:59:59-01:00`): refused like a malformed one, but said so.
    public static func isOutsideWritableYears(rfc3339 text: String) -> Bool {
        var text = text
        guard let milliseconds = text.withUTF8({ Timestamp.parse($0) }) else { return false }
        return !writableRange.contains(milliseconds)
    }

    /// What is wrong with a time that is not one, for an error message that names `what`.
    public static func problem(_ what: String, rfc3339 text: String) -> String {
        isOutsideWritableYears(rfc3339: text)
            ? "\(what) is outside the years 0001-9999 once converted to UTC: \(text)"
            : "\(what) must be an RFC 3339 time such as 2026-11-24T09:30:00Z"
    }

    /// The milliseconds of a well-formed time, in or out of the writable years.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        // The fixed-width part: YYYY-MM-DD?HH:MM:SS, followed by at least a zone letter.
        guard bytes.count >= 20,
            let year = number(bytes, at: 0, digits: 4), bytes[4] == UInt8(ascii: "-"),
            let month = number(bytes, at: 5, digits: 2), bytes[7] == UInt8(ascii: "-"),
            let day = number(bytes, at: 8, digits: 2),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            let hour = number(bytes, at: 11, digits: 2), bytes[13] == UInt8(ascii: ":"),
            let minute = number(bytes, at: 14, digits: 2), bytes[16] == UInt8(ascii: ":"),
            let second = number(bytes, at: 17, digits: 2),
            (1...9999).contains(year), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }

        var index = 19
        var fraction: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            // Digits past the third only get checked: they are below a millisecond.
            var placeValue: Int64 = 100
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                fraction += digit * placeValue
                placeValue /= 10
                index += 1
            }
            guard (1...9).contains(index - fractionStart) else { return nil }
        }

        // Minutes east of UTC: local time minus this offset is UTC.
        var offsetMinutes: Int64 = 0
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count - index == 6,
                let offsetHours = number(bytes, at: index + 1, digits: 2), bytes[index + 3] == UInt8(ascii: ":"),
                let offsetMinutesPart = number(bytes, at: index + 4, digits: 2),
                offsetHours < 24, offsetMinutesPart < 60
            else { return nil }
            offsetMinutes = (offsetHours * 60 + offsetMinutesPart) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }

        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1_000 + fraction
    }

    /// 0001-01-01T00:00:00Z through 9999-12-31T23:59:59.999Z: an offset must not carry a time out of what
    /// can be written back.
    static let writableRange: ClosedRange<Int64> =
        daysFromCivil(year: 1, month: 1, day: 1) * 86_400_000...(daysFromCivil(year: 10_000, month: 1, day: 1) * 86_400_000 - 1)

    private static func digitValue(_ byte: UInt8) -> Int64? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int64(byte - UInt8(ascii: "0")) : nil
    }

    /// Exactly `digits` decimal digits starting at `start`; callers have checked the length.
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, digits: Int) -> Int64? {
        var value: Int64 = 0
        for index in start..<start + digits {
            guard let digit = digitValue(bytes[index]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a Gregorian date.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        // Counting years from March puts February, and so the leap day, last.
        let marchYear = month <= 2 ? year - 1 : year
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let monthFromMarch = (month + 9) % 12
        // 153 days per 5 months (31,30,31,30,31) gives each month's first day in the year.
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        // 719,468 days separate 0000-03-01, where era 0 starts, from 1970-01-01.
        return era * 146_097 + dayOfEra - 719_468
    }

    // MARK: Writing

    /// UTC with "Z", with ".SSS" only when there are milliseconds, e.g. 2026-11-24T13:05:00Z or
    /// 2026-11-24T13:05:00.250Z. Years outside 0001–9999 cannot be read back, but are still
    /// written out in full (with a '-' before years BC) rather than wrapped or trapped.
    public var rfc3339: String {
        var days = milliseconds / 86_400_000
        var millisecondOfDay = milliseconds % 86_400_000
        if millisecondOfDay < 0 {
            days -= 1
            millisecondOfDay += 86_400_000
        }
        let (year, month, day) = Timestamp.civilFromDays(days)
        // Written straight into the string's storage: this runs for every time crmctl prints or compares.
        return String(unsafeUninitializedCapacity: 32) { buffer in
            var end = 0
            func put(_ byte: UInt8) {
                buffer[end] = byte
                end += 1
            }
            func put(_ value: Int64, width: Int) {
                var digits = 1
                var power: Int64 = 10
                while digits < 19, value >= power {
                    digits += 1
                    power *= 10
                }
                var rest = value
                let count = max(width, digits)
                for offset in stride(from: count - 1, through: 0, by: -1) {
                    buffer[end + offset] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                end += count
            }
            if year < 0 { put(UInt8(ascii: "-")) }
            put(abs(year), width: 4)
            put(UInt8(ascii: "-"))
            put(month, width: 2)
            put(UInt8(ascii: "-"))
            put(day, width: 2)
            put(UInt8(ascii: "T"))
            put(millisecondOfDay / 3_600_000, width: 2)
            put(UInt8(ascii: ":"))
            put(millisecondOfDay / 60_000 % 60, width: 2)
            put(UInt8(ascii: ":"))
            put(millisecondOfDay / 1_000 % 60, width: 2)
            if millisecondOfDay % 1_000 != 0 {
                put(UInt8(ascii: "."))
                put(millisecondOfDay % 1_000, width: 3)
            }
            put(UInt8(ascii: "Z"))
            return end
        }
    }

    /// The Gregorian date of a day counted from 1970-01-01; the inverse of `daysFromCivil`.
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        // Removes the leap days of the 4-, 100- and 400-year cycles before dividing by 365.
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
