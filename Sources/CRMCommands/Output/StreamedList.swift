import JSON

/// A list printed as it is read (SPEC §3 "Lists stream"): with `--json` one JSON array written item by
/// item, else a header before the first line and a line per item. A write that fails stops the reading.
struct StreamedList {
    let context: Context
    let header: String?
    private var count = 0

    init(_ context: Context, header: String? = nil) {
        self.context = context
        self.header = header
        if context.json { context.io.output.write("[") }
    }

    /// Prints one item: its JSON, or its line for people.
    mutating func add(_ json: @autoclosure () -> JSONValue, line: @autoclosure () -> String) throws {
        if context.json {
            if count > 0 { context.io.output.write(",") }
            var bytes: [UInt8] = []
            JSONWriter.write(json(), into: &bytes)
            context.io.output.write(bytes: bytes)
        } else {
            if count == 0, let header { context.printLine(header) }
            context.printLine(line())
        }
        count += 1
        try context.stopIfOutputFailed()
    }

    func finish() {
        if context.json { context.io.output.write("]\n") }
    }
}
