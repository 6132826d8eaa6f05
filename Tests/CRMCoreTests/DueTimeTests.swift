import Foundation
import Testing

@testable import CRMCore

/// SPEC §8's timing options, computed without a database: durations, clock times, work hours, zones with
/// daylight saving (read from the system's tzdata, as crmctl does), date fields.
@Suite struct DueTimeTests {
    static func berlin() throws -> TimeZoneRules {
        let bytes = try #require(FileManager.default.contents(atPath: "/usr/share/zoneinfo/Europe/Berlin"))
        return try TimeZoneRules(name: "Europe/Berlin", tzif: Array(bytes))
    }

    static func time(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    static func element(fields: [String: String] = [:]) -> Element {
        Element(
            id: 1, type: .lead, pipeline: 1, stage: "NEW", title: "L", responsible: nil, email: nil, phone: nil,
            fields: fields, createdAt: time("2026-11-01T00:00:00Z"), updatedAt: time("2026-11-01T00:00:00Z"))
    }

    static func due(_ timing: RuleTiming, entry: String, fields: [String: String] = [:], zone: TimeZoneRules? = nil) throws -> DueTime {
        DueTime.of(try TimingSpec(timing), entry: time(entry), element: element(fields: fields), zone: zone ?? .utc)
    }

    @Test func durationsConcatenateAndHaveALimit() throws {
        #expect(try Duration(parsing: "90s").seconds == 90)
        #expect(try Duration(parsing: "1h30m").seconds == 5400)
        #expect(try Duration(parsing: "2d").seconds == 172_800)
        #expect(try Duration(parsing: "1w1d").seconds == 691_200)
        #expect(try Duration(parsing: "3650d").seconds == 315_360_000)
        for bad in ["", "10", "m", "1x", "3651d", "1h-5m", " 1h", "99999999999999999999s"] {
            #expect(throws: ValidationFailure.self, "\(bad)") { try Duration(parsing: bad) }
        }
    }

    @Test func aFridayEveningEntryLandsOnMondayMorningInBerlin() throws {
        let timing = RuleTiming(after: "1d", at: "09:00", workHours: "Mon-Fri 09:00-18:00", tz: "Europe/Berlin")
        // Friday 2026-11-27 18:30 in Berlin (CET, +01:00).
        let due = try Self.due(timing, entry: "2026-11-27T17:30:00Z", zone: Self.berlin())
        #expect(due == .due(Self.time("2026-11-30T08:00:00Z")))
        // Inside the hours nothing moves; a Saturday goes to Monday's start.
        let hours = RuleTiming(workHours: "Mon-Fri 09:00-18:00", tz: "Europe/Berlin")
        #expect(try Self.due(hours, entry: "2026-11-26T10:15:30Z", zone: Self.berlin()) == .due(Self.time("2026-11-26T10:15:30Z")))
        #expect(try Self.due(hours, entry: "2026-11-28T10:00:00Z", zone: Self.berlin()) == .due(Self.time("2026-11-30T08:00:00Z")))
        // The end of the range is outside it.
        #expect(try Self.due(hours, entry: "2026-11-26T17:00:00Z", zone: Self.berlin()) == .due(Self.time("2026-11-27T08:00:00Z")))
    }

    @Test func daylightSavingGapsMoveForwardAndOverlapsTakeTheFirst() throws {
        let berlin = try Self.berlin()
        // 2027-03-28 02:30 does not exist in Berlin (02:00 CET → 03:00 CEST): forward by the gap, 03:30 CEST.
        let gap = try Self.due(RuleTiming(at: "02:30", tz: "Europe/Berlin"), entry: "2027-03-27T23:00:00Z", zone: berlin)
        #expect(gap == .due(Self.time("2027-03-28T01:30:00Z")))
        // 2027-10-31 02:30 happens twice (03:00 CEST → 02:00 CET): the first, still CEST.
        let overlap = try Self.due(RuleTiming(at: "02:30", tz: "Europe/Berlin"), entry: "2027-10-30T23:00:00Z", zone: berlin)
        #expect(overlap == .due(Self.time("2027-10-31T00:30:00Z")))
        // --at across the change: 09:00 is 08:00Z in winter and 07:00Z in summer.
        let across = try Self.due(RuleTiming(after: "1d", at: "09:00", tz: "Europe/Berlin"), entry: "2027-03-27T12:00:00Z", zone: berlin)
        #expect(across == .due(Self.time("2027-03-29T07:00:00Z")))
    }

    @Test func theZonesRuleStringCoversYearsAfterItsTable() throws {
        let berlin = try Self.berlin()
        #expect(berlin.offset(at: Self.time("2090-07-01T12:00:00Z").milliseconds / 1000) == 7200)
        #expect(berlin.offset(at: Self.time("2090-01-15T12:00:00Z").milliseconds / 1000) == 3600)
        let rule = try #require(PosixTZ(parsing: "CET-1CEST,M3.5.0,M10.5.0/3"))
        // The last Sunday of March 2030 is the 31st: daylight time from 01:00Z.
        #expect(rule.offset(at: Self.time("2030-03-31T00:59:59Z").milliseconds / 1000) == 3600)
        #expect(rule.offset(at: Self.time("2030-03-31T01:00:00Z").milliseconds / 1000) == 7200)
        let south = try #require(PosixTZ(parsing: "<-03>3"))
        #expect(south.offset(at: 0) == -10800)
    }

    @Test func fixedOffsetsAndClockTimes() throws {
        let plusOne = try #require(TimeZoneRules.fixed("+01:00"))
        #expect(try Self.due(RuleTiming(at: "08:00", tz: "+01:00"), entry: "2026-11-24T06:00:00Z", zone: plusOne)
            == .due(Self.time("2026-11-24T07:00:00Z")))
        // At or after: a clock time already past today is tomorrow's.
        #expect(try Self.due(RuleTiming(at: "08:00"), entry: "2026-11-24T08:00:00.500Z") == .due(Self.time("2026-11-25T08:00:00Z")))
        #expect(try Self.due(RuleTiming(at: "08:00"), entry: "2026-11-24T08:00:00Z") == .due(Self.time("2026-11-24T08:00:00Z")))
        #expect(TimeZoneRules.fixed("+1:00") == nil && TimeZoneRules.fixed("+25:00") == nil)
        for bad in [RuleTiming(at: "24:00"), RuleTiming(at: "9:00"), RuleTiming(workHours: "Mon-Fri"),
                    RuleTiming(workHours: "Mon-Fry 09:00-18:00"), RuleTiming(workHours: "Mon 18:00-09:00"),
                    RuleTiming(tz: "../../etc/passwd"), RuleTiming(after: "1h", afterField: "d:1d")] {
            #expect(throws: ValidationFailure.self) { try TimingSpec(bad) }
        }
        let days = try WorkHours(parsing: "Mon,Wed,Fri-Sun 08:00-12:00")
        #expect(days.days == [1, 3, 5, 6, 0])
    }

    @Test func dateFieldsDecideAndAMissingOneSkips() throws {
        let before = RuleTiming(beforeField: "deadline:2d", tz: "Europe/Berlin")
        // A date alone is midnight in the rule's zone.
        #expect(try Self.due(before, entry: "2026-11-24T09:00:00Z", fields: ["deadline": "2026-12-10"], zone: Self.berlin())
            == .due(Self.time("2026-12-07T23:00:00Z")))
        let after = RuleTiming(afterField: "signed:1h")
        #expect(try Self.due(after, entry: "2026-11-24T09:00:00Z", fields: ["signed": "2026-11-20T10:00:00+02:00"])
            == .due(Self.time("2026-11-20T09:00:00Z")))
        #expect(try Self.due(before, entry: "2026-11-24T09:00:00Z", zone: Self.berlin()) == .noDate("field deadline is missing"))
        #expect(try Self.due(before, entry: "2026-11-24T09:00:00Z", fields: ["deadline": "soon"], zone: Self.berlin())
            == .noDate("field deadline is \"soon\", not a date"))
    }
}
