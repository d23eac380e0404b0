import Foundation
import Testing

/// `keyreach exposure` tells the demo story, in both dump formats.
@Suite struct ExposureCLITests {
    static let dumps = ["demo/cluster.yaml", "demo/cluster.json"]

    /// The report's keys by `namespace/name`.
    static func keys(_ run: CLIRun) throws -> [String: [String: Any]] {
        let array = try #require(run.json as? [[String: Any]], "not a JSON array: \(run.stdout.prefix(200))")
        var keys: [String: [String: Any]] = [:]
        for key in array {
            let secret = key["secret"] as? [String: Any] ?? [:]
            keys["\(secret["namespace"] ?? "?")/\(secret["name"] ?? "?")"] = key
        }
        return keys
    }

    /// "Kind ns/name" of each object of a readers/expected array.
    static func names(_ readers: Any?) -> [String] {
        (readers as? [[String: Any]] ?? []).map { r in
            let kind = r["kind"] as? String ?? "?", name = r["name"] as? String ?? "?"
            return (r["namespace"] as? String).map { "\(kind) \($0)/\(name)" } ?? "\(kind) \(name)"
        }
    }

    @Test(arguments: dumps)
    func appTLSIsReadByDefaultAndTheDashboard(dump: String) throws {
        let run = try CLI.run(["exposure", "--dump", CLI.fixture(dump), "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let keys = try Self.keys(run)
        #expect(keys.keys.sorted() == ["cert-manager/internal-ca-key", "production/app-tls"])
        let app = try #require(keys["production/app-tls"])
        #expect(app["severity"] as? String == "high")
        #expect((app["secret"] as? [String: Any])?["exists"] as? Bool == true)
        #expect((app["reasons"] as? [String])?.contains("cert-manager Certificate production/app") == true)
        #expect((app["reasons"] as? [String])?.contains("Ingress production/web") == true)
        let certificate = try #require(app["certificate"] as? [String: Any])
        #expect(certificate["subject"] as? String == "CN=app.example.com")
        #expect(certificate["dnsNames"] as? [String] == ["app.example.com", "www.example.com"])
        #expect(certificate["notAfter"] as? String == "2027-03-01T00:00:00Z")
        #expect(certificate["isCA"] as? Bool == false)
        #expect(app["impact"] as? String == "a holder of this key can impersonate app.example.com and www.example.com until 2027-03-01")

        #expect(Self.names(app["readers"]) == ["ServiceAccount kubernetes-dashboard/kubernetes-dashboard", "ServiceAccount production/default"])
        let readers = try #require(app["readers"] as? [[String: Any]])
        #expect(readers[1]["verbs"] as? [String] == ["get"])
        #expect(readers[0]["verbs"] as? [String] == ["list"])
        let dashboardPath = try #require((readers[0]["via"] as? [[String: Any]])?.first)
        #expect((dashboardPath["binding"] as? [String: Any])?["kind"] as? String == "ClusterRoleBinding")
        #expect((dashboardPath["binding"] as? [String: Any])?["name"] as? String == "dashboard-viewer")
        let defaultPath = try #require((readers[1]["via"] as? [[String: Any]])?.first)
        #expect((defaultPath["binding"] as? [String: Any])?["name"] as? String == "read-secrets")

        #expect(Set(Self.names(app["expected"])) == ["Group system:masters", "ServiceAccount cert-manager/cert-manager",
                                                    "ServiceAccount ingress-nginx/ingress-nginx"])
        #expect((app["expected"] as? [[String: Any]])?.allSatisfy { ($0["why"] as? String)?.isEmpty == false } == true)

        // Workloads per controller: pod web-5d9c7-abcde counts under Deployment web.
        let workloads = try #require(app["workloads"] as? [[String: Any]])
        let deployment = try #require(workloads.first)
        #expect(workloads.count == 1)
        #expect(deployment["kind"] as? String == "Deployment")
        #expect(deployment["name"] as? String == "web")
        #expect(deployment["serviceAccount"] as? String == "default")
        #expect(deployment["pods"] as? Int == 1)

        let ca = try #require(keys["cert-manager/internal-ca-key"])
        #expect(ca["severity"] as? String == "critical")
        #expect(ca["keyKind"] as? String == "certificateAuthority")
    }

