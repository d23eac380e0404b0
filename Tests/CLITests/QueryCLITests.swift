import Foundation
import Testing

/// `keyreach query`: the named SQL of queries/, through the command line.
@Suite struct QueryCLITests {
    let demo = CLI.fixture("demo/cluster.yaml")

    @Test func listNamesEveryQueryWithItsParameters() throws {
        let run = try CLI.run(["query", "--list", "-o", "json"])
        #expect(run.status == 0)
        let queries = try #require(run.json as? [[String: Any]])
        let names = queries.compactMap { $0["name"] as? String }
        #expect(names.contains("who-can-secret"))
        #expect(names.contains("private-key-secrets"))
        let whoCan = try #require(queries.first { $0["name"] as? String == "who-can-secret" })
        let parameters = (whoCan["parameters"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(parameters == ["verb", "namespace", "name", "snapshot"])
    }

    @Test func whoCanSecretRowsNameTheRoleBinding() throws {
        let run = try CLI.run(["query", "who-can-secret", "--param", "verb=get", "--param", "namespace=production",
                               "--param", "name=app-tls", "--dump", demo, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try #require(run.json as? [[String: Any]])
        #expect(rows.contains { $0["name"] as? String == "default" && $0["binding_name"] as? String == "read-secrets" })
        #expect(!rows.contains { $0["namespace"] as? String == "kubernetes-dashboard" })
    }

    @Test func unknownQueriesAndParametersExitTwo() throws {
        let unknown = try CLI.run(["query", "nope", "--dump", demo])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("who-can-secret"))
        let missing = try CLI.run(["query", "who-can-secret", "--param", "verb=get", "--dump", demo])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("namespace"))
    }
}
