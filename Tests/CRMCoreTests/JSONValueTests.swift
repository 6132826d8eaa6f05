import CRMCore
import JSON
import Testing

@Suite struct JSONValueTests {
    @Test func literals() {
        let value: JSONValue = ["s": "x", "i": -3, "b": true, "n": nil, "a": [1, "two"], "o": ["k": false]]
        let object = value.objectValue
        #expect(object?.keys == ["s", "i", "b", "n", "a", "o"])
        #expect(object?["s"] == .string("x"))
        #expect(object?["i"] == .number("-3"))
        #expect(object?["b"] == .bool(true))
        #expect(object?["n"] == .null)
        #expect(object?["a"] == .array([.number("1"), .string("two")]))
        #expect(object?["o"] == .object(JSONObject([("k", .bool(false))])))
    }

    @Test func numericInitialisers() {
        #expect(JSONValue(Int64.max) == .number("9223372036854775807"))
        #expect(JSONValue(Int64.min) == .number("-9223372036854775808"))
        #expect(JSONValue(-7 as Int) == .number("-7"))
        #expect(JSONValue(1.5) == .number("1.5"))
        #expect(JSONValue(1.0) == .number("1.0"))
        #expect(JSONValue(0.1) == .number("0.1"))
        #expect(JSONValue(-0.0) == .number("-0.0"))
        #expect(JSONValue(1e20) == .number("1e+20"))
        #expect(JSONValue(Double.leastNonzeroMagnitude) == .number("5e-324"))
        #expect(JSONValue(Double.nan) == .null)
        #expect(JSONValue(Double.infinity) == .null)
        #expect(JSONValue(-Double.infinity) == .null)
    }

    @Test func doubleTextIsValidJSONAndRoundTrips() throws {
        for double in [
            0.1, 1.0, -2.5, 1e20, 1e-20, 123456789.125, Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude,
            -0.0,
        ] {
            let value = JSONValue(double)
            #expect(try JSONParser.parse(JSONWriter.serialize(value)) == value)
            #expect(value.doubleValue == double)
        }
    }

    @Test func optionalInitialisers() {
        #expect(JSONValue(nil as String?) == .null)
        #expect(JSONValue("a" as String?) == .string("a"))
        #expect(JSONValue(nil as Int64?) == .null)
        #expect(JSONValue(5 as Int64?) == .number("5"))
    }

    @Test func accessorsMatchOnlyTheirCase() {
        let values: [JSONValue] = [nil, true, 1, "s", [1], ["k": 1]]
        #expect(values.map(\.isNull) == [true, false, false, false, false, false])
        #expect(values.map(\.boolValue) == [nil, true, nil, nil, nil, nil])
        #expect(values.map(\.stringValue) == [nil, nil, nil, "s", nil, nil])
        #expect(values.map(\.arrayValue) == [nil, nil, nil, nil, [1], nil])
        #expect(values.map(\.objectValue) == [nil, nil, nil, nil, nil, JSONObject([("k", 1)])])
        #expect(values.map(\.int64Value) == [nil, nil, 1, nil, nil, nil])
        #expect(values.map(\.doubleValue) == [nil, nil, 1, nil, nil, nil])
    }

    @Test(
        arguments: [
            ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min), ("-5", -5), ("0", 0), ("-0", 0),
            ("42", 42),
        ] as [(String, Int64)])
    func int64ValueReadsPlainIntegers(text: String, expected: Int64) throws {
        #expect(JSONValue.number(text).int64Value == expected)
        #expect(try JSONParser.parse(text).int64Value == expected)
    }

    @Test(arguments: [
        "9223372036854775808", "-9223372036854775809", "1.5", "1.0", "1e3", "1E3", "-0.0",
        "123456789012345678901234567890", "+5", "", "-", "5 ",
    ])
    func int64ValueRejectsEverythingElse(text: String) {
        #expect(JSONValue.number(text).int64Value == nil)
        #expect(JSONValue.string("5").int64Value == nil)
    }

    @Test func doubleValue() {
        #expect(JSONValue.number("1.5").doubleValue == 1.5)
        #expect(JSONValue.number("1e3").doubleValue == 1000)
        #expect(JSONValue.number("-0").doubleValue?.sign == .minus)
        #expect(JSONValue.number("9223372036854775808").doubleValue == 9223372036854775808.0)
        #expect(JSONValue.string("1.5").doubleValue == nil)
    }
}

@Suite struct JSONObjectTests {
    @Test func subscriptReplacesInPlaceAppendsAndRemoves() {
        var object = JSONObject([("a", 1), ("b", 2), ("c", 3)])
        object["b"] = "two"
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["b"] == "two")
        object["d"] = 4
        #expect(object.keys == ["a", "b", "c", "d"])
        object["a"] = nil
        #expect(object.keys == ["b", "c", "d"])
        object["missing"] = nil
        #expect(object.count == 3)
        #expect(object["a"] == nil)
        // A stored null is a value, not an absent member.
        object["n"] = .null
        #expect(object["n"] == .null)
        #expect(object.count == 4)
    }

    @Test func emptyAndCounts() {
        var object = JSONObject()
        #expect(object.isEmpty)
        #expect(object.count == 0)
        #expect(object.keys.isEmpty)
        object["x"] = true
        #expect(!object.isEmpty)
        #expect(object.count == 1)
    }

    @Test func iteratesMembersInOrder() {
        let object = JSONObject([("z", 1), ("a", 2), ("m", 3)])
        #expect(object.map(\.key) == ["z", "a", "m"])
        #expect(object.map(\.value) == [1, 2, 3])
        #expect(object.members.map(\.key) == ["z", "a", "m"])
        var visited: [String] = []
        for (key, _) in object { visited.append(key) }
        #expect(visited == ["z", "a", "m"])
    }

    @Test func repeatedKeysKeepOneMember() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
        let literal: JSONValue = ["k": 1, "k": 2]
        #expect(literal.objectValue?.count == 1)
        #expect(literal.objectValue?["k"] == 2)
    }

    @Test func equalityIsOrderSensitive() {
        #expect(JSONObject([("a", 1), ("b", 2)]) == JSONObject([("a", 1), ("b", 2)]))
        #expect(JSONObject([("a", 1), ("b", 2)]) != JSONObject([("b", 2), ("a", 1)]))
        #expect(JSONObject([("a", 1)]) != JSONObject([("a", 2)]))
        #expect(JSONObject([("a", 1)]) != JSONObject([("a", 1), ("b", 2)]))
    }
}
