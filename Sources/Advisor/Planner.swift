import Exposure
import KubeModel
import RBAC

/// Chooses each offending binding's fix, in the order of issue 11, and
/// collects the objects to apply and delete:
///
/// 1. a Role bound only by this binding, every subject offending: the Role is
///    edited in place (key names removed, or the rule split);
/// 2. a shared role (bound elsewhere too, a ClusterRole, aggregated, built in)
///    or a binding with subjects that read no key: a derived Role
///    `<role>-no-private-keys` in the binding's namespace (aggregated rules
///    materialised) and the offending subjects re-bound to it;
/// 3. a ClusterRoleBinding: a derived ClusterRole for what stays
///    cluster-wide, and per namespace a Role naming the secrets that stay;
///    an ingress controller keeps its secrets rule in the namespaces of
///    Ingresses, left for review;
/// 4. a `*`-on-`*` rule: nothing applied, a drafted role for a human.
///
/// Subjects that read no key through the binding (expected holders) stay
/// in the original binding with the original role.
struct Planner {
    let snapshot: ClusterSnapshot
    let roles: EffectiveRoles
    private let bindings: [ObjectRef: RoleBinding]
    private let roleObjects: [ObjectRef: Role]
    /// How many bindings name each Role (namespace, name).
    private let roleUse: [ObjectRef: Int]
    let keysByNamespace: [String: Set<String>]
    let otherSecretsByNamespace: [String: [String]]
    private let ingressNamespaces: [String]
    private let existing: Set<ObjectRef>

    private(set) var apply: [ManifestObject] = []
    private var applied: [ObjectRef: Int] = [:]
    private(set) var delete: Set<ObjectRef> = []
    private(set) var reviewBindings: Set<ObjectRef> = []

    init(snapshot: ClusterSnapshot, keys: [PrivateKeySecret]) {
        self.snapshot = snapshot
        roles = EffectiveRoles(snapshot.roles)
        var bindings: [ObjectRef: RoleBinding] = [:]
        var roleUse: [ObjectRef: Int] = [:]
        for binding in snapshot.bindings {
            bindings[Advisor.bindingRefOf(binding)] = binding
            if !binding.isClusterRoleBinding, binding.roleRef.kind == "Role" {
                roleUse[ObjectRef(kind: "Role", namespace: binding.meta.namespace, name: binding.roleRef.name), default: 0] += 1
            }
        }
        self.bindings = bindings
        self.roleUse = roleUse
        roleObjects = Dictionary(snapshot.roles.map { (roleRef($0), $0) }, uniquingKeysWith: { _, later in later })
        var keysByNamespace: [String: Set<String>] = [:]
        for key in keys { keysByNamespace[key.secret.namespace, default: []].insert(key.secret.name) }
        self.keysByNamespace = keysByNamespace
        var others: [String: Set<String>] = [:]
        for secret in snapshot.secrets where !(keysByNamespace[secret.meta.namespace]?.contains(secret.meta.name) ?? false) {
            others[secret.meta.namespace, default: []].insert(secret.meta.name)
        }
        otherSecretsByNamespace = others.mapValues { $0.sorted() }
        ingressNamespaces = Set(snapshot.ingresses.map(\.meta.namespace)).sorted()
        existing = Set(snapshot.roles.map(roleRef)).union(bindings.keys)
    }

    typealias MakeFinding = (Grant, PolicyRule, Change) -> Finding

