import KubeModel

/// One rule that applies to a user in a namespace, and the binding that
/// grants it: a line of `kubectl auth can-i --list`.
public struct ReviewedRule: Sendable, Hashable {
    public var rule: PolicyRule
    public var binding: ObjectRef
    public var role: ObjectRef
    /// The rule's index in the role's rules (after aggregation).
    public var ruleIndex: Int
    /// The binding subject that matched the user.
    public var subject: Subject
}

/// `SelfSubjectRulesReview` as the RBAC authorizer answers it (`RulesFor`,
/// plugin/pkg/auth/authorizer/rbac/rbac.go, which calls `VisitRulesFor` of
/// pkg/registry/rbac/validation/rule.go): every rule of every
/// ClusterRoleBinding, and of every RoleBinding in `namespace`, whose subject
/// applies to the user. An empty namespace (`-A`) means ClusterRoleBindings
/// only, as there.
///
/// Bindings, roles and subject matching are the engine's own
/// (``boundSubjects(_:roles:)``, ``EffectiveRoles``, ``UserInfo/principals``),
/// the ones ``Authorizer`` decides with. Like the API server, neither
/// `system:masters` nor the node authorizer contribute rules here.
///
/// ```swift
/// let user = Impersonation.userInfo(as: "jane", groups: ["dev"])
/// for reviewed in RulesReview.rules(for: user, namespace: "shop", snapshot: snapshot) {
///     print(reviewed.rule.verbs, reviewed.rule.resources)
/// }
/// ```
public enum RulesReview {
    public static func rules(for user: UserInfo, namespace: String, snapshot: ClusterSnapshot,
                             roles: EffectiveRoles? = nil) -> [ReviewedRule] {
        let roles = roles ?? EffectiveRoles(snapshot.roles)
        let principals = Set(user.principals.map(PrincipalKey.init))
        let bindings = snapshot.bindings.filter { binding in
            binding.meta.namespace.isEmpty || (!namespace.isEmpty && sameBytes(binding.meta.namespace, namespace))
        }
        // ClusterRoleBindings first, then RoleBindings, as VisitRulesFor visits them.
        let ordered = bindings.filter(\.meta.namespace.isEmpty) + bindings.filter { !$0.meta.namespace.isEmpty }
        var reviewed: [ReviewedRule] = []
        for bound in boundSubjects(ordered, roles: roles) where principals.contains(PrincipalKey(bound.principal)) {
            for (index, rule) in bound.role.rules.enumerated() {
                reviewed.append(ReviewedRule(rule: rule, binding: bound.binding, role: bound.role.ref,
                                             ruleIndex: index, subject: bound.subject))
            }
        }
        return reviewed
    }
}

extension RulesReview {
    /// The rules as `kubectl auth can-i --list` prints them
    /// (k8s.io/kubectl/pkg/util/rbac): each rule broken down to one verb of
    /// one resource of one group (and one name), the simple ones merged back
    /// per group, resource and name with their verbs in order of appearance,
    /// non-resource rules one per URL and verb; sorted as kubectl sorts them,
    /// by the rule's text, verbs first.
    public static func compact(_ rules: [PolicyRule]) -> [PolicyRule] {
        var simple: [ByteString: Int] = [:]
        var compacted: [PolicyRule] = []
        for rule in rules.flatMap(breakdown) {
            guard rule.nonResourceURLs.isEmpty else {
                compacted.append(rule)
                continue
            }
            let key = ByteString([rule.apiGroups[0], rule.resources[0], rule.resourceNames.first ?? ""].joined(separator: "\u{0}"))
            if let index = simple[key] {
                for verb in rule.verbs where !compacted[index].verbs.containsBytes(verb) { compacted[index].verbs.append(verb) }
            } else {
                simple[key] = compacted.count
                compacted.append(rule)
            }
        }
        return compacted.sorted { bytesPrecede(sortKey($0), sortKey($1)) }
    }

    /// `BreakdownRule`: one rule per group × resource × verb (× name), and
    /// per non-resource URL × verb.
    static func breakdown(_ rule: PolicyRule) -> [PolicyRule] {
        var out: [PolicyRule] = []
        for group in rule.apiGroups {
            for resource in rule.resources {
                for verb in rule.verbs {
                    if rule.resourceNames.isEmpty {
                        out.append(PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource]))
                    } else {
                        for name in rule.resourceNames {
                            out.append(PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name]))
                        }
                    }
                }
            }
        }
        for url in rule.nonResourceURLs {
            for verb in rule.verbs { out.append(PolicyRule(verbs: [verb], nonResourceURLs: [url])) }
        }
        return out
    }

    /// `SortableRuleSlice` compares the rules' Go text, `&PolicyRule{Verbs:[...],APIGroups:[...],...}`, as bytes.
    static func sortKey(_ rule: PolicyRule) -> String {
        func list(_ values: [String]) -> String { "[" + values.joined(separator: " ") + "]" }
        return "Verbs:\(list(rule.verbs)),APIGroups:\(list(rule.apiGroups)),Resources:\(list(rule.resources)),"
            + "ResourceNames:\(list(rule.resourceNames)),NonResourceURLs:\(list(rule.nonResourceURLs)),}"
    }

    /// kubectl's `CombineResourceGroup`: `resource.group/subresource`, or the
    /// resource alone for the core group; empty for a non-resource rule.
    public static func resourceColumn(_ rule: PolicyRule) -> String {
        guard let resource = rule.resources.first else { return "" }
        let parts = splitBytes(resource, at: "/", maxSplits: 1)
        var combined = parts[0]
        if let group = rule.apiGroups.first, !group.isEmpty { combined += "." + group }
        if parts.count == 2 { combined += "/" + parts[1] }
        return combined
    }
}
