import CRMCore
import CRMStorage
import JSON
import Testing

/// The contract of the storage protocols (`CRMStore`), written once: what the use cases and commands rely
/// on, checked only through the protocols, so that every implementation runs the same checks. A store's
/// test target gives a factory and runs every check, one test case each:
///
///     @Test(arguments: StoreCheck.allCases)
///     func conforms(_ check: StoreCheck) throws {
///         try StoreConformance<MyStore>(makeStore: …, reopen: …, recordedTimes: …).run(check)
///     }
///
/// A check records its failures with `#expect` and stops at the first `#require` or error that leaves it
/// nothing to check.
public struct StoreConformance<Store: CRMStore> {
    /// A new store of its own, holding only what a new database holds (the default pipelines).
    public let makeStore: () throws -> Store
    /// Another handle on the data of `store`, as a second crmctl process would open it.
    public let reopen: (Store) throws -> Store
    /// The times the protocols write but never read back.
    public let recordedTimes: RecordedTimes<Store>

    public init(
        makeStore: @escaping () throws -> Store, reopen: @escaping (Store) throws -> Store,
        recordedTimes: RecordedTimes<Store>
    ) {
        self.makeStore = makeStore
        self.reopen = reopen
        self.recordedTimes = recordedTimes
    }

    /// Runs one check.
    public func run(_ check: StoreCheck) throws {
        switch check {
        case .newStoreHasTheDefaultPipelines: try newStoreHasTheDefaultPipelines()
        case .elementsAreInsertedFoundAndSaved: try elementsAreInsertedFoundAndSaved()
        case .elementsAreFoundByTheirKey: try elementsAreFoundByTheirKey()
        case .saveStageWritesTheStageAlone: try saveStageWritesTheStageAlone()
        case .elementsAreListedInIDOrder: try elementsAreListedInIDOrder()
        case .elementsAreFilteredByContactResponsibleAndTitle: try elementsAreFilteredByContactResponsibleAndTitle()
        case .contactsFindTheNewestElementInAProcessStage: try contactsFindTheNewestElementInAProcessStage()
        case .timelineKeepsRecordingOrderAndStreams: try timelineKeepsRecordingOrderAndStreams()
        case .longTimelinesComeBackWhole: try longTimelinesComeBackWhole()
        case .eventIDsAreReservedOnceEach: try eventIDsAreReservedOnceEach()
        case .eventsAreFoundByIDKeyElementAndType: try eventsAreFoundByIDKeyElementAndType()
        case .documentsRecordEachStep: try documentsRecordEachStep()
        case .sentEmailsKeepTheirFirstOpen: try sentEmailsKeepTheirFirstOpen()
        case .chatsKeepTheEarliestMessageAndFirstChannel: try chatsKeepTheEarliestMessageAndFirstChannel()
        case .chatsKeepTheFirstAnswer: try chatsKeepTheFirstAnswer()
        case .triggerIDsGrowAndAreNeverReused: try triggerIDsGrowAndAreNeverReused()
        case .triggersAreDisabledAndEnabled: try triggersAreDisabledAndEnabled()
        case .engineTriggersSeeEarlierTransactions: try engineTriggersSeeEarlierTransactions()
        case .pipelinesAreFoundByTypeAndName: try pipelinesAreFoundByTypeAndName()
        case .writeStagesReordersAndKeepsStages: try writeStagesReordersAndKeepsStages()
        case .aRollbackKeepsNothing: try aRollbackKeepsNothing()
        case .aThrowKeepsNothing: try aThrowKeepsNothing()
        case .aCommitKeepsEverything: try aCommitKeepsEverything()
        case .aReadSnapshotSeesOneState: try aReadSnapshotSeesOneState()
        case .theBoardCountsEachStageAndShowsTheNewest: try theBoardCountsEachStageAndShowsTheNewest()
        case .theMovementReportCountsMovesEventsAndOutcomes: try theMovementReportCountsMovesEventsAndOutcomes()
        case .ruleIDsGrowAndAreNeverReused: try ruleIDsGrowAndAreNeverReused()
        case .enabledRulesSeeEarlierTransactions: try enabledRulesSeeEarlierTransactions()
        case .rotationTurnsCountPerRule: try rotationTurnsCountPerRule()
        case .jobIDsAreReservedOnceEach: try jobIDsAreReservedOnceEach()
        case .jobsAreWrittenFoundAndUpdated: try jobsAreWrittenFoundAndUpdated()
        case .pendingJobsAreTheElementsOfTheStage: try pendingJobsAreTheElementsOfTheStage()
        case .theNextDueJobIsThePendingOneDueFirst: try theNextDueJobIsThePendingOneDueFirst()
        case .jobCountsCountPendingAndOverdue: try jobCountsCountPendingAndOverdue()
        case .jobsAreListedByElementRuleAndStatus: try jobsAreListedByElementRuleAndStatus()
        case .messageIDsAreReservedOnceEach: try messageIDsAreReservedOnceEach()
        case .messagesAreWrittenFoundAndListed: try messagesAreWrittenFoundAndListed()
        case .activityStartsAQuietPeriodPerThreshold: try activityStartsAQuietPeriodPerThreshold()
        case .chatWatchesKeepTheFirstMessageUntilAnswered: try chatWatchesKeepTheFirstMessageUntilAnswered()
        case .theNextDueWatchIsTheUnfiredOneDueFirst: try theNextDueWatchIsTheUnfiredOneDueFirst()
        case .pipelineWatchesStartFromTheLastActivity: try pipelineWatchesStartFromTheLastActivity()
        case .pipelineWatchesFindUnansweredChats: try pipelineWatchesFindUnansweredChats()
        case .automationStateIsKeptAndOverwritten: try automationStateIsKeptAndOverwritten()
        }
    }
}

