import CRMTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Reliability: private files", .sqliteOnly)
struct FileModeTests {
    @Test("a new database is 0600 whatever the umask, whichever command creates it",
          arguments: ["000", "022"])
    func newDatabaseIsPrivate(umask: String) throws {
        let scratch = try Scratch("mode-\(umask)")
        let creators: [(String, [String], RunInput)] = [
            ("init.db", ["init"], .none),
            ("lead.db", ["lead", "create", "--title", "x"], .none),
            ("ingest.db", ["event", "ingest", "-"], .bytes(Data())),
            ("list.db", ["element", "list"], .none),
        ]
        for (name, arguments, stdin) in creators {
            let db = scratch.path(name)
            let outcome = try scratch.runWithUmask(umask, arguments + ["--db", db.path], stdin: stdin)
            #expect(outcome.exited(0), "\(outcome)")
            #expect(fileMode(db) == 0o600, "\(name) created by \(arguments.prefix(2).joined(separator: " ")) is \(octal(fileMode(db)))")
            for suffix in ["-wal", "-shm"] {
                let sidecar = URL(fileURLWithPath: db.path + suffix)
                if fileExists(sidecar) {
                    #expect(fileMode(sidecar) == 0o600, "\(name)\(suffix) is \(octal(fileMode(sidecar)))")
                }
            }
        }
    }

