import ArgumentParser
import CRMApplication
import CRMCore
import CRMStorage
import JSON

struct RuleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rule", abstract: "Automation rules: what runs when an element enters a stage.",
        subcommands: [Add.self, List.self, Show.self, Remove.self, Enable.self, Disable.self, Actions.self])

    struct Add: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "add",
            abstract: "Add a rule: every element entering --stage gets a job that does --do; prints the rule's id.",
            discussion: """
                Actions (crmctl rule actions lists them with their options):
                  move --to CODE · assign --to USER | --rotate U1,U2 · set --field NAME=VALUE… · note --text T
                  document --template T [--title X] [--send email|sms] · sms --text T [--to PHONE]
                  email --text T [--subject S] [--to EMAIL] · notify --text T [--to USER] · webhook --url U
                --text, --subject, --title and the --to of sms, email and notify may hold placeholders, filled when \
                the job runs: {id} {title} {responsible} {email} {phone} {stage} {pipeline} {fields.NAME}; {{ and }} \
                are braces.
                Conditions (--if) are checked when the job runs, on the element as it is then.
                Example: crmctl rule add --pipeline deal --stage PREPARATION --do sms --text 'Hallo {title}, wir rufen \
                morgen an.'
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "lead, deal, or a pipeline id.") var pipeline: String
        @Option(help: "The stage whose entering elements the rule acts on.") var stage: String
        @Option(
            name: .customLong("do"), help: "The action: move, assign, set, note, document, sms, email, notify, webhook.",
            completion: .list(RuleAction.allCases.map(\.rawValue)))
        var action: String
        @Option(help: "move: the stage; assign: the user; sms/email/notify: the recipient.") var to: String?
        @Option(help: "assign: users taken in turn, U1,U2,…") var rotate: String?
        @Option(help: "set: NAME=VALUE (repeatable; title, email and phone count as fields).") var field: [FieldAssignment] = []
        @Option(help: "note, sms, email, notify: the text.") var text: String?
        @Option(help: "email: the subject.") var subject: String?
        @Option(help: "document: the document's title.") var title: String?
        @Option(help: "document: the template, e.g. contract.") var template: String?
        @Option(help: "document: also send it, by email or sms.") var send: DocumentCommand.Send.Channel?
        @Option(help: "webhook: the URL.") var url: String?
        @Option(help: "A name for people.") var name: String?
        @Option(name: .customLong("as"), help: "Author its events and entries as this user (default: the element's responsible, else system).")
        var asUser: String?
        @Option(name: .customLong("if"), help: "A condition FIELD OP VALUE, checked when the job runs (repeatable).")
        var conditions: [String] = []
        @Flag(help: "Add it disabled.") var disabled = false
        @Option(help: "Due that long after the entry: 90s, 10m, 1h30m, 2d, 1w.") var after: String?
        @Option(help: "Due at the first HH:MM at or after the entry (plus --after).") var at: String?
        @Option(help: "Due DURATION before the date in free field NAME: NAME:DURATION.") var beforeField: String?
        @Option(help: "Due DURATION after the date in free field NAME: NAME:DURATION.") var afterField: String?
        @Option(help: "Move a due time outside these hours to their next start: 'Mon-Fri 09:00-18:00'.") var workHours: String?
        @Option(help: "The zone of --at, --work-hours and date-only fields: Europe/Berlin, +01:00 (default: UTC).")
        var tz: String?

        func run(_ context: Context) throws {
            guard let action = RuleAction(rawValue: action) else {
                throw CRMError.invalid(
                    "unknown action \"\(action)\" (one of \(RuleAction.allCases.map(\.rawValue).joined(separator: ", ")); see crmctl rule actions)")
            }
            var options = RuleOptions()
            options.to = to
            options.rotate = rotate.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
            options.fields = field.map { ($0.name, $0.value) }
            options.text = text
            options.subject = subject
            options.title = title
            options.template = template
            options.send = send?.rawValue
            options.url = url
            if let problem = options.usageProblem(for: action) { throw CRMError.usage(problem) }
            let parsed: [Condition]
            do {
                parsed = try conditions.map { (text: String) throws(ValidationFailure) -> Condition in try Condition(parsing: text) }
            } catch {
                throw CRMError.invalid(error.message)
            }
            let rule = Rule(
                id: 0, name: name ?? "", pipeline: 0, stage: stage, action: action, options: options, timing: try timing(),
                conditions: parsed, asUser: asUser, enabled: !disabled)
            let added = try context.store().addRule(rule, pipelineName: pipeline)
            if context.json { return context.printJSON(Render.rule(added)) }
            context.printLine(String(added.id))
        }

        /// §8's options: a malformed value (duration, clock time, days, zone) is a usage error (64).
        private func timing() throws -> RuleTiming {
            let timing = RuleTiming(
                after: after, at: at, beforeField: beforeField, afterField: afterField, workHours: workHours, tz: tz)
            do {
                let spec = try TimingSpec(timing)
                _ = try ZoneDatabase.rules(spec.zoneName)
            } catch let failure as ValidationFailure {
                throw CRMError.usage(failure.message)
            }
            return timing
        }
    }

    struct List: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List rules by id.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "lead, deal, or a pipeline id.") var pipeline: String?
        @Option(help: "Only rules of this stage.") var stage: String?

        func run(_ context: Context) throws {
            let store = try context.store()
            let pipelineID = try pipeline.map { try store.pipeline(named: $0).id }
            let rules = try store.rules(pipeline: pipelineID, stage: stage)
            if context.json { return context.printJSON(.array(rules.map(Render.rule))) }
            context.printLine(
                TextTable(
                    header: ["ID", "PIPELINE", "STAGE", "DO", "WHEN", "ENABLED", "NAME"],
                    rows: rules.map {
                        [String($0.id), String($0.pipeline), $0.stage, $0.action.rawValue, Render.timingText($0.timing),
                         $0.enabled ? "yes" : "no", $0.name]
                    }
                ).render())
        }
    }

    struct Show: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one rule.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The rule's id.") var id: Int64

        func run(_ context: Context) throws {
            RuleCommand.print(try context.store().rule(id: id), context)
        }
    }

    struct Remove: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "remove",
            abstract: "Remove a rule; its pending jobs are cancelled when they come due.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The rule's id.") var id: Int64

        func run(_ context: Context) throws {
            let removed = try context.store().removeRule(id: id)
            if context.json { return context.printJSON(Render.rule(removed)) }
            context.printLine(String(removed.id))
        }
    }

    struct Enable: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a rule.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The rule's id.") var id: Int64

        func run(_ context: Context) throws {
            RuleCommand.print(try context.store().setRule(id: id, enabled: true), context)
        }
    }

    struct Disable: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "disable",
            abstract: "Disable a rule: no new jobs; its pending ones are cancelled when they come due.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The rule's id.") var id: Int64

        func run(_ context: Context) throws {
            RuleCommand.print(try context.store().setRule(id: id, enabled: false), context)
        }
    }

    struct Actions: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "actions",
            abstract: "Print the catalogue of rule actions and their options.")
        @OptionGroup var global: GlobalOptions

        func run(_ context: Context) throws {
            let actions = RuleAction.allCases
            if context.json {
                return context.printJSON(.array(actions.map { action in
                    [
                        "action": .string(action.rawValue), "description": .string(action.summary),
                        "options": .array(action.options.map { option in
                            [
                                "option": .string("--\(option.name.rawValue)"), "required": .bool(option.required),
                                "repeatable": .bool(option.repeatable), "placeholders": .bool(option.template),
                                "description": .string(option.help),
                            ]
                        }),
                    ]
                }))
            }
            context.printLine(
                TextTable(
                    header: ["ACTION", "OPTIONS", "DOES"],
                    rows: actions.map { action in
                        [action.rawValue, action.options.map(Render.optionText).joined(separator: " "), action.summary]
                    }
                ).render())
        }
    }

    static func print(_ rule: Rule, _ context: Context) {
        if context.json { return context.printJSON(Render.rule(rule)) }
        var lines = [
            "id:        \(rule.id)", "name:      \(rule.name)", "pipeline:  \(rule.pipeline)", "stage:     \(rule.stage)",
            "do:        \(rule.action.rawValue)", "when:      \(Render.timingText(rule.timing))",
            "as:        \(rule.asUser ?? "(the element's responsible, else system)")",
            "enabled:   \(rule.enabled ? "yes" : "no")",
        ]
        for (name, value) in rule.options.json.objectValue ?? JSONObject() {
            lines.append("option \(name): \(value.stringValue ?? JSONWriter.serialize(value))")
        }
        for condition in rule.conditions { lines.append("if:        \(condition)") }
        context.printLines(lines)
    }
}
