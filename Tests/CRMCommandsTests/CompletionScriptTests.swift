import CRMTestSupport
import Testing

@testable import CRMCommands

/// `crmctl --generate-completion-script SHELL`: what `make install` puts where bash, zsh and fish look.
@Suite struct CompletionScriptTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func scriptsKnowTheCommandsAndTheirOptions(shell: String) {
        let io = ProcessIO.memory()
        let code = CRMCtl.run(["--generate-completion-script", shell], io: io)
        #expect(code == 0, "\(io.errors.text)")
        let script = io.output.text
        for word in ["board", "report", "import", "ingest", "csv", "since", "until", "pipeline"] {
            #expect(script.contains(word), "the \(shell) script lacks \(word)")
        }
        #expect(io.errors.text.isEmpty)
    }

    @Test func anUnknownShellIsAUsageError() {
        let io = ProcessIO.memory()
        #expect(CRMCtl.run(["--generate-completion-script", "tcsh"], io: io) == 64)
    }
}
