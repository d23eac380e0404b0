import KubeModel

/// The API server's authorization chain over one snapshot, offline:
/// `system:masters` (the privileged-group authorizer), then the node
/// authorizer (for secrets), then RBAC — allowed when any of them allows.
/// Every allowing path is reported, not only the first. Every name is
/// compared as bytes, as the API server compares it.
///
/// ```swift
/// let authorizer = Authorizer(snapshot: snapshot)
/// let user = Impersonation.userInfo(as: "system:serviceaccount:shop:web", groups: [])
/// let decision = authorizer.authorize(.secret("get", namespace: "shop", name: "shop-tls", user: user))
/// print(decision.allowed, decision.paths.map(\.explanation))
/// ```
public struct Authorizer: Sendable {
    public let roles: EffectiveRoles
    private let clusterBindings: [PrincipalKey: [BoundSubject]]
    private let namespacedBindings: [ByteString: [PrincipalKey: [BoundSubject]]]
    private let nodeSecrets: NodeSecretIndex

    public init(snapshot: ClusterSnapshot) {
        self.init(snapshot: snapshot, roles: EffectiveRoles(snapshot.roles))
    }

    /// Reuses already computed roles (aggregation is the costly part).
    public init(snapshot: ClusterSnapshot, roles: EffectiveRoles) {
        self.roles = roles
        var clusterBindings: [PrincipalKey: [BoundSubject]] = [:]
        var namespacedBindings: [ByteString: [PrincipalKey: [BoundSubject]]] = [:]
        for bound in boundSubjects(snapshot.bindings, roles: roles) {
            let principal = PrincipalKey(bound.principal)
            if bound.binding.namespace.isEmpty {
                clusterBindings[principal, default: []].append(bound)
            } else {
                namespacedBindings[ByteString(bound.binding.namespace), default: [:]][principal, default: []].append(bound)
            }
        }
        self.clusterBindings = clusterBindings
        self.namespacedBindings = namespacedBindings
        self.nodeSecrets = NodeSecretIndex(nodeSecretGrants(pods: snapshot.pods))
    }

    /// The chain's decision, with every path that allows `request`.
    public func authorize(_ request: ResourceRequest) -> Decision {
        Decision(paths: superuserPaths(request) + nodeSecrets.paths(for: request) + rbacPaths(request))
    }

    /// authorizerfactory.NewPrivilegedGroups(system:masters): members may do anything.
    func superuserPaths(_ request: ResourceRequest) -> [AccessPath] {
        request.user.groups.containsBytes(WellKnown.mastersGroup) ? [.superuser(group: WellKnown.mastersGroup)] : []
    }

    /// `VisitRulesFor` + `RuleAllows`: every ClusterRoleBinding, and the
    /// RoleBindings of the request's namespace (none for a cluster-wide
    /// request), whose subject applies to the user, each rule of its role
    /// that allows the request.
    func rbacPaths(_ request: ResourceRequest) -> [AccessPath] {
        var paths: [AccessPath] = []
        let namespaced = request.namespace.isEmpty ? [:] : (namespacedBindings[ByteString(request.namespace)] ?? [:])
        var seen: Set<PrincipalKey> = []
        for principal in request.user.principals {
            let key = PrincipalKey(principal)
            guard seen.insert(key).inserted else { continue }
            for bound in (clusterBindings[key] ?? []) + (namespaced[key] ?? []) {
                for (index, rule) in bound.role.rules.enumerated() where ruleAllows(rule, request) {
                    paths.append(.rbac(RBACAccess(binding: bound.binding, role: bound.role.ref, ruleIndex: index,
                                                  subject: bound.subject, principal: principal)))
                }
            }
        }
        return paths
    }
}

/// One subject of one binding whose role exists: what it matches and what it grants.
struct BoundSubject: Sendable {
    var binding: ObjectRef
    var subject: Subject
    var principal: Principal
    var role: ResolvedRole
}

/// Every binding subject that can match someone, with its binding's resolved
/// role. Bindings whose role is missing (or whose roleRef kind is not `Role`
/// or `ClusterRole`) grant nothing and are left out; so are subjects that
/// match no one. A binding without subjects simply contributes nothing.
func boundSubjects(_ bindings: [RoleBinding], roles: EffectiveRoles) -> [BoundSubject] {
    bindings.flatMap { boundSubjects(of: $0, roles: roles) }
}

/// The subjects of one binding that can match someone, each with the
/// binding's resolved role; none when the role is missing.
func boundSubjects(of binding: RoleBinding, roles: EffectiveRoles) -> [BoundSubject] {
    let namespace = binding.meta.namespace
    guard let role = roles.resolve(binding.roleRef, bindingNamespace: namespace) else { return [] }
    let ref = bindingRef(binding)
    return binding.subjects.compactMap { subject in
        guard let principal = subjectPrincipal(subject, bindingNamespace: namespace) else { return nil }
        return BoundSubject(binding: ref, subject: effectiveSubject(subject, bindingNamespace: namespace),
                            principal: principal, role: role)
    }
}

/// How grants and explanations name a binding.
func bindingRef(_ binding: RoleBinding) -> ObjectRef {
    ObjectRef(kind: binding.isClusterRoleBinding ? "ClusterRoleBinding" : "RoleBinding",
              namespace: binding.meta.namespace, name: binding.meta.name)
}
