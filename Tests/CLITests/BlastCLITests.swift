import Foundation
import Testing

/// `keyreach blast` on fixtures/blast/cluster.yaml, whose header lists what each start reaches.
@Suite struct BlastCLITests {
    static let dump = CLI.fixture("blast/cluster.yaml")

    private func blast(_ arguments: [String]) throws -> (status: Int32, answer: [String: Any]) {
        let run = try CLI.run(["blast"] + arguments + ["--dump", Self.dump, "-o", "json"])
        return (run.status, try #require(run.json as? [String: Any], "\(run.stdout) \(run.stderr)"))
    }

    /// `"production/app-tls": ["createPods"]`: each key reached and its chain's steps.
    private func chains(_ answer: [String: Any]) -> [String: [String]] {
        var chains: [String: [String]] = [:]
        for key in answer["keys"] as? [[String: Any]] ?? [] {
            let secret = key["secret"] as? [String: Any] ?? [:]
            let name = "\(secret["namespace"] as? String ?? "?")/\(secret["name"] as? String ?? "?")"
            chains[name] = (key["chain"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String }
        }
        return chains
    }

    @Test func aPodIsItsServiceAccountAndWhatItMounts() throws {
        let (status, answer) = try blast(["pod/web", "-n", "production"])
        #expect(status == 1)
        #expect(chains(answer) == ["production/app-tls": [], "production/billing-tls": []])
        #expect(answer["authenticatesAs"] as? [[String: String]] == [["kind": "ServiceAccount", "namespace": "production", "name": "default"]])
        #expect(answer["node"] as? String == "node-1")
        let keys = try #require(answer["keys"] as? [[String: Any]])
        #expect(keys.first?["mountedBy"] as? [String: String] == ["kind": "Pod", "namespace": "production", "name": "web"])
        let quiet = try blast(["pod/api-0", "-n", "production"])
        #expect(quiet.status == 0)
        #expect((quiet.answer["keys"] as? [Any])?.isEmpty == true)
    }

    @Test func aServiceAccountThroughATokenSecret() throws {
        let (status, answer) = try blast(["sa/deployer", "-n", "ci"])
        #expect(status == 1)
        #expect(chains(answer) == ["production/app-tls": ["readToken"], "production/billing-tls": ["readToken"]])
        let key = try #require((answer["keys"] as? [[String: Any]])?.first)
        #expect((key["reader"] as? [String: Any])?["name"] as? String == "default")
    }

    @Test func aUserNamedAsAServiceAccountIsThatServiceAccount() throws {
        let asUser = try CLI.run(["blast", "user/system:serviceaccount:ci:deployer", "--dump", Self.dump, "-o", "json"])
        let asAccount = try CLI.run(["blast", "sa/deployer", "-n", "ci", "--dump", Self.dump, "-o", "json"])
        #expect(asUser.status == 1 && asUser.stdout == asAccount.stdout)
    }

    @Test func aUserThroughPodCreation() throws {
        let (status, answer) = try blast(["user/dev"])
        #expect(status == 1)
        #expect(chains(answer) == ["production/app-tls": ["createPods"], "production/billing-tls": ["createPods"]])
        let step = try #require(((answer["keys"] as? [[String: Any]])?.first?["chain"] as? [[String: Any]])?.first)
        #expect(step["through"] as? [String: String] == ["kind": "Namespace", "name": "production"])
        #expect((step["via"] as? [String: Any])?["rule"] as? Int == 0)
    }

    @Test func aGroupThroughExec() throws {
        let (status, answer) = try blast(["group/oncall"])
        #expect(status == 1)
        #expect(chains(answer) == ["production/app-tls": ["exec"], "production/billing-tls": ["exec"]])
    }

    @Test func aNodeThroughTheNodeAuthorizer() throws {
        let (status, answer) = try blast(["node/node-2"])
        #expect(status == 1)
        #expect(chains(answer) == ["tools/backup-ssh": []])
        let reader = try #require((answer["keys"] as? [[String: Any]])?.first?["reader"] as? [String: Any])
        #expect((reader["via"] as? [[String: Any]])?.first?["source"] as? String == "volume")
    }

    @Test func rotationOrderAndRemediationInJSON() throws {
        let (_, answer) = try blast(["serviceaccount/cert-manager", "-n", "cert-manager"])
        let rotation = try #require(answer["rotation"] as? [[String: Any]])
        #expect(rotation.compactMap { ($0["secret"] as? [String: String])?["name"] } == [
            "internal-ca-key", "app-tls", "billing-tls", "letsencrypt-account", "backup-ssh", "legacy-tls",
        ])
        #expect(rotation[1]["signedBy"] as? [String: String] == ["namespace": "cert-manager", "name": "internal-ca-key"])
        let remediation = try #require(rotation[1]["remediation"] as? [String: Any])
        #expect(remediation["by"] as? String == "cert-manager")
        #expect(remediation["commands"] as? [String] == ["cmctl renew app -n production", "kubectl delete secret app-tls -n production"])
        let groups = try #require(answer["impersonates"] as? [String: Any])
        #expect((groups["certificateAuthorities"] as? [[String: String]])?.map { $0["name"] } == ["internal-ca-key"])
    }

