import KubeModel

/// One reason a request is allowed. The explanation a user sees is built from
/// the same values the decision used, so the two cannot drift apart.
///
/// Render writes them as the `via` entries of DESIGN.md's who-can shape:
/// `{"binding": {...}, "role": {...}, "rule": 0, "as": {"kind": "Group", "name": "G"}}`,
/// `{"superuser": true, "group": "system:masters"}`,
/// `{"node": {"kind": "Node", "name": "n1"}, "pod": {...}, "source": "volume"}`.
///
/// Paths compare, hash and sort by the bytes of their names (Ordering.swift),
/// so two bindings whose names differ only in Unicode spelling stay two paths.
public enum AccessPath: Sendable, Hashable, Comparable {
    /// The user is in `system:masters`, which the API server allows
    /// everything before any authorizer runs.
    case superuser(group: String)
    /// The node authorizer: the kubelet's node runs a pod that references the secret.
    case node(NodeAccess)
    /// An RBAC binding of a role whose rule allows the request.
    case rbac(RBACAccess)

    public static func < (a: AccessPath, b: AccessPath) -> Bool { compareBytes(a, b) == .before }

    public static func == (a: AccessPath, b: AccessPath) -> Bool { compareBytes(a, b) == .same }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(order)
        switch self {
        case let .superuser(group): hashBytes(group, into: &hasher)
        case let .node(access): access.hash(into: &hasher)
        case let .rbac(access): access.hash(into: &hasher)
        }
    }

    fileprivate var order: Int {
        switch self {
        case .superuser: 0
        case .node: 1
        case .rbac: 2
        }
    }

    /// One line for `--explain` and tables.
    public var explanation: String {
        switch self {
        case let .superuser(group):
            return "superuser: member of group \(group), which bypasses authorization"
        case let .node(access):
            return "node authorizer: node \(access.node) runs pod \(access.pod.namespace)/\(access.pod.name), "
                + "which references the secret (\(access.source.rawValue))"
        case let .rbac(access):
            return "RBAC: \(access.binding.kindAndName) of \(access.role.kindAndName) (rule \(access.ruleIndex))"
                + " to \(access.subject.kindAndName)"
        }
    }
}

/// The RBAC part of a decision: which binding, which role and rule, the
/// binding subject that matched (ServiceAccount namespace defaulted) and which
/// of the user's principals matched it.
public struct RBACAccess: Sendable, Hashable, Comparable {
    public var binding: ObjectRef
    public var role: ObjectRef
    /// Index into the role's rules after aggregation.
    public var ruleIndex: Int
    public var subject: Subject
    public var principal: Principal

    public init(binding: ObjectRef, role: ObjectRef, ruleIndex: Int, subject: Subject, principal: Principal) {
        self.binding = binding
        self.role = role
        self.ruleIndex = ruleIndex
        self.subject = subject
        self.principal = principal
    }

    /// The path of a stored grant.
    init(_ grant: SecretGrant) {
        self.init(binding: grant.binding, role: grant.role, ruleIndex: grant.ruleIndex, subject: grant.subject,
                  principal: grant.principal)
    }

    /// By binding, role, rule, subject, then principal; names as bytes.
    public static func < (a: RBACAccess, b: RBACAccess) -> Bool { compareBytes(a, b) == .before }

    public static func == (a: RBACAccess, b: RBACAccess) -> Bool { compareBytes(a, b) == .same }

    public func hash(into hasher: inout Hasher) {
        hashBytes(binding, into: &hasher)
        hashBytes(role, into: &hasher)
        hasher.combine(ruleIndex)
        hashBytes(subject, into: &hasher)
        hasher.combine(principal.kind)
        hashBytes(principal.name, into: &hasher)
    }
}

/// The node authorizer part of a decision: the node, the pod bound to it and
/// where the pod spec names the secret.
public struct NodeAccess: Sendable, Hashable, Comparable {
    public var node: String
    public var pod: ObjectRef
    public var source: PodSecretReference.Source

    public init(node: String, pod: ObjectRef, source: PodSecretReference.Source) {
        self.node = node
        self.pod = pod
        self.source = source
    }

    /// By node, pod, then reference kind; names as bytes.
    public static func < (a: NodeAccess, b: NodeAccess) -> Bool { compareBytes(a, b) == .before }

    public static func == (a: NodeAccess, b: NodeAccess) -> Bool { compareBytes(a, b) == .same }

    public func hash(into hasher: inout Hasher) {
        hashBytes(node, into: &hasher)
        hashBytes(pod, into: &hasher)
        hasher.combine(source)
    }
}

/// The authorizer chain's answer: allowed when any path allows, with every
/// path that does (told apart and sorted by bytes, as ``AccessPath`` is).
public struct Decision: Sendable, Hashable {
    /// Sorted, without duplicates.
    public var paths: [AccessPath]

    public init(paths: [AccessPath]) { self.paths = Array(Set(paths)).sorted() }

    public var allowed: Bool { !paths.isEmpty }
}

/// Superuser, node, then RBAC paths; within a kind, by their fields as bytes.
func compareBytes(_ a: AccessPath, _ b: AccessPath) -> ByteOrdering {
    switch (a, b) {
    case let (.superuser(x), .superuser(y)): compareBytes(x, y)
    case let (.node(x), .node(y)): compareBytes(x, y)
    case let (.rbac(x), .rbac(y)): compareBytes(x, y)
    default: a.order < b.order ? .before : .after
    }
}

func compareBytes(_ a: RBACAccess, _ b: RBACAccess) -> ByteOrdering {
    compareOrigins(a.binding, a.role, a.ruleIndex, a.subject, a.principal,
                   b.binding, b.role, b.ruleIndex, b.subject, b.principal)
}

func compareBytes(_ a: NodeAccess, _ b: NodeAccess) -> ByteOrdering {
    compareBytes(a.node, b.node).then(compareBytes(a.pod, b.pod))
        .then(compareBytes(a.source.rawValue, b.source.rawValue))
}
