/// The rule actions of SPEC §7 with their options: what `rule actions` prints and what `rule add` checks.
public struct RuleOptionSpec: Sendable, Equatable {
    public enum Name: String, Sendable, CaseIterable {
        case to, rotate, field, text, subject, title, template, send, url
    }

    public var name: Name
    public var required: Bool
    public var repeatable = false
    /// Whether the option's value may hold placeholders.
    public var template = false
    public var help: String
}

extension RuleAction {
    public var summary: String {
        switch self {
        case .move: return "moves the element to that stage of its pipeline, any direction; fires no trigger"
        case .assign:
            return "makes a responsible.changed event; with --rotate each run takes the next name in turn, starting with the first"
        case .set: return "makes a field.changed event"
        case .note: return "adds a note entry to the timeline"
        case .document: return "makes a document.created event, then with --send a document.sent event"
        case .sms: return "puts an sms message in the outbox"
        case .email:
            return "puts an email message in the outbox and makes an email.sent event whose email (message id) is outbox-ID"
        case .notify: return "puts a notify message (for an employee) in the outbox"
        case .webhook: return "puts a webhook message in the outbox"
        }
    }

    public var options: [RuleOptionSpec] {
        switch self {
        case .move: return [.init(name: .to, required: true, help: "the stage's code")]
        case .assign:
            return [
                .init(name: .to, required: false, help: "the new responsible (this or --rotate)"),
                .init(name: .rotate, required: false, help: "U1,U2,…: the users taken in turn (this or --to)"),
            ]
        case .set:
            return [.init(name: .field, required: true, repeatable: true, help: "NAME=VALUE (standard field names count)")]
        case .note: return [.init(name: .text, required: true, template: true, help: "the note")]
        case .document:
            return [
                .init(name: .template, required: true, help: "the document's template, e.g. contract"),
                .init(name: .title, required: false, template: true, help: "the document's title"),
                .init(name: .send, required: false, help: "email or sms: then also send it"),
            ]
        case .sms:
            return [
                .init(name: .text, required: true, template: true, help: "the message"),
                .init(name: .to, required: false, template: true, help: "the phone (default: the element's phone)"),
            ]
        case .email:
            return [
                .init(name: .text, required: true, template: true, help: "the message"),
                .init(name: .subject, required: false, template: true, help: "the subject"),
                .init(name: .to, required: false, template: true, help: "the address (default: the element's email)"),
            ]
        case .notify:
            return [
                .init(name: .text, required: true, template: true, help: "the message"),
                .init(name: .to, required: false, template: true, help: "the user (default: the element's responsible)"),
            ]
        case .webhook: return [.init(name: .url, required: true, help: "where the receiver posts it")]
        }
    }
}

extension RuleOptions {
    /// The options given, by name.
    var given: Set<RuleOptionSpec.Name> {
        var names: Set<RuleOptionSpec.Name> = []
        if to != nil { names.insert(.to) }
        if !rotate.isEmpty { names.insert(.rotate) }
        if !fields.isEmpty { names.insert(.field) }
        if text != nil { names.insert(.text) }
        if subject != nil { names.insert(.subject) }
        if title != nil { names.insert(.title) }
        if template != nil { names.insert(.template) }
        if send != nil { names.insert(.send) }
        if url != nil { names.insert(.url) }
        return names
    }

    /// A required option missing, another action's option given, or both or neither of assign's
    /// `--to`/`--rotate`: usage errors (64).
    public func usageProblem(for action: RuleAction) -> String? {
        let specs = action.options
        let allowed = Set(specs.map(\.name))
        if let foreign = given.subtracting(allowed).sorted(by: { $0.rawValue < $1.rawValue }).first {
            return "--do \(action.rawValue) takes no --\(foreign.rawValue) (it takes \(specs.map { "--\($0.name.rawValue)" }.joined(separator: ", ")))"
        }
        if let missing = specs.first(where: { $0.required && !given.contains($0.name) }) {
            return "--do \(action.rawValue) needs --\(missing.name.rawValue)"
        }
        if action == .assign && given.contains(.to) == given.contains(.rotate) {
            return "--do assign needs exactly one of --to and --rotate"
        }
        return nil
    }

    /// Bad values (65): an unknown placeholder or a lone brace, an empty value where one is needed.
    public func dataProblem(for action: RuleAction) -> String? {
        let templated: [(RuleOptionSpec.Name, String?)] = [(.text, text), (.subject, subject), (.title, title), (.to, to)]
        let templateNames = Set(action.options.filter(\.template).map(\.name))
        for (name, value) in templated where templateNames.contains(name) {
            guard let value else { continue }
            do {
                _ = try TextTemplate(parsing: value)
            } catch {
                return "--\(name.rawValue): \(error.message)"
            }
        }
        if action == .move, to?.isEmpty == true { return "--to needs a stage code" }
        if action == .assign, to?.isEmpty == true || rotate.contains(where: \.isEmpty) {
            return "--do assign needs user names, not empty ones"
        }
        if let problem = fields.lazy.compactMap({ Element.fieldNameProblem($0.name) }).first { return problem }
        if fields.contains(where: { $0.name == "title" && $0.value.isEmpty }) { return "an element needs a title" }
        if action == .document, template?.isEmpty == true { return "--template must not be empty" }
        if action == .webhook, url?.isEmpty == true { return "--url must not be empty" }
        if let text, text.isEmpty { return "--text must not be empty" }
        return nil
    }
}
