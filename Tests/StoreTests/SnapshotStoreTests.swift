import Foundation
import KubeModel
@testable import Store
import Testing

/// A fresh directory for one test's database files, removed afterwards.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "keyreach-store-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The permission bits of a file, e.g. 0o600.
func permissions(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

struct InjectedFailure: Error {}

@Suite struct SnapshotRoundTripTests {
    @Test func richSnapshotRoundTripsExactlyInMemory() throws {
        let store = try SnapshotStore.inMemory()
        let snapshot = Fixtures.rich()
        try store.replaceSnapshot(named: "default", with: snapshot, source: "rich.yaml")
        let loaded = try #require(try store.loadSnapshot(named: "default"))
        // Field by field first, so a failure names the kind that drifted.
        #expect(loaded.namespaces == snapshot.namespaces)
        #expect(loaded.nodes == snapshot.nodes)
        #expect(loaded.serviceAccounts == snapshot.serviceAccounts)
        #expect(loaded.roles == snapshot.roles)
        #expect(loaded.bindings == snapshot.bindings)
        #expect(loaded.pods == snapshot.pods)
        #expect(loaded.workloads == snapshot.workloads)
        #expect(loaded.secrets == snapshot.secrets)
        #expect(loaded.ingresses == snapshot.ingresses)
        #expect(loaded.gateways == snapshot.gateways)
        #expect(loaded.certificates == snapshot.certificates)
        #expect(loaded.issuers == snapshot.issuers)
        #expect(loaded == snapshot)
    }

    @Test func richSnapshotRoundTripsThroughAFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("keyreach.db")
        try SnapshotStore(path: path).replaceSnapshot(named: "default", with: Fixtures.rich(), source: "rich.yaml")
        // A second connection reads what the first committed.
        #expect(try SnapshotStore(path: path).loadSnapshot(named: "default") == Fixtures.rich())
    }

    @Test func syntheticClusterRoundTrips() throws {
        let store = try SnapshotStore.inMemory()
        let snapshot = Fixtures.synthetic(namespaces: 25)
        let rows = try store.replaceSnapshot(named: "big", with: snapshot, source: "generated")
        #expect(rows > 25 * 60)
        #expect(try store.loadSnapshot(named: "big") == snapshot)
    }

    @Test func emptySnapshotRoundTrips() throws {
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "empty", with: ClusterSnapshot(), source: "")
        #expect(try store.loadSnapshot(named: "empty") == ClusterSnapshot())
    }

    @Test func unknownSnapshotLoadsAsNil() throws {
        let store = try SnapshotStore.inMemory()
        #expect(try store.loadSnapshot(named: "nope") == nil)
        #expect(try store.loadDerived(snapshot: "nope") == nil)
    }

    @Test func objectOrderIsKept() throws {
        var snapshot = ClusterSnapshot()
        snapshot.secrets = ["zeta", "alpha", "mid"].map { Secret(meta: ObjectMeta(name: $0, namespace: "ns")) }
        snapshot.roles = [Role(meta: ObjectMeta(name: "r", namespace: "ns"),
                               rules: ["watch", "get", "list"].map { PolicyRule(verbs: [$0]) })]
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: snapshot, source: "")
        let loaded = try #require(try store.loadSnapshot(named: "default"))
        #expect(loaded.secrets.map(\.meta.name) == ["zeta", "alpha", "mid"])
        #expect(loaded.roles[0].rules.map(\.verbs) == [["watch"], ["get"], ["list"]])
    }
}

@Suite struct SnapshotNamingTests {
    @Test func twoSnapshotsCoexistByName() throws {
        let store = try SnapshotStore.inMemory()
        let small = Fixtures.synthetic(namespaces: 2)
        try store.replaceSnapshot(named: "rich", with: Fixtures.rich(), source: "a.yaml")
        try store.replaceSnapshot(named: "small", with: small, source: "b.yaml")
        #expect(try store.loadSnapshot(named: "rich") == Fixtures.rich())
        #expect(try store.loadSnapshot(named: "small") == small)
        let infos = try store.snapshots()
        #expect(infos.map(\.name) == ["rich", "small"])
        #expect(infos.map(\.source) == ["a.yaml", "b.yaml"])
        #expect(infos[0].objectCounts == Fixtures.rich().countsByKind)
        #expect(infos[1].objectCounts == small.countsByKind)
        #expect(infos[0].derivedEngineVersion == nil)
        #expect(abs(infos[0].created.timeIntervalSinceNow) < 600)
    }

