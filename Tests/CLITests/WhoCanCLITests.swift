import Foundation
import Testing

/// The demo story, through the command line, in both dump formats.
@Suite struct WhoCanCLITests {
    static let dumps = ["demo/cluster.yaml", "demo/cluster.json"]

    @Test(arguments: dumps)
    func defaultServiceAccountGetsTheIngressKeyThroughItsRoleBinding(dump: String) throws {
        let run = try CLI.run(["who-can", "get", "secret/app-tls", "-n", "production", "--dump", CLI.fixture(dump), "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let answer = try #require(run.json as? [String: Any])
        #expect(answer["verb"] as? String == "get")
        let secret = try #require(answer["secret"] as? [String: Any])
        #expect(secret["namespace"] as? String == "production")
        #expect(secret["name"] as? String == "app-tls")
        let names = subjectNames(answer)
        #expect(names.contains("ServiceAccount production/default"))
        #expect(names.contains("Group system:masters"))
        // The dashboard has list only: it is not a `get` reader.
        #expect(!names.contains("ServiceAccount kubernetes-dashboard/kubernetes-dashboard"))
        // The node runs no pod that references app-tls.
        #expect(!names.contains("Node node-1"))

        let subjects = try #require(answer["subjects"] as? [[String: Any]])
        let sa = try #require(subjects.first { $0["name"] as? String == "default" && $0["namespace"] as? String == "production" })
        let via = try #require((sa["via"] as? [[String: Any]])?.first)
        #expect((via["binding"] as? [String: Any])?["name"] as? String == "read-secrets")
        #expect((via["binding"] as? [String: Any])?["kind"] as? String == "RoleBinding")
        #expect((via["role"] as? [String: Any])?["kind"] as? String == "Role")
        #expect(via["rule"] as? Int == 0)
    }

    @Test func dashboardListsEverySecretThroughItsClusterRoleBinding() throws {
        let run = try CLI.run(["who-can", "list", "secret/app-tls", "-n", "production", "--dump", CLI.fixture("demo/cluster.yaml"), "-o", "json"])
        #expect(run.status == 0)
        let names = subjectNames(run.json)
        #expect(names.contains("ServiceAccount kubernetes-dashboard/kubernetes-dashboard"))
        // `get` on a Role does not grant list.
        #expect(!names.contains("ServiceAccount production/default"))
    }

    @Test func nodeReadsOnlyWhatItsPodsReference() throws {
        let run = try CLI.run(["who-can", "get", "secret/db-password", "-n", "production", "--dump", CLI.fixture("demo/cluster.yaml"), "-o", "json"])
        let names = subjectNames(run.json)
        #expect(names.contains("Node node-1"))
    }

    @Test func allNamespacesAnswersEveryNamespaceAsAnArray() throws {
        let run = try CLI.run(["who-can", "get", "secrets", "-A", "--dump", CLI.fixture("demo/cluster.json"), "-o", "json"])
        #expect(run.status == 0)
        let answers = try #require(run.json as? [[String: Any]])
        // The demo's secrets sit in cert-manager and production; no other namespace has a get grant.
        #expect(answers.compactMap { $0["namespace"] as? String } == ["cert-manager", "production"])
        let production = try #require(answers.last)
        #expect(subjectNames(production).contains("ServiceAccount production/default"))
        #expect(subjectNames(production).contains("Group system:masters"))
        // The kubelet reads only the secrets its pod references: by name, not the collection.
        let byName = try #require(production["byName"] as? [String: Any])
        #expect(subjectNames(["subjects": byName["db-password"] as Any]) == ["Node node-1"])
        #expect(byName["app-tls"] == nil)
    }

    @Test func aNamespaceWithoutSecretsStillGetsItsAnswer() throws {
        // list secrets in kube-system: the demo holds no secret there, yet the dashboard's
        // ClusterRoleBinding and system:masters can list them.
        let run = try CLI.run(["who-can", "list", "secrets", "-n", "kube-system", "--dump", CLI.fixture("demo/cluster.yaml"), "-o", "json"])
        #expect(run.status == 0)
        let answer = try #require(run.json as? [String: Any])
        #expect(answer["namespace"] as? String == "kube-system")
        #expect(subjectNames(answer).contains("Group system:masters"))
    }

    @Test func perSecretAnswersEverySecretAsAnArray() throws {
        let run = try CLI.run(["who-can", "get", "secrets", "-A", "--per-secret", "--dump", CLI.fixture("demo/cluster.json"), "-o", "json"])
        #expect(run.status == 0)
        let answers = try #require(run.json as? [[String: Any]])
        #expect(answers.count == 6)  // the demo's six secrets
        let keys = answers.map { a -> String in
            let s = a["secret"] as! [String: Any]
            return "\(s["namespace"]!)/\(s["name"]!)"
        }
        #expect(keys == keys.sorted())
        #expect(keys.contains("cert-manager/internal-ca-key"))
    }

    @Test func aMissingSecretIsAnsweredWithANote() throws {
        let run = try CLI.run(["who-can", "get", "secret/not-there", "-n", "production", "--dump", CLI.fixture("demo/cluster.yaml")])
        #expect(run.status == 0)
        #expect(run.stdout.contains("not in the dump"))
        #expect(run.stdout.contains("production/default"))  // RBAC on the name still applies
    }

    @Test func yamlOutputCarriesTheSameSubjects() throws {
        let run = try CLI.run(["who-can", "get", "secret/app-tls", "-n", "production", "--dump", CLI.fixture("demo/cluster.yaml"), "-o", "yaml"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("kind: ServiceAccount"))
        #expect(run.stdout.contains("superuser: true"))
    }

    @Test(arguments: [["who-can", "delete", "secret/x"], ["who-can", "get", "pods"], ["who-can", "get", "secret/x", "-A"]])
    func badArgumentsExitTwo(arguments: [String]) throws {
        let run = try CLI.run(arguments + ["--dump", CLI.fixture("demo/cluster.yaml")])
        #expect(run.status == 2)
        #expect(!run.stderr.isEmpty)
    }
}

@Suite struct CanICLITests {
    let demo = CLI.fixture("demo/cluster.yaml")

    @Test func yesExitsZeroAndNoExitsOne() throws {
        let yes = try CLI.run(["can-i", "get", "secret/app-tls", "-n", "production", "--as", "system:serviceaccount:production:default", "--dump", demo])
        #expect(yes.status == 0)
        #expect(yes.stdout == "yes\n")
        let no = try CLI.run(["can-i", "get", "secret/app-tls", "-n", "staging", "--as", "system:serviceaccount:production:default", "--dump", demo])
        #expect(no.status == 1)
        #expect(no.stdout == "no\n")
    }

    @Test func explicitGroupsReplaceTheServiceAccountGroups() throws {
        // The dashboard SA reads through its user name, so groups do not matter here;
        // a made-up user in group system:masters is a superuser.
        let run = try CLI.run(["can-i", "delete", "nodes", "--as", "someone", "--as-group", "system:masters", "--dump", demo])
        #expect(run.status == 0)
    }

    @Test func explainNamesTheBinding() throws {
        let run = try CLI.run(["can-i", "get", "secrets", "-n", "production", "--as", "system:serviceaccount:production:default", "--explain", "--dump", demo])
        #expect(run.status == 0)
        #expect(run.stdout.contains("RoleBinding production/read-secrets"))
    }
}
