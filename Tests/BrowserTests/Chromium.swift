import CRMTestSupport
import Foundation
import Testing

/// Headless Chromium (Debian's `chromium`, which `make test` installs when missing) loading a page from a file
/// with the network off: every host name resolves to nothing and every request goes to a proxy that is not
/// there, so nothing can leave the machine. Chromium's network log tells which requests the page itself made
/// (those on behalf of a `file://` page), apart from the browser's own background traffic.
struct Chromium {
    static let executable = "/usr/bin/chromium"
    /// Seconds one load may take before it is killed and reported as hung: a load takes one or two seconds
    /// alone, but the first of a run shares the two cores with every other suite (80 s has been seen).
    static let timeout: Double = 600

    /// What a load left: the DOM after the page's load event, as Chromium serialises it, and the URLs of the
    /// requests the page made.
    struct Load {
        var dom: String
        var pageRequests: [String]
    }

    let directory: TempDir

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            Issue.record("""
                \(Self.executable) is missing: the browser tests need Debian's chromium package. `make test` installs \
                it (apt-get install chromium); `swift test --skip BrowserTests` runs the rest without it.
                """)
            throw HarnessError("no chromium at \(Self.executable)")
        }
        directory = TempDir(prefix: "crmctl-browser")
    }

    /// Writes `html` to `name` in this browser's directory and returns its URL.
    func write(_ html: String, to name: String) throws -> URL {
        let url = directory.fileURL(name)
        try Data(html.utf8).write(to: url)
        return url
    }

    /// Loads `page` in a window `width` × `height` CSS pixels (Chromium's window is at least 500 wide: narrower
    /// screens are measured in an iframe). `allowFileAccess` lets a harness page read the documents of the
    /// file pages it frames.
    func load(_ page: URL, width: Int = 1280, height: Int = 900, allowFileAccess: Bool = false) throws -> Load {
        let netLog = directory.fileURL("net-\(UUID().uuidString).json")
        var arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.file("profile"))",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9", "--log-net-log=\(netLog.path)", "--window-size=\(width),\(height)",
        ]
        if allowFileAccess { arguments.append("--allow-file-access-from-files") }
        arguments += ["--dump-dom", page.absoluteString]
        let result = try RunningProcess(
            URL(fileURLWithPath: Self.executable), arguments,
            environment: ["PATH": "/usr/bin:/bin", "HOME": directory.path, "LANG": "C.UTF-8"], directory: directory.url,
            timeout: Self.timeout
        ).wait()
        guard result.exited(0), result.stdout.contains("</html>") else {
            throw HarnessError("chromium could not load \(page.lastPathComponent): \(result)")
        }
        return Load(dom: result.stdout, pageRequests: try Self.pageRequests(in: netLog))
    }

    /// The URLs of the requests started for a `file://` page (their network isolation key names it), from a
    /// network log in Chromium's JSON format.
    static func pageRequests(in netLog: URL) throws -> [String] {
        guard let log = try JSONSerialization.jsonObject(with: Data(contentsOf: netLog)) as? [String: Any],
            let constants = log["constants"] as? [String: Any],
            let types = constants["logEventTypes"] as? [String: Int], let start = types["URL_REQUEST_START_JOB"],
            let events = log["events"] as? [[String: Any]]
        else { throw HarnessError("\(netLog.path) is not a Chromium network log") }
        return events.compactMap { event in
            guard event["type"] as? Int == start, let parameters = event["params"] as? [String: Any],
                (parameters["network_isolation_key"] as? String)?.contains("file://") == true
            else { return nil }
            return parameters["url"] as? String
        }
    }
}
