import CRMCore
import Testing

@Suite struct DeliveryPolicyTests {
    @Test("the backoff after a failed attempt: 1m, ×4 each attempt, at most 6 h")
    func backoff() {
        let minutes = (1...8).map { DeliveryPolicy.backoffMilliseconds(afterAttempt: $0) / 60_000 }
        #expect(minutes == [1, 4, 16, 64, 256, 360, 360, 360])
        #expect(DeliveryPolicy.backoffMilliseconds(afterAttempt: 1000) == 6 * 3_600_000)
    }
}
