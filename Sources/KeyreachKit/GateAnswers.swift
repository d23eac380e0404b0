import Exposure
import Gate
import KubeModel
import Store

/// The answers of the query layer and the CI gate: `sql`, `check`, `diff`.
extension Workspace {
    /// `sql`: one ad-hoc statement on a read-only connection (refuses writes, ATTACH, load_extension).
    public func sql(_ statement: String) throws -> QueryResult {
        try ReadOnlySQL.run(statement, on: store())
    }

    /// `check`: exposure's findings gated at `failOn`; with a baseline
    /// workspace, only findings new since it count. Findings are located in
    /// the dump files when the snapshot came from files.
    public func check(failOn: Severity, expectedHolders: ExpectedHolders, baseline: Workspace? = nil) throws -> CheckReport {
        let exposures = try exposures(namespace: nil, expectedHolders: expectedHolders)
        let locator = isFromDumps ? ManifestLocator(paths: dumpPaths) : nil
        return CheckReport.gate(
            exposures, failOn: failOn,
            baseline: try baseline.map { ($0.snapshotName, try $0.exposures(namespace: nil, expectedHolders: expectedHolders)) },
            locate: { ref in locator?.location(of: ref) })
    }

    /// `diff`: what changed in key exposure from `self` to `other`.
    public func diff(to other: Workspace, expectedHolders: ExpectedHolders) throws -> ExposureDiff {
        ExposureDiff(from: try exposures(namespace: nil, expectedHolders: expectedHolders),
                     to: try other.exposures(namespace: nil, expectedHolders: expectedHolders))
    }
}
