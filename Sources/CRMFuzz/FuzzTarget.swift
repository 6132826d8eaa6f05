import CRMApplication
import CRMCore
import CRMStoreSQLite
import JSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fuzzes what hostile input reaches first: one input is one `event ingest` line, decoded, checked and
/// applied through the real intake and trigger engine on a prepared database, then rolled back.
/// Built with `-sanitize=fuzzer -D FUZZING` (make fuzz) it is a libFuzzer target; built plainly it
/// replays the files named on its command line, so a finding can be rerun by hand.
enum FuzzTarget {
    // libFuzzer and the replay call in from one thread only.
    nonisolated(unsafe) static let store: SQLiteStore = prepareStore()
    static let clock = try! Clock(environment: ["CRMCTL_NOW": "2026-11-24T09:00:00Z"])
    static let maxDepth = JSONParser.defaultMaxDepth

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 1 << 20, let value = try? JSONParser.parse(bytes, maxDepth: maxDepth) else { return }
        guard let input = try? EventInput(json: value) else { return }
        do {
            check(try EventIntake(store: store, clock: clock).applyAlone(input, dryRun: true))
        } catch {
            fatalError("the intake failed on a decoded event: \(error)")
        }
    }

    /// What must hold for every decoded event, whatever it says.
    static func check(_ result: EventResult) {
        precondition((result.status == .rejected) == (result.error != nil), "a rejection always says why")
        precondition(result.status != .moved || !result.moves.isEmpty, "moved means a move")
        for decision in result.decisions {
            precondition(decision.verdicts.filter { $0.kind == .applied }.count == (decision.move == nil ? 0 : 1))
            if let move = decision.move { precondition(move.from != move.to, "a move changes the stage") }
        }
    }

    /// A database with leads, a deal with a document, and triggers of every code.
    private static func prepareStore() -> SQLiteStore {
        let path = "/tmp/crmctl-fuzz-\(getpid()).db"
        unlink(path)
        do {
            let store = try SQLiteStore(path: path, busyTimeoutMilliseconds: 1000)
            let editing = ElementEditing(store: store, clock: clock)
            try store.write {
                _ = try editing.create(NewElement(type: .lead, title: "A", email: "a@example.com", phone: "+49 1"))
                _ = try editing.create(NewElement(type: .lead, stage: "JUNK", title: "B", email: "b@example.com"))
                _ = try editing.create(NewElement(type: .deal, title: "C", responsible: "anna", fields: ["amount": "10"]))
            }
            _ = try store.write {
                try EventIntake(store: store, clock: clock).apply(
                    EventInput(
                        key: nil, type: .documentCreated, target: .element(3), at: nil, by: nil,
                        data: ["template": "contract", "ref": "D1"]))
            }
            for code in TriggerCode.allCases {
                var settings = TriggerSettings()
                if code.requiredSettings.contains(.seconds) { settings.seconds = 60 }
                if code.requiredSettings.contains(.text) { settings.text = "liefern" }
                if code.requiredSettings.contains(.fields) { settings.fields = ["amount"] }
                if code.requiredSettings.contains(.code) { settings.code = "x" }
                for (pipeline, stage) in [("lead", "IN_PROCESS"), ("deal", "EXECUTING")] {
                    _ = try store.addTrigger(
                        Trigger(
                            id: 0, name: "", code: code, pipeline: 0, stage: stage, allowBackwards: code == .custom,
                            settings: settings, conditions: [Condition(field: "amount", op: .less, value: "100")]),
                        pipelineName: pipeline)
                }
            }
            // Rules on the stages the triggers move to, so events set cascades going: events of their own,
            // a message, and two moves back and forth that end in the cascade limit.
            var note = RuleOptions()
            note.text = "{title} {fields.amount} {{}}"
            var set = RuleOptions()
            set.fields = [("amount", "50")]
            var sms = RuleOptions()
            sms.text = "hi {phone}"
            var back = RuleOptions()
            back.to = "NEW"
            var forth = RuleOptions()
            forth.to = "EXECUTING"
            for (pipeline, stage, action, options) in [
                ("lead", "IN_PROCESS", RuleAction.note, note), ("lead", "IN_PROCESS", .set, set),
                ("lead", "IN_PROCESS", .sms, sms), ("deal", "EXECUTING", .move, back), ("deal", "NEW", .move, forth),
            ] {
                _ = try store.addRule(
                    Rule(id: 0, name: "", pipeline: 0, stage: stage, action: action, options: options), pipelineName: pipeline)
            }
            return store
        } catch {
            fatalError("cannot prepare the fuzzing database: \(error)")
        }
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// SwiftPM links an executable's entry point as `<module>_main`; it hands over to libFuzzer's driver.
@_cdecl("CRMFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput)
}
#else
@main
struct Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let file = fopen(path, "rb") else {
                let message = "cannot open \(path)\n"
                _ = write(STDERR_FILENO, message, message.utf8.count)
                exit(66)
            }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = fread(&chunk, 1, chunk.count, file)
                if count == 0 { break }
                bytes.append(contentsOf: chunk[..<count])
            }
            fclose(file)
            bytes.withUnsafeBufferPointer { FuzzTarget.run($0) }
        }
        print("replayed \(CommandLine.arguments.count - 1) inputs")
    }
}
#endif
