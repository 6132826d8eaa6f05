import CRMCore
import CRMStorage

/// `crmctl board --html`: the board as a page, a column per stage in pipeline order with its count (success and
/// failure stages marked by colour and ✓/✗) and its newest elements — title, responsible, time in the stage.
struct HTMLBoardPage {
    let pipeline: Pipeline
    let columns: [BoardColumn]
    /// The generation time: the time in a stage is counted up to it.
    let now: Timestamp
    let database: String

    func render() -> String {
        HTMLPage.document(title: "Board: \(pipeline.name)", generatedAt: now, database: database) { body in
            body.element("header") { $0.element("h1", text: BoardLayout.headline(pipeline, columns)) }
            body.element("main") { main in
                // Focusable so that a keyboard can scroll a board wider than the screen.
                main.element("div", ["class": "board", "role": "region", "aria-label": "Stages", "tabindex": "0"]) { board in
                    for column in columns { stage(column, into: &board) }
                }
            }
        }
    }

    private func stage(_ column: BoardColumn, into board: inout HTMLWriter) {
        let stage = column.stage
        let marker = switch stage.semantic {
        case .process: ""
        case .success: "✓ "
        case .failure: "✗ "
        }
        board.element("section", [
            "class": "stage \(stage.semantic.rawValue)", "data-stage": stage.code, "title": "\(stage.semantic.rawValue) stage",
        ]) { section in
            section.element("h2") { heading in
                heading.element("span", ["class": "code"], text: marker + stage.code)
                heading.element("span", ["class": "count"], text: String(column.count))
            }
            section.element("p", ["class": "name"], text: stage.name)
            if column.count == 0 {
                section.element("p", ["class": "empty"], text: "No elements")
                return
            }
            section.element("ol", ["class": "cards"]) { cards in
                for card in column.newest { self.card(card, stage: stage, into: &cards) }
            }
            if column.count > column.newest.count {
                section.element("p", ["class": "more"], text: "+\(column.count - column.newest.count) more")
            }
        }
    }

    private func card(_ card: BoardCard, stage: Stage, into cards: inout HTMLWriter) {
        let element = card.element
        cards.element("li", ["class": "card", "data-element": String(element.id)]) { item in
            item.element("span", ["class": "title"], text: "#\(element.id) \(element.title)")
            item.element("span", ["class": "meta"]) { meta in
                meta.text((element.responsible ?? "unassigned") + " · ")
                meta.element("time", [
                    "datetime": card.inStageSince.rfc3339, "title": "in \(stage.code) since \(card.inStageSince.rfc3339)",
                ], text: Self.elapsed(from: card.inStageSince, to: now) + " in stage")
            }
        }
    }

    /// `3d 4h`, `5h 12m`, `7m`, `<1m`: the two largest units of the time between `start` and `end` (none when
    /// `start` is later: an event may be dated ahead of the clock).
    static func elapsed(from start: Timestamp, to end: Timestamp) -> String {
        let minutes = max(0, end.milliseconds - start.milliseconds) / 60_000
        let (days, hours) = (minutes / 1440, minutes % 1440 / 60)
        if days > 0 { return hours > 0 ? "\(days)d \(hours)h" : "\(days)d" }
        if hours > 0 { return minutes % 60 > 0 ? "\(hours)h \(minutes % 60)m" : "\(hours)h" }
        return minutes > 0 ? "\(minutes)m" : "<1m"
    }
}
