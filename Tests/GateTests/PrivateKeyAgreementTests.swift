import Exposure
import Foundation
import KeyreachKit
import KubeModel
import Queries
@testable import Store
import Testing
import TestSupport

/// The private-key tables are Exposure's inventory, stored: the named
/// queries over them return exactly what `keyreach exposure` reports, on
/// every fixture, the corpus and generated clusters.
@Suite struct PrivateKeyAgreementTests {
    /// (namespace, name, reasons) per key as `private-key-secrets` returns them.
    static func queriedKeys(_ workspace: Workspace) throws -> [String: [String]] {
        let query = try #require(NamedQueries.named("private-key-secrets"))
        let result = try workspace.run(query, parameters: [:])
        var keys: [String: [String]] = [:]
        for row in result.rows { keys["\(row[0] ?? "")/\(row[1] ?? "")", default: []].append(row[6] ?? "") }
        return keys
    }

    static func expectAgreement(_ workspace: Workspace, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let exposures = try workspace.exposures(namespace: nil, expectedHolders: ExpectedHolders())
        var expected: [String: [String]] = [:]
        for exposure in exposures {
            expected["\(exposure.key.secret.namespace)/\(exposure.key.secret.name)"] = exposure.key.reasons.map(\.description)
        }
        #expect(try queriedKeys(workspace) == expected, "\(label)", sourceLocation: sourceLocation)
        // Severity and reader counts: what private-key-readers reads.
        let readers = try workspace.run(try #require(NamedQueries.named("private-key-readers")), parameters: [:])
        let stored = Dictionary(uniqueKeysWithValues: readers.rows.map { ("\($0[0] ?? "")/\($0[1] ?? "")", [$0[3], $0[4], $0[5]]) })
        let computed = Dictionary(uniqueKeysWithValues: exposures.map {
            ("\($0.key.secret.namespace)/\($0.key.secret.name)", [$0.severity.rawValue, String($0.readers.count), String($0.expected.count)])
        })
        #expect(stored == computed, "\(label)", sourceLocation: sourceLocation)
    }

    @Test(arguments: Fixture.dumps) func everyFixture(_ name: String) throws {
        try Self.expectAgreement(try Fixture.workspace(name), name)
    }

    @Test func fixturesHoldKeysAtAll() throws {
        #expect(try Self.queriedKeys(try Fixture.workspace("demo/cluster.yaml")).count == 2)
        #expect(try Self.queriedKeys(try Fixture.workspace("query-cases.yaml")).keys.sorted()
                == ["shop/acme-key", "shop/legacy-key", "tools/tools-tls"])
    }

    /// The old SQL matched `*.key` case-sensitively; the inventory does not.
    @Test func aDataKeySpelledServerKEYIsAKeyForTheQueryToo() throws {
        var snapshot = ClusterSnapshot()
        snapshot.secrets = [Secret(meta: ObjectMeta(name: "legacy", namespace: "shop"), type: "Opaque",
                                   keys: [SecretKey(name: "Server.KEY", size: 4)])]
        let keys = try Self.queriedKeys(Workspace.inMemory(snapshot))
        #expect(keys == ["shop/legacy": ["data key Server.KEY"]])
    }

    @Test func theImportStoresTheInventoryInTheDatabase() throws {
        let directory = try Fixture.temporaryDirectory()
        let database = directory.appendingPathComponent("keyreach.db").path
        let outcome = try ImportPipeline.run(dumps: [Fixture.path("demo/cluster.yaml")], database: database, snapshot: "default")
        #expect(outcome.result.snapshot.secrets.count > 0)
        let store = try SnapshotStore(path: database)
        let keys = try #require(try store.loadPrivateKeys(snapshot: "default"))
        #expect(keys.map(\.name) == ["internal-ca-key", "app-tls"])
        #expect(keys.first { $0.name == "app-tls" }?.certificates.first?.notAfter == "2027-03-01T00:00:00Z")
        let workspace = try Workspace.open(SnapshotSource(database: database))
        try Self.expectAgreement(workspace, "imported demo")
    }

    @Test func aDatabaseWithoutTheInventoryGetsItOnOpen() throws {
        let directory = try Fixture.temporaryDirectory()
        let database = directory.appendingPathComponent("keyreach.db").path
        _ = try ImportPipeline.run(dumps: [Fixture.path("demo/cluster.yaml")], database: database, snapshot: "default")
        // As a database of keyreach before v3-private-keys would hold nothing in these tables.
        let store = try SnapshotStore(path: database)
        try store.dbQueue.write { db in
            try db.execute(sql: """
                DELETE FROM private_key_reason; DELETE FROM private_key_certificate;
                DELETE FROM private_key; DELETE FROM private_key_meta
                """)
        }
        #expect(try store.privateKeysVersion(snapshot: "default") == nil)
        let workspace = try Workspace.open(SnapshotSource(database: database))
        #expect(try store.loadPrivateKeys(snapshot: "default")?.count == 2)
        try Self.expectAgreement(workspace, "reopened")
    }

    @Test(SharedData.corpus.required) func everyCorpusFile() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: SharedData.corpus.directory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 5)
        for file in files {
            let workspace = try Workspace.open(SnapshotSource(dumps: [SharedData.corpus.file(file).path]))
            try Self.expectAgreement(workspace, file)
        }
    }

    /// Clusters from keyreach-gen: TLS secrets, Certificates, broad grants.
    @Test(arguments: [1, 7]) func generatedClusters(seed: Int) throws {
        let generator = try #require(Fixture.executable("keyreach-gen"), "keyreach-gen is not built beside the tests")
        let directory = try Fixture.temporaryDirectory()
        let dump = directory.appendingPathComponent("generated.json").path
        let run = try Fixture.run(generator, ["--namespaces", "12", "--seed", String(seed), "--format", "json", "--output", dump, "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let workspace = try Workspace.open(SnapshotSource(dumps: [dump]))
        #expect(try Self.queriedKeys(workspace).count > 5)
        try Self.expectAgreement(workspace, "generated seed \(seed)")
    }
}
