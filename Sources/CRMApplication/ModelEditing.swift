import CRMCore
import CRMStorage
import JSON

/// Pipelines, stages and triggers as commands change them: checked against the model's rules, then written.
extension CRMStore {
    /// Creates a deal pipeline; leads have exactly one.
    public func createPipeline(type: EntityType, name: String, stages: [Stage]) throws -> Pipeline {
        guard type == .deal else { throw CRMError.invalid("leads have one pipeline; only deals may have more") }
        guard !name.isEmpty else { throw CRMError.invalid("a pipeline needs a name") }
        // A pipeline is named by lead, deal, its id or its name: a name that reads as one of the others, or
        // that another pipeline has, could not be reached.
        if EntityType(rawValue: name) != nil || name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            throw CRMError.invalid("a pipeline cannot be named \"\(name)\": lead, deal and numbers name pipelines already")
        }
        try validate(stages)
        return try write {
            guard try pipelineIDs(named: name).isEmpty else {
                throw CRMError.invalid("a pipeline named \"\(name)\" exists already")
            }
            let id = try insertPipeline(type: type, name: name)
            try writeStages(stages, pipeline: id)
            return try pipeline(id: id)
        }
    }

    /// Adds a stage after `after`, else after the last process stage (process) or at the end (success, failure).
    public func addStage(_ stage: Stage, to pipelineName: String, after: String?) throws -> Pipeline {
        try write {
            let current = try pipeline(named: pipelineName)
            var stages = current.stages
            guard current.stage(stage.code) == nil else {
                throw CRMError.invalid("pipeline \(current.id) already has a stage \(stage.code)")
            }
            let index: Int
            if let after {
                guard let position = current.position(of: after) else {
                    throw CRMError.notFound("pipeline \(current.id) has no stage \(after)")
                }
                index = position + 1
            } else if stage.semantic == .process {
                index = (stages.lastIndex { $0.semantic == .process } ?? -1) + 1
            } else {
                index = stages.count
            }
            stages.insert(stage, at: index)
            try validate(stages)
            try writeStages(stages, pipeline: current.id)
            return try pipeline(id: current.id)
        }
    }

    private func validate(_ stages: [Stage]) throws {
        do {
            try Pipeline.validate(stages: stages)
        } catch {
            throw CRMError.invalid(error.message)
        }
    }

    /// Adds a trigger after checking its code's settings and its stage; `trigger.id` is ignored.
    public func addTrigger(_ trigger: Trigger, pipelineName: String) throws -> Trigger {
        do {
            try trigger.settings.validate(for: trigger.code)
        } catch {
            throw CRMError.invalid(error.message)
        }
        return try write {
            var trigger = trigger
            trigger.asUser = trigger.asUser.userName
            let pipeline = try self.pipeline(named: pipelineName)
            guard pipeline.stage(trigger.stage) != nil else {
                throw CRMError.notFound("pipeline \(pipeline.id) has no stage \(trigger.stage)")
            }
            trigger.pipeline = pipeline.id
            if trigger.name.isEmpty { trigger.name = "\(trigger.code.rawValue) → \(trigger.stage)" }
            trigger.id = try insertTrigger(trigger)
            try watchTime(trigger)
            return trigger
        }
    }

    /// An enabled time trigger watches every element (or chat) of its pipeline from now on, from its last
    /// activity: one quiet for longer already is due at the next tick.
    private func watchTime(_ trigger: Trigger) throws {
        guard trigger.enabled, trigger.code.isTimeTrigger, let seconds = trigger.settings.seconds else { return }
        try watchPipeline(trigger.pipeline, code: trigger.code, seconds: seconds)
    }

    public func removeTrigger(id: Int64) throws -> Trigger {
        try write {
            let trigger = try self.trigger(id: id)
            try deleteTrigger(id: id)
            return trigger
        }
    }

    public func setTrigger(id: Int64, enabled: Bool) throws -> Trigger {
        try write {
            _ = try self.trigger(id: id)
            try setTrigger(id: id, enabled: enabled)
            let trigger = try self.trigger(id: id)
            try watchTime(trigger)
            return trigger
        }
    }
}
