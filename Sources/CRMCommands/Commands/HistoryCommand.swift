import ArgumentParser
import CRMCore
import JSON
import CRMApplication
import CRMStorage

struct History: CRMCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show an element's timeline in recording order.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The element's id.") var id: Int64

    func run(_ context: Context) throws {
        let store = try context.store()
        _ = try store.element(id: id)
        var list = StreamedList(context)
        try store.forEachTimelineEntry(element: id) { entry in
            try list.add(Render.timelineEntry(entry), line: History.line(entry))
        }
        list.finish()
    }

    /// `2026-11-24T09:30:00Z  stage_changed  anna  NEW → IN_PROCESS (trigger 3, event 7)`, made safe for a
    /// terminal (`printable`).
    static func line(_ entry: TimelineEntry) -> String {
        let details = entry.details
        let what: String
        switch entry.kind {
        case TimelineKind.stageChanged:
            let from = details["from"]?.stringValue ?? "?"
            let to = details["to"]?.stringValue ?? "?"
            if let trigger = details["trigger"]?.scalarText {
                what = "\(from) → \(to) (trigger \(trigger), event \(details["event"]?.scalarText ?? "?"))"
            } else if let rule = details["rule"]?.scalarText {
                what = "\(from) → \(to) (rule \(rule), job \(details["job"]?.scalarText ?? "?"))"
            } else {
                what = "\(from) → \(to) (moved by hand)"
            }
        case TimelineKind.rule:
            let action = details["action"]?.stringValue.map { ", \($0)" } ?? ""
            what = "job \(details["job"]?.scalarText ?? "?") (rule \(details["rule"]?.scalarText ?? "?")\(action)): \(details["status"]?.stringValue ?? "?") — \(details["detail"]?.stringValue ?? "")"
        case TimelineKind.note:
            what = "\(details["text"]?.stringValue ?? "") (rule \(details["rule"]?.scalarText ?? "?"), job \(details["job"]?.scalarText ?? "?"))"
        case TimelineKind.created:
            what = "in pipeline \(details["pipeline"]?.scalarText ?? "?"), stage \(details["stage"]?.stringValue ?? "?"): \(details["title"]?.stringValue ?? "")"
        default:
            let data = details["data"].map { JSONWriter.serialize($0) } ?? "{}"
            what = "event \(details["event"]?.scalarText ?? "?") \(data)"
        }
        return "\(entry.at.rfc3339)  \(entry.kind)  \(entry.author)  \(what)".printable
    }
}
