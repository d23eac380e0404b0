import CMemory
import Dispatch
import DumpReader
import Exposure
import KubeModel
import Queries
import RBAC
import Render
import Store
import Synchronization

/// The other answers of a ``Workspace``: can-i, exposure, named queries.
extension Workspace {
    /// `can-i`: the API server's decision (system:masters, node authorizer, RBAC).
    public func authorize(_ request: ResourceRequest) throws -> Decision {
        Authorizer(snapshot: try snapshot()).authorize(request)
    }

    /// `exposure`: every private-key secret in scope with its readers as bound
    /// (a Group with its member count, and its members with `listMembers`),
    /// expected holders apart, workloads per controller and severity.
    /// With `indirect` (`--indirect`), each key also lists who can become a reader.
    public func exposures(namespace: String?, expectedHolders: ExpectedHolders,
                          listMembers: Bool = false, indirect: Bool = false) throws -> [KeyExposure] {
        try exposures(namespace: namespace, expectedHolders: expectedHolders, listMembers: listMembers, indirect: indirect, byKey: false)
    }

    /// `exposure` per key (issue 17): the secrets holding one key (same public key,
    /// replication annotations) as one exposure listing its copies, readers joined.
    /// `check` and `diff` stay per secret (``exposures(namespace:expectedHolders:listMembers:)``):
    /// each copy is a secret a reader reads, so no copy's finding can vanish from SARIF.
    public func keyExposures(namespace: String?, expectedHolders: ExpectedHolders,
                             listMembers: Bool = false, indirect: Bool = false) throws -> [KeyExposure] {
        try exposures(namespace: namespace, expectedHolders: expectedHolders, listMembers: listMembers, indirect: indirect, byKey: true)
    }

    private func exposures(namespace: String?, expectedHolders: ExpectedHolders,
                           listMembers: Bool, indirect: Bool, byKey: Bool) throws -> [KeyExposure] {
        let snapshot = try snapshot()
        let prepared = try ExposureInputs.prepare(snapshot, clusterResourceNamespace: expectedHolders.clusterResourceNamespace,
                                                  beside: whoCan)
        let paths = indirect ? try indirectPaths() : nil
        if byKey {
            return ExposureAnalysis.analyzeByKey(keys: prepared.keys, snapshot: snapshot, whoCan: prepared.whoCan,
                                                 expectedHolders: expectedHolders, namespace: namespace, listMembers: listMembers,
                                                 indirect: paths, workloads: prepared.workloads)
        }
        return ExposureAnalysis.analyze(keys: prepared.keys, snapshot: snapshot, whoCan: prepared.whoCan,
                                        expectedHolders: expectedHolders, namespace: namespace, listMembers: listMembers,
                                        indirect: paths, workloads: prepared.workloads)
    }

    /// `query NAME`: a named query of `queries/`, its parameters bound (never spliced).
    public func run(_ query: NamedQuery, parameters: [String: String]) throws -> QueryResult {
        try query.run(on: store(), parameters: parameters)
    }
}

/// `keyreach import`: read → store the snapshot → compute and store the
/// derived tables, in one transaction per table set; the database holds
/// the previous snapshot until the new one is whole.
public enum ImportPipeline {
    /// What an import read and stored.
    public struct Outcome: Sendable {
        public var result: ImportResult
        public var derived: DerivedAccess

        /// What the import command prints of it.
        public func summary(database: String, snapshot: String) -> ImportSummary {
            ImportSummary(database: database, snapshot: snapshot, result: result)
        }
    }

    /// `strict`: a file of a directory that is not Kubernetes is an error, not a skip.
    /// `indirect`: build and store the "can become" graph now (`import --indirect`).
    public static func run(dumps: [String], database: String, snapshot: String, strict: Bool = false,
                           indirect: Bool = false, reporter: PipelineReporter = .silent) throws -> Outcome {
        let result = try read(dumps, strict: strict, reporter: reporter)
        let derived = try save(result.snapshot, database: database, snapshot: snapshot, source: dumps, indirect: indirect)
        return Outcome(result: result, derived: derived)
    }

