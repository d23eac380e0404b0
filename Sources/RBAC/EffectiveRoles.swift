import KubeModel

/// The Roles and ClusterRoles of a snapshot as the authorizer sees them:
/// aggregated ClusterRoles filled the way the clusterrole-aggregation
/// controller fills them, and the lookup of a binding's `roleRef`.
///
/// ```swift
/// let roles = EffectiveRoles(snapshot.roles)
/// let edit = roles.clusterRole(named: "edit")   // rules of system:aggregate-to-edit and view
/// ```
public struct EffectiveRoles: Sendable {
    /// ClusterRoles by name (as bytes, as the API server keys them), rules after aggregation.
    public let clusterRoles: [ByteString: Role]
    /// Roles by namespace, then name.
    public let namespacedRoles: [ByteString: [ByteString: Role]]

    /// When a dump holds the same role twice, the later one wins, as a second
    /// `kubectl apply` of the same name would. Names that differ in bytes are
    /// different roles, even when Swift's `==` calls them equal.
    public init(_ roles: [Role]) {
        var clusterRoles: [ByteString: Role] = [:]
        var namespacedRoles: [ByteString: [ByteString: Role]] = [:]
        for role in roles {
            if role.isClusterRole {
                clusterRoles[ByteString(role.meta.name)] = role
            } else {
                namespacedRoles[ByteString(role.meta.namespace), default: [:]][ByteString(role.meta.name)] = role
            }
        }
        let aggregatedRules = aggregateClusterRoleRules(clusterRoles)
        for (name, rules) in aggregatedRules { clusterRoles[name]?.rules = rules }
        self.clusterRoles = clusterRoles
        self.namespacedRoles = namespacedRoles
    }

    public func clusterRole(named name: String) -> Role? { clusterRoles[ByteString(name)] }

    public func role(namespace: String, name: String) -> Role? {
        namespacedRoles[ByteString(namespace)]?[ByteString(name)]
    }

    /// `GetRoleReferenceRules` (pkg/registry/rbac/validation/rule.go): kind
    /// `Role` is looked up in the binding's namespace (so a ClusterRoleBinding,
    /// namespace `""`, never finds one), kind `ClusterRole` by name; any other
    /// kind (`clusterrole`, `Group`) is unsupported. `nil` means the binding
    /// grants nothing. The roleRef's apiGroup is not consulted, as there.
    public func resolve(_ roleRef: RoleRef, bindingNamespace: String) -> ResolvedRole? {
        switch RoleRefKind.known(roleRef.kind) {
        case .role:
            guard !bindingNamespace.isEmpty, let role = role(namespace: bindingNamespace, name: roleRef.name) else {
                return nil
            }
            return ResolvedRole(ref: ObjectRef(kind: "Role", namespace: bindingNamespace, name: roleRef.name),
                                rules: role.rules)
        case .clusterRole:
            guard let role = clusterRole(named: roleRef.name) else { return nil }
            return ResolvedRole(ref: ObjectRef(kind: "ClusterRole", name: roleRef.name), rules: role.rules)
        case nil:
            return nil
        }
    }
}

/// The kinds a `roleRef` may name, compared as bytes; `nil` for any other.
enum RoleRefKind {
    case role, clusterRole

    static func known(_ kind: String) -> RoleRefKind? {
        if sameBytes(kind, "Role") { return .role }
        if sameBytes(kind, "ClusterRole") { return .clusterRole }
        return nil
    }
}

/// A binding's role, found: which object it is and its (aggregated) rules.
public struct ResolvedRole: Sendable, Hashable {
    public var ref: ObjectRef
    public var rules: [PolicyRule]
}

/// The rules of every aggregated ClusterRole, computed to a fixed point.
///
/// pkg/controller/clusterroleaggregation: for each selector in order, the
/// matching ClusterRoles sorted by name (bytes), skipping the role itself, add
/// their rules unless an equal rule (`equality.Semantic.DeepEqual`: the same
/// bytes) is already there. A selector that `LabelSelectorAsSelector` rejects
/// makes the controller's sync fail, so that role aggregates nothing at all
/// and keeps its stored rules.
///
/// Unlike the controller, the result starts from the rules already stored:
/// a live dump holds the controller's output (so nothing changes and rule
/// indexes stay those of the cluster), a raw manifest holds `rules: null`.
/// Aggregating roles that select each other are repeated until nothing
/// changes, as the controller's re-queue on every ClusterRole change does.
func aggregateClusterRoleRules(_ clusterRoles: [ByteString: Role]) -> [ByteString: [PolicyRule]] {
    let names = clusterRoles.keys.sorted()
    let labels = clusterRoles.mapValues { byteLabels($0.meta.labels) }
    let aggregators: [(name: ByteString, sources: [[ByteString]])] = names.compactMap { name in
        guard let aggregationRule = clusterRoles[name]!.aggregationRule else { return nil }
        var sourcesPerSelector: [[ByteString]] = []
        for selector in aggregationRule.clusterRoleSelectors {
            guard let compiled = CompiledLabelSelector(selector) else { return nil }
            sourcesPerSelector.append(names.filter { $0 != name && compiled.matches(labels[$0]!) })
        }
        return (name, sourcesPerSelector)
    }
    var current = clusterRoles.mapValues(\.rules)
    // Rule sets only grow and are finite, so this converges; the cap guards
    // against an ordering that keeps shifting between mutually selecting roles.
    let passLimit = 2 * aggregators.count + 16
    var changed = true
    var passes = 0
    while changed && passes < passLimit {
        changed = false
        passes += 1
        for aggregator in aggregators {
            var rules = clusterRoles[aggregator.name]!.rules
            var seen = Set(rules.map(PolicyRuleBytes.init))
            for source in aggregator.sources.joined() {
                for rule in current[source]! where seen.insert(PolicyRuleBytes(rule)).inserted {
                    rules.append(rule)
                }
            }
            if rules.map(PolicyRuleBytes.init) != current[aggregator.name]!.map(PolicyRuleBytes.init) {
                current[aggregator.name] = rules
                changed = true
            }
        }
    }
    return Dictionary(uniqueKeysWithValues: aggregators.map { ($0.name, current[$0.name]!) })
}

/// A rule told apart the way Go's `DeepEqual` tells rules apart: every field,
/// every entry, as bytes.
struct PolicyRuleBytes: Hashable {
    var verbs: [ByteString]
    var apiGroups: [ByteString]
    var resources: [ByteString]
    var resourceNames: [ByteString]
    var nonResourceURLs: [ByteString]

    init(_ rule: PolicyRule) {
        verbs = rule.verbs.map(ByteString.init)
        apiGroups = rule.apiGroups.map(ByteString.init)
        resources = rule.resources.map(ByteString.init)
        resourceNames = rule.resourceNames.map(ByteString.init)
        nonResourceURLs = rule.nonResourceURLs.map(ByteString.init)
    }
}
