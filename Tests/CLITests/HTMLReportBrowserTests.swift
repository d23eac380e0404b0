import Foundation
import Testing

/// `keyreach report --html` on the demo cluster, read by a real browser
/// (Debian's chromium, headless): the content is in the rendered DOM, and the
/// page asks for nothing over the network.
@Suite struct HTMLReportBrowserTests {
    /// The demo page, written to a fresh folder.
    static func demoPage() throws -> (page: URL, html: String) {
        let folder = try CLI.temporaryDirectory()
        let page = folder.appendingPathComponent("report.html")
        let run = try CLI.run(["report", "--dump", CLI.fixture("demo/cluster.yaml"), "--html", page.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        return (page, try String(contentsOf: page, encoding: .utf8))
    }

    /// chromium on PATH, or nil (the test then skips, except under CI=true).
    static let chromium: String? = {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
                let path = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }()

    @Test func thePageHoldsTheDemoStoryAndNoNetworkReference() throws {
        let (_, html) = try Self.demoPage()
        for text in ["production/app-tls", "cert-manager/internal-ca-key", "app.example.com", "www.example.com",
                     "ServiceAccount production/default", "ServiceAccount kubernetes-dashboard/kubernetes-dashboard",
                     "ClusterRoleBinding dashboard-viewer", "<svg", "RoleBinding/production/read-secrets#0/ServiceAccount/production/default"] {
            #expect(html.contains(text), "\(text) is not on the page")
        }
        // Self-contained: nothing to fetch.
        for reference in ["src=\"http", "href=\"http", "src='http", "href='http", "url(http", "@import", "<link", "<img", "<iframe"] {
            #expect(!html.contains(reference), "the page references \(reference)")
        }
        #expect(!html.contains("<script src"))
    }

    @Test func chromiumRendersTheKeysDomainsAndReadersWithoutTheNetwork() throws {
        guard let chromium = Self.chromium else {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI=true but chromium is not installed: .ci/run installs it")
            print("notice: chromium not on PATH; skipping the browser test (apt-get install chromium)")
            return
        }
        let (page, _) = try Self.demoPage()
        let folder = page.deletingLastPathComponent()
        let dom = try Self.load(page, chromium: chromium, arguments: ["--dump-dom"])
        #expect(dom.run.status == 0, "\(dom.run.stderr.suffix(2000))")
        for text in ["production/app-tls", "cert-manager/internal-ca-key", "app.example.com", "www.example.com",
                     "ServiceAccount production/default", "ServiceAccount kubernetes-dashboard/kubernetes-dashboard",
                     "Keys by severity and kind"] {
            #expect(dom.run.stdout.contains(text), "\(text) is not in the rendered DOM")
        }
        #expect(dom.requests.isEmpty, "the page made network requests: \(dom.requests)")

        // The net log does see a page that fetches something: the check above can fail.
        let probe = folder.appendingPathComponent("probe.html")
        try Data("<!DOCTYPE html><img src=\"http://keyreach-probe.invalid/x.png\">".utf8).write(to: probe)
        let probed = try Self.load(probe, chromium: chromium, arguments: ["--dump-dom"])
        #expect(probed.requests.contains("http://keyreach-probe.invalid/x.png"), "\(probed.requests)")

        let screenshot = folder.appendingPathComponent("report.png")
        let shot = try Self.load(page, chromium: chromium,
                                 arguments: ["--window-size=1200,1600", "--screenshot=\(screenshot.path)"])
        #expect(shot.run.status == 0, "\(shot.run.stderr.suffix(2000))")
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(png.count > 20_000, "a blank screenshot is a few KB; this one is \(png.count) bytes")
        if let keep = ProcessInfo.processInfo.environment["KEYREACH_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: screenshot, to: URL(fileURLWithPath: keep))
        }
    }

    /// Three high-or-worse keys whose severity order (zulu's critical key
    /// first) is not their namespace order (alpha, mike, zulu).
    static func sortablePage() throws -> URL {
        let folder = try CLI.temporaryDirectory()
        var yaml = ""
        for (namespace, subject) in [("zulu", "{kind: Group, apiGroup: rbac.authorization.k8s.io, name: system:authenticated}"),
                                     ("alpha", "{kind: ServiceAccount, name: default, namespace: alpha}"),
                                     ("mike", "{kind: ServiceAccount, name: default, namespace: mike}")] {
            yaml += """
            apiVersion: v1
            kind: Secret
            type: kubernetes.io/tls
            metadata: {name: \(namespace)-tls, namespace: \(namespace)}
            data: {tls.key: ""}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: reader, namespace: \(namespace)}
            rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: read, namespace: \(namespace)}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
            subjects: [\(subject)]
            ---

            """
        }
        let dump = folder.appendingPathComponent("three.yaml")
        try Data(yaml.utf8).write(to: dump)
        let page = folder.appendingPathComponent("three.html")
        let run = try CLI.run(["report", "--dump", dump.path, "--html", page.path])
        #expect(run.status == 0, "\(run.stderr)")
        return page
    }

    /// The keys' namespaces in document order, and which are hidden.
    static func keyOrder(_ html: String) -> (namespaces: [String], hidden: [String]) {
        var namespaces: [String] = [], hidden: [String] = []
        for piece in html.components(separatedBy: "<section class=\"key\"").dropFirst() {
            let tag = piece.prefix { $0 != ">" }
            guard let start = tag.range(of: "data-namespace=\"")?.upperBound else { continue }
            let namespace = String(tag[start...].prefix { $0 != "\"" })
            namespaces.append(namespace)
            if tag.contains(" hidden") { hidden.append(namespace) }
        }
        return (namespaces, hidden)
    }

    @Test func theKeyListSortsByNamespaceAndFiltersBySeverityInChromium() throws {
        let page = try Self.sortablePage()
        let html = try String(contentsOf: page, encoding: .utf8)
        // As written (and as read without JS): worst first, controls hidden.
        #expect(Self.keyOrder(html).namespaces == ["zulu", "alpha", "mike"], "\(Self.keyOrder(html))")
        #expect(html.contains("<div class=\"controls\" id=\"controls\" hidden>"))
        guard let chromium = Self.chromium else {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI=true but chromium is not installed: .ci/run installs it")
            print("notice: chromium not on PATH; skipping the browser sort test (apt-get install chromium)")
            return
        }
        // The page's own buttons, clicked by a script appended to a copy of it.
        func clicked(_ actions: String, name: String) throws -> String {
            let copy = page.deletingLastPathComponent().appendingPathComponent(name)
            try Data(html.replacingOccurrences(of: "</body>", with: "<script>\(actions)</script></body>").utf8).write(to: copy)
            let dom = try Self.load(copy, chromium: chromium, arguments: ["--dump-dom"])
            #expect(dom.run.status == 0, "\(dom.run.stderr.suffix(2000))")
            #expect(dom.requests.isEmpty, "\(dom.requests)")
            return dom.run.stdout
        }
        let byNamespace = try clicked("document.querySelector('button[data-sort=namespace]').click();", name: "namespace.html")
        #expect(Self.keyOrder(byNamespace).namespaces == ["alpha", "mike", "zulu"], "\(Self.keyOrder(byNamespace))")
        #expect(!byNamespace.contains("id=\"controls\" hidden"), "the script shows the controls")
        let back = try clicked("document.querySelector('button[data-sort=namespace]').click();"
            + "document.querySelector('button[data-sort=severity]').click();", name: "back.html")
        #expect(Self.keyOrder(back).namespaces == ["zulu", "alpha", "mike"], "\(Self.keyOrder(back))")
        let critical = try clicked("var s=document.getElementById('severity');s.value='critical';"
            + "s.dispatchEvent(new Event('change'));", name: "critical.html")
        #expect(Self.keyOrder(critical).hidden == ["alpha", "mike"], "\(Self.keyOrder(critical))")
    }

    /// A listed key's namespace reaches the sort data and the namespace
    /// menu escaped (a hand-written dump may name a namespace anything).
    @Test func theSortAndFilterDataAreEscaped() throws {
        let folder = try CLI.temporaryDirectory()
        let evil = #"x"><b>y</b>'&"#
        let yaml = """
        apiVersion: v1
        kind: Secret
        type: kubernetes.io/tls
        metadata: {name: web-tls, namespace: '\(evil.replacingOccurrences(of: "'", with: "''"))'}
        data: {tls.key: ""}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader}
        rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: everyone}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
        subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: system:authenticated}]
        """
        let dump = folder.appendingPathComponent("evil-namespace.yaml")
        try Data(yaml.utf8).write(to: dump)
        let page = folder.appendingPathComponent("evil-namespace.html")
        let run = try CLI.run(["report", "--dump", dump.path, "--html", page.path])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: page, encoding: .utf8)
        let escaped = "x&quot;&gt;&lt;b&gt;y&lt;/b&gt;&#39;&amp;"
        #expect(html.contains("data-namespace=\"\(escaped)\""), "\(html)")
        #expect(html.contains("<option value=\"\(escaped)\">\(escaped)</option>"), "\(html)")
        #expect(!html.contains("<b>y</b>"))
    }

    /// Chromium's own services, which it calls whatever page it shows
    /// (component updates, time, accounts); every other URL is the page's.
    static let browserServiceHosts = ["clients2.google.com", "update.googleapis.com", "accounts.google.com"]

    /// Loads `page` headless with every host name resolving to nothing and a
    /// net log; returns the run and the http(s) URLs the page asked for.
    static func load(_ page: URL, chromium: String, arguments: [String]) throws -> (run: CLIRun, requests: Set<String>) {
        let folder = try CLI.temporaryDirectory()
        let netLog = folder.appendingPathComponent("netlog.json")
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                      "--disable-background-networking", "--disable-component-update", "--disable-sync",
                      "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
                      "--host-resolver-rules=MAP * ~NOTFOUND", "--log-net-log=\(netLog.path)"]
        let run = try CLI.run(common + arguments + [page.absoluteString], executable: URL(fileURLWithPath: chromium))
        let log = (try? String(contentsOf: netLog, encoding: .utf8)) ?? ""
        #expect(!log.isEmpty, "chromium wrote no net log")
        var requests = Set<String>()
        for piece in log.components(separatedBy: "\"url\":\"").dropFirst() {
            guard let end = piece.firstIndex(of: "\"") else { continue }
            let url = String(piece[..<end])
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { continue }
            let host = URL(string: url)?.host ?? ""
            if !browserServiceHosts.contains(host) { requests.insert(url) }
        }
        return (run, requests)
    }

    @Test func stringsFromTheClusterAreEscaped() throws {
        let folder = try CLI.temporaryDirectory()
        let dump = folder.appendingPathComponent("evil.yaml")
        // A role name cannot hold "<", but a certificate subject or a subject name can.
        let evil = "<script>alert(1)</script>\"&'"
        let yaml = """
        apiVersion: v1
        kind: Secret
        type: kubernetes.io/tls
        metadata: {name: web-tls, namespace: shop}
        data: {tls.key: ""}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: reader, namespace: shop}
        rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: everyone, namespace: shop}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
        subjects: [{kind: User, name: '\(evil.replacingOccurrences(of: "'", with: "''"))'}]
        """
        try Data(yaml.utf8).write(to: dump)
        let page = folder.appendingPathComponent("evil.html")
        let run = try CLI.run(["report", "--dump", dump.path, "--html", page.path])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;"), "\(html)")
        #expect(!html.contains("<script>alert"))
        #expect(html.components(separatedBy: "<script>").count == 2, "only the page's own script")
    }
}