/// Reads of what a store writes for the database's users (the `emails` view, the chats) but the protocols
/// never read back: each store says how to read its own.
public struct RecordedTimes<Store> {
    /// When the sent email was first opened (`RecordChange.emailOpened`).
    public var emailOpened: (_ store: Store, _ sentEmail: Int64) throws -> Timestamp?
    /// When the element's chat was first answered (`RecordChange.chatAnswered`).
    public var chatAnswered: (_ store: Store, _ element: Int64, _ chat: String) throws -> Timestamp?

    public init(
        emailOpened: @escaping (_ store: Store, _ sentEmail: Int64) throws -> Timestamp?,
        chatAnswered: @escaping (_ store: Store, _ element: Int64, _ chat: String) throws -> Timestamp?
    ) {
        self.emailOpened = emailOpened
        self.chatAnswered = chatAnswered
    }
}

/// The checks of `StoreConformance`, in the order of the protocols; each names the test case that runs it.
public enum StoreCheck: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case newStoreHasTheDefaultPipelines
    case elementsAreInsertedFoundAndSaved
    case elementsAreFoundByTheirKey
    case saveStageWritesTheStageAlone
    case elementsAreListedInIDOrder
    case elementsAreFilteredByContactResponsibleAndTitle
    case contactsFindTheNewestElementInAProcessStage
    case timelineKeepsRecordingOrderAndStreams
    case longTimelinesComeBackWhole
    case eventIDsAreReservedOnceEach
    case eventsAreFoundByIDKeyElementAndType
    case documentsRecordEachStep
    case sentEmailsKeepTheirFirstOpen
    case chatsKeepTheEarliestMessageAndFirstChannel
    case chatsKeepTheFirstAnswer
    case triggerIDsGrowAndAreNeverReused
    case triggersAreDisabledAndEnabled
    case engineTriggersSeeEarlierTransactions
    case pipelinesAreFoundByTypeAndName
    case writeStagesReordersAndKeepsStages
    case aRollbackKeepsNothing
    case aThrowKeepsNothing
    case aCommitKeepsEverything
    case aReadSnapshotSeesOneState
    case theBoardCountsEachStageAndShowsTheNewest
    case theMovementReportCountsMovesEventsAndOutcomes
    case ruleIDsGrowAndAreNeverReused
    case enabledRulesSeeEarlierTransactions
    case rotationTurnsCountPerRule
    case jobIDsAreReservedOnceEach
    case jobsAreWrittenFoundAndUpdated
    case pendingJobsAreTheElementsOfTheStage
    case theNextDueJobIsThePendingOneDueFirst
    case jobCountsCountPendingAndOverdue
    case jobsAreListedByElementRuleAndStatus
    case messageIDsAreReservedOnceEach
    case messagesAreWrittenFoundAndListed
    case activityStartsAQuietPeriodPerThreshold
    case chatWatchesKeepTheFirstMessageUntilAnswered
    case theNextDueWatchIsTheUnfiredOneDueFirst
    case pipelineWatchesStartFromTheLastActivity
    case pipelineWatchesFindUnansweredChats
    case automationStateIsKeptAndOverwritten

    public var testDescription: String { rawValue }
}

