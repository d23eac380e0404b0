import Foundation
import Testing
import TestSupport

/// Issue 17 through the CLI, on fixtures/copies/cluster.yaml: one wildcard key
/// held by four secrets (the source, a replicator push, a copy by hand, a
/// reflector mirror) shows once with its copies; a look-alike with its own key
/// pair stays a key of its own; `check` keeps a result per copy.
@Suite struct KeyCopiesCLITests {
    static let dump = CLI.fixture("copies/cluster.yaml")
    /// The fake key the fixture's tls.key values hold: never printed.
    static let fakeKey = "KEYREACH-FAKE-COPIES"

    static func keys(_ run: CLIRun) throws -> [[String: Any]] {
        try #require(run.json as? [[String: Any]], "not a JSON array: \(run.stdout.prefix(200))")
    }

    static func name(_ object: Any?) -> String {
        let o = object as? [String: Any] ?? [:]
        return "\(o["namespace"] ?? "?")/\(o["name"] ?? "?")"
    }

    @Test func exposureListsTheKeyOnceWithEveryCopy() throws {
        let run = try CLI.run(["exposure", "--dump", Self.dump, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let keys = try Self.keys(run)
        #expect(keys.map { Self.name($0["secret"]) } == ["shared/wildcard-example-com", "team-d/wildcard-example-com"])
        let copies = try #require(keys[0]["copies"] as? [[String: Any]])
        #expect(copies.map { "\(Self.name($0)) \($0["via"] ?? "?") \(($0["exists"] as? Bool).map(String.init) ?? "?") from \(Self.name($0["source"]))" } == [
            "team-a/wildcard-example-com replicator annotation false from shared/wildcard-example-com",
            "team-b/wildcard-by-hand same public key true from shared/wildcard-example-com",
            "team-c/wildcard-mirror reflector annotation true from shared/wildcard-example-com",
        ])
        // The look-alike (same name, same subject, another key pair) has no copies.
        #expect((keys[1]["copies"] as? [Any])?.isEmpty == true)
        // The worst copy decides: the team-a copy is readable by everyone.
        #expect(keys[0]["severity"] as? String == "critical")
        let readers = try #require(keys[0]["readers"] as? [[String: Any]])
        let copiesRead = Dictionary(uniqueKeysWithValues: readers.map {
            ("\($0["kind"] ?? "?") \($0["name"] ?? "?")", ($0["copies"] as? [Any] ?? []).map(Self.name))
        })
        #expect(copiesRead == ["Group system:authenticated": ["team-a/wildcard-example-com"],
                               "User ops": ["shared/wildcard-example-com", "team-b/wildcard-by-hand"]])
        let broader = try #require((keys[0]["broaderCopies"] as? [[String: Any]])?.first)
        #expect(Self.name(broader["copy"]) == "team-a/wildcard-example-com")
        #expect(broader["severity"] as? String == "critical")
        #expect(!run.stdout.contains(Self.fakeKey))
    }

    @Test func aNamespaceScopeShowsTheWholeKeyOfACopyInIt() throws {
        let run = try CLI.run(["exposure", "--dump", Self.dump, "-n", "team-b", "-o", "json"])
        let keys = try Self.keys(run)
        #expect(keys.map { Self.name($0["secret"]) } == ["shared/wildcard-example-com"])
        #expect((keys.first?["copies"] as? [Any])?.count == 3)
    }

    @Test func tableAndYAMLShowTheCopiesAndTheFinding() throws {
        let table = try CLI.run(["exposure", "--dump", Self.dump])
        #expect(table.stdout.contains("copies: 3 (1 same public key, 1 replicator annotation, 1 reflector annotation)"))
        #expect(table.stdout.contains("finding: replicator annotation copies shared/wildcard-example-com into team-a/wildcard-example-com"))
        #expect(table.stdout.contains("reads 2 of 4 copies: shared/wildcard-example-com, team-b/wildcard-by-hand"))
        let yaml = try CLI.run(["exposure", "--dump", Self.dump, "-o", "yaml"])
        #expect(yaml.stdout.contains("via: reflector annotation"))
        #expect(yaml.stdout.contains("broaderCopies:"))
        #expect(!table.stdout.contains(Self.fakeKey) && !yaml.stdout.contains(Self.fakeKey))
    }

    @Test func checkKeepsAResultForEveryCopyThatIsRead() throws {
        let run = try CLI.run(["check", "--dump", Self.dump, "-o", "sarif"])
        #expect(run.status == 1, "the team-a copy is readable by everyone: \(run.stderr)")
        let sarif = try #require(run.json as? [String: Any])
        let results = ((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        let messages = results.compactMap { ($0["message"] as? [String: Any])?["text"] as? String }
        #expect(messages.contains { $0.hasPrefix("Group system:authenticated can get private key secret team-a/wildcard-example-com") })
        #expect(messages.contains { $0.hasPrefix("User ops can get private key secret team-b/wildcard-by-hand") })
    }

    @Test func theHTMLReportListsTheKeyOnceWithItsCopies() throws {
        let folder = try TemporaryFolder.make([:])
        let page = folder.appendingPathComponent("report.html")
        #expect(try CLI.run(["report", "--dump", Self.dump, "--html", page.path]).status == 0)
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("Copies of this key (3)"))
        #expect(html.contains("team-b/wildcard-by-hand (same public key)"))
        #expect(html.contains("replicator annotation copies shared/wildcard-example-com into team-a/wildcard-example-com"))
        #expect(!html.contains(Self.fakeKey))
    }

    @Test func theDatabaseKeepsTheKeyIdentityAndAnswersAlike() throws {
        let folder = try TemporaryFolder.make([:])
        let db = folder.appendingPathComponent("keyreach.db").path
        #expect(try CLI.run(["import", Self.dump, "--db", db]).status == 0)
        let fromDB = try CLI.run(["exposure", "--db", db, "-o", "json"])
        let fromDump = try CLI.run(["exposure", "--dump", Self.dump, "-o", "json"])
        #expect(fromDB.stdout == fromDump.stdout)
        let sql = try CLI.run(["sql", "--db", db, "-o", "json",
                               "SELECT namespace, name, key_id, copy_via FROM private_key ORDER BY namespace, name"])
        let rows = try #require(sql.json as? [[String: Any]], "\(sql.stderr)")
        #expect(rows.map { "\($0["namespace"] ?? "")/\($0["name"] ?? "") \($0["key_id"] ?? "") \($0["copy_via"] as? String ?? "-")" } == [
            "shared/wildcard-example-com shared/wildcard-example-com -",
            "team-a/wildcard-example-com shared/wildcard-example-com replicator annotation",
            "team-b/wildcard-by-hand shared/wildcard-example-com same public key",
            "team-c/wildcard-mirror shared/wildcard-example-com reflector annotation",
            "team-d/wildcard-example-com team-d/wildcard-example-com -",
        ])
        let hashes = try CLI.run(["sql", "--db", db, "-o", "json",
                                  "SELECT DISTINCT public_key_sha256 FROM private_key_certificate ORDER BY 1"])
        #expect((hashes.json as? [[String: Any]])?.count == 2)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: db))
        #expect(bytes.range(of: Data(Self.fakeKey.utf8)) == nil)
    }
}
