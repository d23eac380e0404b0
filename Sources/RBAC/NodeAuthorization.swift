import KubeModel
import Store

/// `NodeIdentity` (pkg/auth/nodeidentifier/default.go): a user named
/// `system:node:NAME` that is in group `system:nodes` is the kubelet of node
/// `NAME` (possibly `""`, an unidentifiable node that gets nothing).
public func nodeName(of user: UserInfo) -> String? {
    guard user.name.hasPrefix(WellKnown.nodeUserPrefix), user.groups.contains(WellKnown.nodesGroup) else { return nil }
    return String(user.name.dropFirst(WellKnown.nodeUserPrefix.count))
}

/// The node authorizer's graph edges for secrets (graph_populator.go and
/// graph.go `AddPod`): a pod with `spec.nodeName` links each secret its spec
/// names (podutil.VisitPodSecretNames: volumes, projected and CSI volumes,
/// env and envFrom of every container kind, imagePullSecrets) to that node.
/// Unscheduled pods add no edge; mirror pods add none to secrets, because a
/// node must never be able to grant itself access by creating a pod.
public func nodeSecretGrants(pods: [Pod]) -> [NodeSecretGrant] {
    var grants = Set<NodeSecretGrant>()
    for pod in pods where !pod.spec.nodeName.isEmpty && !pod.isMirror {
        let podRef = ObjectRef(kind: "Pod", namespace: pod.meta.namespace, name: pod.meta.name)
        for reference in pod.spec.secretReferences where !reference.name.isEmpty {
            grants.insert(NodeSecretGrant(node: pod.spec.nodeName, namespace: pod.meta.namespace,
                                          secretName: reference.name, pod: podRef, source: reference.source))
        }
    }
    return sortedByFields(grants, nodeGrantSortFields)
}

/// `authorizeReadNamespacedObject` for secrets (node_authorizer.go): only
/// get, list and watch of core `secrets`, no subresource, in a namespace,
/// with a name; anything else gets no opinion from the node authorizer.
public func nodeAuthorizerConsidersSecretRead(_ request: ResourceRequest) -> Bool {
    request.isResourceRequest
        && request.apiGroup == SecretResource.apiGroup && request.resource == SecretResource.resource
        && SecretReadVerb(rawValue: request.verb) != nil
        && request.subresource.isEmpty && !request.namespace.isEmpty && !request.name.isEmpty
}

/// Node grants looked up by node, namespace and secret name.
struct NodeSecretIndex: Sendable {
    struct Key: Hashable, Sendable {
        var node: String
        var namespace: String
        var secretName: String
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
