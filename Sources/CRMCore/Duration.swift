/// A duration of SPEC §8: a number and a unit (`s` `m` `h` `d` `w`), concatenable (`1h30m`); a day is 24
/// hours; at most 3650 days.
public struct Duration: Sendable, Equatable {
    public static let maxSeconds: Int64 = 3650 * 86_400

    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public init(parsing text: String) throws(ValidationFailure) {
        let usage = ValidationFailure(
            "\"\(text)\" is not a duration: a number and a unit (s, m, h, d, w), e.g. 90s, 10m, 1h30m, 2d, 1w")
        var total: Int64 = 0
        var number: Int64?
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                let digit = Int64(byte - UInt8(ascii: "0"))
                let (times, overflow) = (number ?? 0).multipliedReportingOverflow(by: 10)
                guard !overflow, times <= Duration.maxSeconds else { throw Self.tooLong(text) }
                number = times + digit
                continue
            }
            let unit: Int64
            switch byte {
            case UInt8(ascii: "s"): unit = 1
            case UInt8(ascii: "m"): unit = 60
            case UInt8(ascii: "h"): unit = 3_600
            case UInt8(ascii: "d"): unit = 86_400
            case UInt8(ascii: "w"): unit = 604_800
            default: throw usage
            }
            guard let value = number else { throw usage }
            let (product, overflow) = value.multipliedReportingOverflow(by: unit)
            guard !overflow else { throw Self.tooLong(text) }
            total += product
            guard total <= Duration.maxSeconds else { throw Self.tooLong(text) }
            number = nil
        }
        guard number == nil, !text.isEmpty else { throw usage }
        seconds = total
    }

    private static func tooLong(_ text: String) -> ValidationFailure {
        ValidationFailure("\"\(text)\" is longer than 3650 days")
    }
}