    /// Stages 2 to 4 on a snapshot read (`import`, `collect --import`): its
    /// derived tables and keys, and with `indirect` its "can become" graph,
    /// stored in one transaction. Without it, the first `--indirect`
    /// question on the database builds the graph and stores it
    /// (``Workspace/indirectPaths()``): held beside the whole snapshot, the
    /// graph would add half again to a big import's peak memory.
    @discardableResult
    public static func save(_ clusterSnapshot: ClusterSnapshot, database: String, snapshot: String,
                            source: [String], indirect: Bool = false) throws -> DerivedAccess {
        // The reader's and then the analysis' freed memory goes back to the
        // OS before the next stage: it sits in other threads' malloc arenas,
        // which the next stage does not reuse (4% of a 1 GB import's peak).
        _ = keyreach_release_free_memory()
        let derived = derive(clusterSnapshot)
        let (records, graph) = keysAndGraph(clusterSnapshot, derived: derived, indirect: indirect)
        _ = keyreach_release_free_memory()
        try store(clusterSnapshot, derived: derived, privateKeys: records, database: database, snapshot: snapshot,
                  source: source, indirect: graph)
        return derived
    }

    /// Stages 3 and 3b over one who-can index, which is gone when this
    /// returns: the store stage runs without it.
    private static func keysAndGraph(_ snapshot: ClusterSnapshot, derived: DerivedAccess,
                                     indirect: Bool) -> ([PrivateKeyRecord], IndirectGraphRecord?) {
        let judged = privateKeys(snapshot, derived: derived)
        return (judged.records, indirect ? indirectGraph(snapshot, whoCan: judged.whoCan) : nil)
    }

    // The stages of ``run(dumps:database:snapshot:strict:reporter:)``, public so the
    // benchmark times each one as the CLI runs it.

    /// Stage 1: read the dumps; finding no Kubernetes object is an error,
    /// raised before any database is opened, so none is created.
    public static func read(_ dumps: [String], strict: Bool = false,
                            reporter: PipelineReporter = .silent) throws -> ImportResult {
        let result = try Workspace.readDumps(dumps, strict: strict, reporter: reporter)
        if result.objects == 0 {
            throw KeyreachError("no Kubernetes object found in \(dumps.joined(separator: " "))"
                + (result.skippedFiles.isEmpty ? "" : " (\(result.skippedFiles.count) file(s) skipped)")
                + ": pass what `kubectl get ... -o json` or `-o yaml` prints, or manifests with kind and apiVersion")
        }
        return result
    }

