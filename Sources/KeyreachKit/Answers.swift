import DumpReader
import Exposure
import KubeModel
import Queries
import RBAC
import Store

/// The other answers of a ``Workspace``: can-i, exposure, named queries.
extension Workspace {
    /// `can-i`: the API server's decision (system:masters, node authorizer, RBAC).
    public func authorize(_ request: ResourceRequest) throws -> Decision {
        Authorizer(snapshot: try snapshot()).authorize(request)
    }

    /// `exposure`: every private-key secret in scope with its readers, expected
    /// holders apart, workloads and severity.
    public func exposures(namespace: String?, expectedHolders: ExpectedHolders) throws -> [KeyExposure] {
        ExposureAnalysis.analyze(snapshot: try snapshot(), whoCan: try whoCan(), expectedHolders: expectedHolders,
                                 namespace: namespace)
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

    /// `strict`: a file of a directory that is not Kubernetes is an error, not a skip.
    public static func run(dumps: [String], database: String, snapshot: String, strict: Bool = false,
                           reporter: PipelineReporter = .silent) throws -> Outcome {
        let result = try Workspace.readDumps(dumps, strict: strict, reporter: reporter)
        if result.objects == 0 {
            // Checked before the database is opened, so none is created.
            throw KeyreachError("no Kubernetes object found in \(dumps.joined(separator: " "))"
                + (result.skippedFiles.isEmpty ? "" : " (\(result.skippedFiles.count) file(s) skipped)")
                + ": pass what `kubectl get ... -o json` or `-o yaml` prints, or manifests with kind and apiVersion")
        }
        let derived = AccessIndexer.compute(result.snapshot)
        let keys = ExposureAnalysis.records(snapshot: result.snapshot, whoCan: WhoCan(derived: derived))
        let store = try SnapshotStore(path: database)
        // One transaction: readers see the old snapshot or the new one with its derived tables.
        try store.replaceSnapshot(named: snapshot, with: result.snapshot, source: dumps.joined(separator: " "),
                                  derived: derived, privateKeys: keys)
        return Outcome(result: result, derived: derived)
    }
}

extension Workspace {
    /// `can-i --list`: every rule that applies to `user` in `namespace` (`""`:
    /// cluster-wide), as the API server's rules review lists them.
    public func rulesReview(for user: UserInfo, namespace: String) throws -> [ReviewedRule] {
        RulesReview.rules(for: user, namespace: namespace, snapshot: try snapshot())
    }
}
