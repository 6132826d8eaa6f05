import CRMCore
import CRMStorage
import JSON

/// What one origin of a tick did (SPEC §8): a due job run, or a time-trigger event made.
public enum TickOutcome: Sendable {
    case job(Job, cascade: [JobSummary], moves: [StageChange])
    case timeEvent(EventResult)

    /// The printed line: `{"job", "rule", "element", "status", "due_at"}` (plus `error`, `jobs`, `moves`) for a
    /// job, the event result for a time event.
    public func write(into stream: inout JSONStream) {
        switch self {
        case .timeEvent(let result):
            result.write(into: &stream)
        case .job(let job, let jobs, let moves):
            stream.openObject()
            stream.key("job")
            stream.integer(job.id)
            stream.key("rule")
            stream.integer(job.rule)
            stream.key("element")
            stream.integer(job.element)
            stream.key("status")
            stream.string(job.status.rawValue)
            stream.key("due_at")
            stream.string(job.dueAt.rfc3339)
            if let error = job.error {
                stream.key("error")
                stream.value(error.json)
            }
            stream.key("jobs")
            EventResult.write(jobs, into: &stream)
            stream.key("moves")
            EventResult.write(moves, into: &stream)
            stream.closeObject()
        }
    }
}

/// `crmctl tick` (SPEC §8): every pending job due at or before now and every time-trigger moment reached,
/// oldest first (a job before an event due at the same time), each one origin of its own cascade, claimed
/// and applied in one transaction: two ticks at once never take the same one, because the second sees
/// it done when it gets the write lock. Work is committed in chunks, so a killed tick loses at most its
/// open chunk, which the next tick does again.
public struct Tick<Store: CRMStore> {
    public static var lastTickKey: String { "last_tick_at" }

    let store: Store
    let clock: Clock

    public init(store: Store, clock: Clock) {
        self.store = store
        self.clock = clock
    }

    /// Runs up to `limit` origins (all due when nil); `chunkEnded` gets each chunk's outcomes once the chunk
    /// is committed (or computed, in a dry run, which writes nothing and does not count as a tick).
    public func run(limit: Int?, dryRun: Bool, chunkEnded: ([TickOutcome]) throws -> Void) throws {
        let now = clock.now()
        var cursor = TickCursor(remaining: limit ?? Int.max)
        let state = cursor.box
        var outcomes: [TickOutcome] = []
        // Recorded first and alone, so `status` sees a tick that ran even if it is killed later, and ticks on
        // several machines do not take turns at the one row for as long as their chunks run.
        if !dryRun { try store.write { try store.setAutomationState(Tick.lastTickKey, to: now.milliseconds) } }
        try ChunkedRun(store: store, dryRun: dryRun).run(
            &cursor,
            handle: { _ in
                if let outcome = try runNext(now: now) {
                    outcomes.append(outcome)
                } else {
                    state.exhausted = true
                }
            },
            chunkStarted: {
                outcomes.removeAll()
                state.exhausted = false
            },
            chunkEnded: { _ in
                try chunkEnded(outcomes)
                outcomes.removeAll()
            })
    }

    /// Claims and applies the origin due first, inside the caller's transaction; nil when none is due.
    private func runNext(now: Timestamp) throws -> TickOutcome? {
        let job = try store.nextDueJob(now: now)
        let watch = try store.nextDueWatch(now: now)
        if let job, watch.map({ job.dueAt <= $0.dueAt }) ?? true {
            let cascade = Cascade()
            try RuleRunner(store: store, clock: clock, cascade: cascade).run(job, rule: try store.findRule(id: job.rule))
            return .job(try store.job(id: job.id), cascade: cascade.jobs, moves: cascade.moves)
        }
        guard let watch else { return nil }
        guard let event = try timeEvent(watch) else {
            try store.dropWatch(watch)
            return try runNext(now: now)
        }
        return .timeEvent(event)
    }

    /// The time-trigger event of a watch, which is marked fired: at the moment the quiet time was reached,
    /// by `system`, with its threshold — or nil when no enabled trigger of the pipeline wants that threshold
    /// any more.
    private func timeEvent(_ watch: TimeWatch) throws -> EventResult? {
        guard let element = try store.findElement(id: watch.element) else { return nil }
        let wanted = try store.engineTriggers(pipeline: element.pipeline, codes: [watch.code])
            .contains { $0.enabled && $0.settings.seconds == watch.seconds }
        guard wanted else { return nil }
        var data: JSONObject = ["seconds": JSONValue(watch.seconds)]
        var type = EventType.stageIdle
        if watch.code == .chatUnanswered {
            type = .chatUnanswered
            data["chat"] = .string(watch.chat)
            if let channel = try store.chat(element: element.id, chat: watch.chat)?.channel { data["channel"] = .string(channel) }
        }
        try store.markFired(watch)
        let input = EventInput(key: nil, type: type, target: .element(element.id), at: watch.dueAt, by: "system", data: data)
        return try EventIntake(store: store, clock: clock).record(input, in: .ofEvent())
    }
}

/// A tick's source of work: "the next origin, please", until one finds nothing due or `--limit` is reached.
struct TickCursor: ChunkSource {
    final class Box {
        var exhausted = false
    }

    let box = Box()
    var remaining: Int

    mutating func next() throws -> Void? {
        guard !box.exhausted, remaining > 0 else { return nil }
        remaining -= 1
        return ()
    }

    var hasInputReady: Bool { true }
}
