#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the process's terminal allows text for people (board, progress): its width and whether it takes colour.
/// Read from the real descriptors and the command's environment, so a pipe or a cron log gets plain text.
enum Terminal {
    static let defaultWidth = 80
    /// Narrower than this, no layout is readable; a smaller `COLUMNS` is taken as this.
    static let minimumWidth = 20

    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// `COLUMNS`, else the window's width when `descriptor` is a terminal, else 80.
    static func width(of descriptor: Int32, environment: [String: String]) -> Int {
        if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 {
            return max(columns, minimumWidth)
        }
        var size = winsize()
        if isTerminal(descriptor), ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return max(Int(size.ws_col), minimumWidth)
        }
        return defaultWidth
    }

    /// Colour only on a terminal, never with `NO_COLOR` set (https://no-color.org) or on a dumb terminal.
    static func allowsColour(_ descriptor: Int32, environment: [String: String]) -> Bool {
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isTerminal(descriptor)
    }
}
