import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

#if canImport(Glibc)
import Glibc
#endif

/// SPEC §3: output that cannot be written is an error (74), whatever was done before.
@Suite struct OutputErrorTests {
    /// Runs `args` with stdout on /dev/full (every write fails: no space left).
    static func runToFullDisk(_ cli: CLI, _ args: [String], stdin: String = "") -> (code: Int32, err: String) {
        let full = open("/dev/full", O_WRONLY)
        defer { close(full) }
        var io = ProcessIO.memory(input: Array(stdin.utf8), environment: ["CRMCTL_NOW": cli.now])
        io.output = .fileDescriptor(full)
        let code = CRMCtl.run(args + ["--db", cli.db], io: io)
        return (code, io.errors.text)
    }

    @Test func aCreatedIdThatCannotBePrintedIs74() {
        let cli = CLI()
        let run = Self.runToFullDisk(cli, ["lead", "create", "--title", "X"])
        #expect(run.code == 74, "\(run)")
        #expect(run.err.contains("cannot write the output"))
        #expect(cli.run("element", "list", "--json").array.count == 1, "what was done stays done")
        let json = Self.runToFullDisk(cli, ["element", "list", "--json"])
        #expect(json.code == 74 && json.err.contains(#""code":"output""#), "\(json)")
        let batch = Self.runToFullDisk(cli, ["event", "ingest"], stdin: #"{"type":"call.lost","element":1}"# + "\n")
        #expect(batch.code == 74, "a rejected line, and its result line lost: the output error wins")
    }
}
