@testable import CRMCore
import Testing

/// Stages from "CODE:semantic" shorthands; the name is the code.
private func stages(_ specs: String...) -> [Stage] {
    specs.map { spec in
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        return Stage(code: parts[0], name: parts[0], semantic: StageSemantic(rawValue: parts[1])!)
    }
}

private func refusal(_ stages: [Stage]) -> ValidationFailure? {
    do {
        try Pipeline.validate(stages: stages)
        return nil
    } catch {
        return error
    }
}

@Suite struct PipelineValidationTests {
    @Test func theDefaultPipelinesAreValid() {
        #expect(
            refusal(
                stages("NEW:process", "IN_PROCESS:process", "PROCESSED:process", "CONVERTED:success", "JUNK:failure"))
                == nil)
        #expect(
            refusal(
                stages(
                    "NEW:process", "PREPARATION:process", "PREPAYMENT_INVOICE:process", "EXECUTING:process",
                    "FINAL_INVOICE:process", "WON:success", "LOSE:failure")) == nil)
    }

    @Test func closedStagesMayComeInAnyOrderAfterTheProcessStages() {
        #expect(refusal(stages("A:process", "LOST:failure", "WON:success")) == nil)
        #expect(refusal(stages("A:process", "L1:failure", "WON:success", "L2:failure")) == nil)
        #expect(refusal(stages("STAGE_2:process", "W9:success", "X_:failure")) == nil)
    }

    @Test func exactlyOneSuccessStage() {
        #expect(refusal(stages("A:process", "L:failure")) != nil)
        #expect(refusal(stages("A:process", "W1:success", "W2:success", "L:failure")) != nil)
    }

    @Test func atLeastOneFailureStage() {
        #expect(refusal(stages("A:process", "W:success")) != nil)
    }

    @Test func atLeastOneProcessStage() {
        #expect(refusal(stages("W:success", "L:failure")) != nil)
        #expect(refusal([]) != nil)
    }

    @Test(arguments: [
        ["A:process", "W:success", "B:process", "L:failure"],
        ["A:process", "L:failure", "B:process", "W:success"],
        ["W:success", "A:process", "L:failure"],
    ])
    func closedStagesComeAfterAllProcessStages(specs: [String]) {
        let list = specs.map { stages($0)[0] }
        #expect(refusal(list) != nil)
    }

    @Test(arguments: ["new", "A-B", "", "NEÜ", "A B", "Ä", "A.B"])
    func codesAreUppercaseLettersDigitsAndUnderscores(code: String) {
        let list = [Stage(code: code, name: "Bad", semantic: .process)] + stages("W:success", "L:failure")
        #expect(refusal(list) != nil)
    }

    @Test func codesAreUnique() {
        #expect(refusal(stages("A:process", "A:process", "W:success", "L:failure")) != nil)
        #expect(refusal(stages("A:process", "W:success", "A:failure")) != nil)
    }

    @Test func positionsFollowTheStageOrder() {
        let pipeline = Pipeline(id: 9, type: .deal, name: "P", stages: stages("A:process", "B:process", "W:success", "L:failure"))
        #expect(pipeline.position(of: "A") == 0)
        #expect(pipeline.position(of: "L") == 3)
        #expect(pipeline.position(of: "X") == nil)
        #expect(pipeline.stage("W")?.semantic == .success)
        #expect(StageSemantic.success.isClosed && StageSemantic.failure.isClosed && !StageSemantic.process.isClosed)
    }
}
