import KubeModel

/// What `keyreach suggest` proposes: the findings, the objects to apply
/// (`kubectl apply -f`), and the objects to delete afterwards.
///
/// ```swift
/// let suggestion = Advisor.suggest(snapshot: snapshot, whoCan: whoCan, expectedHolders: ExpectedHolders())
/// let fixed = suggestion.applied(to: snapshot)   // what the cluster looks like afterwards
/// ```
public struct Suggestion: Sendable, Hashable {
    /// Worst first.
    public var findings: [Finding]
    /// Roles, ClusterRoles and bindings to apply, in apply order (roles before the bindings that use them).
    public var apply: [ManifestObject]
    /// Bindings to delete once ``apply`` is in place (roleRef is immutable: a binding is re-created, then deleted).
    public var delete: [ObjectRef]
    /// The bindings, as they stand after the change, whose key reads are knowingly left in place.
    public var reviewBindings: Set<ObjectRef>
    /// With `--indirect`: the grants behind indirect chains, findings of their own that
    /// nothing rewrites (``IndirectFinding``). `nil` when not asked.
    public var indirectFindings: [IndirectFinding]? = nil

    public init(findings: [Finding] = [], apply: [ManifestObject] = [], delete: [ObjectRef] = [],
                reviewBindings: Set<ObjectRef> = []) {
        self.findings = findings
        self.apply = apply
        self.delete = delete
        self.reviewBindings = reviewBindings
    }

    /// Findings left for a human (``Change/leftForReview``).
    public var leftForReview: Int { findings.filter(\.change.leftForReview).count }

    /// The snapshot with the proposal applied, as `kubectl apply` then
    /// `kubectl delete` would leave it: objects of the same kind, namespace
    /// and name are replaced, new ones added, deleted ones removed.
    public func applied(to snapshot: ClusterSnapshot) -> ClusterSnapshot {
        let replaced = Set(apply.map(\.ref)).union(delete)
        var result = snapshot
        result.roles = snapshot.roles.filter { !replaced.contains(roleRef($0)) }
        result.bindings = snapshot.bindings.filter { !replaced.contains(bindingRef($0)) }
        for object in apply {
            switch object {
            case .role(let role): result.roles.append(role)
            case .binding(let binding): result.bindings.append(binding)
            }
        }
        return result
    }
}

/// An object of the proposal: a Role or ClusterRole, or a binding.
public enum ManifestObject: Sendable, Hashable {
    case role(Role)
    case binding(RoleBinding)

    public var ref: ObjectRef {
        switch self {
        case .role(let role): roleRef(role)
        case .binding(let binding): bindingRef(binding)
        }
    }

    public var meta: ObjectMeta {
        switch self {
        case .role(let role): role.meta
        case .binding(let binding): binding.meta
        }
    }
}

/// `Role`/`ClusterRole`, namespace, name.
public func roleRef(_ role: Role) -> ObjectRef {
    ObjectRef(kind: role.isClusterRole ? "ClusterRole" : "Role", namespace: role.meta.namespace, name: role.meta.name)
}

/// `RoleBinding`/`ClusterRoleBinding`, namespace, name.
public func bindingRef(_ binding: RoleBinding) -> ObjectRef {
    ObjectRef(kind: binding.isClusterRoleBinding ? "ClusterRoleBinding" : "RoleBinding",
              namespace: binding.meta.namespace, name: binding.meta.name)
}