    /// Stage 2: compute the derived access tables: ``AccessIndexer/compute(_:)``,
    /// its two independent halves (the known identities; the RBAC and node
    /// grants) on two cores, since this stage sits between reading and
    /// answering with nothing else to run beside it. Tests pin it equal to
    /// `AccessIndexer.compute`.
    public static func derive(_ snapshot: ClusterSnapshot) -> DerivedAccess {
        let identities = Mutex<[KnownIdentity]>([])
        let grants = Mutex<(rbac: [SecretGrant], node: [NodeSecretGrant])>(([], []))
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            if half == 0 {
                let known = AccessIndexer.knownIdentities(snapshot)
                identities.withLock { $0 = known }
            } else {
                let rbac = AccessIndexer.secretGrants(bindings: snapshot.bindings, roles: EffectiveRoles(snapshot.roles))
                let node = nodeSecretGrants(pods: snapshot.pods)
                grants.withLock { $0 = (rbac, node) }
            }
        }
        let (rbac, node) = grants.withLock { $0 }
        return DerivedAccess(identities: identities.withLock { $0 }, grants: rbac, nodeGrants: node)
    }

    /// Stage 3: the private-key inventory with its severities (default
    /// expected holders), and the who-can index it was judged with (stage 3b
    /// builds its graph over the same index).
    public static func privateKeys(_ snapshot: ClusterSnapshot, derived: DerivedAccess) -> JudgedKeys {
        privateKeys(snapshot) { WhoCan(derived: derived) }
    }

    /// The inventory with the who-can index `index` builds (the keys and
    /// workloads are made beside it).
    static func privateKeys(_ snapshot: ClusterSnapshot, index: () throws -> WhoCan) rethrows -> JudgedKeys {
        let prepared = try ExposureInputs.prepare(snapshot, clusterResourceNamespace: ExpectedHolders().clusterResourceNamespace,
                                                  beside: index)
        let records = ExposureAnalysis.records(snapshot: snapshot, whoCan: prepared.whoCan, keys: prepared.keys,
                                               workloads: prepared.workloads)
        return JudgedKeys(records: records, whoCan: prepared.whoCan)
    }

    /// Stage 3's answer.
    public struct JudgedKeys: Sendable {
        public var records: [PrivateKeyRecord]
        public var whoCan: WhoCan
    }

    /// Stage 3b (`import --indirect`): the "can become" graph (who can become
    /// a reader), stored so `--indirect` answers on the database search it
    /// without the snapshot.
    public static func indirectGraph(_ snapshot: ClusterSnapshot, whoCan: WhoCan) -> IndirectGraphRecord {
        IndirectPaths(snapshot: snapshot, whoCan: whoCan).record
    }

    /// Stage 4: replace the named snapshot in the database (created if
    /// missing) with its derived tables and keys, in one transaction: readers
    /// see the old snapshot or the new one, whole.
    @discardableResult
    public static func store(_ clusterSnapshot: ClusterSnapshot, derived: DerivedAccess, privateKeys: [PrivateKeyRecord],
                             database: String, snapshot: String, source dumps: [String],
                             indirect: IndirectGraphRecord? = nil) throws -> SnapshotStore {
        let store = try SnapshotStore(path: database)
        try store.replaceSnapshot(named: snapshot, with: clusterSnapshot, source: dumps.joined(separator: " "),
                                  derived: derived, privateKeys: privateKeys, indirect: indirect)
        return store
    }
}

extension ImportSummary {
    /// The import summary of what the reader returned (`import`, `collect --import`).
    public init(database: String, snapshot: String, result: ImportResult) {
        self.init(database: database, snapshot: snapshot, files: result.files, bytes: result.bytes,
                  stored: result.snapshot.countsByKind, skipped: result.skipped,
                  skippedFiles: result.skippedFiles.count, warnings: result.warnings)
    }
}

extension Workspace {
    /// `can-i --list`: every rule that applies to `user` in `namespace` (`""`:
    /// cluster-wide), as the API server's rules review lists them.
    public func rulesReview(for user: UserInfo, namespace: String) throws -> [ReviewedRule] {
        RulesReview.rules(for: user, namespace: namespace, snapshot: try snapshot())
    }
}

/// What exposure reads besides the grants: the snapshot's private keys and
/// its workloads by ServiceAccount. Neither needs the who-can index, so both
/// are made on other cores while the index is built.
struct ExposureInputs {
    var keys: [PrivateKeySecret]
    var workloads: ServiceAccountWorkloads
    var whoCan: WhoCan

    static func prepare(_ snapshot: ClusterSnapshot, clusterResourceNamespace: String,
                        beside index: () throws -> WhoCan) rethrows -> ExposureInputs {
        let keys = Mutex<[PrivateKeySecret]>([])
        let workloads = Mutex<ServiceAccountWorkloads?>(nil)
        let prepared = DispatchGroup()
        DispatchQueue.global().async(group: prepared) {
            let found = PrivateKeyInventory.classify(snapshot, clusterResourceNamespace: clusterResourceNamespace)
            keys.withLock { $0 = found }
        }
        DispatchQueue.global().async(group: prepared) {
            let index = ServiceAccountWorkloads(snapshot)
            workloads.withLock { $0 = index }
        }
        // Waited for even when the index throws: nothing outlives this call.
        defer { prepared.wait() }
        let whoCan = try index()
        prepared.wait()
        return ExposureInputs(keys: keys.withLock { $0 }, workloads: workloads.withLock { $0! }, whoCan: whoCan)
    }
}
