import Foundation
import Testing

/// `can-i -q` (the exit status is the answer) and `can-i --list` (every rule
/// that applies to an identity in a namespace, as kubectl prints it).
@Suite struct CanIListCLITests {
    let demo = CLI.fixture("demo/cluster.yaml")
    static let productionDefault = "system:serviceaccount:production:default"
    static let dashboard = "system:serviceaccount:kubernetes-dashboard:kubernetes-dashboard"

    @Test func quietPrintsNothingAndAnswersWithTheExitStatus() throws {
        let yes = try CLI.run(["can-i", "get", "secret/app-tls", "-n", "production", "--as", Self.productionDefault, "-q", "--dump", demo])
        #expect(yes.status == 0, "\(yes.stderr)")
        #expect(yes.stdout.isEmpty)
        let no = try CLI.run(["can-i", "get", "secret/app-tls", "-n", "production", "--as", "jane", "--quiet", "--dump", demo])
        #expect(no.status == 1)
        #expect(no.stdout.isEmpty)
    }

    @Test func listPrintsKubectlsColumns() throws {
        // The Role bound in production grants get on secrets.
        let run = try CLI.run(["can-i", "--list", "-n", "production", "--as", Self.productionDefault, "--dump", demo])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.first == "Resources Non-Resource URLs Resource Names Verbs")
        #expect(lines.contains("secrets [] [] [get]"), "\(run.stdout)")
        // Elsewhere the RoleBinding does not apply.
        let elsewhere = try CLI.run(["can-i", "--list", "-n", "cert-manager", "--as", Self.productionDefault, "--dump", demo])
        #expect(!elsewhere.stdout.contains("secrets"), "\(elsewhere.stdout)")
    }

    @Test func listAgreesWithCanIForEveryListedRule() throws {
        // The dashboard's ClusterRoleBinding applies in every namespace and to -A.
        for scope in [["-n", "production"], ["-A"]] {
            let run = try CLI.run(["can-i", "--list", "--as", Self.dashboard, "-o", "json", "--dump", demo] + scope)
            #expect(run.status == 0, "\(run.stderr)")
            let answer = try #require(run.json as? [String: Any])
            #expect(answer["user"] as? String == Self.dashboard)
            let rules = try #require(answer["rules"] as? [[String: Any]])
            let secretRule = try #require(rules.first { ($0["resources"] as? [String]) == ["secrets"] })
            #expect(secretRule["verbs"] as? [String] == ["list"])
            #expect((secretRule["binding"] as? [String: Any])?["kind"] as? String == "ClusterRoleBinding")
            #expect(secretRule["rule"] as? Int == 0)
            let canI = try CLI.run(["can-i", "list", "secrets", "--as", Self.dashboard, "-q", "--dump", demo] + scope)
            #expect(canI.status == 0)
        }
    }

    @Test func listHonoursAsGroup() throws {
        let run = try CLI.run(["can-i", "--list", "--as", "jane", "--as-group", "system:masters", "-o", "json", "--dump", demo])
        #expect(run.status == 0, "\(run.stderr)")
        let answer = try #require(run.json as? [String: Any])
        #expect((answer["groups"] as? [String])?.contains("system:masters") == true)
        #expect(((answer["rules"] as? [[String: Any]])?.isEmpty) == false, "\(run.stdout)")
    }

    @Test(arguments: [
        ["can-i", "--list", "get", "secrets", "--as", "jane"],
        ["can-i", "--list", "--explain", "--as", "jane"],
        ["can-i", "get", "--as", "jane"],
        ["can-i", "get", "secrets", "-q", "--explain", "--as", "jane"],
    ])
    func misuseIsBadInput(arguments: [String]) throws {
        let run = try CLI.run(arguments + ["--dump", demo])
        #expect(run.status == 2, "\(run.stdout)")
    }
}
