import Advisor
import Exposure
import KubeModel

/// `keyreach suggest`: the Advisor over the workspace's snapshot and who-can index.
extension Workspace {
    /// Findings (one per offending grant) and the proposal for the keys of
    /// `namespace` (every namespace when `nil`).
    /// With `indirect` (`--indirect`), also the grants behind indirect chains.
    public func suggest(namespace: String?, expectedHolders: ExpectedHolders, indirect: Bool = false) throws -> Suggestion {
        Advisor.suggest(snapshot: try snapshot(), whoCan: try whoCan(), expectedHolders: expectedHolders, namespace: namespace,
                        indirect: indirect ? try indirectPaths() : nil)
    }

    /// `suggest --verify`: the proposal applied in memory, the engine run
    /// again, keys before and after, and the named decisions that changed.
    public func verify(_ suggestion: Suggestion, namespace: String?, expectedHolders: ExpectedHolders) throws -> Verification {
        let before = try exposures(namespace: namespace, expectedHolders: expectedHolders)
        return Verification.run(suggestion, snapshot: try snapshot(), expectedHolders: expectedHolders,
                                namespace: namespace, before: before)
    }
}
