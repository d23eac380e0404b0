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
    /// ClusterRoles by name, rules after aggregation.
    public let clusterRoles: [String: Role]
    /// Roles by namespace, then name.
    public let namespacedRoles: [String: [String: Role]]

    /// When a dump holds the same role twice, the later one wins, as a second
    /// `kubectl apply` of the same name would.
    public init(_ roles: [Role]) {
        var clusterRoles: [String: Role] = [:]
        var namespacedRoles: [String: [String: Role]] = [:]
        for role in roles {
            if role.isClusterRole {
                clusterRoles[role.meta.name] = role
            } else {
                namespacedRoles[role.meta.namespace, default: [:]][role.meta.name] = role
            }
        }
        let aggregatedRules = aggregateClusterRoleRules(clusterRoles)
        for (name, rules) in aggregatedRules { clusterRoles[name]?.rules = rules }
        self.clusterRoles = clusterRoles
        self.namespacedRoles = namespacedRoles
    }

    public func clusterRole(named name: String) -> Role? { clusterRoles[name] }

    public func role(namespace: String, name: String) -> Role? { namespacedRoles[namespace]?[name] }

    /// `GetRoleReferenceRules` (pkg/registry/rbac/validation/rule.go): kind
    /// `Role` is looked up in the binding's namespace (so a ClusterRoleBinding,
    /// namespace `""`, never finds one), kind `ClusterRole` by name; any other
    /// kind (`clusterrole`, `Group`) is unsupported. `nil` means the binding
    /// grants nothing. The roleRef's apiGroup is not consulted, as there.
    public func resolve(_ roleRef: RoleRef, bindingNamespace: String) -> ResolvedRole? {
        switch roleRef.kind {
        case "Role":
            guard !bindingNamespace.isEmpty, let role = role(namespace: bindingNamespace, name: roleRef.name) else {
                return nil
            }
            return ResolvedRole(ref: ObjectRef(kind: "Role", namespace: bindingNamespace, name: roleRef.name),
                                rules: role.rules)
        case "ClusterRole":
            guard let role = clusterRole(named: roleRef.name) else { return nil }
            return ResolvedRole(ref: ObjectRef(kind: "ClusterRole", name: roleRef.name), rules: role.rules)
        default:
            return nil
        }
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
/// matching ClusterRoles sorted by name, skipping the role itself, add their
/// rules unless an equal rule is already there. A selector that
/// `LabelSelectorAsSelector` rejects makes the controller's sync fail, so that
/// role aggregates nothing at all and keeps its stored rules.
///
/// Unlike the controller, the result starts from the rules already stored:
/// a live dump holds the controller's output (so nothing changes and rule
/// indexes stay those of the cluster), a raw manifest holds `rules: null`.
/// Aggregating roles that select each other are repeated until nothing
/// changes, as the controller's re-queue on every ClusterRole change does.
func aggregateClusterRoleRules(_ clusterRoles: [String: Role]) -> [String: [PolicyRule]] {
    let names = clusterRoles.keys.sorted()
    let aggregators: [(name: String, sources: [[String]])] = names.compactMap { name in
        guard let aggregationRule = clusterRoles[name]!.aggregationRule else { return nil }
        var sourcesPerSelector: [[String]] = []
        for selector in aggregationRule.clusterRoleSelectors {
            guard let compiled = CompiledLabelSelector(selector) else { return nil }
            sourcesPerSelector.append(names.filter { $0 != name && compiled.matches(clusterRoles[$0]!.meta.labels) })
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
            var seen = Set(rules)
            for source in aggregator.sources.joined() {
                for rule in current[source]! where seen.insert(rule).inserted {
                    rules.append(rule)
                }
            }
            if rules != current[aggregator.name] {
                current[aggregator.name] = rules
                changed = true
            }
        }
    }
    return Dictionary(uniqueKeysWithValues: aggregators.map { ($0.name, current[$0.name]!) })
}
