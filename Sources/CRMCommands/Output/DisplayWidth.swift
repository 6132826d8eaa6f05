/// Text fitted to terminal columns: how many columns a string takes, cut to a width, and made safe to print.
extension String {
    /// Columns on a terminal: East Asian wide characters and emoji take two, combining marks none.
    var displayWidth: Int { reduce(0) { $0 + $1.displayWidth } }

    /// Cut to at most `width` columns, ending in "…" when something was cut.
    func truncated(toWidth width: Int) -> String {
        guard displayWidth > width else { return self }
        guard width > 0 else { return "" }
        var result = ""
        var used = 0
        for character in self {
            let next = character.displayWidth
            if used + next > width - 1 { break }
            result.append(character)
            used += next
        }
        return result + "…"
    }

    /// Words put on lines of at most `width` columns; a word wider than that is cut.
    func wrapped(toWidth width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if candidate.displayWidth <= width || line.isEmpty {
                line = candidate
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        lines.append(line)
        return lines
    }

    /// User data made safe for a terminal: line breaks and tabs become spaces, other control characters
    /// (escape among them, which could drive the terminal) become "?".
    var printable: String {
        guard hasControlCharacter else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.map { scalar in
            guard scalar.isControl else { return scalar }
            return scalar == "\n" || scalar == "\r" || scalar == "\t" ? " " : "?"
        }))
    }
}

extension String {
    /// Whether a scalar is `isControl`, found in the UTF-8 bytes: C0 and DEL are single bytes, C1
    /// (U+0080–U+009F) is 0xC2 followed by 0x80–0x9F. A history prints a line per entry through this.
    fileprivate var hasControlCharacter: Bool {
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var previous: UInt8 = 0
            for byte in bytes {
                if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte <= 0x9F && byte >= 0x80) { return true }
                previous = byte
            }
            return false
        }
        // A native string's bytes are scanned in place; walking `utf8` by index took five times as long.
        if let found = utf8.withContiguousStorageIfAvailable(scan) { return found }
        var copy = self
        return copy.withUTF8(scan)
    }
}

extension Character {
    var displayWidth: Int {
        guard let first = unicodeScalars.first else { return 0 }
        if unicodeScalars.allSatisfy({ $0.properties.generalCategory == .nonspacingMark || $0.properties.generalCategory == .enclosingMark }) {
            return 0
        }
        return first.isWide || unicodeScalars.contains(where: \.properties.isEmojiPresentation) ? 2 : 1
    }
}

extension Unicode.Scalar {
    var isControl: Bool { value < 0x20 || (0x7F...0x9F).contains(value) }

    /// East Asian Wide and Fullwidth ranges (Unicode's EastAsianWidth.txt, the blocks that matter in practice).
    var isWide: Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
