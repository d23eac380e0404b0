import Foundation
import Store
import Testing

/// `exposure --indirect` and `suggest --indirect` on fixtures/indirect/cluster.yaml,
/// whose one key production/app-tls is read directly by production/default only.
@Suite struct IndirectExposureCLITests {
    static let dump = CLI.fixture("indirect/cluster.yaml")

    /// `"User intern": ["impersonate", "impersonate", "createPods"]` from a key's `indirect` array.
    private func steps(_ readers: [[String: Any]]) -> [String: [String]] {
        var steps: [String: [String]] = [:]
        for reader in readers {
            let kind = reader["kind"] as? String ?? "?", name = reader["name"] as? String ?? "?"
            let key = (reader["namespace"] as? String).map { "\(kind) \($0)/\(name)" } ?? "\(kind) \(name)"
            steps[key] = (reader["chain"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
        }
        return steps
    }

    @Test func exposureListsTheChainsOfWhoCanPerKey() throws {
        let run = try CLI.run(["exposure", "--indirect", "--dump", Self.dump, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let keys = try #require(run.json as? [[String: Any]])
        let key = try #require(keys.first { $0["secret"].flatMap { $0 as? [String: Any] }?["name"] as? String == "app-tls" })
        let indirect = try #require(key["indirect"] as? [[String: Any]])
        // The same readers and steps as who-can --indirect of the secret (direct readers never among them).
        #expect(steps(indirect) == [
            "User dev": ["createPods"],
            "Group oncall": ["exec"],
            "ServiceAccount ci/deployer": ["readToken"],
            "User alice": ["impersonate", "createPods"],
            "User intern": ["impersonate", "impersonate", "createPods"],
        ])
        let readers = try #require(key["readers"] as? [[String: Any]])
        #expect(!indirect.contains { reader in readers.contains { $0["name"] as? String == reader["name"] as? String } })
        let dev = try #require(indirect.first { $0["name"] as? String == "dev" })
        #expect(dev["severity"] as? String == "medium" && dev["breadth"] as? String == "narrow")
        #expect(dev["findings"] as? [String] == ["RoleBinding/production/dev-pods#0/User/dev"])
        let last = try #require((dev["chain"] as? [[String: Any]])?.last)
        #expect(last["target"] as? [String: String] == ["kind": "Secret", "namespace": "production", "name": "app-tls"])
        #expect(key["indirectExpected"] as? [[String: Any]] != nil)
        // Without the flag, the contract is unchanged: no indirect fields.
        let plain = try #require(try CLI.run(["exposure", "--dump", Self.dump, "-o", "json"]).json as? [[String: Any]])
        #expect(plain.allSatisfy { $0["indirect"] == nil && $0["indirectExpected"] == nil })
    }

    @Test func exposureTableAndYAMLShowTheSameReaders() throws {
        let table = try CLI.run(["exposure", "--indirect", "--dump", Self.dump])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("can become a reader (indirect):"))
        #expect(table.stdout.contains("User intern"))
        #expect(table.stdout.contains("impersonate → User alice"))
        let yaml = try CLI.run(["exposure", "--indirect", "--dump", Self.dump, "-o", "yaml"])
        #expect(yaml.status == 0)
        #expect(yaml.stdout.contains("indirect:"))
        #expect(yaml.stdout.contains("step: readToken"))
    }

    @Test func suggestListsTheGrantsBehindTheChainsUnrewritten() throws {
        let run = try CLI.run(["suggest", "--indirect", "--dump", Self.dump, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let answer = try #require(run.json as? [String: Any])
        let findings = try #require(answer["indirectFindings"] as? [[String: Any]])
        #expect(Set(findings.compactMap { $0["id"] as? String }) == [
            "RoleBinding/production/dev-pods#0/User/dev",
            "ClusterRoleBinding/intern-as-alice#0/User/intern",
            "ClusterRoleBinding/alice-as-dev#0/User/alice",
            "RoleBinding/production/oncall-exec#0/Group/oncall",
            "RoleBinding/production/deployer-token#0/ServiceAccount/ci/deployer",
        ])
        let pods = try #require(findings.first { $0["id"] as? String == "RoleBinding/production/dev-pods#0/User/dev" })
        #expect(pods["steps"] as? [String] == ["createPods"])
        #expect((pods["keys"] as? [[String: Any]])?.map { $0["name"] as? String } == ["app-tls"])
        #expect((pods["reach"] as? [String: Any])?["readers"] as? Int == 3)
        #expect((pods["change"] as? [String: Any])?["kind"] as? String == "none")
        // Nothing is applied for them: the manifest is the one without --indirect.
        let plain = try #require(try CLI.run(["suggest", "--dump", Self.dump, "-o", "json"]).json as? [String: Any])
        #expect(plain["indirectFindings"] == nil)
        #expect((plain["apply"] as? [Any])?.count == (answer["apply"] as? [Any])?.count)
        let yaml = try CLI.run(["suggest", "--indirect", "--dump", Self.dump, "-o", "yaml"])
        #expect(yaml.stdout.contains("# high RoleBinding/production/dev-pods#0/User/dev (createPods): 1 private key"))
    }

    @Test func anImportedDatabaseAnswersFromItsStoredGraph() throws {
        let db = try CLI.temporaryDirectory().appendingPathComponent("keyreach.db").path
        #expect(try CLI.run(["import", "--indirect", Self.dump, "--db", db]).status == 0)
        // import --indirect stored the graph (v5-indirect-chains): edges and nodes, no chain per secret.
        let edges = try CLI.run(["sql", "SELECT count(*) AS n FROM indirect_edge WHERE step IS NOT NULL", "--db", db, "-o", "json"])
        #expect(edges.status == 0, "\(edges.stderr)")
        #expect(((edges.json as? [[String: Any]])?.first?["n"] as? Int ?? 0) > 0)
        for arguments in [["exposure", "--indirect", "-o", "json"], ["who-can", "get", "secrets", "-A", "--indirect", "-o", "json"],
                          ["suggest", "--indirect", "-o", "json"], ["exposure", "--indirect"]] {
            let fromDatabase = try CLI.run(arguments + ["--db", db])
            let fromDump = try CLI.run(arguments + ["--dump", Self.dump])
            #expect(fromDatabase.status == 0, "\(fromDatabase.stderr)")
            #expect(fromDatabase.stdout == fromDump.stdout, "\(arguments)")
        }
    }

    @Test func combinationsThatWouldDropTheChainsAreRefused() throws {
        let dot = try CLI.run(["exposure", "--indirect", "-o", "dot", "--dump", Self.dump])
        #expect(dot.status == 2)
        #expect(dot.stderr.contains("--indirect and -o dot"))
        let verify = try CLI.run(["suggest", "--indirect", "--verify", "--dump", Self.dump])
        #expect(verify.status == 2)
        #expect(verify.stderr.contains("--indirect and --verify"))
    }

    @Test func aDatabaseWithoutAStoredGraphBuildsAndStoresIt() throws {
        // A plain import stores no graph (nor does a database of an older keyreach, or
        // one whose derived tables were recomputed): the first --indirect question builds it.
        let db = try CLI.temporaryDirectory().appendingPathComponent("keyreach.db").path
        #expect(try CLI.run(["import", Self.dump, "--db", db]).status == 0)
        #expect(try SnapshotStore(path: db).loadIndirect(snapshot: "default") == nil)
        let arguments = ["exposure", "--indirect", "-o", "json"]
        let fromDatabase = try CLI.run(arguments + ["--db", db])
        #expect(fromDatabase.status == 0, "\(fromDatabase.stderr)")
        #expect(fromDatabase.stdout == (try CLI.run(arguments + ["--dump", Self.dump])).stdout)
        #expect(try SnapshotStore(path: db).loadIndirect(snapshot: "default") != nil)
    }
}
