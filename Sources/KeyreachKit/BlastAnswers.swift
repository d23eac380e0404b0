import Blast
import Exposure
import KubeModel
import RBAC

/// Whom `keyreach blast` asks about, as the user named it.
public enum BlastSubject: Sendable, Hashable {
    case pod(namespace: String, name: String)
    case serviceAccount(namespace: String, name: String)
    case user(String)
    case group(String)
    case node(String)

    /// `Pod`, `ServiceAccount`, `User`, `Group` or `Node`, namespace only for the first two.
    public var ref: ObjectRef {
        switch self {
        case .pod(let namespace, let name): ObjectRef(kind: "Pod", namespace: namespace, name: name)
        case .serviceAccount(let namespace, let name): ObjectRef(kind: "ServiceAccount", namespace: namespace, name: name)
        case .user(let name): ObjectRef(kind: "User", name: name)
        case .group(let name): ObjectRef(kind: "Group", name: name)
        case .node(let name): ObjectRef(kind: "Node", name: name)
        }
    }
}

/// A blast subject the snapshot does not know, with what it does know, so
/// the CLI can say what was meant (exit 2).
public struct UnknownBlastSubject: Error, Sendable {
    public var subject: BlastSubject
    /// The names of that kind in the namespace asked (every name for users, groups and nodes).
    public var candidates: [String]
    /// For a pod or ServiceAccount: the namespaces that hold one of that name.
    public var elsewhere: [String]
}

/// `keyreach blast`: from one pod or identity, every private key it reaches
/// and what to rotate (``BlastAnalysis``), answered from a ``Workspace``.
extension Workspace {
    public func blast(_ subject: BlastSubject, clusterResourceNamespace: String = "cert-manager") throws -> BlastReport {
        // A user named system:serviceaccount:NS:NAME is that ServiceAccount, as who-can counts it.
        if case .user(let name) = subject, let account = WellKnown.splitServiceAccountUsername(name) {
            return try blast(.serviceAccount(namespace: account.namespace, name: account.name),
                             clusterResourceNamespace: clusterResourceNamespace)
        }
        let snapshot = try snapshot()
        let whoCan = try whoCan()
        let reach = IndirectReach(paths: try indirectPaths(), whoCan: whoCan)
        var node: String?
        let start: ReachStart
        switch subject {
        case .pod(let namespace, let name):
            guard let pod = snapshot.pods.first(where: { sameBytes($0.meta.namespace, namespace) && sameBytes($0.meta.name, name) }) else {
                throw unknown(subject, snapshot.pods.map(\.meta), whoCan: whoCan)
            }
            node = pod.spec.nodeName
            start = .pod(namespace: namespace, name: name)
        case .serviceAccount(let namespace, let name):
            start = .identity(KnownIdentity(kind: "ServiceAccount", namespace: namespace, name: name, username: "", groups: []))
        case .user(let name): start = .identity(KnownIdentity(kind: "User", name: name, username: "", groups: []))
        case .group(let name): start = .identity(KnownIdentity(kind: "Group", name: name, username: "", groups: []))
        case .node(let name): start = .identity(KnownIdentity(kind: "Node", name: name, username: "", groups: []))
        }
        guard let from = reach.reach(from: start) else {
            throw unknown(subject, snapshot.pods.map(\.meta), whoCan: whoCan)
        }
        // Only the reached keys' certificates are parsed; every key's only
        // when a CA is reached (the leaves it signed are rotated after it).
        let reached = PrivateKeyInventory.classify(snapshot, clusterResourceNamespace: clusterResourceNamespace) {
            from.access(namespace: $0, secretName: $1) != nil
        }
        let reachesCA = reached.contains { $0.keyKind == .certificateAuthority || $0.keyKind == .meshCA }
        let keys = reachesCA ? PrivateKeyInventory.classify(snapshot, clusterResourceNamespace: clusterResourceNamespace) : reached
        return BlastAnalysis.analyze(start: subject.ref, node: node, reach: from, snapshot: snapshot, keys: keys,
                                     clusterResourceNamespace: clusterResourceNamespace)
    }

    /// What the snapshot knows of the subject's kind: pods, or who-can's identities.
    private func unknown(_ subject: BlastSubject, _ pods: [ObjectMeta], whoCan: WhoCan) -> UnknownBlastSubject {
        let ref = subject.ref
        let named: [(namespace: String, name: String)]
        if case .pod = subject {
            named = pods.map { ($0.namespace, $0.name) }
        } else {
            named = whoCan.derived.identities.filter { sameBytes($0.kind, ref.kind) }.map { ($0.namespace, $0.name) }
        }
        let candidates = named.filter { sameBytes($0.namespace, ref.namespace) }.map(\.name)
        let elsewhere = ref.namespace.isEmpty ? [] : named.filter { sameBytes($0.name, ref.name) }.map(\.namespace)
        return UnknownBlastSubject(subject: subject, candidates: Array(Set(candidates)).sorted(),
                                   elsewhere: Array(Set(elsewhere)).sorted())
    }
}
