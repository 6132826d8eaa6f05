import CRMCore
import CRMStoreSQLite
import CRMTestSupport
import Foundation
import SQLiteDB
import Testing

/// The storage contract (`StoreConformance`, in CRMTestSupport) run against `SQLiteStore`: one test case
/// per check, each on new database files of its own.
@Suite struct SQLiteStoreConformanceTests {
    @Test(arguments: StoreCheck.allCases)
    func conforms(_ check: StoreCheck) throws {
        let dir = TempDir(prefix: "crmstore-conformance")
        let conformance = StoreConformance<SQLiteStore>(
            makeStore: { try SQLiteStore(path: dir.file("crm-\(UUID().uuidString).db"), busyTimeoutMilliseconds: 5000) },
            reopen: { try SQLiteStore(path: $0.path, busyTimeoutMilliseconds: 5000) },
            recordedTimes: RecordedTimes(
                emailOpened: { store, sentEmail in
                    try store.db.scalarInt64("SELECT opened_at FROM sent_emails WHERE id = ?", [.integer(sentEmail)])
                        .map(Timestamp.init(milliseconds:))
                },
                chatAnswered: { store, element, chat in
                    try store.db.scalarInt64(
                        "SELECT answered_at FROM chats WHERE element = ? AND chat = ?", [.integer(element), .text(chat)]
                    ).map(Timestamp.init(milliseconds:))
                }))
        try conformance.run(check)
    }
}
