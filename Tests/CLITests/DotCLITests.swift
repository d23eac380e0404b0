import Foundation
import Testing

/// `-o dot`: the paths to a key as a Graphviz graph.
@Suite struct DotCLITests {
    @Test func whoCanDrawsEveryPathToTheSecret() throws {
        let run = try CLI.run(["who-can", "get", "secret/app-tls", "-n", "production", "--dump", CLI.fixture("demo/cluster.yaml"), "-o", "dot"])
        #expect(run.status == 0, "\(run.stderr)")
        let dot = run.stdout
        #expect(dot.hasPrefix("digraph \"who-can get production/app-tls\" {"))
        #expect(dot.hasSuffix("}\n"))
        for label in ["ServiceAccount production/default", "RoleBinding production/read-secrets", "Role production/secret-reader",
                      "Role production/secret-reader rule 0", "Secret production/app-tls", "Group system:masters (superuser)"] {
            #expect(dot.contains("[label=\"\(label)\""), "no node \(label)")
        }
        // One secret node, every edge once.
        let lines = dot.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.contains("label=\"Secret ") }.count == 1)
        let edges = lines.filter { $0.contains(" -> ") }
        #expect(Set(edges).count == edges.count)
    }

    @Test func exposureDrawsTheUnexpectedReadersOfANamespace() throws {
        let run = try CLI.run(["exposure", "-n", "production", "--dump", CLI.fixture("demo/cluster.yaml"), "-o", "dot"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("[label=\"ServiceAccount production/default\""))
        #expect(run.stdout.contains("[label=\"ClusterRoleBinding dashboard-viewer\""))
        // Expected holders are not findings: not drawn.
        #expect(!run.stdout.contains("ingress-nginx/ingress-nginx\""))
    }

    @Test func dotIsRefusedWhereItDrawsNothing() throws {
        let all = try CLI.run(["who-can", "get", "secrets", "-n", "production", "--dump", CLI.fixture("demo/cluster.yaml"), "-o", "dot"])
        #expect(all.status == 2)
        #expect(all.stderr.contains("secret/NAME"), "\(all.stderr)")
        let suggest = try CLI.run(["suggest", "--dump", CLI.fixture("demo/cluster.yaml"), "-o", "dot"])
        #expect(suggest.status == 2)
    }
}
