import CRMCore

/// What this connection's write transactions read and wrote of elements — each element's row and the id of
/// its newest timeline entry — kept from one transaction to the next for as long as no other connection
/// commits (`PRAGMA data_version` tells). A batch touches the same elements chunk after chunk: it reads
/// each row once instead of once per event, and appends to a timeline without looking its head up in
/// SQL. Only a batch keeps one (`SQLiteStore.useBatchCache`): a single command would pay for the version
/// check and gain nothing. Only a write transaction consults it; a transaction that does not commit forgets
/// all of it, as does a change this memo cannot follow (a copy's bulk rows).
struct WriterMemo {
    /// At most this many elements and heads each (about 400 bytes an element): past that the memo starts
    /// afresh, so memory stays flat however many elements a batch touches.
    static let capacity = 32_768

    private var elements: [Int64: Element] = [:]
    private var heads: [Int64: Int64] = [:]
    /// `PRAGMA data_version` when the last write transaction began; another connection's commit changes it.
    private var dataVersion: Int64?
    /// Whether a write transaction is open; outside one the memo is neither read nor filled.
    private var isOpen = false
    /// Whether this connection runs a batch.
    var isKept = false

    /// A write transaction began, holding the write lock, with the database at `version`.
    mutating func open(dataVersion version: Int64?) {
        if version == nil || version != dataVersion { forgetAll() }
        dataVersion = version
        isOpen = true
    }

    /// The write transaction ended; what it wrote stays known only if it committed.
    mutating func close(committed: Bool) {
        if !committed { forgetAll() }
        isOpen = false
    }

    mutating func forgetAll() {
        elements.removeAll()
        heads.removeAll()
    }

    func element(id: Int64) -> Element? { isOpen ? elements[id] : nil }

    mutating func remember(_ element: Element) {
        guard isOpen else { return }
        if elements.count >= WriterMemo.capacity { elements.removeAll() }
        elements[element.id] = element
    }

    /// The element's row was written whole: it is remembered as written (its timeline is not touched).
    mutating func saved(_ element: Element) {
        if isOpen { remember(element) } else { elements[element.id] = nil }
    }

    /// The element's stage was written: its remembered row follows.
    mutating func stageSaved(of id: Int64, stage: String, updatedAt: Timestamp) {
        elements[id]?.stage = stage
        elements[id]?.updatedAt = updatedAt
    }

    /// The id of the element's newest timeline entry, when known here.
    func lastEntry(of element: Int64) -> Int64? { isOpen ? heads[element] : nil }

    /// An entry appended outside a write transaction (each statement its own) leaves the element's head unknown.
    mutating func rememberLastEntry(_ entry: Int64, of element: Int64) {
        guard isOpen else {
            heads[element] = nil
            return
        }
        if heads.count >= WriterMemo.capacity { heads.removeAll() }
        heads[element] = entry
    }

    mutating func forget(element id: Int64) {
        elements[id] = nil
        heads[id] = nil
    }
}
