#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import CRMApplication
import CRMCore

/// A batch input read on a thread of its own: while the caller writes the records before, the next lines
/// are read, parsed and made ready by `prepare` (for `event ingest`: the event checked, its data written
/// out and fingerprinted) on the machine's other core. At most `capacity` records wait, so memory stays
/// flat however long the input is.
///
/// It keeps `ChunkSource`'s promise that a chunk never waits for input inside its transaction:
/// `hasInputReady` is true only while a record waits or the reader is making one from input it already has.
final class ReadAhead<Prepared: Sendable>: ChunkSource {
    private let channel = Channel<Prepared>()
    /// The records taken from the channel at once and not handed on yet.
    private var taken: [Channel<Prepared>.Entry] = []
    private var position = 0
    private var ended = false
    /// Input lines and bytes read up to the last record handed on.
    private(set) var lines = 0
    private(set) var bytesRead = 0

    /// Starts reading `input` on a new thread; from here on only that thread uses it.
    init<Input: BatchInput>(_ input: Input, prepare: @escaping @Sendable (BatchRecord) -> Prepared) throws {
        let reader = Reader(input: input, prepare: prepare, channel: channel)
        let failure = startDetachedThread(reader)
        guard failure == 0 else {
            throw CRMError(.internal, "cannot start the input's reading thread: \(String(cString: strerror(failure)))")
        }
    }

    /// A reader still waiting for room or for input stops at its next record; one blocked in a read of
    /// stdin ends with the process.
    deinit { channel.close() }

    func next() throws -> Prepared? {
        if position == taken.count {
            guard !ended else { return nil }
            taken.removeAll(keepingCapacity: true)
            channel.exchange(&taken)
            position = 0
        }
        let entry = taken[position]
        position += 1
        lines = entry.lines
        bytesRead = entry.bytesRead
        switch entry.content {
        case .record(let record): return record
        case .end:
            ended = true
            return nil
        case .failure(let error):
            ended = true
            throw error
        }
    }

    var hasInputReady: Bool { position < taken.count || ended || channel.hasRecordComing }
}

/// The records between the reading thread and the caller's, under one lock.
private final class Channel<Prepared: Sendable>: @unchecked Sendable {
    struct Entry: Sendable {
        enum Content: Sendable {
            case record(Prepared)
            case end
            case failure(any Error)
        }

        let content: Content
        let lines: Int
        let bytesRead: Int
    }

    static var capacity: Int { 512 }

    // Allocated: a lock must not move, and a class's stored property has no address Swift promises.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var waiting: [Entry] = []
    /// Whether the reader is making its next record from input it already had (it does not wait for more).
    private var readingWithoutWait = true
    private var closed = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        waiting.reserveCapacity(Self.capacity)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// The reader's side: waits for room, then adds `entry`; `nextIsReady` says whether the record after it
    /// is made without waiting for input. False once the caller has gone.
    func put(_ entry: Entry, nextIsReady: Bool) -> Bool {
        locked {
            while waiting.count >= Self.capacity && !closed { pthread_cond_wait(changed, mutex) }
            guard !closed else { return false }
            waiting.append(entry)
            readingWithoutWait = nextIsReady
            pthread_cond_broadcast(changed)
            return true
        }
    }

    /// The caller's side: waits for at least one entry and takes all that wait in exchange for `buffer`,
    /// emptied, which the reader fills next.
    func exchange(_ buffer: inout [Entry]) {
        locked {
            while waiting.isEmpty { pthread_cond_wait(changed, mutex) }
            swap(&buffer, &waiting)
            pthread_cond_broadcast(changed)
        }
    }

    var hasRecordComing: Bool { locked { !waiting.isEmpty || readingWithoutWait } }

    func close() {
        locked {
            closed = true
            pthread_cond_broadcast(changed)
        }
    }
}

/// What runs on the reading thread: the input and what makes its records ready.
private final class Reader<Input: BatchInput, Prepared: Sendable>: ThreadBody, @unchecked Sendable {
    // The input is handed over whole when the thread starts: only that thread touches it.
    private var input: Input
    private let prepare: @Sendable (BatchRecord) -> Prepared
    private let channel: Channel<Prepared>

    init(input: Input, prepare: @escaping @Sendable (BatchRecord) -> Prepared, channel: Channel<Prepared>) {
        self.input = input
        self.prepare = prepare
        self.channel = channel
    }

    func run() {
        while true {
            let content: Channel<Prepared>.Entry.Content
            do {
                content = try input.next().map { .record(prepare($0)) } ?? .end
            } catch {
                content = .failure(error)
            }
            // Asked before the record is handed on: input that is there now is there when it is read.
            var nextIsReady = true
            if case .record = content { nextIsReady = input.hasInputReady }
            let entry = Channel.Entry(content: content, lines: input.lines, bytesRead: input.bytesRead)
            guard channel.put(entry, nextIsReady: nextIsReady), case .record = content else { return }
        }
    }
}

/// What a thread of its own runs.
private protocol ThreadBody: Sendable {
    func run()
}

/// Runs `body` on a new thread that nobody waits for; 0, or the error number of `pthread_create`.
private func startDetachedThread(_ body: any ThreadBody) -> Int32 {
    final class Work: Sendable {
        let body: any ThreadBody
        init(_ body: any ThreadBody) { self.body = body }
    }
    var thread = pthread_t()
    let context = Unmanaged.passRetained(Work(body)).toOpaque()
    let failure = pthread_create(&thread, nil, { context in
        Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body.run()
        return nil
    }, context)
    guard failure == 0 else {
        Unmanaged<Work>.fromOpaque(context).release()
        return failure
    }
    pthread_detach(thread)
    return 0
}
