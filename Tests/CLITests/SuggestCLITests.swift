import Foundation
import Testing

/// `keyreach suggest` on the demo cluster: the `default` service account's
/// RoleBinding and the dashboard's ClusterRoleBinding, their fixes, and the proof.
@Suite struct SuggestCLITests {
    static let demo = CLI.fixture("demo/cluster.yaml")

    static func object(_ run: CLIRun) throws -> [String: Any] {
        try #require(run.json as? [String: Any], "not a JSON object: \(run.stdout.prefix(200)) \(run.stderr)")
    }

    @Test("-o json: one finding per offending grant, each with its change; apply and delete lists")
    func jsonFindings() throws {
        let run = try CLI.run(["suggest", "--dump", Self.demo, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let answer = try Self.object(run)
        let findings = try #require(answer["findings"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: findings.map { ($0["id"] as? String ?? "?", $0) })
        let defaultSA = try #require(byID["RoleBinding/production/read-secrets#0/ServiceAccount/production/default"])
        let dashboard = try #require(byID["ClusterRoleBinding/dashboard-viewer#0/ServiceAccount/kubernetes-dashboard/kubernetes-dashboard"])
        #expect((defaultSA["change"] as? [String: Any])?["kind"] as? String == "splitRule")
        #expect((dashboard["change"] as? [String: Any])?["kind"] as? String == "namespacedBindings")
        #expect((defaultSA["keys"] as? [[String: Any]])?.map { $0["name"] as? String } == ["app-tls"])
        #expect((dashboard["keys"] as? [[String: Any]])?.map { $0["name"] as? String } == ["internal-ca-key", "app-tls"])
        let reach = try #require(defaultSA["reach"] as? [String: Any])
        #expect(reach["identities"] as? Int == 1)
        #expect((reach["workloads"] as? [[String: Any]])?.first?["pods"] as? Int == 1)

        // The default ServiceAccount's Role is edited in place: secrets by name, app-tls not among them.
        let apply = try #require(answer["apply"] as? [[String: Any]])
        let secretReader = try #require(apply.first { ($0["metadata"] as? [String: Any])?["name"] as? String == "secret-reader" })
        let names = ((secretReader["rules"] as? [[String: Any]])?.first?["resourceNames"] as? [String]) ?? []
        #expect(names == ["db-password", "regcred", "smtp-credentials", "web-config"])
        let delete = try #require(answer["delete"] as? [[String: Any]])
        #expect(delete.contains { $0["kind"] as? String == "ClusterRoleBinding" && $0["name"] as? String == "dashboard-viewer" })
    }

    @Test("--verify: every key loses its unexpected readers, no other decision changes, exit 0")
    func verifyPasses() throws {
        let run = try CLI.run(["suggest", "--dump", Self.demo, "--verify"])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.hasPrefix("VERIFIED"))
        #expect(run.stdout.contains("other named decisions changed: 0"))
        let json = try Self.object(try CLI.run(["suggest", "--dump", Self.demo, "--verify", "-o", "json"]))
        #expect(json["verified"] as? Bool == true)
        let keys = try #require(json["keys"] as? [[String: Any]])
        #expect(keys.map { $0["after"] as? Int } == [0, 0])
        #expect(keys.map { $0["before"] as? Int } == [2, 2])
    }

    @Test("The -o yaml manifest read on top of the dump (what kubectl apply does before the deletions) ends the default account's read")
    func manifestAppliesOnTheDump() throws {
        let directory = try CLI.temporaryDirectory()
        let manifest = directory.appendingPathComponent("fix.yaml")
        let yaml = try CLI.run(["suggest", "--dump", Self.demo, "-o", "yaml"])
        #expect(yaml.status == 0)
        #expect(yaml.stdout.contains("app.kubernetes.io/managed-by: keyreach"))
        #expect(yaml.stdout.contains("# kubectl delete clusterrolebinding dashboard-viewer\n"))
        try yaml.stdout.write(to: manifest, atomically: true, encoding: .utf8)
        let before = try CLI.run(["can-i", "get", "secret/app-tls", "-n", "production", "--as", "system:serviceaccount:production:default",
                                  "--dump", Self.demo])
        let after = try CLI.run(["can-i", "get", "secret/app-tls", "-n", "production", "--as", "system:serviceaccount:production:default",
                                 "--dump", Self.demo, "--dump", manifest.path])
        let stillThere = try CLI.run(["can-i", "get", "secret/db-password", "-n", "production",
                                      "--as", "system:serviceaccount:production:default", "--dump", Self.demo, "--dump", manifest.path])
        #expect(before.status == 0)
        #expect(after.status == 1, "\(after.stdout) \(after.stderr)")
        #expect(stillThere.status == 0)
    }

    @Test("The table names each grant, worst first, with its change")
    func table() throws {
        let run = try CLI.run(["suggest", "--dump", Self.demo])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("3 findings (1 left for review) exposing 2 private keys"))
        #expect(run.stdout.contains("CRITICAL ClusterRoleBinding/dashboard-viewer#0/ServiceAccount/kubernetes-dashboard/kubernetes-dashboard"))
        #expect(run.stdout.contains("HIGH RoleBinding/production/read-secrets#0/ServiceAccount/production/default"))
        #expect(run.stdout.contains("the collection-wide list of secrets in every namespace goes"))
    }

    @Test("The help examples fit 80 columns and run")
    func helpExamples() throws {
        let help = try HelpExamplesCLITests.help(["suggest"])
        let examples = HelpExamplesCLITests.examples(help)
        #expect(examples.count == 4)
        for line in help.split(separator: "\n") where !line.hasPrefix("USAGE:") { #expect(line.count <= 80, "\(line)") }
        for example in examples {
            let arguments = example.split(separator: " ").dropFirst().map(String.init)
            let run = try CLI.run(arguments, in: CLI.root)
            #expect(run.status == 0, "\(example): \(run.stderr)")
        }
    }
}