    @Test func kubectlSpellingsAnswerAlike() throws {
        let reference = try CLI.run(["blast", "pod/web", "-n", "production", "--dump", Self.dump, "-o", "json"])
        for spelling in [["po/web", "-nproduction"], ["pods", "web", "-n", "production"], ["Pod/web", "--namespace=production"]] {
            let run = try CLI.run(["blast"] + spelling + ["--dump", Self.dump, "-ojson"])
            #expect(run.stdout == reference.stdout, "\(spelling): \(run.stderr)")
        }
    }

    @Test func aDatabaseAnswersAsTheDump() throws {
        let db = try CLI.temporaryDirectory().appendingPathComponent("keyreach.db").path
        #expect(try CLI.run(["import", Self.dump, "--db", db]).status == 0)
        for format in ["json", "yaml", "table"] {
            let arguments = ["blast", "sa/cert-manager", "-n", "cert-manager", "-o", format]
            let fromDatabase = try CLI.run(arguments + ["--db", db])
            #expect(fromDatabase.status == 1, "\(fromDatabase.stderr)")
            #expect(fromDatabase.stdout == (try CLI.run(arguments + ["--dump", Self.dump])).stdout)
        }
    }

    @Test func badInputExitsTwoAndSaysWhatWasMeant() throws {
        let typo = try CLI.run(["blast", "pod/wbe", "-n", "production", "--dump", Self.dump])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("no Pod production/wbe") && typo.stderr.contains("did you mean pod/web?"))
        let wrongNamespace = try CLI.run(["blast", "pod/web", "--dump", Self.dump])
        #expect(wrongNamespace.status == 2 && wrongNamespace.stderr.contains("namespace production"))
        let unknownUser = try CLI.run(["blast", "user/deb", "--dump", Self.dump])
        #expect(unknownUser.status == 2 && unknownUser.stderr.contains("did you mean user/dev?"))
        for arguments in [["deployment/web"], ["web"], ["user/dev", "-n", "production"], ["pod/"], ["pod/web", "-o", "csv"]] {
            let run = try CLI.run(["blast"] + arguments + ["--dump", Self.dump])
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
        }
    }

    @Test func noSecretValueIsEverPrinted() throws {
        let markers = ["KEYREACH-FAKE-ACME-ACCOUNT-KEY-3e1a", "KEYREACH-FAKE-BLAST-DB-PASSWORD-9c4d", "KEYREACH-FAKE-BLAST-SA-TOKEN-51f0",
                       "KEYREACH-FAKE-BLAST-SSH-KEY-7a2b", "KEYREACH-FAKE-BLAST-LEGACY-KEY-0d6e"]
        let encoded = markers.map { Data($0.utf8).base64EncodedString() }
        for start in [["sa/cert-manager", "-n", "cert-manager"], ["node/node-1"], ["pod/api-0", "-n", "production"]] {
            for format in ["table", "json", "yaml"] {
                let run = try CLI.run(["blast"] + start + ["--dump", Self.dump, "-o", format])
                for marker in markers + encoded {
                    #expect(!run.stdout.contains(marker) && !run.stderr.contains(marker), "\(start) -o \(format) printed \(marker)")
                }
            }
        }
    }

    @Test func theTableSaysWhatToRotateFirst() throws {
        let run = try CLI.run(["blast", "sa/cert-manager", "-n", "cert-manager", "--dump", Self.dump])
        #expect(run.status == 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let first = try #require(lines.firstIndex { $0.hasPrefix("1  cert-manager/internal-ca-key") })
        #expect(lines[first + 1].hasPrefix("2  production/app-tls") && lines[first + 1].hasSuffix("cmctl renew app -n production"))
        #expect(run.stdout.contains("ask SealedSecret tools/backup-ssh"))
    }
}
