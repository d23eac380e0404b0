import Dispatch
import DumpReader
import Exposure
import KubeModel
import Queries
import RBAC
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
    public func exposures(namespace: String?, expectedHolders: ExpectedHolders,
                          listMembers: Bool = false) throws -> [KeyExposure] {
        let snapshot = try snapshot()
        // The keys are classified on another core while the who-can index is built.
        let keys = Mutex<[PrivateKeySecret]>([])
        let classified = DispatchGroup()
        DispatchQueue.global().async(group: classified) {
            let found = PrivateKeyInventory.classify(snapshot, clusterResourceNamespace: expectedHolders.clusterResourceNamespace)
            keys.withLock { $0 = found }
        }
        let whoCan = try whoCan()
        classified.wait()
        return ExposureAnalysis.analyze(keys: keys.withLock { $0 }, snapshot: snapshot, whoCan: whoCan,
                                        expectedHolders: expectedHolders, namespace: namespace, listMembers: listMembers)
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
    }

    public static func run(dumps: [String], database: String, snapshot: String,
                           reporter: PipelineReporter = .silent) throws -> Outcome {
        let result = try read(dumps, reporter: reporter)
        let store = try storeSnapshot(result.snapshot, database: database, snapshot: snapshot, source: dumps)
        let derived = derive(result.snapshot)
        try saveDerived(derived, in: store, snapshot: snapshot)
        return Outcome(result: result, derived: derived)
    }

    // The stages of ``run(dumps:database:snapshot:reporter:)``, public so the
    // benchmark times each one as the CLI runs it.

    /// Stage 1: read the dumps.
    public static func read(_ dumps: [String], reporter: PipelineReporter = .silent) throws -> ImportResult {
        try Workspace.readDumps(dumps, reporter: reporter)
    }

    /// Stage 2: replace the named snapshot in the database (created if missing).
    public static func storeSnapshot(_ clusterSnapshot: ClusterSnapshot, database: String, snapshot: String,
                                     source dumps: [String]) throws -> SnapshotStore {
        let store = try SnapshotStore(path: database)
        try store.replaceSnapshot(named: snapshot, with: clusterSnapshot, source: dumps.joined(separator: " "))
        return store
    }

    /// Stage 3: compute the derived access tables.
    public static func derive(_ snapshot: ClusterSnapshot) -> DerivedAccess { AccessIndexer.compute(snapshot) }

    /// Stage 4: save them beside the snapshot.
    public static func saveDerived(_ derived: DerivedAccess, in store: SnapshotStore, snapshot: String) throws {
        try store.saveDerived(derived, snapshot: snapshot)
    }
}

extension Workspace {
    /// `can-i --list`: every rule that applies to `user` in `namespace` (`""`:
    /// cluster-wide), as the API server's rules review lists them.
    public func rulesReview(for user: UserInfo, namespace: String) throws -> [ReviewedRule] {
        RulesReview.rules(for: user, namespace: namespace, snapshot: try snapshot())
    }
}
