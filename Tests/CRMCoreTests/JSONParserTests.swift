import CRMCore
import JSON
import Testing

/// The error the parser gives for `bytes`, or nil if it accepts them.
private func parseError(_ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes, maxDepth: maxDepth)
        return nil
    } catch {
        return error
    }
}

private func parseError(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONParseError? {
    parseError(Array(text.utf8), maxDepth: maxDepth)
}

private func nested(_ depth: Int) -> String {
    String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
}

@Suite struct JSONParserTests {
    @Test func scalars() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse("true") == .bool(true))
        #expect(try JSONParser.parse("false") == .bool(false))
        #expect(try JSONParser.parse("42") == .number("42"))
        #expect(try JSONParser.parse("\"hi\"") == .string("hi"))
        #expect(try JSONParser.parse(" \t\r\n 7 \n\t\r ") == .number("7"))
    }

    @Test func containersKeepOrder() throws {
        let value = try JSONParser.parse(#"{ "z" : [1, {"y": null}, [] ], "a" : {}, "m": "x" }"#)
        let expected: JSONValue = ["z": [1, ["y": nil], []], "a": .object(JSONObject()), "m": "x"]
        #expect(value == expected)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
    }

    @Test(arguments: [
        "0", "-0", "1", "-1", "10", "1.5", "1.50", "0.0001", "-0.5", "1e5", "1E5", "1e+5", "1E-5", "1.5e10",
        "12345678901234567890123456789012345678901234567890", "0e0", "-0.0e-0",
    ])
    func numbersKeepTheirLiteralText(text: String) throws {
        #expect(try JSONParser.parse(text) == .number(text))
        #expect(try JSONParser.parse("[\(text)]") == .array([.number(text)]))
    }

    @Test(arguments: [
        "01", "-01", "00", "-", "--1", "+1", "1.", ".5", "-.5", "1.e5", "1e", "1e+", "1E-", "0x10", "NaN", "Infinity",
        "-Infinity", "1_000", "1.5.5", "1e5e5",
    ])
    func invalidNumbersAreRejected(text: String) {
        #expect(parseError(text) != nil)
        #expect(parseError("[\(text)]") != nil)
    }

    @Test func leadingZeroSaysSo() {
        #expect(parseError("[01]")?.message == "invalid JSON at byte 1: leading zeros are not allowed")
    }

    @Test(arguments: [
        "", " ", "[1,]", #"{"a":1,}"#, "[,1]", "[1,,2]", "{,}", "1 2", "{} x", "[1]]", "[1", "{\"a\":1", "[", "{",
        "// c\n1", "/* c */ 1", "[1 /* c */]", "# c\n1", "'a'", "{'a':1}", "{a:1}", #"{"a" 1}"#, #"{"a":}"#,
        #"{1:2}"#, "tru", "nul", "True", "nulls", "undefined", "\u{0C}1", "\u{A0}1", "[1 2]", #"{"a":1 "b":2}"#,
    ])
    func malformedDocumentsAreRejected(text: String) {
        #expect(parseError(text) != nil)
    }

    @Test func errorNamesTheByteAndWhatWasExpected() {
        let error = parseError(#"{"a":1 "b":2}"#)
        #expect(error?.offset == 7)
        #expect(error?.message == "invalid JSON at byte 7: expected ',' or '}'")
        #expect(error?.description == error?.message)
        #expect(parseError("[1 2]")?.message == "invalid JSON at byte 3: expected ',' or ']'")
        #expect(parseError("[1,]")?.message == "invalid JSON at byte 3: expected a value")
        #expect(parseError("1 x")?.message == "invalid JSON at byte 2: expected end of input")
        #expect(parseError("")?.message == "invalid JSON at byte 0: unexpected end of input, expected a value")
    }

    @Test func escapesAreDecoded() throws {
        #expect(try JSONParser.parse(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{08} \u{0C} \n \r \t"))
        #expect(try JSONParser.parse(#""\u00e9\u00C9\u20AC""#) == .string("éÉ€"))
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""a\u0001b""#) == .string("a\u{01}b"))
        #expect(try JSONParser.parse(#""plain \u0041 mixed é""#) == .string("plain A mixed é"))
        // Two strings with escapes in a row must not share leftovers in the reused buffer.
        #expect(try JSONParser.parse(#"["ab\ncd", "\t", "x"]"#) == ["ab\ncd", "\t", "x"])
    }

    @Test(arguments: [
        #""\ud800""#, #""\udbff x""#, #""\ud800\u0041""#, #""\udc00""#, #""\udc00\ud800""#, #""\ud800\ud800""#,
    ])
    func loneSurrogatesAreRejected(text: String) {
        #expect(parseError(text)?.message.contains("unpaired UTF-16 surrogate") == true)
    }

    @Test(arguments: [#""\x""#, #""\u12""#, #""\u12G4""#, #""\U0041""#, #""\'""#, #""\"#, #""\u"#])
    func invalidEscapesAreRejected(text: String) {
        #expect(parseError(text) != nil)
    }

    @Test func nulIsRejectedEvenWhenEscaped() {
        #expect(parseError(#""a\u0000b""#)?.message == "invalid JSON at byte 2: NUL character not allowed")
        #expect(parseError(#"{"\u0000":1}"#)?.message.contains("NUL character not allowed") == true)
        #expect(parseError([0x22, 0x00, 0x22])?.message.contains("NUL character not allowed") == true)
    }

    @Test func rawControlCharactersInStringsAreRejected() throws {
        for byte in UInt8(1)..<0x20 {
            #expect(parseError([0x22, byte, 0x22]) != nil, "byte \(byte)")
        }
        // DEL is not a control character in JSON's sense.
        #expect(try JSONParser.parse([0x22, 0x7F, 0x22]) == .string("\u{7F}"))
    }

    @Test func validUTF8IsKept() throws {
        #expect(try JSONParser.parse("\"é€😀中\"") == .string("é€😀中"))
        #expect(try JSONParser.parse("{\"ключ\":\"значение\"}") == ["ключ": "значение"])
    }

    @Test(
        arguments: [
            [0x22, 0xC3, 0x28, 0x22],  // lead byte followed by a non-continuation
            [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
            [0xC0, 0xAF],  // overlong, outside any string
            [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong 3-byte
            [0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22],  // overlong 4-byte
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // surrogate U+D800 encoded in UTF-8
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],  // byte above F4
            [0x22, 0xFF, 0x22],
            [0x22, 0x80, 0x22],  // stray continuation byte
            [0x22, 0xE2, 0x82, 0x22],  // truncated sequence
            [0x22, 0xE2, 0x82],  // truncated by end of input
            [0x5B, 0xFF, 0x5D],  // outside strings
            [0x31, 0x20, 0xFE],  // after the value
            [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x31, 0x80, 0x7D],  // where a delimiter is expected
        ] as [[UInt8]])
    func invalidUTF8IsRejected(bytes: [UInt8]) {
        #expect(parseError(bytes)?.message.contains("not valid UTF-8") == true)
    }

    @Test func depthLimit() throws {
        #expect(try JSONParser.parse(nested(32)) != .null)
        #expect(parseError(nested(33))?.message == "invalid JSON at byte 32: nested deeper than 32 levels")
        let objects32 = String(repeating: #"{"a":"#, count: 31) + "{}" + String(repeating: "}", count: 31)
        #expect(parseError(objects32) == nil)
        let objects33 = String(repeating: #"{"a":"#, count: 32) + "{}" + String(repeating: "}", count: 32)
        #expect(parseError(objects33)?.message.contains("nested deeper than 32 levels") == true)
        #expect(parseError(nested(3), maxDepth: 2)?.message.contains("nested deeper than 2 levels") == true)
        #expect(parseError(nested(100), maxDepth: 100) == nil)
        #expect(parseError("1", maxDepth: 0) == nil)
    }

    @Test func hostileNestingDoesNotCrash() {
        #expect(parseError(String(repeating: "[", count: 10_000))?.message.contains("nested deeper") == true)
        #expect(parseError(nested(10_000))?.message.contains("nested deeper") == true)
        #expect(parseError(String(repeating: #"{"a":"#, count: 10_000))?.message.contains("nested deeper") == true)
        #expect(parseError(String(repeating: "[", count: 10_000), maxDepth: 20_000) != nil)
    }

    @Test func duplicateKeysAreRejected() {
        #expect(parseError(#"{"a":1,"a":2}"#)?.message == #"invalid JSON at byte 7: duplicate key "a""#)
        #expect(parseError(#"{"a":1,"\u0061":2}"#)?.message.contains(#"duplicate key "a""#) == true)
        #expect(parseError(#"{"x":{"k":1,"b":2,"k":3}}"#)?.message.contains(#"duplicate key "k""#) == true)
        #expect(parseError(#"[{"a":1},{"a":1}]"#) == nil)
        #expect(parseError(#"{"a":{"a":{"a":1}},"b":1}"#) == nil)
        // Keys that need escaping are shown escaped.
        #expect(parseError(#"{"q\"\n":1,"q\"\n":2}"#)?.message.contains(#"duplicate key "q\"\n""#) == true)
    }

    /// Large objects switch from scanning keys to hashing them; both sides of the switch must
    /// find duplicates wherever they are.
    @Test(arguments: [1, 2, 15, 16, 17, 18, 40, 1_000])
    func duplicatesAreFoundAtAnyObjectSize(size: Int) throws {
        let members = (0..<size).map { #""k\#($0)":\#($0)"# }
        let unique = "{" + members.joined(separator: ",") + "}"
        #expect(try JSONParser.parse(unique).objectValue?.count == size)
        for duplicate in Set([0, size / 2, size - 1]) {
            let text = "{" + members.joined(separator: ",") + #","k\#(duplicate)":0}"#
            #expect(parseError(text)?.message.contains(#"duplicate key "k\#(duplicate)""#) == true)
        }
        // A duplicate inside a nested object, after the outer one has gone large.
        let nestedText = "{" + members.joined(separator: ",") + #","inner":{"x":1,"x":2}}"#
        #expect(parseError(nestedText)?.message.contains(#"duplicate key "x""#) == true)
    }

    @Test func allInputFormsAgree() throws {
        let text = #"{"a":[1,"é",null]}"#
        let bytes = Array(text.utf8)
        let fromBuffer = try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            try JSONParser.parse(buffer)
        }
        #expect(try JSONParser.parse(text) == fromBuffer)
        #expect(try JSONParser.parse(bytes) == fromBuffer)
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(empty) }
        // A String that is a slice of a larger one is parsed from its own bytes only.
        let sub = String("[1]xyz".prefix(3))
        #expect(try JSONParser.parse(sub) == [1])
    }

    @Test func compactTextRoundTrips() throws {
        let documents = [
            #"{"id":"L-1","amount":1234.50,"tags":["a","b"],"owner":null,"ok":true,"nested":{"x":-0.0,"y":1e-7}}"#,
            #"["\u0001\n\"\\",{},[],"é/😀"]"#,
            #""""#,
            "-12345678901234567890",
        ]
        for text in documents {
            #expect(JSONWriter.serialize(try JSONParser.parse(text)) == text)
        }
    }
}
