// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "crmctl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "crmctl", targets: ["crmctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // schema.sql at the repository root, compiled in with C23 #embed so it stays the single schema.
        .target(name: "CSchema"),
        .target(name: "SQLiteDB", dependencies: ["CSQLite"]),
        // libpq (Debian's libpq5) opened with dlopen at the first connection, not linked: crmctl on SQLite
        // starts without mapping libpq and its 21 libraries. libdl for glibc before 2.34, where dlopen lived.
        .target(name: "CLibPQ", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "PostgresDB", dependencies: ["CLibPQ"]),
        .target(name: "JSON"),
        // The model, conditions, timestamps, the trigger engine and the signal rules: pure, no storage.
        .target(name: "CRMCore", dependencies: ["JSON"]),
        // The storage protocols a database implements, and the records they exchange.
        .target(name: "CRMStorage", dependencies: ["CRMCore", "JSON"]),
        // The use cases: event intake, the one stage-entry path, chunked runs; storage only through CRMStorage.
        .target(name: "CRMApplication", dependencies: ["CRMCore", "CRMStorage", "JSON"]),
        .target(name: "CRMStoreSQLite", dependencies: ["CRMCore", "CRMStorage", "JSON", "SQLiteDB", "CSchema"]),
        .target(
            name: "CRMStorePostgres", dependencies: ["CRMCore", "CRMStorage", "JSON", "PostgresDB", "CSchema"]),
        .target(
            name: "CRMCommands",
            dependencies: [
                "CRMCore", "CRMStorage", "CRMApplication", "CRMStoreSQLite", "CRMStorePostgres", "JSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "crmctl", dependencies: ["CRMCommands"]),
        // make fuzz builds this with -sanitize=fuzzer; a plain build replays inputs given as files.
        .executableTarget(name: "CRMFuzz", dependencies: ["CRMCore", "CRMApplication", "CRMStoreSQLite", "JSON"]),
        // What the test targets share: the package root, temporary directories, the one runner of real
        // processes, the in-process crmctl (`CLI`), JSON helpers, and the storage conformance suite that
        // every `CRMStore` implementation runs.
        .target(
            name: "CRMTestSupport",
            dependencies: ["CRMCommands", "CRMApplication", "CRMStorage", "CRMCore", "JSON", "PostgresDB"],
            path: "Tests/CRMTestSupport"),
        .testTarget(name: "SQLiteDBTests", dependencies: ["SQLiteDB", "CRMTestSupport"]),
        // Against a throwaway server that scripts/pg-server.sh starts for the suite and stops after it.
        .testTarget(name: "PostgresDBTests", dependencies: ["PostgresDB", "CRMTestSupport"]),
        .testTarget(
            name: "CRMStorePostgresTests",
            dependencies: [
                "CRMStorePostgres", "CRMStoreSQLite", "CRMStorage", "CRMCore", "PostgresDB", "CRMTestSupport",
            ]),
        // Pure values only: no files, no processes, no support needed.
        .testTarget(name: "CRMCoreTests", dependencies: ["CRMCore", "JSON"]),
        .testTarget(
            name: "CRMStoreSQLiteTests",
            dependencies: ["CRMStoreSQLite", "CRMApplication", "CRMStorage", "CRMCore", "JSON", "SQLiteDB", "CRMTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "CRMCommandsTests",
            dependencies: [
                "CRMCommands", "CRMApplication", "CRMStorage", "CRMStoreSQLite", "CRMCore", "JSON", "SQLiteDB",
                "CRMTestSupport",
            ]),
        .testTarget(name: "EndToEndTests", dependencies: ["crmctl", "CRMTestSupport"]),
        .testTarget(name: "ReliabilityTests", dependencies: ["crmctl", "CRMTestSupport", "PostgresDB"]),
        // The HTML pages in headless Chromium (/usr/bin/chromium, installed by `make test`).
        .testTarget(name: "BrowserTests", dependencies: ["CRMTestSupport"]),
    ]
)