    @Test func reimportReplacesTheSnapshotAndItsDerivedTables() throws {
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "old.yaml")
        try store.saveDerived(Fixtures.richDerived(), snapshot: "default")
        let replacement = Fixtures.synthetic(namespaces: 1)
        try store.replaceSnapshot(named: "default", with: replacement, source: "new.yaml")
        #expect(try store.loadSnapshot(named: "default") == replacement)
        #expect(try store.snapshots().map(\.source) == ["new.yaml"])
        // The derived tables described the old objects: they must go with them.
        #expect(try store.loadDerived(snapshot: "default") == nil)
        // And no row of the old snapshot is left behind in any table.
        let leftovers = try store.query(sql: "SELECT count(*) FROM secret WHERE name IN ('app-tls', 'db', 'empty')", arguments: [:])
        #expect(leftovers.rows == [["0"]])
        let orphans = try store.query(sql: "SELECT count(*) FROM rule WHERE role_id NOT IN (SELECT id FROM role)", arguments: [:])
        #expect(orphans.rows == [["0"]])
    }

    @Test func deleteSnapshotRemovesOnlyThatOne() throws {
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "a", with: Fixtures.rich(), source: "")
        try store.replaceSnapshot(named: "b", with: Fixtures.rich(), source: "")
        #expect(try store.deleteSnapshot(named: "a"))
        #expect(try store.deleteSnapshot(named: "a") == false)
        #expect(try store.loadSnapshot(named: "a") == nil)
        #expect(try store.loadSnapshot(named: "b") == Fixtures.rich())
        let keys = try store.query(sql: "SELECT count(*) FROM secret_key", arguments: [:])
        #expect(keys.rows == [[String(Fixtures.rich().secrets.map(\.keys.count).reduce(0, +))]])
    }
}

@Suite struct DatabaseFileTests {
    @Test func databaseAndWALFilesAreOwnerOnly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("keyreach.db")
        let store = try SnapshotStore(path: path)
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "")
        #expect(try permissions(path) == 0o600)
        // The connection is still open, so the WAL files exist now.
        for suffix in ["-wal", "-shm"] {
            #expect(FileManager.default.fileExists(atPath: path + suffix), "\(suffix) missing")
            #expect(try permissions(path + suffix) == 0o600, "\(suffix)")
        }
    }

    @Test func journalModeIsWAL() throws {
        let directory = try TemporaryDirectory()
        let store = try SnapshotStore(path: directory.file("keyreach.db"))
        #expect(try store.query(sql: "PRAGMA journal_mode", arguments: [:]).rows == [["wal"]])
    }

    @Test func migrationsAreIdempotentOnReopen() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("keyreach.db")
        let first = try SnapshotStore(path: path)
        try first.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "")
        let second = try SnapshotStore(path: path)
        let third = try SnapshotStore(path: path)
        #expect(try third.schemaVersion() == Schema.version)
        let migrations = try third.query(sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier", arguments: [:])
        #expect(migrations.rows == [["v1-snapshot"], ["v2-derived-access"], ["v3-private-keys"], ["v4-tls-kinds"], ["v5-indirect-chains"], ["v6-key-identity"]])
        #expect(try second.loadSnapshot(named: "default") == Fixtures.rich())
    }

    @Test func aDatabaseFromANewerKeyreachIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("keyreach.db")
        let store = try SnapshotStore(path: path)
        try store.dbQueue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        #expect(throws: StoreError.newerSchema(path: path)) { try SnapshotStore(path: path) }
    }

    @Test func missingDirectoryIsAnErrorNamingThePath() throws {
        let path = "/nonexistent-keyreach-dir/keyreach.db"
        #expect(throws: StoreError.cannotOpen(path: path, reason: "No such file or directory")) {
            try SnapshotStore(path: path)
        }
    }
}

