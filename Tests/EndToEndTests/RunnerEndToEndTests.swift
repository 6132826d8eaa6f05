import CRMTestSupport
import Foundation
import Testing

/// The runner every end-to-end and reliability test uses: output of any size on both streams, input fed
/// while output is read, runs that start as from a shell, and nothing left behind in the test's directory.
@Suite("Process runner") struct RunnerEndToEndTests {
    @Test("megabytes on stderr then stdout, and through a pipe in and out, without a deadlock")
    func largeOutputOnBothStreams() throws {
        let sandbox = try Sandbox(name: "runner")
        // stderr first: a runner that read stdout to its end before stderr would wait forever.
        let both = try sandbox.program(
            "/bin/sh", ["-c", "head -c 700000 /dev/zero | tr '\\0' e >&2; head -c 1000000 /dev/zero | tr '\\0' o"])
        #expect(both.exited(0), "\(both)")
        #expect(both.stdoutData.count == 1_000_000)
        #expect(both.stderrData.count == 700_000)

        let input = Data((0..<200_000).map { "line \($0)\n" }.joined().utf8)
        let echoed = try sandbox.program("/bin/cat", [], input: .pipe(input))
        #expect(echoed.exited(0), "\(echoed)")
        #expect(echoed.stdoutData == input)
    }

    @Test("a run starts with no signal blocked: a shell's wait sees its children end")
    func noSignalIsBlocked() throws {
        let sandbox = try Sandbox(name: "runner-signals")
        let mask = try sandbox.program("/bin/sh", ["-c", "exec grep SigBlk /proc/self/status"])
        #expect(mask.stdout == "SigBlk:\t0000000000000000\n", "\(mask)")
        let waited = try sandbox.program("/bin/sh", ["-c", "sleep 0.1 & wait; echo waited"])
        #expect(waited.exited(0) && waited.stdout == "waited\n", "\(waited)")
    }

    @Test("input given as bytes is read like a file and removed after the run")
    func bytesInputLeavesNothing() throws {
        let sandbox = try Sandbox(name: "runner-bytes")
        let run = try sandbox.program("/bin/sh", ["-c", "test -f /dev/stdin && cat"], input: .bytes(Data("hello\n".utf8)))
        #expect(run.exited(0), "\(run)")
        #expect(run.stdout == "hello\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.dir.path).isEmpty)
    }
}