    @Test("the -wal and -shm files crmctl creates while it writes are 0600")
    func writeAheadLogIsPrivate() throws {
        let scratch = try Scratch("mode-wal")
        let db = scratch.db
        #expect(try scratch.runWithUmask("000", ["init"]).exited(0))
        try scratch.ok(["lead", "create", "--title", "x"])
        let wal = URL(fileURLWithPath: db + "-wal"), shm = URL(fileURLWithPath: db + "-shm")
        #expect(!fileExists(wal) && !fileExists(shm), "sidecars are removed when the last connection closes")

        // crmctl itself creates the sidecars: an ingest reading a pipe keeps its connection open.
        let ingest = try scratch.start(
            ["-c", "umask 000; exec \"$0\" \"$@\"", TestPaths.crmctl.path, "event", "ingest", "-"], stdin: .open,
            executable: URL(fileURLWithPath: "/bin/sh"))
        try ingest.feed(Data((#"{"key":"w-1","type":"custom","element":1,"data":{"code":"x"}}"# + "\n").utf8))
        let appeared = waitUntil(seconds: 20) { fileExists(wal) && fileExists(shm) }
        #expect(appeared, "no -wal/-shm while crmctl writes")
        #expect(fileMode(wal) == 0o600, "-wal is \(octal(fileMode(wal)))")
        #expect(fileMode(shm) == 0o600, "-shm is \(octal(fileMode(shm)))")
        #expect(fileMode(db) == 0o600, "the database is \(octal(fileMode(db)))")
        // And after a commit that went into the -wal, while another connection keeps it open.
        let reader = try scratch.start([db], stdin: .open, executable: TestPaths.sqlite3)
        try reader.feed(Data("SELECT count(*) FROM elements;\n".utf8))
        let outcome = try ingest.wait()
        #expect(outcome.exited(0), "\(outcome)")
        try scratch.ok(["lead", "create", "--title", "y"])
        if fileExists(wal) {
            #expect(fileMode(wal) == 0o600, "-wal after a write is \(octal(fileMode(wal)))")
        }
        if fileExists(shm) {
            #expect(fileMode(shm) == 0o600, "-shm after a write is \(octal(fileMode(shm)))")
        }
        try reader.wait()
    }
}

/// A Swift string literal found in source: its text without the interpolations, and the interpolated expressions.
struct SwiftStringLiteral {
    var line: Int
    var text: String
    var interpolations: [String]
}

/// A small Swift lexer: finds string literals ("…", """…""", #"…"#) outside comments, with the
/// expressions of their interpolations `\(…)` (or `\#(…)` in raw strings).
enum SwiftLiterals {
    static func scan(_ source: String) -> [SwiftStringLiteral] {
        let bytes = Array(source.utf8)
        var literals: [SwiftStringLiteral] = []
        var index = 0
        var line = 1
        scanCode(bytes, &index, &line, until: nil, into: &literals)
        return literals
    }

    private static let quote = UInt8(ascii: "\""), hash = UInt8(ascii: "#"), slash = UInt8(ascii: "/"),
        star = UInt8(ascii: "*"), backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n"),
        open = UInt8(ascii: "("), close = UInt8(ascii: ")")

    /// Code: skips comments, descends into literals; stops after the `)` that closes an interpolation
    /// when `until` is given (returning the code's text).
    @discardableResult
    private static func scanCode(_ b: [UInt8], _ i: inout Int, _ line: inout Int, until: UInt8?,
                                 into literals: inout [SwiftStringLiteral]) -> String {
        var depth = 0
        var text: [UInt8] = []
        while i < b.count {
            let c = b[i]
            if c == newline { line += 1 }
            if c == slash, i + 1 < b.count, b[i + 1] == slash {
                while i < b.count, b[i] != newline { i += 1 }
                continue
            }
            if c == slash, i + 1 < b.count, b[i + 1] == star {
                var nesting = 0
                while i < b.count {
                    if b[i] == slash, i + 1 < b.count, b[i + 1] == star { nesting += 1; i += 2; continue }
                    if b[i] == star, i + 1 < b.count, b[i + 1] == slash { nesting -= 1; i += 2; if nesting == 0 { break }; continue }
                    if b[i] == newline { line += 1 }
                    i += 1
                }
                continue
            }
            // A string literal, maybe raw (#…#).
            var hashes = 0
            while i + hashes < b.count, b[i + hashes] == hash { hashes += 1 }
            if i + hashes < b.count, b[i + hashes] == quote {
                let start = i
                i += hashes
                let literal = scanLiteral(b, &i, &line, hashes: hashes, into: &literals)
                literals.append(literal)
                text.append(contentsOf: b[start..<i])
                continue
            }
            if let until {
                if c == open { depth += 1 }
                if c == until {
                    if depth == 0 {
                        i += 1
                        return String(decoding: text, as: UTF8.self)
                    }
                    depth -= 1
                }
            }
            text.append(c)
            i += 1
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A literal starting at its opening quote(s); `i` ends after its closing delimiter.
    private static func scanLiteral(_ b: [UInt8], _ i: inout Int, _ line: inout Int, hashes: Int,
                                    into literals: inout [SwiftStringLiteral]) -> SwiftStringLiteral {
        let startLine = line
        let multiline = i + 2 < b.count && b[i + 1] == quote && b[i + 2] == quote
        i += multiline ? 3 : 1
        var text: [UInt8] = []
        var interpolations: [String] = []
        func closes(at position: Int) -> Bool {
            let quotes = multiline ? 3 : 1
            guard position + quotes + hashes <= b.count else { return false }
            for offset in 0..<quotes where b[position + offset] != quote { return false }
            for offset in 0..<hashes where b[position + quotes + offset] != hash { return false }
            return true
        }
        while i < b.count {
            if closes(at: i) {
                i += (multiline ? 3 : 1) + hashes
                break
            }
            let c = b[i]
            if c == newline { line += 1 }
            if c == backslash {
                var escapeHashes = 0
                while i + 1 + escapeHashes < b.count, b[i + 1 + escapeHashes] == hash { escapeHashes += 1 }
                if escapeHashes == hashes {
                    let after = i + 1 + hashes
                    if after < b.count, b[after] == open {
                        i = after + 1
                        let expression = scanCode(b, &i, &line, until: close, into: &literals)
                        interpolations.append(expression.trimmingCharacters(in: .whitespacesAndNewlines))
                        text.append(contentsOf: Array("\u{1}".utf8))  // where the interpolation was
                        continue
                    }
                    text.append(c)
                    if after < b.count {
                        text.append(b[after])
                        if b[after] == newline { line += 1 }
                    }
                    i = after + 1
                    continue
                }
            }
            text.append(c)
            i += 1
        }
        return SwiftStringLiteral(line: startLine, text: String(decoding: text, as: UTF8.self), interpolations: interpolations)
    }
}

@Suite("Reliability: SQL injection and verbatim text")
struct InjectionTests {
    static let sqlKeywords: Set<Substring> = ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "PRAGMA"]

    /// Whether the text has one of the SQL keywords as a whole word (upper case, as the sources write SQL).
    static func isSQL(_ text: String) -> Bool {
        text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.contains { sqlKeywords.contains($0) }
    }
    /// Constants that name columns, and `column`: a column name chosen in code from a fixed pair. `crmctl
    /// copy` names tables checked against `CopiedTables` first (`table`, `order`), columns as the database's
    /// own catalogue lists them, quoted (`columnList`), and numbered placeholders (`placeholders`).
    static let allowed: Set<String> = [
        "elementColumns", "triggerColumns", "documentColumns", "eventColumns", "ruleColumns", "jobColumns",
        "messageColumns", "column", "nextElementID", "nextDocumentID", "nextEventID", "elementEntryIDs",
        "table", "order", "columnList", "placeholders",
    ]

    /// An interpolation is allowed when it is one of the allowed names, possibly qualified (`Store.eventColumns`).
    static func isAllowed(_ expression: String) -> Bool {
        let parts = expression.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let last = parts.last, allowed.contains(last) else { return false }
        return parts.dropLast().allSatisfy { ["SQLiteStore", "PostgresStore", "Store", "Self", "self"].contains($0) }
    }

    static func swiftSources() throws -> [URL] {
        let root = TestPaths.packageRoot.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
    }

    @Test("the lexer finds SQL interpolations, skips comments, and reads raw and multi-line literals")
    func lexerSelfTest() {
        let source = ##"""
            let a = "SELECT * FROM t WHERE id = \(id)"
            // "DELETE FROM t WHERE id = \(commented)"
            /* "UPDATE t SET x = \(blockCommented)" */
            let b = """
                SELECT \(Store.elementColumns) FROM elements
                WHERE title = '\(title.replacingOccurrences(of: "'", with: "''"))'
                """
            let c = #"INSERT INTO t VALUES (\#(raw)) -- \(notInterpolated)"#
            let d = "cannot create \(path)"
            let e = "PRAGMA user_version = \("\(nested)")"
            """##
        let literals = SwiftLiterals.scan(source)
        let sql = literals.filter { Self.isSQL($0.text) }
        let found = sql.flatMap(\.interpolations)
        #expect(found.contains("id"))
        #expect(found.contains("Store.elementColumns"))
        #expect(found.contains(#"title.replacingOccurrences(of: "'", with: "''")"#))
        #expect(found.contains("raw"))
        #expect(found.contains(#""\(nested)""#))
        #expect(!found.contains("commented") && !found.contains("blockCommented") && !found.contains("notInterpolated"))
        #expect(!found.contains("path"))
        #expect(Self.isAllowed("Store.elementColumns") && Self.isAllowed("column") && !Self.isAllowed("id"))
        #expect(!Self.isAllowed("columnName") && !Self.isAllowed("user.column"))
        #expect(sql.first { $0.interpolations.contains("Store.elementColumns") }?.line == 4)
    }

    @Test("every SQL string literal in Sources interpolates only the column-list constants or `column`")
    func noValueSplicedIntoSQL() throws {
        let files = try Self.swiftSources()
        #expect(files.count > 10, "found the sources under \(TestPaths.packageRoot.path)/Sources")
        var offenders: [String] = []
        var allowedSeen = 0
        var sqlLiterals = 0
        for file in files {
            let source = try String(contentsOf: file, encoding: .utf8)
            for literal in SwiftLiterals.scan(source) where Self.isSQL(literal.text) {
                sqlLiterals += 1
                for expression in literal.interpolations {
                    if Self.isAllowed(expression) {
                        allowedSeen += 1
                    } else {
                        let relative = file.path.replacingOccurrences(of: TestPaths.packageRoot.path + "/", with: "")
                        offenders.append("\(relative):\(literal.line): \\(\(expression)) in \"\(literal.text.prefix(120))\"")
                    }
                }
            }
        }
        #expect(offenders.isEmpty, "SQL text built by interpolation:\n\(offenders.joined(separator: "\n"))")
        // The scan really saw the SQL: the column-list constants are interpolated in several statements.
        #expect(sqlLiterals > 20, "only \(sqlLiterals) SQL literals found")
        #expect(allowedSeen >= 5, "only \(allowedSeen) allowed interpolations found")
    }

    static let nasty: [String] = [
        #"O'Brien said "hi" and `ran`"#,
        "'); DROP TABLE elements; --",
        #"Robert"); DELETE FROM events WHERE (1=1 OR "x"="x"#,
        "🚀 Ünïcødé 你好 👩‍💻 e\u{301}",
        "line one\nline two\r\nline three\ttabbed",
        "%s %d %n %x %@ %1$s {0} $HOME `id`",
        #"C:\path\to\file \ \\ \n \u0041 \" \'"#,
        "' OR '1'='1",
    ]

    @Test("quotes, SQL, emoji, newlines, format specifiers and backslashes round-trip verbatim")
    func textStoredVerbatim() throws {
        let scratch = try Scratch("verbatim")
        try scratch.ok(["init"])
        var ndjson = ""
        for (index, text) in Self.nasty.enumerated() {
            let created = try scratch.ok(["lead", "create", "--title", text, "--field", "note=\(text)", "--responsible", text, "--json"])
            let element = try created.jsonObject()
            #expect(element.string("title") == text, "lead create --json title")
            #expect(element.object("fields")?.string("note") == text, "lead create --json field")
            #expect(element.string("responsible") == text, "lead create --json responsible")
            let id = try #require(element.int("id"))

            let shown = try scratch.ok(["element", "show", String(id), "--json"]).jsonObject()
            #expect(shown.string("title") == text && shown.object("fields")?.string("note") == text && shown.string("responsible") == text,
                    "element show: \(jsonLine(shown))")
            // The bytes in the database are the bytes given.
            let hexOfTitle = TestDatabase.isPostgres ? "upper(encode(convert_to(title, 'UTF8'), 'hex'))" : "hex(title)"
            let hex = try scratch.sql(scratch.db, "SELECT \(hexOfTitle) FROM elements WHERE id = \(id);")
            #expect(hex == Data(text.utf8).map { String(format: "%02X", $0) }.joined() + "\n", "stored title bytes")

            // An injected event with the text as key, author and data.
            let key = "key \(index) \(text)"
            let injected = try scratch.ok([
                "event", "inject", "--type", "custom", "--element", String(id), "--key", key, "--by", text,
                "--data", jsonLine(["code": "c", "note": text]), "--set", "plain=\(text)", "--json",
            ]).jsonObject()
            #expect(injected.string("key") == key)
            let explained = try scratch.ok(["event", "explain", key, "--json"]).jsonObject()
            #expect(explained.string("key") == key && explained.string("by") == text, "event explain: \(jsonLine(explained))")
            #expect(explained.object("data")?.string("note") == text && explained.object("data")?.string("plain") == text,
                    "event data: \(jsonLine(explained))")
            // The same through a batch line.
            ndjson += jsonLine(["key": "batch \(index) \(text)", "type": "chat.message", "element": id, "by": text,
                                "data": ["text": text, "chat": text]]) + "\n"
        }
        let batch = try scratch.ok(["event", "ingest", "-"], stdin: .bytes(Data(ndjson.utf8)))
        #expect(try batch.ndjson().allSatisfy { $0.string("status") == "recorded" }, "\(batch)")

        let events = try scratch.ok(["event", "list", "--json"]).jsonArray()
        #expect(events.count == 2 * Self.nasty.count)
        for (index, text) in Self.nasty.enumerated() {
            let mine = events.filter { ($0["element"] as? NSNumber)?.intValue == index + 1 }
            #expect(mine.count == 2)
            #expect(mine.allSatisfy { $0.string("by") == text }, "event by: \(mine.map { jsonLine($0) })")
            #expect(mine.contains { $0.string("key") == "batch \(index) \(text)" && $0.object("data")?.string("text") == text })
            let history = try scratch.ok(["history", String(index + 1), "--json"]).jsonArray()
            let created = history.first { $0.string("kind") == "created" }
            #expect(created?.string("title") == text, "history created: \(created.map { jsonLine($0) } ?? "none")")
            #expect(history.contains { $0.string("kind") == "custom" && $0.object("data")?.string("note") == text })
            #expect(history.contains { $0.string("kind") == "chat.message" && $0.object("data")?.string("text") == text })
        }
        let list = try scratch.ok(["element", "list", "--json"]).jsonArray()
        #expect(list.map { $0.string("title") ?? "" } == Self.nasty)
        // Nothing was executed: every table is still there and whole.
        #expect(try scratch.scalar(scratch.db, "SELECT count(*) FROM elements;") == Self.nasty.count)
        try scratch.expectIntact(scratch.db)
    }
}
