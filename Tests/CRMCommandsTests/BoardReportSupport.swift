import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// A database with a known history for the board and report tests: 12 leads and 3 deals, triggers that move
/// them at set times through November 2026, a manual move on 24 November (the clock), and events that move
/// nothing.
func makeHistory(_ cli: CLI) {
    _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS", "--name", "call back")
    _ = cli.trigger("--on", "payment.received", "--pipeline", "lead", "--stage", "CONVERTED", "--name", "paid")
    _ = cli.trigger("--on", "custom", "--code", "spam", "--pipeline", "lead", "--stage", "JUNK", "--name", "spam")
    _ = cli.trigger("--on", "payment.received", "--pipeline", "deal", "--stage", "WON", "--name", "deal paid")
    for number in 1...12 { _ = cli.lead("Lead \(number)") }
    for number in 1...3 { _ = cli.deal("Deal \(number)") }
    func inject(_ type: String, _ element: Int, _ at: String, _ extra: String...) {
        let run = cli.runArgs(
            ["event", "inject", "--type", type, "--element", String(element), "--at", at] + extra + ["--db", cli.db])
        #expect(run.code == 0, "\(run)")
    }
    for lead in 1...6 { inject("call.missed", lead, "2026-11-02T10:00:00Z") }
    inject("payment.received", 1, "2026-11-05T10:00:00Z")
    inject("payment.received", 2, "2026-11-05T11:00:00Z")
    inject("custom", 3, "2026-11-10T10:00:00Z", "--set", "code=spam")
    inject("payment.received", 13, "2026-11-12T10:00:00Z")
    inject("call.missed", 7, "2026-11-15T10:00:00Z")
    inject("payment.received", 1, "2026-11-16T10:00:00Z")  // already converted: nothing moves
    inject("email.received", 9, "2026-11-18T10:00:00Z", "--set", "email=m-1")
    let move = cli.run("element", "move", "8", "--stage", "PROCESSED")
    #expect(move.code == 0, "\(move)")
}

/// The longest line of `text` in terminal columns.
func widestLine(_ text: String) -> Int {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).displayWidth }.max() ?? 0
}

/// The environment of a run that people read on an 80-column terminal without colour.
let plainTerminal = ["COLUMNS": "80", "NO_COLOR": "1"]
