/// Shapes of big clusters that make answers grow (issue 10), off by default
/// so a seed without them gives the same bytes as before. Each applies to the
/// first N application namespaces.
struct Shapes: Sendable {
    /// Namespaces where Group `system:authenticated` can list every secret
    /// (a RoleBinding of the list-only ClusterRole `secret-lister`).
    var authenticatedListers = 0
    /// Namespaces where Group `system:serviceaccounts` can list every secret.
    var serviceAccountListers = 0
    /// Namespaces where their own service accounts (Group
    /// `system:serviceaccounts:NS`) can get and list every secret.
    var namespaceAccountReaders = 0
    /// Per namespace, an extra Deployment `default-runner` running as `default` with
    /// this many pods, each mounting the namespace's first TLS secret, spread
    /// over the nodes (node-authorizer edges on many nodes).
    var defaultAccountPods = 0
    /// Namespaces holding a copy of one wildcard key (``WildcardCopies``, issue 17).
    var wildcardCopies = 0

    var isDefault: Bool {
        authenticatedListers == 0 && serviceAccountListers == 0 && namespaceAccountReaders == 0 && defaultAccountPods == 0
            && wildcardCopies == 0
    }
}

extension ClusterGenerator {
    /// The ``Shapes`` of one application namespace, written after its own objects.
    mutating func shapedObjects(namespace: String, index: Int, team: String, tlsSecrets: [String],
                                credentialSecret: String) throws(GeneratorError) {
        let grants: [(Bool, String, String, Subject)] = [
            (index < shapes.authenticatedListers, "authenticated-secret-listers", "secret-lister", .group("system:authenticated")),
            (index < shapes.serviceAccountListers, "serviceaccounts-secret-listers", "secret-lister", .group("system:serviceaccounts")),
            (index < shapes.namespaceAccountReaders, "own-serviceaccounts-secret-readers", "secret-reader",
             .group("system:serviceaccounts:\(namespace)")),
        ]
        for (applies, name, role, subject) in grants where applies {
            begin(.roleBinding, "rbac.authorization.k8s.io/v1", "RoleBinding")
            metadata(name: name, namespace: namespace)
            roleRef(kind: "ClusterRole", name: role)
            subjects([subject])
            try end()
        }
        try wildcardCopy(namespace: namespace, index: index)
        guard shapes.defaultAccountPods > 0 else { return }
        try workload(AppPlan(
            name: "default-runner", namespace: namespace, serviceAccount: "default",
            image: "registry.example.com/\(team)/default-runner:1.0.0", port: 8080, replicas: shapes.defaultAccountPods,
            oldRevisions: 0, templateHash: rng.string(10, from: FakeData.suffixAlphabet), deploymentUID: FakeData.uid(&rng),
            configMap: nil, envSecret: credentialSecret, envFromSecret: false, mountedSecret: tlsSecrets.first,
            projectedSecret: nil, sidecar: nil, automountToken: true, team: team, cpuMillis: 100, memoryMi: 128))
    }
}
