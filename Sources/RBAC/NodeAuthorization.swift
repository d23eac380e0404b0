import KubeModel

/// `NodeIdentity` (pkg/auth/nodeidentifier/default.go): a user named
/// `system:node:NAME` that is in group `system:nodes` is the kubelet of node
/// `NAME` (possibly `""`, an unidentifiable node that gets nothing). Prefix
/// and group are matched as bytes (`strings.HasPrefix`, `==`).
public func nodeName(of user: UserInfo) -> String? {
    guard hasBytePrefix(user.name, WellKnown.nodeUserPrefix), user.groups.containsBytes(WellKnown.nodesGroup) else {
        return nil
    }
    return droppingBytes(user.name, WellKnown.nodeUserPrefix.utf8.count)
}

/// The node authorizer's graph edges for secrets (graph_populator.go and
/// graph.go `AddPod`): a pod with `spec.nodeName` links each secret its spec
/// names (podutil.VisitPodSecretNames: volumes, projected and CSI volumes,
/// env and envFrom of every container kind, imagePullSecrets) to that node.
/// Unscheduled pods add no edge; mirror pods add none to secrets, because a
/// node must never be able to grant itself access by creating a pod.
///
/// Grants come in dump order (pods, then each pod's references). A grant
/// names its pod, so grants of different pods never coincide: duplicates are
/// looked for only among the grants of the same pod (a reference repeated in
/// one spec, or the same pod listed twice by overlapping dump files), never in
/// a set of every grant, which cost seconds on big clusters.
public func nodeSecretGrants(pods: [Pod]) -> [NodeSecretGrant] {
    // Sized up front: growing arrays and tables by doubling cost more than the rest.
    var grants: [NodeSecretGrant] = []
    grants.reserveCapacity(pods.reduce(0) { $0 + $1.spec.secretReferences.count })
    // Where the grants of each pod seen so far sit in `grants`.
    var grantRangesByPod: [PodKey: [Range<Int>]] = [:]
    grantRangesByPod.reserveCapacity(pods.count)
    // By index: `for pod in pods` would copy (retain and release) every field of every pod.
    for index in pods.indices where !pods[index].spec.nodeName.isEmpty && !pods[index].isMirror {
        let (namespace, name, node) = (pods[index].meta.namespace, pods[index].meta.name, pods[index].spec.nodeName)
        let podRef = ObjectRef(kind: "Pod", namespace: namespace, name: name)
        let podKey = PodKey(namespace: ByteString(namespace), name: ByteString(name))
        let earlier = grantRangesByPod[podKey] ?? []
        let start = grants.count
        for reference in pods[index].spec.secretReferences where !reference.name.isEmpty {
            let grant = NodeSecretGrant(node: node, namespace: namespace,
                                        secretName: reference.name, pod: podRef, source: reference.source)
            let repeated = grants[start...].contains { sameBytes($0, grant) }
                || earlier.contains { grants[$0].contains { sameBytes($0, grant) } }
            if !repeated { grants.append(grant) }
        }
        grantRangesByPod[podKey, default: []].append(start..<grants.count)
    }
    return grants
}

/// A pod told apart from others: its namespace and name, as bytes.
private struct PodKey: Hashable {
    var namespace: ByteString
    var name: ByteString
}

/// `authorizeReadNamespacedObject` for secrets (node_authorizer.go): only
/// get, list and watch of core `secrets`, no subresource, in a namespace,
/// with a name; anything else gets no opinion from the node authorizer.
public func nodeAuthorizerConsidersSecretRead(_ request: ResourceRequest) -> Bool {
    request.isResourceRequest
        && sameBytes(request.apiGroup, SecretResource.apiGroup) && sameBytes(request.resource, SecretResource.resource)
        && SecretReadVerb(bytes: request.verb) != nil
        && request.subresource.isEmpty && !request.namespace.isEmpty && !request.name.isEmpty
}

/// Node grants looked up by node, namespace and secret name.
struct NodeSecretIndex: Sendable {
    struct Key: Hashable, Sendable {
        var node: ByteString
        var namespace: ByteString
        var secretName: ByteString

        init(node: String, namespace: String, secretName: String) {
            self.node = ByteString(node)
            self.namespace = ByteString(namespace)
            self.secretName = ByteString(secretName)
        }
    }

    private let accessByKey: [Key: [NodeAccess]]

    init(_ grants: [NodeSecretGrant]) {
        var accessByKey: [Key: [NodeAccess]] = [:]
        for grant in grants {
            accessByKey[Key(node: grant.node, namespace: grant.namespace, secretName: grant.secretName), default: []]
                .append(NodeAccess(node: grant.node, pod: grant.pod, source: grant.source))
        }
        self.accessByKey = accessByKey
    }

    /// The node authorizer's allowing paths for `request`; empty when it has
    /// no opinion (not a node, not a secret read, no relationship).
    func paths(for request: ResourceRequest) -> [AccessPath] {
        guard let node = nodeName(of: request.user), !node.isEmpty,
              nodeAuthorizerConsidersSecretRead(request) else { return [] }
        let key = Key(node: node, namespace: request.namespace, secretName: request.name)
        return (accessByKey[key] ?? []).map(AccessPath.node)
    }
}
