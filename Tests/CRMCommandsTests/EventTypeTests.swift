import CRMTestSupport
import Foundation
import Testing

@testable import CRMCommands

/// One line through `event ingest -`; the run must accept it.
func ingestOne(_ cli: CLI, _ line: String, now: String? = nil) -> [String: Any] {
    let run = cli.run("event", "ingest", "-", stdin: line + "\n", now: now)
    #expect(run.code == 0, "\(run)")
    #expect(run.lines.count == 1, "\(run)")
    return run.lines.first ?? [:]
}

/// A count from the database itself, through its shell (what an event records, SPEC §6 "records"): `sql` with
/// `?1` for the element.
func count(_ cli: CLI, _ sql: String, element: Int) -> Int? {
    let query = sql.replacingOccurrences(of: "?1", with: String(element))
    let output = try? DatabaseShell.query(cli.db, query, directory: URL(fileURLWithPath: cli.dir))
    return output.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}

/// SPEC §6: every event type, through `event inject` and `event ingest`, with its records and signals.
@Suite struct EventTypeTests {
    struct Case: CustomStringConvertible, Sendable {
        var type: String
        var data: String
        var trigger: [String]
        /// A query counting what the event recorded for element ?1, in the SQL of both databases.
        var records: String?
        var description: String { type }
    }

