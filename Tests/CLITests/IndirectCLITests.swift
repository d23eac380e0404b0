import Foundation
import Testing

/// `who-can --indirect` on fixtures/indirect/cluster.yaml, whose header lists the expected chains.
@Suite struct IndirectCLITests {
    static let dump = CLI.fixture("indirect/cluster.yaml")

    /// `"User intern": ["impersonate", "impersonate", "createPods"]` from an `indirect` array.
    private func steps(_ answer: [String: Any]) throws -> [String: [String]] {
        let indirect = try #require(answer["indirect"] as? [[String: Any]])
        var steps: [String: [String]] = [:]
        for reader in indirect {
            let kind = reader["kind"] as? String ?? "?", name = reader["name"] as? String ?? "?"
            let key = (reader["namespace"] as? String).map { "\(kind) \($0)/\(name)" } ?? "\(kind) \(name)"
            steps[key] = (reader["chain"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
        }
        return steps
    }

    @Test func oneSecretListsChainsBesideSubjects() throws {
        let run = try CLI.run(["who-can", "get", "secret/app-tls", "-n", "production", "--indirect", "--dump", Self.dump, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let answer = try #require(run.json as? [String: Any])
        #expect(subjectNames(answer) == ["Group system:masters", "ServiceAccount production/default"])
        #expect(try steps(answer) == [
            "User dev": ["createPods"],
            "Group oncall": ["exec"],
            "ServiceAccount ci/deployer": ["readToken"],
            "User alice": ["impersonate", "createPods"],
            "User intern": ["impersonate", "impersonate", "createPods"],
        ])
        let indirect = try #require(answer["indirect"] as? [[String: Any]])
        let oncall = try #require(indirect.first { $0["name"] as? String == "oncall" })
        let step = try #require((oncall["chain"] as? [[String: Any]])?.first)
        #expect(step["target"] as? [String: String] == ["kind": "ServiceAccount", "namespace": "production", "name": "default"])
        #expect(step["through"] as? [String: String] == ["kind": "Pod", "namespace": "production", "name": "web"])
        let via = try #require(step["via"] as? [String: Any])
        #expect((via["binding"] as? [String: Any])?["name"] as? String == "oncall-exec")
        #expect(via["rule"] as? Int == 0)
    }

    @Test func anImportedDatabaseAnswersTheSame() throws {
        let db = try CLI.temporaryDirectory().appendingPathComponent("keyreach.db").path
        #expect(try CLI.run(["import", Self.dump, "--db", db]).status == 0)
        let arguments = ["who-can", "get", "secret/app-tls", "-n", "production", "--indirect", "-o", "json"]
        let fromDatabase = try CLI.run(arguments + ["--db", db])
        let fromDump = try CLI.run(arguments + ["--dump", Self.dump])
        #expect(fromDatabase.status == 0, "\(fromDatabase.stderr)")
        #expect(try steps(#require(fromDatabase.json as? [String: Any])).count == 5)
        #expect(fromDatabase.stdout == fromDump.stdout)
    }

    @Test func withoutTheFlagThereIsNoIndirectField() throws {
        let run = try CLI.run(["who-can", "get", "secret/app-tls", "-n", "production", "--dump", Self.dump, "-o", "json"])
        let answer = try #require(run.json as? [String: Any])
        #expect(answer["indirect"] == nil)
    }

    @Test func everyNamespaceCarriesItsOwn() throws {
        let run = try CLI.run(["who-can", "get", "secrets", "-A", "--indirect", "--dump", Self.dump, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let answers = try #require(run.json as? [[String: Any]])
        let production = try #require(answers.first { $0["namespace"] as? String == "production" })
        // The token reader reads by name only: for the collection it becomes default through the token.
        #expect(try steps(production)["User dev"] == ["createPods"])
        #expect(try steps(production)["ServiceAccount ci/deployer"] == ["readToken"])
        #expect(try steps(production)["User viewer"] == nil)
        #expect(try steps(production)["ServiceAccount production/default"] == nil)
    }

    @Test func tableNamesEachStep() throws {
        let run = try CLI.run(["who-can", "get", "secret/app-tls", "-n", "production", "--indirect", "--dump", Self.dump])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Who can become a reader (indirect):"))
        #expect(run.stdout.contains("through Pod production/web"))
        #expect(!run.stdout.contains("viewer"))
    }

    @Test func perSecretAnswersCarryTheChainsOfEachSecret() throws {
        let run = try CLI.run(["who-can", "get", "secrets", "-n", "production", "--per-secret", "--indirect",
                               "--dump", Self.dump, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let answers = try #require(run.json as? [[String: Any]])
        let tls = try #require(answers.first { ($0["secret"] as? [String: Any])?["name"] as? String == "app-tls" })
        #expect(try steps(tls)["User intern"] == ["impersonate", "impersonate", "createPods"])
        // The token reader reads default-token directly: never indirect for it.
        let token = try #require(answers.first { ($0["secret"] as? [String: Any])?["name"] as? String == "default-token" })
        #expect(subjectNames(token).contains("ServiceAccount ci/deployer"))
        #expect(try steps(token)["ServiceAccount ci/deployer"] == nil)
    }
}