    /// The findings of one binding, its change planned.
    mutating func plan(binding ref: ObjectRef, grants: [Grant], finding: MakeFinding) -> [Finding] {
        guard let binding = bindings[ref],
              let role = roles.resolve(binding.roleRef, bindingNamespace: binding.meta.namespace) else { return [] }
        let namespace = binding.meta.namespace
        func rule(_ grant: Grant) -> PolicyRule { role.rules[grant.ruleIndex] }
        let reviewSubjects = Set(grants.filter { RuleTightening.needsReview(rule($0)) }.map(\.subject))
        let offending = Set(grants.map(\.subject)).subtracting(reviewSubjects)
        var findings: [Finding] = []
        // `*` on `*`: a draft, nothing applied; the binding keeps these subjects.
        for grant in grants where reviewSubjects.contains(grant.subject) {
            reviewBindings.insert(ref)
            findings.append(finding(grant, rule(grant), reviewChange(grant, role: role, namespace: namespace)))
        }
        guard !offending.isEmpty else { return findings }
        let moved = binding.subjects.filter { offending.contains(effectiveSubject($0, bindingNamespace: namespace)) }
        let staying = binding.subjects.filter { !offending.contains(effectiveSubject($0, bindingNamespace: namespace)) }
        let ids = grants.filter { offending.contains($0.subject) }.map(\.findingID)
        var plan: BindingPlan
        if binding.isClusterRoleBinding {
            plan = clusterWide(binding, role: role, moved: moved, ids: ids)
        } else {
            plan = namespaced(binding, role: role, moved: moved, keepsSubjects: !staying.isEmpty, ids: ids)
        }
        if !plan.inPlace {
            if staying.isEmpty {
                delete.insert(ref)
            } else {
                var kept = binding
                kept.subjects = staying
                kept.meta = Self.manifestMeta(binding.meta, findings: ids)
                plan.objects.append(add(.binding(kept), replacing: true))
            }
        }
        for grant in grants where offending.contains(grant.subject) {
            findings.append(finding(grant, rule(grant), change(for: grant, rule: rule(grant), binding: binding, plan: plan)))
        }
        return findings
    }

    /// What one binding's fix wrote.
    struct BindingPlan {
        var kind: Change.Kind
        var inPlace = false
        var objects: [ObjectRef] = []
        var ingressController: String?
    }

    // MARK: RoleBinding

    mutating func namespaced(_ binding: RoleBinding, role: ResolvedRole, moved: [Subject], keepsSubjects: Bool,
                             ids: [String]) -> BindingPlan {
        let namespace = binding.meta.namespace
        let keys = keysByNamespace[namespace] ?? []
        let others = otherSecretsByNamespace[namespace] ?? []
        let rules = role.rules.flatMap { RuleTightening.tightened($0, keys: keys, otherSecrets: others) }
        if role.ref.kind == "Role", roleUse[role.ref] == 1, !keepsSubjects, let original = roleObjects[role.ref] {
            var edited = original
            edited.rules = rules
            edited.meta = Self.manifestMeta(original.meta, findings: ids)
            return BindingPlan(kind: .splitRule, inPlace: true, objects: [add(.role(edited), replacing: true)])
        }
        let derivedRole = add(.role(Role(meta: Self.generatedMeta(role.ref.name + Advisor.derivedSuffix, namespace: namespace, findings: ids),
                                         rules: Self.namespacedRules(rules))))
        let rebound = add(.binding(RoleBinding(
            meta: Self.generatedMeta(binding.meta.name + Advisor.derivedSuffix, namespace: namespace, findings: ids),
            roleRef: RoleRef(kind: "Role", name: derivedRole.name), subjects: moved)))
        return BindingPlan(kind: .deriveRole, objects: [derivedRole, rebound])
    }

    // MARK: ClusterRoleBinding

