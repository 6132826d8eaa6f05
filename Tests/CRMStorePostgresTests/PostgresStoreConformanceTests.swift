import CRMCore
import CRMStorePostgres
import CRMTestSupport
import Testing

/// The storage contract (`StoreConformance`, in CRMTestSupport) run against `PostgresStore` on the suite's
/// throwaway server: one test case per check, each in a new schema of its own.
@Suite(.postgresServer) struct PostgresStoreConformanceTests {
    @Test(arguments: StoreCheck.allCases)
    func conforms(_ check: StoreCheck) throws {
        let conformance = StoreConformance<PostgresStore>(
            makeStore: { try PostgresStore(uri: try PostgresServer.newSchemaURI(), busyTimeoutMilliseconds: 5000) },
            reopen: { try PostgresStore(uri: $0.uri, busyTimeoutMilliseconds: 5000) },
            recordedTimes: RecordedTimes(
                emailOpened: { store, sentEmail in
                    try store.db.scalarInt64("SELECT opened_at FROM sent_emails WHERE id = $1", [.integer(sentEmail)])
                        .map(Timestamp.init(milliseconds:))
                },
                chatAnswered: { store, element, chat in
                    try store.db.scalarInt64(
                        "SELECT answered_at FROM chats WHERE element = $1 AND chat = $2", [.integer(element), .text(chat)]
                    ).map(Timestamp.init(milliseconds:))
                }))
        try conformance.run(check)
    }
}
