import Foundation
import Testing

/// `keyreach import`: what lands in the database, what never does, and what
/// a failed or killed import leaves behind.
@Suite struct ImportCLITests {
    /// Every fake value of the demo fixture (fixtures/README.md), decoded and
    /// as base64: none may appear in any byte of the database files.
    static let markers = [
        "KEYREACH-FAKE-WEB-CONFIG-API-KEY-5b21", "KEYREACH-FAKE-DB-PASSWORD-CURRENT-7f3a",
        "KEYREACH-FAKE-DB-USERNAME-1d4e", "KEYREACH-FAKE-DB-PASSWORD-LAST-APPLIED-2c91",
        "KEYREACH-FAKE-SMTP-USER-80b7", "KEYREACH-FAKE-SMTP-PASSWORD-9e0c", "KEYREACH-FAKE-REGISTRY-PASSWORD-44af",
        "KEYREACH-FAKE", "S0VZUkVBQ0gtRkFLRS", "kubectl.kubernetes.io/last-applied-configuration",
        // Lines of the two private keys' PEM bodies.
        "7JKgxePGb4pVgAfRQTp643YwgvOwyOcD3UIIYLWOxxWPOsfWsJGJohHrBX3F7DBA",
        "TQ60IOmw9mmpkgAQIKL8y6cUZhyhRANCAATsNq7rsalpdYnNF1bAqiGNZCIq/cX3",
    ]

    /// The bytes of the database and of its WAL and shared-memory files.
    static func databaseBytes(_ db: URL) -> [Data] {
        ["", "-wal", "-shm", "-journal"].compactMap { try? Data(contentsOf: URL(fileURLWithPath: db.path + $0)) }
    }

    @Test(arguments: ["demo/cluster.yaml", "demo/cluster.json"])
    func noSecretValueReachesTheDatabaseFiles(dump: String) throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("k.db")
        let run = try CLI.run(["import", CLI.fixture(dump), "--db", db.path])
        #expect(run.status == 0, "\(run.stderr)")
        let files = Self.databaseBytes(db)
        #expect(!files.isEmpty)
        for marker in Self.markers {
            for bytes in files {
                #expect(bytes.range(of: Data(marker.utf8)) == nil, "\(marker) leaked into the database")
            }
        }
        // What stays: key names and the public certificate's subject.
        let all = files.reduce(Data(), +)
        #expect(all.range(of: Data("tls.key".utf8)) != nil)
        #expect(all.range(of: Data("BEGIN CERTIFICATE".utf8)) != nil)
    }

    @Test func theDatabaseIsReadableByItsOwnerOnly() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("k.db")
        try CLI.run(["import", CLI.fixture("demo/cluster.yaml"), "--db", db.path])
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: db.path + suffix) {
            let mode = try FileManager.default.attributesOfItem(atPath: db.path + suffix)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(suffix) has mode \(String(mode ?? 0, radix: 8))")
        }
    }

    @Test func importPrintsCountsPerKindAndSkippedKinds() throws {
        let dir = try CLI.temporaryDirectory()
        let run = try CLI.run(["import", CLI.fixture("demo/cluster.yaml"), "--db", dir.appendingPathComponent("k.db").path, "-o", "json"])
        let summary = try #require(run.json as? [String: Any])
        let stored = try #require(summary["stored"] as? [String: Int])
        #expect(stored["Secret"] == 6)
        #expect(stored["ClusterRoleBinding"] == 4)
        #expect(stored["Deployment"] == 3)
        #expect(stored["Service"] == 1)
        #expect((summary["skipped"] as? [String: Int])?["Service"] == nil)
    }

    @Test func readCommandsUseTheImportedDatabase() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("k.db").path
        try CLI.run(["import", CLI.fixture("demo/cluster.yaml"), "--db", db])
        let run = try CLI.run(["who-can", "get", "secret/app-tls", "-n", "production", "--db", db, "-o", "json"])
        #expect(subjectNames(run.json).contains("ServiceAccount production/default"))
        let missing = try CLI.run(["who-can", "get", "secret/app-tls", "--db", dir.appendingPathComponent("none.db").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("keyreach import"))
    }

    @Test func stdinIsADumpSource() throws {
        let dir = try CLI.temporaryDirectory()
        let yaml = try Data(contentsOf: URL(fileURLWithPath: CLI.fixture("demo/cluster.yaml")))
        let run = try CLI.run(["import", "-", "--db", dir.appendingPathComponent("k.db").path, "-o", "json"], stdin: yaml)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(((run.json as? [String: Any])?["stored"] as? [String: Int])?["Secret"] == 6)
    }

    /// Each bad-input class: exit 2, a message naming the file (and line
    /// where there is one), and the database exactly as it was.
    @Test(arguments: [
        ("bad/truncated.json", ":19:"), ("bad/malformed.yaml", ":14:"), ("bad/binary.yaml", "binary"),
        ("bad/no-kind.yaml", ":"), ("bad/no-name.yaml", ":8:"), ("bad/not-kubernetes.yaml", ":"),
        ("bad/alias-bomb.yaml", ":"), ("bad/deep-nesting.json", ":"),
        // Found by fuzz/run (FuzzYAML): an alias bomb mutated to expand just past the node limit.
        ("bad/fuzz-alias-bomb-variant.yaml", ":25:"),
        // Found by fuzz/run (FuzzJSON, a SEGV under the sanitizer and a hang without): a List
        // item whose tape held an unrecorded container end; the walk now stops, never loops.
        ("bad/fuzz-unclosed-item.json", ":162:"), ("bad/fuzz-unclosed-item.yaml", ":35:"),
    ])
    func badInputExitsTwoAndLeavesTheDatabaseUnchanged(file: String, expected: String) throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("k.db").path
        try CLI.run(["import", CLI.fixture("demo/cluster.yaml"), "--db", db])
        let before = try CLI.run(["who-can", "get", "secrets", "-A", "--db", db, "-o", "json"]).stdout

        let run = try CLI.run(["import", CLI.fixture(file), "--db", db])
        #expect(run.status == 2)
        let name = (file as NSString).lastPathComponent
        #expect(run.stderr.contains(name), "message must name the file: \(run.stderr)")
        #expect(run.stderr.contains(expected), "message: \(run.stderr)")

        let after = try CLI.run(["who-can", "get", "secrets", "-A", "--db", db, "-o", "json"]).stdout
        #expect(after == before)
    }
}
