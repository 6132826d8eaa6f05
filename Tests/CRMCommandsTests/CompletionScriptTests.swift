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

    /// The values of options with a fixed set complete too: parties, channels, types, stage semantics,
    /// trigger codes, rule actions, event types; files for --db and the input files.
    @Test(arguments: ["bash", "zsh", "fish"])
    func scriptsCompleteTheValuesOfOptions(shell: String) {
        let io = ProcessIO.memory()
        #expect(CRMCtl.run(["--generate-completion-script", shell], io: io) == 0)
        let script = io.output.text
        for word in ["recipient", "sms", "success", "failure", "chat.answer_late", "stage.idle", "webhook", "chat.message",
                     "delivering", "skipped"] {
            #expect(script.contains(word), "the \(shell) script does not complete \(word)")
        }
    }

    @Test func anUnknownShellIsAUsageError() {
        let io = ProcessIO.memory()
        #expect(CRMCtl.run(["--generate-completion-script", "tcsh"], io: io) == 64)
    }
}