@Suite struct AtomicImportTests {
    /// Fails the import after `table` and checks that the database is as before.
    func failImport(after table: String, store: SnapshotStore) throws {
        #expect(throws: InjectedFailure.self) {
            try store.replaceSnapshot(named: "default", with: Fixtures.synthetic(namespaces: 3), source: "broken.yaml") {
                if $0 == table { throw InjectedFailure() }
            }
        }
    }

    @Test(arguments: ["snapshot_kind_count", "role", "pod", "secret", "issuer"])
    func failureHalfwayKeepsThePreviousSnapshot(table: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("keyreach.db")
        let store = try SnapshotStore(path: path)
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "good.yaml")
        try store.saveDerived(Fixtures.richDerived(), snapshot: "default")
        try failImport(after: table, store: store)
        #expect(try store.loadSnapshot(named: "default") == Fixtures.rich())
        #expect(try store.loadDerived(snapshot: "default") == Fixtures.richDerived())
        #expect(try store.snapshots().map(\.source) == ["good.yaml"])
        // Also as a fresh process would see it.
        #expect(try SnapshotStore(path: path).loadSnapshot(named: "default") == Fixtures.rich())
    }

    @Test func failedFirstImportLeavesNoSnapshot() throws {
        let store = try SnapshotStore.inMemory()
        try failImport(after: "secret", store: store)
        #expect(try store.snapshots().isEmpty)
        #expect(try store.query(sql: "SELECT count(*) FROM pod", arguments: [:]).rows == [["0"]])
    }
}

@Suite struct QueryAPITests {
    @Test func namedArgumentsBindAndRowsComeBackAsText() throws {
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "")
        let result = try store.query(sql: """
            SELECT s.name, k.name AS key, k.size, s.type
            FROM secret s JOIN secret_key k ON k.secret_id = s.id
            WHERE s.namespace = :namespace AND s.name = :name ORDER BY k.idx
            """, arguments: ["namespace": "production", "name": "app-tls", "unused": "x"])
        #expect(result.columns == ["name", "key", "size", "type"])
        #expect(result.rows == [["app-tls", "tls.crt", "1200", "kubernetes.io/tls"],
                                ["app-tls", "tls.key", "1700", "kubernetes.io/tls"],
                                ["app-tls", "ca.crt", "0", "kubernetes.io/tls"]])
    }

    @Test func nullComesBackAsNil() throws {
        let store = try SnapshotStore.inMemory()
        #expect(try store.query(sql: "SELECT NULL AS a, 1.5 AS b", arguments: [:]).rows == [[nil, "1.5"]])
    }

    @Test func queriesCannotWrite() throws {
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "")
        #expect(throws: (any Error).self) { try store.query(sql: "DELETE FROM snapshot", arguments: [:]) }
        #expect(throws: (any Error).self) { try store.query(sql: "SELECT 1; DELETE FROM snapshot", arguments: [:]) }
        #expect(try store.snapshots().count == 1)
    }

    @Test func missingArgumentIsAnError() throws {
        let store = try SnapshotStore.inMemory()
        #expect(throws: (any Error).self) { try store.query(sql: "SELECT :verb", arguments: [:]) }
    }

    @Test func jsonColumnsAreReadableBySQLite() throws {
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "")
        let verbs = try store.query(sql: """
            SELECT j.value FROM role r JOIN rule ON rule.role_id = r.id, json_each(rule.verbs) j
            WHERE r.name = 'secret-reader' ORDER BY rule.idx, j.key
            """, arguments: [:])
        #expect(verbs.rows == [["get"], ["list"], ["watch"]])
        let note = try store.query(sql: "SELECT annotations ->> '$.note' FROM namespace WHERE name = 'kube-system'", arguments: [:])
        #expect(note.rows == [["line1\nline2\ttab\\back \u{01} ünïcødé 🔑"]])
        let owner = try store.query(sql: "SELECT owner_refs ->> '$[0].kind' FROM pod WHERE name = 'web-0'", arguments: [:])
        #expect(owner.rows == [["ReplicaSet"]])
    }
}

