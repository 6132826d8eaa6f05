// SCAFFOLDING for helper 1 — delete this file once every method below is implemented for real.
import CRMCore
import CRMStorage

extension PostgresStore {
    public func findElement(id: Int64) throws -> Element? { fatalError("not yet ported") }
    public func findElement(key: String) throws -> Element? { fatalError("not yet ported") }
    public func insertElement(_ element: Element) throws -> Int64 { fatalError("not yet ported") }
    public func saveElement(_ element: Element) throws { fatalError("not yet ported") }
    public func saveStage(of element: Int64, stage: String, updatedAt: Timestamp) throws { fatalError("not yet ported") }
    public func elementID(for target: EventTarget) throws -> Int64? { fatalError("not yet ported") }
    public func forEachElement(_ filter: ElementFilter, _ body: (Element) throws -> Void) throws { fatalError("not yet ported") }
    public func eraseElement(id: Int64) throws -> [(table: String, rows: Int)]? { fatalError("not yet ported") }

    public func findPipeline(id: Int64) throws -> Pipeline? { fatalError("not yet ported") }
    public func pipelineIDs(type: EntityType?) throws -> [Int64] { fatalError("not yet ported") }
    public func pipelineIDs(named name: String) throws -> [Int64] { fatalError("not yet ported") }
    public func insertPipeline(type: EntityType, name: String) throws -> Int64 { fatalError("not yet ported") }
    public func writeStages(_ stages: [Stage], pipeline: Int64) throws { fatalError("not yet ported") }
    public func insertTrigger(_ trigger: Trigger) throws -> Int64 { fatalError("not yet ported") }
    public func findTrigger(id: Int64) throws -> Trigger? { fatalError("not yet ported") }
    public func triggers(pipeline: Int64?, code: TriggerCode?) throws -> [Trigger] { fatalError("not yet ported") }
    public func engineTriggers(pipeline: Int64, codes: [TriggerCode]) throws -> [Trigger] { fatalError("not yet ported") }
    public func deleteTrigger(id: Int64) throws { fatalError("not yet ported") }
    public func setTrigger(id: Int64, enabled: Bool) throws { fatalError("not yet ported") }

    public func findDocument(id: Int64) throws -> Document? { fatalError("not yet ported") }
    public func findDocument(ref: String) throws -> Document? { fatalError("not yet ported") }
    public func documents(element: Int64?) throws -> [Document] { fatalError("not yet ported") }
    public func sentEmail(element: Int64, messageID: String) throws -> Int64? { fatalError("not yet ported") }
    public func chat(element: Int64, chat: String) throws -> Chat? { fatalError("not yet ported") }
    public func record(_ change: RecordChange, element: Int64, event: Int64, by: String?, at: Timestamp) throws -> Int64? { fatalError("not yet ported") }

    public func insertRule(_ rule: Rule) throws -> Int64 { fatalError("not yet ported") }
    public func findRule(id: Int64) throws -> Rule? { fatalError("not yet ported") }
    public func rules(pipeline: Int64?, stage: String?) throws -> [Rule] { fatalError("not yet ported") }
    public func enabledRules(pipeline: Int64, stage: String) throws -> [Rule] { fatalError("not yet ported") }
    public func deleteRule(id: Int64) throws { fatalError("not yet ported") }
    public func setRule(id: Int64, enabled: Bool) throws { fatalError("not yet ported") }
    public func takeRotationTurn(rule: Int64) throws -> Int64 { fatalError("not yet ported") }
}
