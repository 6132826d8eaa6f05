extension String {
    /// Whether `other` occurs in this text, as `contains(_:)` decides it (by characters). The standard
    /// library's search goes through its generic string processing: 30,000 instructions for a chat message,
    /// which made a text trigger 3 % of an ingest. Where every byte of both is ASCII but a carriage return
    /// (which joins a following line feed into one character), a character is a byte, so a byte search
    /// finds the same; any other text still takes the standard library's way.
    public func containsText(_ other: String) -> Bool {
        var text = self
        var pattern = other
        let found: Bool? = text.withUTF8 { haystack in
            pattern.withUTF8 { needle in
                guard Self.isPlainASCII(haystack), Self.isPlainASCII(needle) else { return nil }
                return Self.bytes(haystack, contain: needle)
            }
        }
        return found ?? contains(other)
    }

    private static func isPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 && $0 != 0x0D }
    }

    private static func bytes(_ haystack: UnsafeBufferPointer<UInt8>, contain needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count <= haystack.count else { return false }
        var start = 0
        let last = haystack.count - needle.count
        while start <= last {
            if haystack[start] == first {
                var offset = 1
                while offset < needle.count, haystack[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            start += 1
        }
        return false
    }
}