    mutating func clusterWide(_ binding: RoleBinding, role: ResolvedRole, moved: [Subject], ids: [String]) -> BindingPlan {
        var clusterRules: [PolicyRule] = []
        var byNamespace: [String: [PolicyRule]] = [:]
        for rule in role.rules {
            let (cluster, named) = RuleTightening.tightenedClusterWide(
                rule, keysByNamespace: keysByNamespace, otherSecretsByNamespace: otherSecretsByNamespace)
            clusterRules += cluster
            for (namespace, rules) in named { byNamespace[namespace, default: []] += rules }
        }
        // An ingress controller must list the secrets of the Ingresses it serves:
        // it keeps its secrets rules where Ingresses are, left for review.
        let controller = moved.allSatisfy { $0.kind == SubjectKind.serviceAccount }
            ? moved.compactMap { IngressControllers.controller(ofServiceAccount: $0.name)?.name }.first : nil
        var plan = BindingPlan(kind: .namespacedBindings, ingressController: controller)
        let suffix = (controller == nil ? "" : "-ingress") + Advisor.derivedSuffix
        if controller != nil {
            let secretRules = role.rules.filter { RuleTightening.readsSecrets($0) && !RuleTightening.needsReview($0) }.map {
                PolicyRule(verbs: $0.verbs, apiGroups: [SecretResource.apiGroup], resources: [SecretResource.resource],
                           resourceNames: $0.resourceNames)
            }
            for namespace in ingressNamespaces { byNamespace[namespace] = secretRules }
        }
        if !clusterRules.isEmpty {
            let derivedRole = add(.role(Role(meta: Self.generatedMeta(role.ref.name + suffix, findings: ids), rules: clusterRules)))
            plan.objects += [derivedRole, add(.binding(RoleBinding(
                meta: Self.generatedMeta(binding.meta.name + suffix, findings: ids),
                roleRef: RoleRef(kind: "ClusterRole", name: derivedRole.name), subjects: moved)))]
        }
        for namespace in byNamespace.keys.sorted() {
            let derivedRole = add(.role(Role(meta: Self.generatedMeta(role.ref.name + suffix, namespace: namespace, findings: ids),
                                             rules: byNamespace[namespace]!)))
            let rebound = add(.binding(RoleBinding(
                meta: Self.generatedMeta(binding.meta.name + suffix, namespace: namespace, findings: ids),
                roleRef: RoleRef(kind: "Role", name: derivedRole.name), subjects: moved)))
            plan.objects += [derivedRole, rebound]
            if controller != nil, ingressNamespaces.contains(namespace) { reviewBindings.insert(rebound) }
        }
        return plan
    }

    // MARK: Objects

    /// Adds an object to the proposal and returns its reference. The same
    /// object twice (two bindings of one role) is written once; a different
    /// object of a name already taken (in the proposal or the cluster) gets a
    /// numbered name.
    mutating func add(_ object: ManifestObject, replacing: Bool = false) -> ObjectRef {
        var candidate = object
        var attempt = 1
        while true {
            if let index = applied[candidate.ref] {
                if Self.sameContent(apply[index], candidate) { return candidate.ref }
            } else if replacing || !existing.contains(candidate.ref) {
                // An edit replaces its object; a generated one never overwrites an object of the cluster.
                applied[candidate.ref] = apply.count
                apply.append(candidate)
                return candidate.ref
            }
            attempt += 1
            candidate = Self.renamed(object, suffix: "-\(attempt)")
        }
    }

    static func sameContent(_ a: ManifestObject, _ b: ManifestObject) -> Bool {
        switch (a, b) {
        case (.role(let x), .role(let y)): x.rules == y.rules && x.aggregationRule == y.aggregationRule
        case (.binding(let x), .binding(let y)): x.roleRef == y.roleRef && x.subjects == y.subjects
        default: false
        }
    }

    static func renamed(_ object: ManifestObject, suffix: String) -> ManifestObject {
        switch object {
        case .role(var role):
            role.meta.name += suffix
            return .role(role)
        case .binding(var binding):
            binding.meta.name += suffix
            return .binding(binding)
        }
    }

    /// A Role cannot hold nonResourceURLs, and they never apply through a RoleBinding.
    static func namespacedRules(_ rules: [PolicyRule]) -> [PolicyRule] {
        rules.compactMap { rule in
            guard !rule.resources.isEmpty else { return nil }
            var copy = rule
            copy.nonResourceURLs = []
            return copy
        }
    }

    /// Metadata of an object keyreach generates: the managed-by label and the finding annotation.
    static func generatedMeta(_ name: String, namespace: String = "", findings: [String]) -> ObjectMeta {
        var meta = manifestMeta(ObjectMeta(name: name, namespace: namespace), findings: findings)
        meta.labels[Advisor.managedByLabel] = Advisor.managedByValue
        return meta
    }

    /// An existing object's name, labels and annotations (never its uid or
    /// owners), with the finding annotation added; it stays the owner's object.
    static func manifestMeta(_ meta: ObjectMeta, findings: [String]) -> ObjectMeta {
        let labels = meta.labels
        var annotations = meta.annotations
        annotations[Advisor.findingAnnotation] = findings.joined(separator: ",")
        return ObjectMeta(name: meta.name, namespace: meta.namespace, labels: labels, annotations: annotations)
    }
}

extension Advisor {
    static func bindingRefOf(_ binding: RoleBinding) -> ObjectRef { bindingRef(binding) }
}
