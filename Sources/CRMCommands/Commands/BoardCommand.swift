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

/// `crmctl board`: a pipeline at a glance, one column per stage with its count and newest elements.
struct Board: CRMCommand {
    static let configuration = CommandConfiguration(
        commandName: "board",
        abstract: "Show a pipeline as a board: each stage in order with its count and newest elements.",
        discussion: """
            Text fits the terminal width ($COLUMNS, else the window's width, else 80) and has colour only on a \
            terminal without $NO_COLOR. --json prints {pipeline, name, type, stages: [{code, name, semantic, \
            count, elements}]}. --html prints one self-contained page (no scripts, nothing loaded from elsewhere) \
            that also shows each element's responsible and time in its stage.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "lead, deal, or a pipeline id.") var pipeline = "lead"
    @Option(parsing: .unconditional, help: "The newest elements shown per stage.") var limit = 5
    @Flag(help: "Print one self-contained HTML page of the board.") var html = false

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must not be negative") }
        if html && global.json { throw ValidationError("--html and --json cannot be used together") }
    }

    func run(_ context: Context) throws {
        let store = try context.store()
        let pipeline = try store.pipeline(named: self.pipeline)
        let columns = try store.board(of: pipeline, newest: limit)
        if html {
            let page = HTMLBoardPage(
                pipeline: pipeline, columns: columns, now: try context.clock().now(), database: try context.store().location)
            return context.io.output.write(page.render())
        }
        if context.json { return context.printJSON(Self.json(pipeline, columns)) }
        let layout = BoardLayout(
            width: Terminal.width(of: STDOUT_FILENO, environment: context.io.environment),
            colour: Terminal.allowsColour(STDOUT_FILENO, environment: context.io.environment))
        context.printLine(layout.render(pipeline, columns))
    }

    static func json(_ pipeline: Pipeline, _ columns: [BoardColumn]) -> JSONValue {
        [
            "pipeline": JSONValue(pipeline.id), "name": .string(pipeline.name), "type": .string(pipeline.type.rawValue),
            "stages": .array(columns.map { column in
                [
                    "code": .string(column.stage.code), "name": .string(column.stage.name),
                    "semantic": .string(column.stage.semantic.rawValue), "count": JSONValue(column.count),
                    "elements": .array(column.newest.map { Render.element($0.element) }),
                ]
            }),
        ]
    }
}
