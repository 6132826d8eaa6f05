import CRMCore

/// "Now" for every command: `$CRMCTL_NOW` when set (reproducible runs), else the system clock.
public struct Clock: Sendable {
    private let fixed: Timestamp?

    public init(environment: [String: String]) throws(CRMError) {
        if let text = environment["CRMCTL_NOW"], !text.isEmpty {
            guard let time = Timestamp(rfc3339: text) else {
                throw CRMError.usage("CRMCTL_NOW must be an RFC 3339 time such as 2026-11-24T09:30:00Z, not \"\(text)\"")
            }
            fixed = time
        } else {
            fixed = nil
        }
    }

    public func now() -> Timestamp { fixed ?? Timestamp.systemNow() }
}