@Suite struct SchemaIntegrityTests {
    static func tableCounts(_ store: SnapshotStore) throws -> [String: Int] {
        let tables = try store.query(sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
            """, arguments: [:]).rows.compactMap { $0[0] }
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = Int(try store.query(sql: "SELECT count(*) FROM \(table)", arguments: [:]).rows[0][0] ?? "")
        }
        return counts
    }

    static func indexCount(_ store: SnapshotStore) throws -> String? {
        try store.query(sql: "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL", arguments: [:]).rows[0][0]
    }

    /// A small "can become" graph with a step of each permission kind, a structural edge and a seed.
    static let indirectGraph = IndirectGraphRecord(
        identityCount: 2,
        nodes: [IndirectNodeRecord(kind: "principal", name: "user:dev"), IndirectNodeRecord(kind: "mount", namespace: "shop"),
                IndirectNodeRecord(kind: "heldRole", namespace: "shop", name: "Role/reader", scope: "shop")],
        edges: [IndirectEdgeRecord(from: 0, to: 2),
                IndirectEdgeRecord(from: 2, to: 3, step: "createPods", through: ObjectRef(kind: "Namespace", name: "shop"),
                                   via: .rbac(binding: ObjectRef(kind: "RoleBinding", namespace: "shop", name: "dev-pods"),
                                              role: ObjectRef(kind: "ClusterRole", name: "pod-creator"), ruleIndex: 1,
                                              subject: Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "dev"),
                                              principal: .user("dev"))),
                IndirectEdgeRecord(from: 1, to: 0, step: "readToken", through: ObjectRef(kind: "Secret", namespace: "shop", name: "t"),
                                   via: .node(node: "n1", pod: ObjectRef(kind: "Pod", namespace: "shop", name: "web"), source: .volume))],
        seeds: [IndirectSeedRecord(kind: "mounts", namespace: "shop", secretName: "shop-tls", node: 3),
                IndirectSeedRecord(kind: "readsByName", namespace: "", secretName: "shop-tls", node: 4)])

    @Test func theIndirectGraphReadsBackAsStored() throws {
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "")
        try store.saveIndirect(Self.indirectGraph, snapshot: "default")
        #expect(try store.loadIndirect(snapshot: "default") == Self.indirectGraph)
        try store.deleteIndirect(snapshot: "default")
        #expect(try store.loadIndirect(snapshot: "default") == nil)
    }

    @Test func theBulkDeleteKnowsEveryTable() throws {
        let store = try SnapshotStore.inMemory()
        let known = Set(Schema.snapshotKeyedTables + Schema.childTables.map(\.table) + ["snapshot"])
        #expect(Set(try Self.tableCounts(store).keys) == known)
    }

    @Test func replacingLeavesNoRowOfTheOldSnapshotInAnyTable() throws {
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "")
        try store.saveDerived(Fixtures.richDerived(), snapshot: "default")
        try store.savePrivateKeys(Fixtures.richPrivateKeys(), snapshot: "default")
        try store.saveIndirect(Self.indirectGraph, snapshot: "default")
        #expect(try Self.tableCounts(store).values.allSatisfy { $0 > 0 }, "the fixture should fill every table")
        try store.replaceSnapshot(named: "default", with: ClusterSnapshot(), source: "")
        let left = try Self.tableCounts(store).filter { $0.value > 0 }
        #expect(left == ["snapshot": 1])
    }

    @Test func foreignKeysHoldAndAreBackOnAfterAWrite() throws {
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "a", with: Fixtures.rich(), source: "")
        try store.replaceSnapshot(named: "b", with: Fixtures.synthetic(namespaces: 2), source: "")
        try store.saveDerived(Fixtures.richDerived(), snapshot: "a")
        try store.replaceSnapshot(named: "a", with: Fixtures.rich(), source: "")
        #expect(try store.query(sql: "PRAGMA foreign_key_check", arguments: [:]).rows.isEmpty)
        #expect(try store.query(sql: "PRAGMA foreign_keys", arguments: [:]).rows == [["1"]])
    }

    @Test func indexesAreRebuiltAfterABulkWriteAndAfterAFailedOne() throws {
        let store = try SnapshotStore.inMemory()
        let expected = try Self.indexCount(store)
        #expect(Int(expected ?? "") ?? 0 > 20)
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "")
        #expect(try Self.indexCount(store) == expected)
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "")
        #expect(try Self.indexCount(store) == expected)
        #expect(throws: InjectedFailure.self) {
            try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "") {
                if $0 == "secret" { throw InjectedFailure() }
            }
        }
        #expect(try Self.indexCount(store) == expected)
        // The who-can lookup really uses its index.
        let plan = try store.query(sql: """
            EXPLAIN QUERY PLAN SELECT * FROM secret_grant WHERE snapshot_id = 1 AND verb = 'get'
            """, arguments: [:])
        #expect(plan.rows.contains { $0.last??.contains("secret_grant_by_secret") == true })
    }

    @Test func deletingASnapshotRowByHandCascades() throws {
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "")
        try store.saveDerived(Fixtures.richDerived(), snapshot: "default")
        try store.savePrivateKeys(Fixtures.richPrivateKeys(), snapshot: "default")
        try store.dbQueue.write { db in try db.execute(sql: "DELETE FROM snapshot") }
        #expect(try Self.tableCounts(store).values.allSatisfy { $0 == 0 })
    }
}
