import KubeModel
import RBAC

/// How one policy rule is rewritten so that it no longer reads private keys
/// and grants everything else exactly as before. RBAC has no deny, so
/// excluding keys means naming what stays: the rule's other resources keep
/// their verbs, and core `secrets` keep the same verbs by `resourceNames`
/// restricted to the secrets that hold no private key.
///
/// Every function here is pure and decides with the engine's matchers
/// (`ruleCoversSecrets` semantics: `apiGroupMatches`, `resourceMatches`,
/// `verbMatches`), so what counts as "covers secrets" cannot drift from
/// what the authorizer allows.
///
/// ```swift
/// let rule = PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["secrets", "configmaps"])
/// RuleTightening.excludingCoreSecrets(rule)
/// // [PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["configmaps"])]
/// ```
public enum RuleTightening {
    /// Every resource the core (`""`) API group serves, with its
    /// subresources (`kubectl api-resources`, Kubernetes 1.31). The core
    /// group is closed: neither a CRD nor an aggregated API can add to it, so
    /// this list is what a `*` resource of the core group means.
    public static let coreResources: [String] = [
        "bindings", "componentstatuses", "configmaps", "endpoints", "events", "limitranges",
        "namespaces", "namespaces/finalize", "namespaces/status",
        "nodes", "nodes/proxy", "nodes/status",
        "persistentvolumeclaims", "persistentvolumeclaims/status", "persistentvolumes", "persistentvolumes/status",
        "pods", "pods/attach", "pods/binding", "pods/ephemeralcontainers", "pods/eviction", "pods/exec", "pods/log",
        "pods/portforward", "pods/proxy", "pods/resize", "pods/status",
        "podtemplates", "replicationcontrollers", "replicationcontrollers/scale", "replicationcontrollers/status",
        "resourcequotas", "resourcequotas/status", "secrets", "serviceaccounts", "serviceaccounts/token",
        "services", "services/proxy", "services/status",
    ]

    /// The verbs that return a secret's bytes, as the rule spells them.
    static let readVerbs = SecretReadVerb.allCases.map(\.rawValue)

    /// The rule allows get, list or watch of core `secrets` (any name).
    public static func readsSecrets(_ rule: PolicyRule) -> Bool {
        coversCoreSecrets(rule) && readVerbs.contains { verbMatches(rule, $0) }
    }

    /// The rule's groups and resources match core `secrets` without subresource.
    public static func coversCoreSecrets(_ rule: PolicyRule) -> Bool {
        apiGroupMatches(rule, SecretResource.apiGroup)
            && resourceMatches(rule, resource: SecretResource.resource, subresource: "")
    }

    /// `*` on `*` (cluster-admin-like): every resource of every group. RBAC
    /// cannot say "every group but core secrets", so such a rule is never
    /// rewritten blindly; its finding is left for a human.
    public static func needsReview(_ rule: PolicyRule) -> Bool {
        readsSecrets(rule) && rule.apiGroups.contains(PolicyWildcard.apiGroupAll)
            && rule.resources.contains(PolicyWildcard.resourceAll)
    }

    /// Rules that match exactly what `rule` matches except core `secrets`
    /// (names, verbs and every other group and resource unchanged). A `*`
    /// resource of the core group becomes ``coreResources`` without
    /// `secrets`; a `*` group keeps its other resources but no longer grants
    /// a `secrets` resource of another API group (none exists in Kubernetes
    /// itself: the finding says so). `*` on `*` is ``needsReview(_:)`` and
    /// is returned unchanged.
    public static func excludingCoreSecrets(_ rule: PolicyRule) -> [PolicyRule] {
        guard coversCoreSecrets(rule), !(rule.apiGroups.contains(PolicyWildcard.apiGroupAll)
                                         && rule.resources.contains(PolicyWildcard.resourceAll)) else { return [rule] }
        if rule.apiGroups.contains(PolicyWildcard.apiGroupAll) {
            // Explicit resources: drop `secrets`, every group keeps the rest.
            return nonEmpty(rule, resources: rule.resources.filter { $0 != SecretResource.resource })
        }
        var rules: [PolicyRule] = []
        let otherGroups = rule.apiGroups.filter { $0 != SecretResource.apiGroup }
        if !otherGroups.isEmpty { rules += nonEmpty(rule, groups: uniqued(otherGroups), resources: rule.resources) }
        var coreResources = rule.resources.filter { $0 != SecretResource.resource && $0 != PolicyWildcard.resourceAll }
        if rule.resources.contains(PolicyWildcard.resourceAll) {
            coreResources = uniqued(Self.coreResources.filter { $0 != SecretResource.resource }
                + coreResources.filter { !Self.coreResources.contains($0) })
        }
        rules += nonEmpty(rule, groups: [SecretResource.apiGroup], resources: coreResources)
        return rules
    }

