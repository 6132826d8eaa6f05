import CRMTestSupport
import Foundation

// The in-process crmctl (`CLI`, `Run`) and the JSON helpers are CRMTestSupport's; these read the results
// of events, which only these tests look into.

/// The moves of an event result as (trigger, from, to).
func moves(_ result: [String: Any]) -> [(trigger: Int, from: String, to: String)] {
    ((result["moves"] as? [Any]) ?? []).compactMap { item in
        guard let move = item as? [String: Any], let trigger = int(move["trigger"]),
            let from = str(move["from"]), let to = str(move["to"])
        else { return nil }
        return (trigger, from, to)
    }
}

/// "FROM>TO" per move, for compact comparisons.
func movePath(_ result: [String: Any]) -> [String] { moves(result).map { "\($0.from)>\($0.to)" } }

/// The verdicts of one signal in an `event explain --json` object: trigger id → verdict.
func verdicts(_ explanation: [String: Any], signal: String) -> [Int: String] {
    var result: [Int: String] = [:]
    for item in (explanation["signals"] as? [Any]) ?? [] {
        guard let entry = item as? [String: Any], str(entry["signal"]) == signal else { continue }
        for verdict in (entry["verdicts"] as? [Any]) ?? [] {
            guard let verdict = verdict as? [String: Any], let id = int(verdict["trigger"]) else { continue }
            result[id] = str(verdict["verdict"])
        }
    }
    return result
}
