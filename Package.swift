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
        .target(name: "CRMCore"),
        .target(name: "CRMStore", dependencies: ["CRMCore", "SQLiteDB", "CSchema"]),
        .target(
            name: "CRMCommands",
            dependencies: [
                "CRMCore", "CRMStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "crmctl", dependencies: ["CRMCommands"]),
        // make fuzz builds this with -sanitize=fuzzer; a plain build replays inputs given as files.
        .executableTarget(name: "CRMFuzz", dependencies: ["CRMCore", "CRMStore"]),
        .testTarget(name: "SQLiteDBTests", dependencies: ["SQLiteDB"]),
        .testTarget(name: "CRMCoreTests", dependencies: ["CRMCore"]),
        .testTarget(name: "CRMStoreTests", dependencies: ["CRMStore", "SQLiteDB"], exclude: ["Fixtures"]),
        .testTarget(name: "CRMCommandsTests", dependencies: ["CRMCommands", "CRMStore", "SQLiteDB"]),
        .testTarget(name: "EndToEndTests", dependencies: ["crmctl"]),
        .testTarget(name: "ReliabilityTests", dependencies: ["crmctl"]),
    ]
)
