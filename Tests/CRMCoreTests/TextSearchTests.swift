import Testing

@testable import CRMCore

@Suite struct TextSearchTests {
    /// The answers of the standard library's character search (`String.contains` without Foundation, as
    /// CRMCore has it), which the byte search for plain ASCII must give too.
    @Test(arguments: [
        ("please call me back", "call", true), ("please call me back", "Call", false), ("abc", "", true),
        ("", "", true), ("", "a", false), ("ab", "abc", false), ("aaab", "aab", true), ("abcabd", "abd", true),
        ("end", "end", true), ("x", "x", true), ("abcab", "abd", false),
        // A carriage return and a line feed are one character: neither alone is in it.
        ("line\r\nnext", "\n", false), ("line\r\nnext", "\r", false), ("line\r\nnext", "\r\n", true),
        ("line\nnext", "\n", true),
        // Composed é and e + combining accent are the same character; a plain e is not one of them.
        ("caf\u{E9}", "cafe\u{301}", true), ("cafe\u{301}", "cafe", false), ("Grüße aus Köln", "Köln", true),
        ("x👍🏽", "👍", false),
    ])
    func answersAsCharacterSearch(text: String, pattern: String, expected: Bool) {
        #expect(text.containsText(pattern) == expected)
    }
}
