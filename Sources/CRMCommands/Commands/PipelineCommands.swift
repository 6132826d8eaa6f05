import ArgumentParser
import CRMCore
import JSON
import CRMApplication
import CRMStorage

struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline", abstract: "List, show and create pipelines.",
        subcommands: [List.self, Show.self, Create.self])

    struct List: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the pipelines.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only pipelines of this type: lead or deal.") var type: EntityTypeArgument?

        func run(_ context: Context) throws {
            let pipelines = try context.store().pipelines(type: type?.value)
            if context.json { return context.printJSON(.array(pipelines.map(Render.pipeline))) }
            context.printLine(
                TextTable(
                    header: ["ID", "TYPE", "NAME", "STAGES"],
                    rows: pipelines.map { [String($0.id), $0.type.rawValue, $0.name, $0.stages.map(\.code).joined(separator: " ")] }
                ).render())
        }
    }

    struct Show: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a pipeline and its stages.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "lead, deal, or a pipeline id.") var pipeline: String

        func run(_ context: Context) throws {
            let pipeline = try context.store().pipeline(named: self.pipeline)
            Self.print(pipeline, context)
        }

        static func print(_ pipeline: Pipeline, _ context: Context) {
            if context.json { return context.printJSON(Render.pipeline(pipeline)) }
            context.printLines(["pipeline \(pipeline.id) (\(pipeline.type.rawValue)): \(pipeline.name)"])
            context.printLine(
                TextTable(
                    header: ["#", "CODE", "NAME", "SEMANTIC"],
                    rows: pipeline.stages.enumerated().map { [String($0.offset + 1), $0.element.code, $0.element.name, $0.element.semantic.rawValue] }
                ).render())
        }
    }

    struct Create: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "create",
            abstract: "Create a deal pipeline.",
            discussion: "Example: --stages NEW:New,TALK:Talking,WON:Won:success,LOST:Lost:failure")
        @OptionGroup var global: GlobalOptions
        @Option(help: "deal (leads have one pipeline).") var type: EntityTypeArgument
        @Option(help: "The pipeline's name.") var name: String
        @Option(help: "CODE:Name[:semantic],... in order; semantic is process (default), success or failure.")
        var stages: String

        func run(_ context: Context) throws {
            let pipeline = try context.store().createPipeline(type: type.value, name: name, stages: try parseStages())
            if context.json { return context.printJSON(Render.pipeline(pipeline)) }
            context.printLine(String(pipeline.id))
        }

        func parseStages() throws -> [Stage] {
            try stages.split(separator: ",", omittingEmptySubsequences: false).map { item in
                let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw CRMError.usage("--stages takes CODE:Name[:semantic],...; \"\(item)\" is not one")
                }
                var semantic = StageSemantic.process
                if parts.count == 3 {
                    guard let given = StageSemantic(rawValue: parts[2]) else {
                        throw CRMError.usage("stage semantic must be process, success or failure, not \"\(parts[2])\"")
                    }
                    semantic = given
                }
                return Stage(code: parts[0], name: parts[1], semantic: semantic)
            }
        }
    }
}

struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage", abstract: "Add stages to a pipeline.", subcommands: [Add.self])

    struct Add: CRMCommand {
        static let configuration = CommandConfiguration(commandName: "add",
            abstract: "Add a stage (without --after: process stages after the last process stage, others at the end).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "lead, deal, or a pipeline id.") var pipeline: String
        @Option(help: "The stage code: A-Z, 0-9 and _.") var code: String
        @Option(help: "The stage's name.") var name: String
        @Option(help: "process (default), success or failure.") var semantic: StageSemanticArgument?
        @Option(help: "Put the new stage after this one.") var after: String?

        func run(_ context: Context) throws {
            let stage = Stage(code: code, name: name, semantic: semantic?.value ?? .process)
            let pipeline = try context.store().addStage(stage, to: self.pipeline, after: after)
            PipelineCommand.Show.print(pipeline, context)
        }
    }
}

/// `lead` or `deal` as an option value; anything else is a usage error.
struct EntityTypeArgument: ExpressibleByArgument {
    var value: EntityType
    init?(argument: String) {
        guard let value = EntityType(rawValue: argument) else { return nil }
        self.value = value
    }
    static var allValueStrings: [String] { EntityType.allCases.map(\.rawValue) }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

struct StageSemanticArgument: ExpressibleByArgument {
    var value: StageSemantic
    init?(argument: String) {
        guard let value = StageSemantic(rawValue: argument) else { return nil }
        self.value = value
    }
    static var allValueStrings: [String] { StageSemantic.allCases.map(\.rawValue) }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
