import CRMCore
import CRMStorage
import JSON

/// The outcome of one event (SPEC §6 "Result"), as printed and, for stored events, as kept.
public struct EventResult: Sendable {
    public enum Status: String, Sendable {
        case moved, recorded, duplicate, rejected
    }

    public var key: String?
    public var event: Int64?
    public var type: String?
    public var element: Int64?
    public var status: Status
    /// Every stage change of the event's cascade, in order.
    public var moves: [StageChange] = []
    /// The jobs the cascade made, with their status when it ended.
    public var jobs: [JobSummary] = []
    /// Why a recorded event signalled nothing, e.g. an open of an email that was not sent from the element.
    public var notes: [String] = []
    /// The document an event created or acted on.
    public var document: Int64?
    public var decisions: [Decision] = []
    public var error: CRMError?
    public var dryRun = false

    public init(key: String?, type: String?, element: Int64?, status: Status) {
        self.key = key
        self.type = type
        self.element = element
        self.status = status
    }

    public static func rejected(_ error: CRMError, key: String? = nil, type: String? = nil, element: Int64? = nil)
        -> EventResult
    {
        var result = EventResult(key: key, type: type, element: element, status: .rejected)
        result.error = error
        return result
    }

    /// The printed object; `line` only for `event ingest`.
    public func json(line: Int? = nil) -> JSONValue {
        var stream = JSONStream()
        write(into: &stream, line: line)
        return (try? JSONParser.parse(stream.bytes)) ?? .null
    }

    /// Writes the printed object straight into `stream`: `event ingest` does this for every line.
    public func write(into stream: inout JSONStream, line: Int? = nil) {
        stream.openObject()
        if let line {
            stream.key("line")
            stream.integer(Int64(line))
        }
        stream.key("key")
        stream.string(key)
        stream.key("event")
        stream.integer(event)
        stream.key("type")
        stream.string(type)
        stream.key("element")
        stream.integer(element)
        stream.key("status")
        stream.string(status.rawValue)
        stream.key("moves")
        EventResult.write(moves, into: &stream)
        stream.key("jobs")
        EventResult.write(jobs, into: &stream)
        if let document {
            stream.key("document")
            stream.integer(document)
        }
        if !notes.isEmpty {
            stream.key("notes")
            stream.openArray()
            for note in notes { stream.string(note) }
            stream.closeArray()
        }
        if let error {
            stream.key("error")
            stream.value(error.json)
        }
        if dryRun {
            stream.key("dry_run")
            stream.bool(true)
        }
        stream.closeObject()
    }

    /// Moves as printed in results and `event list`.
    static func movesJSON(_ moves: [StageChange]) -> JSONValue {
        var stream = JSONStream()
        write(moves, into: &stream)
        return (try? JSONParser.parse(stream.bytes)) ?? .array([])
    }

    /// Jobs as printed in results and beside created or moved elements.
    public static func jobsJSON(_ jobs: [JobSummary]) -> JSONValue {
        var stream = JSONStream()
        write(jobs, into: &stream)
        return (try? JSONParser.parse(stream.bytes)) ?? .array([])
    }

    /// A move by a rule has `rule` and `job` and `"trigger": null`.
    static func write(_ moves: [StageChange], into stream: inout JSONStream) {
        stream.openArray()
        for move in moves {
            stream.openObject()
            stream.key("trigger")
            stream.integer(move.trigger)
            if let rule = move.rule {
                stream.key("rule")
                stream.integer(rule)
                stream.key("job")
                stream.integer(move.job)
            }
            stream.key("from")
            stream.string(move.from)
            stream.key("to")
            stream.string(move.to)
            stream.key("author")
            stream.string(move.author)
            stream.closeObject()
        }
        stream.closeArray()
    }

    static func write(_ jobs: [JobSummary], into stream: inout JSONStream) {
        stream.openArray()
        for job in jobs {
            stream.openObject()
            stream.key("job")
            stream.integer(job.job)
            stream.key("rule")
            stream.integer(job.rule)
            stream.key("status")
            stream.string(job.status.rawValue)
            stream.key("due_at")
            stream.string(job.dueAt.rfc3339)
            stream.closeObject()
        }
        stream.closeArray()
    }
}