    static let cases: [Case] = [
        Case(type: "document.created", data: #"{"template":"offer","title":"Offer 1"}"#,
             trigger: ["--on", "document.created"], records: "SELECT count(*) FROM documents WHERE element = ?1 AND template = 'offer'"),
        Case(type: "email.sent", data: #"{"email":"m-1","subject":"Hello","to":"c@example.com"}"#,
             trigger: ["--on", "email.sent"], records: "SELECT count(*) FROM emails WHERE element = ?1 AND message_id = 'm-1' AND direction = 'sent'"),
        Case(type: "email.received", data: #"{"email":"m-2","subject":"Re","from":"c@example.com"}"#,
             trigger: ["--on", "email.received"], records: "SELECT count(*) FROM emails WHERE element = ?1 AND direction = 'received'"),
        Case(type: "email.link_clicked", data: #"{"url":"https://shop.example/a","email":"m-1"}"#,
             trigger: ["--on", "email.link_clicked"], records: "SELECT count(*) FROM email_clicks WHERE element = ?1 AND url = 'https://shop.example/a'"),
        Case(type: "call.incoming", data: #"{"line":"hotline","call":"c-1","duration":"30"}"#,
             trigger: ["--on", "call.incoming"], records: "SELECT count(*) FROM calls WHERE element = ?1 AND direction = 'incoming' AND line = 'hotline'"),
        Case(type: "call.outgoing", data: #"{"call":"c-2"}"#,
             trigger: ["--on", "call.outgoing"], records: "SELECT count(*) FROM calls WHERE element = ?1 AND direction = 'outgoing'"),
        Case(type: "call.missed", data: #"{"line":"hotline"}"#,
             trigger: ["--on", "call.missed"], records: "SELECT count(*) FROM calls WHERE element = ?1 AND direction = 'missed'"),
        Case(type: "chat.message", data: #"{"text":"Hallo","channel":"web"}"#,
             trigger: ["--on", "chat.first_message"], records: "SELECT count(*) FROM chat_messages WHERE element = ?1 AND text = 'Hallo'"),
        Case(type: "form.submitted", data: #"{"form":"contact","fields":{"name":"C"}}"#,
             trigger: ["--on", "form.submitted"], records: "SELECT count(*) FROM form_submissions WHERE element = ?1 AND form = 'contact' AND kind = 'webform'"),
        Case(type: "payment.received", data: #"{"amount":"100.00","currency":"EUR","invoice":"I-1"}"#,
             trigger: ["--on", "payment.received"], records: "SELECT count(*) FROM payments WHERE element = ?1 AND invoice = 'I-1' AND currency = 'EUR'"),
        Case(type: "field.changed", data: #"{"fields":{"budget":"5000"}}"#,
             trigger: ["--on", "field.changed", "--field", "budget"], records: "SELECT count(*) FROM elements WHERE id = ?1 AND fields LIKE '%\"budget\":\"5000\"%'"),
        Case(type: "responsible.changed", data: #"{"responsible":"ben"}"#,
             trigger: ["--on", "responsible.changed"], records: "SELECT count(*) FROM elements WHERE id = ?1 AND responsible = 'ben'"),
        Case(type: "custom", data: #"{"code":"vip"}"#, trigger: ["--on", "custom", "--code", "vip"], records: nil),
    ]

    @Test(arguments: cases)
    func injectAndIngestRecordAndSignal(_ c: Case) {
        let cli = CLI()
        let trigger = cli.triggerArgs(c.trigger + ["--pipeline", "lead", "--stage", "IN_PROCESS"])
        let viaInject = cli.lead("Inject", "--responsible", "anna")
        let viaIngest = cli.lead("Ingest", "--responsible", "anna")

        let run = cli.run("event", "inject", "--type", c.type, "--element", String(viaInject), "--data", c.data,
                          "--at", "2026-11-24T10:00:00Z", "--by", "someone", "--json")
        #expect(run.code == 0, "\(run)")
        #expect(run.err.isEmpty, "\(run)")
        let result = run.object
        expectKeys(result, "key event type element status moves")
        #expect(str(result["type"]) == c.type)
        #expect(int(result["element"]) == viaInject)
        #expect(str(result["status"]) == "moved", "\(run)")
        #expect(moves(result).map(\.trigger) == [trigger])
        #expect(movePath(result) == ["NEW>IN_PROCESS"])
        #expect(result["line"] == nil, "line only in ingest")
        #expect(cli.stage(viaInject) == "IN_PROCESS")

        let line = ingestOne(cli, #"{"type":"\#(c.type)","element":\#(viaIngest),"at":"2026-11-24T11:00:00Z","data":\#(c.data)}"#)
        #expect(int(line["line"]) == 1)
        #expect(str(line["status"]) == "moved", "\(line)")
        #expect(moves(line).map(\.trigger) == [trigger])
        #expect(cli.stage(viaIngest) == "IN_PROCESS")

        if let records = c.records {
            #expect(count(cli, records, element: viaInject) == 1, "\(c.type) records for inject")
            #expect(count(cli, records, element: viaIngest) == 1, "\(c.type) records for ingest")
        }
        let events = cli.events("--type", c.type)
        #expect(events.count == 2)
        #expect(events.first.map { str($0["by"]) } == "someone")
        #expect(events.first.map { str($0["at"]) } == "2026-11-24T10:00:00Z")
        let history = cli.history(viaInject)
        #expect(history.map { str($0["kind"]) } == ["created", c.type, "stage_changed"])
    }

    @Test(arguments: [
        ("document.created", "{}"), ("email.sent", "{}"), ("email.link_clicked", "{}"), ("chat.message", "{}"),
        ("form.submitted", "{}"), ("field.changed", "{}"), ("responsible.changed", "{}"), ("custom", "{}"),
        ("document.signed", #"{"document":1,"party":"witness"}"#), ("form.submitted", #"{"form":"f","kind":"popup"}"#),
        ("field.changed", #"{"fields":"budget"}"#),
    ])
    func missingOrBadDataIsRejected(type: String, data: String) {
        let cli = CLI()
        let lead = cli.lead()
        let run = cli.run("event", "inject", "--type", type, "--element", String(lead), "--data", data)
        #expect(run.code == 65, "\(type) \(data): \(run)")
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("crmctl: error: "))
        #expect(cli.events().isEmpty)
    }

    @Test func injectErrors() {
        let cli = CLI()
        let lead = cli.lead()
        let unknownType = cli.run("event", "inject", "--type", "call.lost", "--element", String(lead), "--json")
        #expect(unknownType.code == 65, "\(unknownType)")
        #expect(unknownType.out.isEmpty)
        #expect(str(unknownType.errorObject["code"]) == "unknown_type", "\(unknownType)")
        let unknownElement = cli.run("event", "inject", "--type", "call.missed", "--element", "99", "--json")
        #expect(unknownElement.code == 66, "\(unknownElement)")
        #expect(unknownElement.out.isEmpty)
        #expect(str(unknownElement.errorObject["code"]) == "not_found", "\(unknownElement)")
        let badJSON = cli.run("event", "inject", "--type", "custom", "--element", String(lead), "--data", "{code:", "--json")
        #expect(badJSON.code == 65, "\(badJSON)")
        #expect(badJSON.out.isEmpty)
        let badAt = cli.run("event", "inject", "--type", "call.missed", "--element", String(lead), "--at", "yesterday")
        #expect(badAt.code == 64, "\(badAt)")
        #expect(badAt.out.isEmpty)
        let noTarget = cli.run("event", "inject", "--type", "call.missed")
        #expect(noTarget.code == 64, "\(noTarget)")
        #expect(cli.events().isEmpty)
    }

    @Test func textOutputIsOneSummaryLine() {
        let cli = CLI()
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        let run = cli.run("event", "inject", "--type", "call.missed", "--element", String(lead))
        #expect(run.code == 0)
        #expect(run.err.isEmpty)
        #expect(run.out.contains("IN_PROCESS"))
    }

    @Test func eventAtWithOffsetIsPrintedInUTCAndDefaultsToNow() {
        let cli = CLI()
        _ = cli.trigger("--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")
        let lead = cli.lead()
        _ = cli.inject("--type", "call.missed", "--element", String(lead), "--at", "2026-11-24T12:00:00+03:00")
        _ = cli.inject("--type", "call.incoming", "--element", String(lead), now: "2026-11-25T08:00:00Z")
        #expect(cli.events().map { str($0["at"]) } == ["2026-11-24T09:00:00Z", "2026-11-25T08:00:00Z"])
        let change = cli.history(lead).first { str($0["kind"]) == "stage_changed" } ?? [:]
        #expect(str(change["at"]) == "2026-11-24T09:00:00Z")
    }
}