// MARK: - Helpers of the checks

/// A time of November 2026 (`"11-02T10:00"` is 2 November, 10:00 UTC).
func november(_ dayAndTime: String) -> Timestamp {
    guard let time = Timestamp(rfc3339: "2026-\(dayAndTime):00Z") else { preconditionFailure("bad time \(dayAndTime)") }
    return time
}

extension StoreConformance {
    /// The first pipeline of `type`, with its stages.
    func firstPipeline(_ store: Store, _ type: EntityType) throws -> Pipeline {
        let id = try #require(try store.pipelineIDs(type: type).first, "a new store has a \(type.rawValue) pipeline")
        return try #require(try store.findPipeline(id: id))
    }

    /// Writes an element in its own transaction: in `stage` (else the pipeline's first) of `pipeline` (else
    /// the type's first), created and updated at `at`.
    func addElement(
        _ store: Store, _ type: EntityType = .lead, pipeline: Int64? = nil, stage: String? = nil, title: String = "Element",
        responsible: String? = nil, email: String? = nil, phone: String? = nil, fields: [String: String] = [:],
        at: Timestamp = november("11-01T09:00")
    ) throws -> Element {
        let pipelineID = try pipeline ?? firstPipeline(store, type).id
        let firstStage = try #require(try store.findPipeline(id: pipelineID)?.stages.first?.code)
        var element = Element(
            id: 0, type: type, pipeline: pipelineID, stage: stage ?? firstStage, title: title, responsible: responsible,
            email: email, phone: phone, fields: fields, createdAt: at, updatedAt: at)
        element.id = try store.write { try store.insertElement(element) }
        return element
    }

    /// An event's row as the intake writes it.
    func eventRow(
        _ id: Int64, key: String? = nil, type: String = "call.missed", element: Int64, at: Timestamp, by: String? = nil,
        data: String = "{}", status: String = "recorded", outcome: EventOutcome = EventOutcome()
    ) -> EventRow {
        EventRow(
            id: id, key: key, type: type, element: element, at: at, by: by, dataText: data,
            fingerprint: EventInput.fingerprint(ofCanonical: "\(type)|\(element)|\(data)"), status: status,
            outcome: outcome, recordedAt: at)
    }

    /// Writes an event in the caller's transaction with the id `reserveEventID` gives; returns the id.
    @discardableResult
    func insertEvent(
        _ store: Store, key: String? = nil, type: String = "call.missed", element: Int64, at: Timestamp,
        by: String? = nil, data: String = "{}"
    ) throws -> Int64 {
        let id = try store.reserveEventID()
        try store.insertEvent(eventRow(id, key: key, type: type, element: element, at: at, by: by, data: data))
        return id
    }

    /// Makes `change` as the intake does for an event of `element` at `at`, in its own transaction: the
    /// record under the next event id, then the event's row. Returns what `record` returned.
    @discardableResult
    func record(_ store: Store, _ change: RecordChange, element: Int64, by: String? = nil, at: Timestamp) throws -> Int64? {
        let type: String
        switch change {
        case .createDocument: type = "document.created"
        case .documentSent: type = "document.sent"
        case .documentViewed: type = "document.viewed"
        case .documentSigned: type = "document.signed"
        case .emailSent: type = "email.sent"
        case .emailOpened: type = "email.opened"
        case .chatMessage: type = "chat.message"
        case .chatAnswered: type = "chat.answered"
        }
        return try store.write {
            let event = try store.reserveEventID()
            let created = try store.record(change, element: element, event: event, by: by, at: at)
            try store.insertEvent(eventRow(event, type: type, element: element, at: at, by: by))
            return created
        }
    }

    /// A trigger to insert (its id is ignored).
    func trigger(
        _ code: TriggerCode, pipeline: Int64, stage: String, name: String? = nil, settings: TriggerSettings = TriggerSettings(),
        enabled: Bool = true
    ) -> Trigger {
        Trigger(
            id: 0, name: name ?? "\(code.rawValue) → \(stage)", code: code, pipeline: pipeline, stage: stage,
            settings: settings, enabled: enabled)
    }

    func allElementIDs(_ store: Store) throws -> [Int64] {
        try store.allElements().map(\.id)
    }

    func timeline(_ store: Store, _ element: Int64) throws -> [TimelineEntry] {
        var entries: [TimelineEntry] = []
        try store.forEachTimelineEntry(element: element) { entries.append($0) }
        return entries
    }
}