    /// The same verbs on core `secrets` of these names: what a rule keeps of
    /// the secrets that hold no private key.
    public static func namedSecrets(verbs: [String], names: [String]) -> PolicyRule {
        PolicyRule(verbs: verbs, apiGroups: [SecretResource.apiGroup], resources: [SecretResource.resource],
                   resourceNames: names)
    }

    /// A rule's rewrite in one namespace (a RoleBinding's): `keys` are the
    /// private-key secret names there, `otherSecrets` the names of the
    /// namespace's other secrets, sorted.
    ///
    /// - `resourceNames` naming keys: those names are removed (the rule is
    ///   dropped when none is left, as an empty list means every name); the
    ///   rule's other resources keep the removed names.
    /// - no `resourceNames`: the rule is split: other resources as before,
    ///   `secrets` by name for `otherSecrets`.
    /// - a rule that reads no key here is kept as it is.
    public static func tightened(_ rule: PolicyRule, keys: Set<String>, otherSecrets: [String]) -> [PolicyRule] {
        guard readsSecrets(rule), !needsReview(rule) else { return [rule] }
        if !rule.resourceNames.isEmpty {
            let named = rule.resourceNames.filter { keys.contains($0) }
            guard !named.isEmpty else { return [rule] }
            return withNames(rule, rule.resourceNames.filter { !keys.contains($0) })
                + withNames(rule, uniqued(named)).flatMap(excludingCoreSecrets)
        }
        guard !keys.isEmpty else { return [rule] }
        return excludingCoreSecrets(rule) + (otherSecrets.isEmpty ? [] : [namedSecrets(verbs: rule.verbs, names: otherSecrets)])
    }

    /// A rule's rewrite for a ClusterRoleBinding: what stays cluster-wide,
    /// and per namespace the secrets that must now be named there (a name
    /// granted cluster-wide reaches that name in every namespace, and a name
    /// that is a key in one namespace may be harmless in another).
    ///
    /// `keysByNamespace` and `otherSecretsByNamespace` hold the key names and
    /// the other secret names (sorted) of every namespace.
    public static func tightenedClusterWide(_ rule: PolicyRule, keysByNamespace: [String: Set<String>],
                                            otherSecretsByNamespace: [String: [String]])
        -> (clusterWide: [PolicyRule], byNamespace: [String: [PolicyRule]]) {
        guard readsSecrets(rule), !needsReview(rule) else { return ([rule], [:]) }
        let anyKey = keysByNamespace.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        var byNamespace: [String: [PolicyRule]] = [:]
        if !rule.resourceNames.isEmpty {
            let named = uniqued(rule.resourceNames.filter { anyKey.contains($0) })
            guard !named.isEmpty else { return ([rule], [:]) }
            for (namespace, others) in otherSecretsByNamespace {
                let harmless = named.filter { others.contains($0) }
                if !harmless.isEmpty { byNamespace[namespace] = [namedSecrets(verbs: rule.verbs, names: harmless)] }
            }
            return (withNames(rule, rule.resourceNames.filter { !anyKey.contains($0) })
                        + withNames(rule, named).flatMap(excludingCoreSecrets), byNamespace)
        }
        guard !anyKey.isEmpty else { return ([rule], [:]) }
        for (namespace, others) in otherSecretsByNamespace where !others.isEmpty {
            byNamespace[namespace] = [namedSecrets(verbs: rule.verbs, names: others)]
        }
        return (excludingCoreSecrets(rule), byNamespace)
    }

    // MARK: Helpers

    /// The rule with other names; none when `names` is empty (it would mean every name).
    static func withNames(_ rule: PolicyRule, _ names: [String]) -> [PolicyRule] {
        guard !names.isEmpty else { return [] }
        var copy = rule
        copy.resourceNames = names
        return [copy]
    }

    static func nonEmpty(_ rule: PolicyRule, groups: [String]? = nil, resources: [String]) -> [PolicyRule] {
        guard !resources.isEmpty else { return [] }
        var copy = rule
        if let groups { copy.apiGroups = groups }
        copy.resources = resources
        return [copy]
    }

    static func uniqued(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
