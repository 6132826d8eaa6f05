import CRMCore
import JSON
import Testing

@Suite struct JSONWriterTests {
    @Test func compactOutput() {
        let value: JSONValue = ["a": 1, "b": [true, nil]]
        #expect(JSONWriter.serialize(value) == #"{"a":1,"b":[true,null]}"#)
        #expect(JSONWriter.serialize(.array([])) == "[]")
        #expect(JSONWriter.serialize(.object(JSONObject())) == "{}")
        #expect(JSONWriter.serialize(false) == "false")
        #expect(JSONWriter.serialize(.number("1.50e+3")) == "1.50e+3")
    }

    @Test func keepsMemberOrderByDefault() {
        let value: JSONValue = ["zeta": 1, "alpha": 2, "mid": ["y": 1, "b": 2]]
        #expect(JSONWriter.serialize(value) == #"{"zeta":1,"alpha":2,"mid":{"y":1,"b":2}}"#)
    }

    @Test func escapesOnlyWhatJSONRequires() {
        #expect(JSONWriter.serialize("say \"hi\" \\ back") == #""say \"hi\" \\ back""#)
        #expect(JSONWriter.serialize("\n\r\t\u{08}\u{0C}") == #""\n\r\t\b\f""#)
        #expect(JSONWriter.serialize("\u{01}\u{1F}\u{0B}") == #""\u0001\u001f\u000b""#)
        #expect(JSONWriter.serialize("a/b é 😀 \u{7F}") == "\"a/b é 😀 \u{7F}\"")
        #expect(JSONWriter.serialize(["k\"\n": "v"]) == #"{"k\"\n":"v"}"#)
    }

    @Test func everyControlCharacterRoundTrips() throws {
        let text = String(decoding: (1..<0x20).map { UInt8($0) }, as: UTF8.self)
        let written = JSONWriter.serialize(.string(text))
        #expect(!written.utf8.contains { $0 < 0x20 })
        #expect(try JSONParser.parse(written) == .string(text))
    }

    @Test func sortedKeysOrdersByUTF8BytesAtEveryLevel() {
        let value: JSONValue = [
            "b": ["z": 1, "a": 2], "é": 0, "a": [["y": 1, "x": 2]], "B": 0, "~": 0, "😀": 0, "\u{FF5E}": 0, "": 0,
        ]
        #expect(
            JSONWriter.serialize(value, sortedKeys: true)
                == #"{"":0,"B":0,"a":[{"x":2,"y":1}],"b":{"a":2,"z":1},"~":0,"é":0,"～":0,"😀":0}"#)
        // Sorting is only for output: arrays stay in order and the value is unchanged.
        #expect(JSONWriter.serialize([3, 1, 2], sortedKeys: true) == "[3,1,2]")
        #expect(value.objectValue?.keys.first == "b")
    }

    @Test func sortedKeysGivesOneTextForEqualContent() throws {
        let first = try JSONParser.parse(#"{"b":1,"a":{"d":[1,{"f":1,"e":2}],"c":2}}"#)
        let second = try JSONParser.parse(#"{"a":{"c":2,"d":[1,{"e":2,"f":1}]},"b":1}"#)
        #expect(first != second)
        #expect(JSONWriter.serialize(first, sortedKeys: true) == JSONWriter.serialize(second, sortedKeys: true))
    }

    @Test func writeAppendsToTheBuffer() {
        var buffer = Array("prefix ".utf8)
        JSONWriter.write(["b": 1, "a": "x"], sortedKeys: true, into: &buffer)
        JSONWriter.write(nil, into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix {"a":"x","b":1}null"#)
    }

    @Test func writtenValuesParseBack() throws {
        let value: JSONValue = [
            "text": "line\nbreak \"quoted\" é 😀", "int": JSONValue(Int64.min), "double": JSONValue(0.1),
            "big": JSONValue(1e300), "list": [nil, true, false, [], .object(JSONObject())],
            "nested": ["deeper": ["deepest": "x"]],
        ]
        #expect(try JSONParser.parse(JSONWriter.serialize(value)) == value)
    }
}