    @Test func tableTellsTheStory() throws {
        let run = try CLI.run(["exposure", "--dump", CLI.fixture("demo/cluster.yaml")])
        #expect(run.status == 0, "\(run.stderr)")
        let out = run.stdout
        #expect(out.hasPrefix("2 private keys: 1 critical, 1 high, 0 medium, 0 low; 0 read by expected holders only\n"))
        #expect(out.contains("HIGH production/app-tls — cert-manager Certificate production/app; "
            + "can impersonate app.example.com and www.example.com until 2027-03-01"))
        #expect(out.contains("ServiceAccount production/default: get (high: the namespace's default ServiceAccount)"))
        #expect(out.contains("      Deployment production/web: 1 pod with a token mounted\n"))
        #expect(out.contains("via ClusterRoleBinding dashboard-viewer → ClusterRole dashboard-secrets, rule 0: list"))
        #expect(out.contains("expected: system:masters, ServiceAccount cert-manager/cert-manager (cert-manager), "
            + "ServiceAccount ingress-nginx/ingress-nginx (ingress-nginx controller serving Ingress production/web)"))
        // Worst first: the CA key's section comes before app-tls's.
        let critical = try #require(out.range(of: "CRITICAL cert-manager/internal-ca-key"))
        let high = try #require(out.range(of: "HIGH production/app-tls"))
        #expect(critical.lowerBound < high.lowerBound)
    }

    @Test func namespaceNarrowsTheReport() throws {
        let run = try CLI.run(["exposure", "-n", "cert-manager", "--dump", CLI.fixture("demo/cluster.json"), "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.keys(run).keys.sorted() == ["cert-manager/internal-ca-key"])
        let empty = try CLI.run(["exposure", "-n", "kubernetes-dashboard", "--dump", CLI.fixture("demo/cluster.json"), "-o", "json"])
        #expect(empty.stdout == "[]\n")
        let both = try CLI.run(["exposure", "-n", "production", "-A", "--dump", CLI.fixture("demo/cluster.json")])
        #expect(both.status == 2)
    }

    @Test func allowListMovesTheDashboardToExpected() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let allow = """
            allow:
              - subject: {kind: ServiceAccount, namespace: kubernetes-dashboard, name: kubernetes-dashboard}
                secrets: ["*"]
                why: operators read TLS secrets through the dashboard
            """
        try allow.write(to: dir.appendingPathComponent("keyreach.yaml"), atomically: true, encoding: .utf8)
        // keyreach.yaml in the current directory is read by default.
        let run = try CLI.run(["exposure", "--dump", CLI.fixture("demo/cluster.yaml"), "-o", "json"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let keys = try Self.keys(run)
        let app = try #require(keys["production/app-tls"])
        #expect(Self.names(app["readers"]) == ["ServiceAccount production/default"])
        let dashboard = try #require((app["expected"] as? [[String: Any]])?.first { $0["name"] as? String == "kubernetes-dashboard" })
        #expect(dashboard["why"] as? String == "operators read TLS secrets through the dashboard (allow-list)")
        #expect(dashboard["rule"] as? String == "allowList")
        // The CA key is still critical: ingress-nginx lists it and serves no Ingress with it.
        #expect(Self.names(keys["cert-manager/internal-ca-key"]?["readers"]) == ["ServiceAccount ingress-nginx/ingress-nginx"])
        #expect(keys["cert-manager/internal-ca-key"]?["severity"] as? String == "critical")

        // --allow names the file explicitly; a broken one is bad input with file and line.
        let broken = dir.appendingPathComponent("broken.yaml")
        try "allow:\n  - subject: {kind: Robot, name: r2}\n    secrets: [\"*\"]\n    why: beep\n".write(to: broken, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["exposure", "--allow", broken.path, "--dump", CLI.fixture("demo/cluster.yaml")])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("broken.yaml:2:"), "\(bad.stderr)")
        let missing = try CLI.run(["exposure", "--allow", dir.appendingPathComponent("nope.yaml").path, "--dump", CLI.fixture("demo/cluster.yaml")])
        #expect(missing.status == 2)
    }

    @Test func clusterResourceNamespaceMovesTheCAKey() throws {
        let run = try CLI.run(["exposure", "--cluster-resource-namespace", "security", "--dump", CLI.fixture("demo/cluster.yaml"), "-o", "json"])
        let keys = try Self.keys(run)
        // The ClusterIssuer's key is now expected in `security`, where it does not exist.
        let moved = try #require(keys["security/internal-ca-key"])
        #expect((moved["secret"] as? [String: Any])?["exists"] as? Bool == false)
        #expect((keys["cert-manager/internal-ca-key"]?["reasons"] as? [String])?.contains("CA of ClusterIssuer internal-ca") == false)
    }

    @Test func yamlOutputIsTheSameReport() throws {
        let run = try CLI.run(["exposure", "--dump", CLI.fixture("demo/cluster.yaml"), "-o", "yaml"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("- secret:\n"))
        #expect(run.stdout.contains("severity: high"))
    }
}
