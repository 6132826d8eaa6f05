import ArgumentParser
import CRMCore
import JSON
import CRMApplication
import CRMStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct TriggerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger", abstract: "Add, list, show, remove, enable and disable triggers.",
        subcommands: [Add.self, List.self, Show.self, Remove.self, Enable.self, Disable.self, Codes.self])

    struct Add: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "add",
            abstract: "Add a trigger: when its code is signalled, the element moves to --stage.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The trigger code (see `crmctl trigger codes`).", completion: .list(TriggerCode.allCases.map(\.rawValue)))
        var on: String
        @Option(help: "lead, deal, or a pipeline id.") var pipeline: String
        @Option(help: "The target stage's code.") var stage: String
        @Option(help: "A name for people.") var name: String?
        @Option(name: .customLong("as"), help: "Record moves as this user (default: the element's responsible, else system).")
        var asUser: String?
        @Flag(help: "Also move elements backwards, and reopen closed ones.") var allowBackwards = false
        @Flag(help: "Add it disabled.") var disabled = false
        @Option(help: "Document triggers: only documents from this template.") var template: String?
        @Option(help: "email.link_clicked: the clicked URL starts with this.") var url: String?
        @Option(help: "Form triggers: only this form.") var form: String?
        @Option(help: "Call triggers: only this line.") var line: String?
        @Option(help: "Chat triggers: only this channel.") var channel: String?
        @Option(parsing: .unconditional, help: "chat.answer_late: answered later than N seconds after the first message.") var seconds: Int64?
        @Option(help: "chat.text: the message contains this text.") var text: String?
        @Flag(help: "chat.text: compare without case.") var ignoreCase = false
        @Option(help: "field.changed: a field to watch (repeatable).") var field: [String] = []
        @Option(help: "custom: the event's code.") var code: String?
        @Option(name: .customLong("if"), help: "A condition FIELD OP VALUE, OP one of = != > >= < <= ~ (repeatable).")
        var conditions: [String] = []

        func run(_ context: Context) throws {
            let settings = TriggerSettings(
                template: template, url: url, form: form, line: line, channel: channel, seconds: seconds, text: text,
                ignoreCase: ignoreCase, fields: field, code: code)
            let code = try triggerCode(on)
            // A required option left out is a usage error (64), as for any other missing option.
            if let missing = settings.missingRequired(for: code) {
                throw CRMError.usage("--on \(code.rawValue) needs \(missing.usage)")
            }
            let parsed: [Condition]
            do {
                parsed = try conditions.map { (text: String) throws(ValidationFailure) -> Condition in try Condition(parsing: text) }
            } catch {
                throw CRMError.invalid(error.message)
            }
            let trigger = Trigger(
                id: 0, name: name ?? "", code: code, pipeline: 0, stage: stage, asUser: asUser,
                allowBackwards: allowBackwards, settings: settings, conditions: parsed, enabled: !disabled)
            let added = try context.store().addTrigger(trigger, pipelineName: pipeline)
            if context.json { return context.printJSON(Render.trigger(added)) }
            context.printLine(String(added.id))
        }
    }

    struct List: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List triggers by id.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "lead, deal, or a pipeline id.") var pipeline: String?
        @Option(help: "Only triggers with this code.", completion: .list(TriggerCode.allCases.map(\.rawValue)))
        var on: String?

        func run(_ context: Context) throws {
            let store = try context.store()
            let pipelineID = try pipeline.map { try store.pipeline(named: $0).id }
            let triggers = try store.triggers(pipeline: pipelineID, code: try on.map(triggerCode))
            if context.json { return context.printJSON(.array(triggers.map(Render.trigger))) }
            context.printLine(
                TextTable(
                    header: ["ID", "ON", "PIPELINE", "STAGE", "ENABLED", "NAME"],
                    rows: triggers.map { [String($0.id), $0.code.rawValue, String($0.pipeline), $0.stage, $0.enabled ? "yes" : "no", $0.name] }
                ).render())
        }
    }

    struct Show: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one trigger.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The trigger's id.") var id: Int64

        func run(_ context: Context) throws {
            TriggerCommand.print(try context.store().trigger(id: id), context)
        }
    }

    struct Remove: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a trigger; events keep its verdicts.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The trigger's id.") var id: Int64

        func run(_ context: Context) throws {
            let removed = try context.store().removeTrigger(id: id)
            if context.json { return context.printJSON(Render.trigger(removed)) }
            context.printLine(String(removed.id))
        }
    }

    struct Enable: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a trigger.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The trigger's id.") var id: Int64

        func run(_ context: Context) throws {
            TriggerCommand.print(try context.store().setTrigger(id: id, enabled: true), context)
        }
    }

    struct Disable: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable a trigger.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The trigger's id.") var id: Int64

        func run(_ context: Context) throws {
            TriggerCommand.print(try context.store().setTrigger(id: id, enabled: false), context)
        }
    }

    struct Codes: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "codes", abstract: "Print the catalogue of trigger codes.")
        @OptionGroup var global: GlobalOptions

        func run(_ context: Context) throws {
            let codes = TriggerCode.allCases
            if context.json {
                return context.printJSON(.array(codes.map { code in
                    let entry = code.entry
                    return [
                        "code": .string(code.rawValue), "group": .string(entry.group), "description": .string(entry.description),
                        "settings": .array(code.settingLabels.map(JSONValue.string)),
                        "bitrix": .string(entry.bitrixCode),
                    ]
                }))
            }
            let table = TextTable(
                header: ["CODE", "GROUP", "FIRES WHEN", "SETTINGS", "BITRIX24"],
                rows: codes.map { code in
                    [code.rawValue, code.entry.group, code.entry.description, Self.settings(of: code), code.entry.bitrixCode]
                }
            ).render()
            // A pipe gets the table whole, a line per code for grep; a terminal too narrow for it gets a block
            // per code, its sentences wrapped, rather than lines cut off.
            let environment = context.io.environment
            guard Terminal.isTerminal(STDOUT_FILENO) || environment["COLUMNS"] != nil else { return context.printLine(table) }
            let width = Terminal.width(of: STDOUT_FILENO, environment: environment)
            guard table.split(separator: "\n").contains(where: { String($0).displayWidth > width }) else { return context.printLine(table) }
            context.printLines(codes.flatMap { code in
                ["\(code.rawValue)  \(code.entry.group)  \(code.entry.bitrixCode)"]
                    + "fires when \(code.entry.description)".wrapped(toWidth: width - 4).map { "    " + $0 }
                    + "settings: \(Self.settings(of: code))".wrapped(toWidth: width - 4).map { "    " + $0 }
            })
        }

        static func settings(of code: TriggerCode) -> String {
            code.settingLabels.isEmpty ? "-" : code.settingLabels.joined(separator: ", ")
        }
    }

    static func print(_ trigger: Trigger, _ context: Context) {
        if context.json { return context.printJSON(Render.trigger(trigger)) }
        var lines = [
            "id:               \(trigger.id)", "name:             \(trigger.name)", "on:               \(trigger.code.rawValue)",
            "pipeline:         \(trigger.pipeline)", "stage:            \(trigger.stage)",
            "as:               \(trigger.asUser ?? "(the element's responsible, else system)")",
            "allow_backwards:  \(trigger.allowBackwards ? "yes" : "no")", "enabled:          \(trigger.enabled ? "yes" : "no")",
        ]
        let settings = trigger.settings.json.objectValue ?? JSONObject()
        for (name, value) in settings { lines.append("setting \(name): \(value.stringValue ?? JSONWriter.serialize(value))") }
        for condition in trigger.conditions { lines.append("if:               \(condition)") }
        context.printLines(lines)
    }
}

/// A trigger code named on the command line; an unknown one is bad data (65), as SPEC §3 says.
func triggerCode(_ name: String) throws -> TriggerCode {
    guard let code = TriggerCode(rawValue: name) else {
        throw CRMError.invalid("unknown trigger code \"\(name)\" (see crmctl trigger codes)")
    }
    return code
}
