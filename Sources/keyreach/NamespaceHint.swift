import KubeModel

/// A namespace the dump does not hold answers "nothing" without saying why:
/// warn on stderr, naming a few namespaces that are there.
enum NamespaceHint {
    /// How many existing namespaces the warning lists.
    static let shown = 5

    /// Warns when `namespace` is neither a Namespace object of the snapshot
    /// nor the namespace of any object in it. `nil` (every namespace) never warns.
    static func warnIfAbsent(_ namespace: String?, in snapshot: ClusterSnapshot) {
        guard let namespace else { return }
        let known = knownNamespaces(snapshot)
        guard !known.contains(namespace) else { return }
        let sorted = known.sorted()
        let listed = sorted.prefix(shown).joined(separator: ", ") + (sorted.count > shown ? ", ..." : "")
        Console.warn("namespace \"\(namespace)\" is not in the dump"
            + (sorted.isEmpty ? "" : " (it has: \(listed))") + "; check -n, or use -A for every namespace")
    }

    /// Namespace objects, and the namespaces the dump's namespaced objects live in.
    static func knownNamespaces(_ snapshot: ClusterSnapshot) -> Set<String> {
        var known = Set(snapshot.namespaces.map(\.meta.name))
        known.formUnion(snapshot.secrets.map(\.meta.namespace))
        known.formUnion(snapshot.serviceAccounts.map(\.meta.namespace))
        known.formUnion(snapshot.pods.map(\.meta.namespace))
        known.formUnion(snapshot.roles.map(\.meta.namespace))
        known.formUnion(snapshot.bindings.map(\.meta.namespace))
        known.remove("")
        return known
    }
}
