import Foundation
import Testing

/// `keyreach tls`: the JSON contract of DESIGN.md "Where TLS ends", the same
/// answer from a dump and from an imported database, and the controllers.
@Suite struct TLSCLITests {
    @Test func demoClusterJSONShape() throws {
        let run = try CLI.run(["tls", "--dump", CLI.fixture("demo/cluster.yaml"), "-o", "json"])
        #expect(run.status == 0)
        let routes = try #require(run.json as? [[String: Any]])
        #expect(routes.count == 1)
        let route = routes[0]
        let ingress = try #require(route["ingress"] as? [String: Any])
        #expect(ingress["kind"] as? String == "Ingress" && ingress["namespace"] as? String == "production" && ingress["name"] as? String == "web")
        #expect(route["host"] as? String == "app.example.com")
        let secret = try #require(route["secret"] as? [String: Any])
        #expect(secret["name"] as? String == "app-tls" && secret["exists"] as? Bool == true)
        #expect(route["pattern"] as? String == "edge")
        #expect(route["backendEncrypted"] as? Bool == false)
        #expect(route["backendVerified"] as? Bool == false)
        #expect(route["mesh"] is NSNull)
        #expect((route["findings"] as? [Any])?.isEmpty == true)
        #expect((route["certificate"] as? [String: Any])?["notAfter"] as? String == "2027-03-01T00:00:00Z")
    }

    @Test func findingsCarryAnnotationValueSeverityProblemAndFix() throws {
        let run = try CLI.run(["tls", "--dump", CLI.fixture("tls/reencrypt.yaml"), "-n", "bank", "-o", "json"])
        let routes = try #require(run.json as? [[String: Any]])
        let unverified = try #require(routes.first { $0["host"] as? String == "www.example.com" })
        let finding = try #require((unverified["findings"] as? [[String: Any]])?.first)
        #expect(finding["annotation"] as? String == "nginx.ingress.kubernetes.io/proxy-ssl-verify")
        #expect(finding["value"] as? String == "off")
        #expect(finding["severity"] as? String == "high")
        #expect((finding["fix"] as? String)?.isEmpty == false)
        #expect(unverified["pattern"] as? String == "reencrypt")
    }

    @Test func theAnswerSurvivesImport() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("k.db").path
        for file in ["tls/key-sources.yaml", "tls/mesh.yaml"] {
            let fromDump = try CLI.run(["tls", "--dump", CLI.fixture(file), "-o", "json"])
            let imported = try CLI.run(["import", CLI.fixture(file), "--db", db, "--snapshot", file])
            #expect(imported.status == 0)
            let fromDatabase = try CLI.run(["tls", "--db", db, "--snapshot", file, "-o", "json"])
            #expect(fromDatabase.stdout == fromDump.stdout)
            #expect(fromDump.stdout.contains("\"pattern\""))
        }
    }

    @Test func controllersFlagPrintsTheControllersAndTheirSecretAccess() throws {
        let run = try CLI.run(["tls", "--controllers", "--dump", CLI.fixture("tls/passthrough.yaml"), "-o", "json"])
        let controllers = try #require(run.json as? [[String: Any]])
        #expect(controllers.map { $0["controller"] as? String } == ["ingress-nginx"])
        #expect(controllers[0]["sslPassthrough"] as? Bool == true)
        let access = try #require(controllers[0]["secretAccess"] as? [[String: Any]])
        #expect(access.map { $0["verb"] as? String } == ["list", "watch"])
        #expect(access.allSatisfy { $0["namespace"] as? String == "*" })
    }

    @Test func tableNamesThePatternAndTheHop() throws {
        let run = try CLI.run(["tls", "--dump", CLI.fixture("tls/mesh.yaml")])
        #expect(run.stdout.contains("encrypted, verified"))
        #expect(run.stdout.contains("istio STRICT"))
        #expect(run.stdout.contains("Ingress controllers:"))
    }
}

extension TLSCLITests {
    /// The README's `tls` table is what the command prints on the demo cluster.
    @Test func readmeShowsTheDemoTableAsPrinted() throws {
        let readme = try String(contentsOf: CLI.root.appendingPathComponent("README.md"), encoding: .utf8)
        let run = try CLI.run(["tls", "--dump", CLI.fixture("demo/cluster.yaml")])
        #expect(run.status == 0)
        #expect(readme.contains("```\n" + run.stdout + "```\n"))
    }
}
