import CRMCore
import Foundation
import Testing

/// Days from 1970-01-01 by plainly counting year and month lengths: slow, but independent of
/// the era arithmetic under test.
private func countedDays(year: Int, month: Int, day: Int) -> Int64 {
    var days = 0
    if year >= 1970 {
        for earlier in 1970..<year { days += isLeap(earlier) ? 366 : 365 }
    } else {
        for later in year..<1970 { days -= isLeap(later) ? 366 : 365 }
    }
    for earlier in 1..<month { days += monthLength(year: year, month: earlier) }
    return Int64(days + day - 1)
}

private func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

private func monthLength(year: Int, month: Int) -> Int {
    [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}

@Suite struct TimestampTests {
    @Test func knownInstants() {
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00Z")?.milliseconds == 0)
        #expect(Timestamp(rfc3339: "2000-01-01T00:00:00Z")?.milliseconds == 946_684_800_000)
        #expect(Timestamp(rfc3339: "2026-11-24T13:05:00Z")?.milliseconds == 1_795_525_500_000)
        #expect(Timestamp(rfc3339: "2024-02-29T12:00:00Z")?.milliseconds == 1_709_208_000_000)
        #expect(Timestamp(rfc3339: "0001-01-01T00:00:00Z")?.milliseconds == -62_135_596_800_000)
        #expect(Timestamp(rfc3339: "9999-12-31T23:59:59.999Z")?.milliseconds == 253_402_300_799_999)
    }

    @Test func offsetsAreConvertedToUTC() {
        #expect(Timestamp(rfc3339: "2026-11-24T10:00:00+01:00")?.rfc3339 == "2026-11-24T09:00:00Z")
        #expect(Timestamp(rfc3339: "2026-11-24T10:00:00-05:30")?.rfc3339 == "2026-11-24T15:30:00Z")
        #expect(Timestamp(rfc3339: "2026-11-24T10:00:00+00:00")?.rfc3339 == "2026-11-24T10:00:00Z")
        #expect(Timestamp(rfc3339: "2026-11-24T10:00:00-00:00")?.rfc3339 == "2026-11-24T10:00:00Z")
        #expect(Timestamp(rfc3339: "2026-01-01T00:30:00+01:00")?.rfc3339 == "2025-12-31T23:30:00Z")
        #expect(Timestamp(rfc3339: "2026-12-31T23:00:00-23:59")?.rfc3339 == "2027-01-01T22:59:00Z")
        #expect(Timestamp(rfc3339: "2026-11-24T10:00:00.250+02:00")?.rfc3339 == "2026-11-24T08:00:00.250Z")
    }

    @Test func separatorsAndZoneLetterVariants() {
        let expected = Timestamp(rfc3339: "2026-11-24T10:00:00Z")
        #expect(expected != nil)
        #expect(Timestamp(rfc3339: "2026-11-24t10:00:00Z") == expected)
        #expect(Timestamp(rfc3339: "2026-11-24 10:00:00Z") == expected)
        #expect(Timestamp(rfc3339: "2026-11-24T10:00:00z") == expected)
    }

    @Test func leapYears() {
        #expect(Timestamp(rfc3339: "2024-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2000-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2023-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "1900-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2100-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2024-02-30T00:00:00Z") == nil)
    }

    @Test(
        arguments: [
            (".5", 500), (".25", 250), (".250", 250), (".001", 1), (".123456789", 123), (".9999", 999),
            (".000999999", 0),
            (".1", 100),
        ] as [(String, Int64)])
    func fractionsAreTruncatedToMilliseconds(fraction: String, milliseconds: Int64) {
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00\(fraction)Z")?.milliseconds == milliseconds)
    }

    @Test(arguments: [
        "2026-02-30T00:00:00Z", "2026-11-24", "2026-11-24T10:00:00", "yesterday", "2026-11-24T10:00:00+0100", "",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-01-32T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T10:60:00Z", "2026-11-24T10:00:60Z",
        "2026-11-24T10:00:00+24:00", "2026-11-24T10:00:00+01:60", "0000-01-01T00:00:00Z",
        " 2026-11-24T10:00:00Z", "2026-11-24T10:00:00Z ", "2026-11-24T10:00:00Z\n", "2026-11-24T10:00Z",
        "2026-11-24_10:00:00Z", "2026-11-24  10:00:00Z", "+2026-11-24T10:00:00Z", "12026-11-24T10:00:00Z",
        "2026-1-24T10:00:00Z", "2026-11-4T10:00:00Z", "2026-11-24T1:00:00Z", "2026-11-24T10:00:00.Z",
        "2026-11-24T10:00:00,5Z", "2026-11-24T10:00:00.1234567890Z", "2026-11-24T10:00:00ZZ",
        "2026-11-24T10:00:00+01:00:00", "2026-11-24T10:00:00+1:00", "2026-11-24T10:00:00+01", "2026-11-24T10:00:00UTC",
        "2026-11-24T10:00:00 Z", "2026/11/24T10:00:00Z", "２０２６-11-24T10:00:00Z", "2026-11-24T10:00:00.5",
        "2026-11-24T10:00:00+01:0a", "-001-01-01T00:00:00Z",
    ])
    func invalidTextIsRejected(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func negativeEpochRoundTrips() {
        let timestamp = Timestamp(rfc3339: "1969-12-31T23:59:59.5Z")
        #expect(timestamp?.milliseconds == -500)
        #expect(timestamp?.rfc3339 == "1969-12-31T23:59:59.500Z")
        #expect(Timestamp(milliseconds: -1).rfc3339 == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp(milliseconds: -86_400_000).rfc3339 == "1969-12-31T00:00:00Z")
    }

    @Test func formatShowsMillisecondsOnlyWhenPresent() {
        #expect(Timestamp(milliseconds: 1_795_525_500_000).rfc3339 == "2026-11-24T13:05:00Z")
        #expect(Timestamp(milliseconds: 1_795_525_500_250).rfc3339 == "2026-11-24T13:05:00.250Z")
        #expect(Timestamp(milliseconds: 1_795_525_500_001).rfc3339 == "2026-11-24T13:05:00.001Z")
        #expect(Timestamp(milliseconds: 0).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(Timestamp(milliseconds: -62_135_596_800_000).rfc3339 == "0001-01-01T00:00:00Z")
        #expect(Timestamp(milliseconds: 253_402_300_799_999).rfc3339 == "9999-12-31T23:59:59.999Z")
    }

    @Test func extremeValuesFormatWithoutTrapping() {
        #expect(Timestamp(milliseconds: 253_402_300_800_000).rfc3339 == "10000-01-01T00:00:00Z")
        #expect(Timestamp(milliseconds: -62_135_596_800_001).rfc3339 == "0000-12-31T23:59:59.999Z")
        #expect(Timestamp(milliseconds: Int64.max).rfc3339.hasSuffix(".807Z"))
        #expect(Timestamp(milliseconds: Int64.min).rfc3339.hasPrefix("-"))
    }

    /// Every day of years around the tricky century and era boundaries, against plain counting
    /// in the proleptic Gregorian calendar. (Foundation's calendar is no oracle here: it switches
    /// to Julian rules before 1582.)
    @Test(arguments: [1, 4, 99, 100, 1582, 1600, 1899, 1900, 1968, 1969, 1970, 1999, 2000, 2024, 2100, 2400, 9999])
    func everyDayMatchesCountedDays(year: Int) {
        for month in 1...12 {
            for day in 1...31 {
                let text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T00:00:00Z"
                guard let timestamp = Timestamp(rfc3339: text) else {
                    #expect(day > monthLength(year: year, month: month), "\(text) rejected")
                    continue
                }
                #expect(day <= monthLength(year: year, month: month), "\(text) accepted")
                #expect(
                    timestamp.milliseconds == countedDays(year: year, month: month, day: day) * 86_400_000, "\(text)")
                #expect(timestamp.rfc3339 == text)
            }
        }
    }

    @Test func formattedTextParsesBack() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let milliseconds = Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &generator)
            let timestamp = Timestamp(milliseconds: milliseconds)
            #expect(Timestamp(rfc3339: timestamp.rfc3339) == timestamp, "\(milliseconds)")
        }
    }

    @Test func agreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for milliseconds: Int64 in [0, -500, 1_795_525_500_250, 951_782_400_123, 4_107_542_400_999, -2_208_988_800_001]
        {
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let text = formatter.string(from: date)
            #expect(Timestamp(rfc3339: text)?.milliseconds == milliseconds, "\(text)")
        }
    }

    @Test func orderingAndDifferences() {
        let earlier = Timestamp(milliseconds: 1_000)
        let later = Timestamp(milliseconds: 2_500)
        #expect(earlier < later)
        #expect([later, earlier].sorted() == [earlier, later])
        #expect(later.seconds(since: earlier) == 1.5)
        #expect(earlier.seconds(since: later) == -1.5)
        #expect(Timestamp(milliseconds: Int64.max).seconds(since: Timestamp(milliseconds: Int64.min)) > 0)
        #expect(Set([earlier, Timestamp(milliseconds: 1_000)]).count == 1)
    }

    @Test func systemNowIsTheWallClock() {
        let now = Timestamp.systemNow()
        let foundationNow = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(abs(now.milliseconds - foundationNow) < 5_000)
    }

    @Test func timesOutsideTheWritableYearsAreRefused() {
        #expect(Timestamp(rfc3339: "9999-12-31T23:59:59-01:00") == nil, "year 10000 in UTC")
        #expect(Timestamp(rfc3339: "0001-01-01T00:30:00+01:00") == nil, "year 0 in UTC")
        #expect(Timestamp(rfc3339: "9999-12-31T23:59:59Z")?.rfc3339 == "9999-12-31T23:59:59Z")
        #expect(Timestamp(rfc3339: "0001-01-01T00:00:00Z")?.rfc3339 == "0001-01-01T00:00:00Z")
        // Said so, rather than called malformed.
        #expect(Timestamp.problem("--at", rfc3339: "9999-12-31T23:59:59-01:00").contains("outside the years 0001-9999"))
        #expect(Timestamp.problem("--at", rfc3339: "soon").contains("must be an RFC 3339 time"))
        #expect(!Timestamp.isOutsideWritableYears(rfc3339: "2026-11-24T09:30:00Z"))
    }
}
