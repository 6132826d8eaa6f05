import CRMTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outbox's delivery through the real binary (SPEC §9): real commands, real processes, real kills.
@Suite("Reliability: outbox delivery")
struct DeliveryTests {
    /// A database with an `sms` rule on NEW (and a webhook one when asked) and `count` leads with a phone:
    /// one message each (two with the webhook).
    static func outbox(_ name: String, count: Int, webhook: Bool = false) throws -> Scratch {
        let scratch = try Scratch(name)
        try scratch.ok(["init"])
        try scratch.ok(["rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "sms", "--text", "hi {title}"])
        if webhook {
            try scratch.ok(["rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "webhook", "--url", "https://hooks.example/crm"])
        }
        let lines = (1...count).map { #"{"type":"lead","title":"Lead \#($0)","phone":"+4915100\#($0)"}"# }
        try scratch.ok(["element", "import"], stdin: .bytes(Data((lines.joined(separator: "\n") + "\n").utf8)))
        return scratch
    }

    static func show(_ scratch: Scratch, _ id: Int) throws -> [String: Any] {
        try scratch.ok(["outbox", "show", String(id), "--json"]).jsonObject()
    }

    static func lines(_ url: URL) -> [String] {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Whether a process is still alive (a zombie no one reaped yet counts as gone).
    static func alive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return true }
        return !stat[close...].hasPrefix(") Z")
    }

    @Test("exit 0 delivers: the payload arrives on stdin, the CRMCTL_MESSAGE_ variables are set, stdout is discarded")
    func deliveredOnExitZero() throws {
        let scratch = try Self.outbox("deliver-ok", count: 1, webhook: true)
        let dir = scratch.dir.path
        let command = #"cat > "\#(dir)/in.$CRMCTL_MESSAGE_ID"; printf '%s|%s|%s|%s\n' "$CRMCTL_MESSAGE_ID" "$CRMCTL_MESSAGE_KIND" "$CRMCTL_MESSAGE_TO" "$CRMCTL_MESSAGE_URL" >> "\#(dir)/env"; echo "to stdout""#
        let run = try scratch.ok(["deliver", "--exec", command])
        let lines = try run.ndjson()
        #expect(lines.count == 2, "\(run)")
        for line in lines {
            #expect(line.string("status") == "delivered" && line.int("attempts") == 1 && line["error"] == nil, "\(line)")
        }
        #expect(lines.map { $0.int("message") ?? 0 } == [1, 2], "oldest first")
        #expect(Self.lines(scratch.path("env")) == ["1|sms|+49151001|", "2|webhook||https://hooks.example/crm"])
        let smsInput = try String(contentsOf: scratch.path("in.1"), encoding: .utf8)
        #expect(smsInput.hasSuffix("}\n") && smsInput.filter { $0 == "\n" }.count == 1, "one JSON line: \(smsInput)")
        let sms = try #require(try JSONSerialization.jsonObject(with: Data(smsInput.utf8)) as? [String: Any])
        #expect(sms.int("message") == 1 && sms.string("to") == "+49151001" && sms.string("text") == "hi Lead 1")
        #expect(sms.object("element")?.string("title") == "Lead 1")
        let hook = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: scratch.path("in.2"))) as? [String: Any])
        #expect(hook.int("message") == 2 && hook.object("element")?.int("id") == 1 && hook.int("rule") == 2)
        let shown = try Self.show(scratch, 1)
        #expect(shown.string("status") == "delivered" && shown.string("delivered_at") == Rel.now && shown.int("attempts") == 1)
        #expect(run.stderr.contains("2 delivered"), "a summary on stderr: \(run)")
        // Nothing is due any more.
        let again = try scratch.ok(["deliver", "--exec", "true"])
        #expect(again.stdout.isEmpty)
    }

    @Test("a failed attempt waits 1m, then 4m, then 16m; its last stderr line is kept; dead after --max-attempts")
    func backoffAndDead() throws {
        let scratch = try Self.outbox("deliver-backoff", count: 1)
        let failing = #"echo "first line" >&2; echo "gateway said no" >&2; echo >&2; exit 7"#
        let steps = [("2026-11-24T08:00:00Z", "2026-11-24T08:01:00Z", "2026-11-24T08:00:59Z"),
                     ("2026-11-24T08:01:00Z", "2026-11-24T08:05:00Z", "2026-11-24T08:04:59Z"),
                     ("2026-11-24T08:05:00Z", "2026-11-24T08:21:00Z", "2026-11-24T08:20:59Z")]
        for (attempt, (now, next, early)) in steps.enumerated() {
            let run = try scratch.run(["deliver", "--exec", failing], env: ["CRMCTL_NOW": now])
            #expect(run.exited(65), "\(run)")
            let line = try #require(try run.ndjson().first)
            #expect(line.int("message") == 1 && line.string("status") == "pending" && line.int("attempts") == attempt + 1)
            #expect(line.object("error")?.string("message") == "exit 7: gateway said no", "\(line)")
            #expect(line.object("error")?.string("code") == "command_failed")
            let shown = try Self.show(scratch, 1)
            #expect(shown.string("next_attempt_at") == next && shown.string("last_error") == "exit 7: gateway said no")
            // Not due before its time.
            let before = try scratch.run(["deliver", "--exec", "true"], env: ["CRMCTL_NOW": early])
            #expect(before.exited(0) && before.stdout.isEmpty, "\(before)")
        }
        #expect(try Self.show(scratch, 1).int("attempts") == 3)

        // --max-attempts 4: the fourth failure is the last.
        let last = try scratch.run(
            ["deliver", "--exec", "exit 3", "--max-attempts", "4"], env: ["CRMCTL_NOW": "2026-11-24T08:21:00Z"])
        #expect(last.exited(65))
        let dead = try #require(try last.ndjson().first)
        #expect(dead.string("status") == "dead" && dead.int("attempts") == 4 && dead.object("error")?.string("message") == "exit 3")
        let never = try scratch.run(["deliver", "--exec", "true"], env: ["CRMCTL_NOW": "2026-11-25T08:00:00Z"])
        #expect(never.exited(0) && never.stdout.isEmpty, "a dead message is not handed over: \(never)")

        // retry: due now, attempts reset; then delivered.
        let retried = try scratch.ok(["outbox", "retry", "1", "--json"], env: ["CRMCTL_NOW": "2026-11-25T08:00:00Z"]).jsonObject()
        #expect(retried.string("status") == "pending" && retried.int("attempts") == 0)
        #expect(retried.string("next_attempt_at") == "2026-11-25T08:00:00Z")
        let delivered = try scratch.ok(["deliver", "--exec", "true"], env: ["CRMCTL_NOW": "2026-11-25T08:00:00Z"]).ndjson()
        #expect(delivered.count == 1 && delivered.first?.string("status") == "delivered" && delivered.first?.int("attempts") == 1)
        // A delivered message can be neither retried nor discarded; an unknown one is 66.
        #expect(try scratch.run(["outbox", "retry", "1"]).exited(65))
        #expect(try scratch.run(["outbox", "discard", "1"]).exited(65))
        #expect(try scratch.run(["outbox", "retry", "99"]).exited(66))
        #expect(try scratch.run(["outbox", "discard", "99"]).exited(66))
    }

    @Test("the backoff is 1m ×4 per attempt, at most 6 h, and killed commands say why")
    func backoffCapAndSignals() throws {
        let scratch = try Self.outbox("deliver-cap", count: 1)
        var now = Date(timeIntervalSince1970: 1_795_507_200)  // 2026-11-24T08:00:00Z
        let format = ISO8601DateFormatter()
        let expected: [Double] = [60, 240, 960, 3840, 15360, 21600, 21600]
        for wait in expected {
            let run = try scratch.run(["deliver", "--exec", "kill -9 $$", "--max-attempts", "20"], env: ["CRMCTL_NOW": format.string(from: now)])
            #expect(try run.ndjson().first?.object("error")?.string("message") == "killed by signal 9", "\(run)")
            let next = try #require(format.date(from: try Self.show(scratch, 1).string("next_attempt_at") ?? ""))
            #expect(next.timeIntervalSince(now) == wait)
            now = next
        }
    }

    @Test("--timeout kills the command and its children within the timeout plus a second")
    func timeoutKillsProcessGroup() throws {
        let scratch = try Self.outbox("deliver-timeout", count: 1)
        let dir = scratch.dir.path
        let command = #"sleep 60 & echo $! > "\#(dir)/child"; echo $$ > "\#(dir)/shell"; sleep 60"#
        let started = Date()
        let run = try scratch.run(["deliver", "--exec", command, "--timeout", "1s"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(run.exited(65), "\(run)")
        #expect(elapsed < 2.0, "took \(elapsed) s")
        let line = try #require(try run.ndjson().first)
        #expect(line.string("status") == "pending" && line.object("error")?.string("code") == "timeout")
        #expect(line.object("error")?.string("message") == "killed after the 1s timeout")
        for name in ["child", "shell"] {
            let pid = try #require(pid_t(Self.lines(scratch.path(name)).first ?? ""))
            #expect(waitUntil(seconds: 1) { !Self.alive(pid) }, "\(name) \(pid) still runs")
        }
        #expect(try scratch.run(["deliver", "--exec", "true", "--timeout", "soon"]).exited(64))
        #expect(try scratch.run(["deliver", "--exec", "true", "--timeout", "0s"]).exited(64))
    }

    @Test("pull leases with tokens; ack and fail take a token or a bare id; a lease taken over needs its token")
    func pullAckFail() throws {
        let scratch = try Self.outbox("pull", count: 4)
        let pulled = try scratch.ok(["outbox", "pull", "--limit", "2"]).ndjson()
        #expect(pulled.map { $0.string("lease") ?? "" } == ["1:1", "2:1"])
        #expect(pulled.allSatisfy { $0.string("status") == "delivering" && $0.int("attempts") == 1 && $0.object("payload") != nil })
        #expect(pulled.first?.string("lease_until") == "2026-11-24T08:05:00Z", "the default lease is 5m")
        // Leased messages are not due: the next pull gets the others.
        let rest = try scratch.ok(["outbox", "pull", "--lease", "1m"]).ndjson()
        #expect(rest.map { $0.string("lease") ?? "" } == ["3:1", "4:1"])
        #expect(try scratch.ok(["outbox", "pull"]).stdout.isEmpty)

        let acked = try scratch.ok(["outbox", "ack", "1:1", "--json"]).jsonObject()
        #expect(acked.string("status") == "delivered" && acked.string("delivered_at") == Rel.now)
        #expect(try scratch.ok(["outbox", "ack", "1"]).stdout.contains("delivered"), "acking a delivered message changes nothing")
        let failed = try scratch.ok(["outbox", "fail", "2", "--error", "gateway down", "--json"]).jsonObject()
        #expect(failed.string("status") == "pending" && failed.string("last_error") == "gateway down")
        #expect(failed.string("next_attempt_at") == "2026-11-24T08:01:00Z")
        let again = try scratch.run(["outbox", "fail", "2", "--error", "x", "--json"])
        #expect(again.exited(65), "fail needs a message being delivered: \(again)")
        let wrong = try scratch.run(["outbox", "ack", "4:7", "--json"])
        #expect(wrong.exited(65) && wrong.stderr.contains(#""code":"lease_lost""#), "\(wrong)")
        #expect(try scratch.run(["outbox", "ack", "99"]).exited(66))
        #expect(try scratch.run(["outbox", "ack", "x:1"]).exited(64))

        // Message 3's lease (1m) runs out; a later pull takes it over: only the new token acts for it.
        let later = ["CRMCTL_NOW": "2026-11-24T08:02:00Z"]
        let taken = try scratch.ok(["outbox", "pull", "--kind", "sms"], env: later).ndjson()
        #expect(taken.map { $0.string("lease") ?? "" } == ["2:2", "3:2", "4:2"])
        #expect(taken[1]["taken_over"] as? Bool == true && taken[0]["taken_over"] as? Bool == false)
        let bare = try scratch.run(["outbox", "ack", "3", "--json"], env: later)
        #expect(bare.exited(65) && bare.stderr.contains("lease_lost"), "\(bare)")
        #expect(try scratch.run(["outbox", "ack", "3:1"], env: later).exited(65))
        // Several ids: each acted on; the refused one sets the exit code.
        let several = try scratch.run(["outbox", "ack", "3:2", "2", "4:1", "--json"], env: later)
        #expect(several.exited(65), "\(several)")
        #expect(try several.ndjson().map { $0.int("id") ?? 0 } == [3, 2])
        #expect(try Self.show(scratch, 4).string("status") == "delivering")
        #expect(try scratch.ok(["outbox", "discard", "4", "--json"]).jsonObject().string("status") == "discarded")
        #expect(try scratch.run(["outbox", "ack", "4:2"]).exited(65), "acking a discarded message is refused")
        #expect(try scratch.ok(["outbox", "list", "--status", "delivered", "--json"]).jsonArray().count == 3)
    }

    @Test("a lease taken over while the command runs: the deliver writes nothing and reports lease_lost")
    func leaseLost() throws {
        let scratch = try Self.outbox("lease-lost", count: 1)
        // The command itself takes the message over, as another puller would once the lease ran out.
        let command = #"CRMCTL_NOW=2026-11-24T09:00:00Z "\#(TestPaths.crmctl.path)" outbox pull > "\#(scratch.dir.path)/pulled""#
        let run = try scratch.run(["deliver", "--exec", command])
        #expect(run.exited(65), "\(run)")
        let line = try #require(try run.ndjson().first)
        #expect(line.string("status") == "delivering" && line.object("error")?.string("code") == "lease_lost", "\(line)")
        let shown = try Self.show(scratch, 1)
        #expect(shown.int("leases") == 2 && shown["taken_over"] as? Bool == true && shown.int("attempts") == 2)
        #expect(Self.lines(scratch.path("pulled")).first?.contains(#""lease":"1:2""#) == true)
        #expect(try scratch.ok(["outbox", "ack", "1:2"]).exited(0))
    }

    @Test("two deliver runs at once over 500 messages hand each over exactly once")
    func twoDeliverRuns() throws {
        let scratch = try Self.outbox("deliver-two", count: 500)
        let file = scratch.path("sent")
        let command = #"echo "$CRMCTL_MESSAGE_ID" >> "\#(file.path)""#
        let runs = try (0..<2).map { _ in try scratch.start(["deliver", "--exec", command]) }
        let outcomes = try runs.map { try $0.wait() }
        for outcome in outcomes { #expect(outcome.exited(0), "\(outcome)") }
        let sent = Self.lines(file)
        #expect(sent.count == 500 && Set(sent).count == 500, "\(sent.count) lines, \(Set(sent).count) ids")
        #expect(try outcomes.map { try $0.ndjson().count }.reduce(0, +) == 500)
        #expect(try scratch.scalar(scratch.db, "SELECT count(*) FROM outbox WHERE status = 'delivered' AND attempts = 1") == 500)
    }

    @Test("a deliver killed while its command runs: the message is handed over again after the lease, nothing lost")
    func killedDeliver() throws {
        let scratch = try Self.outbox("deliver-killed", count: 2)
        let dir = scratch.dir.path
        let slow = #"echo $$ > "\#(dir)/group"; echo "$CRMCTL_MESSAGE_ID" >> "\#(dir)/started"; sleep 30"#
        let running = try scratch.start(["deliver", "--exec", slow])
        #expect(waitUntil(seconds: 20) { fileExists(scratch.path("group")) })
        running.kill9()
        // The command's process group outlives the deliver (as it would after a crash); it goes too.
        #expect(waitUntil(seconds: 5) { !Self.lines(scratch.path("group")).isEmpty })
        if let group = pid_t(Self.lines(scratch.path("group")).first ?? "") { _ = kill(-group, SIGKILL) }
        let killed = try running.wait()
        #expect(killed.signalled)
        let held = try Self.show(scratch, 1)
        #expect(held.string("status") == "delivering" && held.int("attempts") == 1)
        #expect(held.string("lease_until") == "2026-11-24T08:01:30Z", "the lease is --timeout (30s) plus a minute")

        // While the lease holds, only the other message is handed over.
        let sender = #"echo "$CRMCTL_MESSAGE_ID" >> "\#(dir)/sent""#
        let during = try scratch.ok(["deliver", "--exec", sender]).ndjson()
        #expect(during.map { $0.int("message") ?? 0 } == [2])
        // Past the lease: handed over again, delivered.
        let after = try scratch.ok(["deliver", "--exec", sender], env: ["CRMCTL_NOW": "2026-11-24T08:01:30Z"]).ndjson()
        #expect(after.count == 1 && after.first?.int("message") == 1 && after.first?.string("status") == "delivered")
        #expect(after.first?.int("attempts") == 2)
        #expect(Self.lines(scratch.path("sent")).sorted() == ["1", "2"])
        #expect(try scratch.scalar(scratch.db, "SELECT count(*) FROM outbox WHERE status = 'delivered'") == 2)
    }
}
