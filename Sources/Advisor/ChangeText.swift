import KubeModel
import RBAC

/// The sentences a finding carries: what changes, what it costs, what a
/// human should know. Built from the same plan the objects came from.
extension Planner {
    func change(for grant: Grant, rule: PolicyRule, binding: RoleBinding, plan: BindingPlan) -> Change {
        let namespace = binding.meta.namespace
        let scope = namespace.isEmpty ? "in every namespace" : "in \(namespace)"
        let role = "\(grant.role.kind) \(displayName(grant.role))"
        let kind: Change.Kind = plan.inPlace ? (rule.resourceNames.isEmpty ? .splitRule : .removeNames) : plan.kind
        let summary: String
        switch kind {
        case .removeNames:
            let keys = rule.resourceNames.filter { (keysByNamespace[namespace] ?? []).contains($0) }
            summary = "remove the private keys \(keys.joined(separator: ", ")) from resourceNames of rule \(grant.ruleIndex) of \(role)"
        case .splitRule:
            let count = otherSecretsByNamespace[namespace]?.count ?? 0
            summary = "split rule \(grant.ruleIndex) of \(role): other resources keep their verbs; secrets only by name, "
                + "the \(count) secret\(count == 1 ? "" : "s") of \(namespace) that hold no private key"
        case .deriveRole:
            summary = "\(role) is shared or bound to others too: derive Role \(namespace)/\(grant.role.name)\(Advisor.derivedSuffix) "
                + "without key access and re-bind \(subjectName(grant.subject)) to it (roleRef is immutable: re-create, then delete)"
        case .namespacedBindings:
            let namespaces = plan.objects.filter { $0.kind == "RoleBinding" && !$0.namespace.isEmpty }.count
            summary = "\(binding.isClusterRoleBinding ? "ClusterRoleBinding" : "RoleBinding") \(displayName(grant.binding)) "
                + "grants secrets in every namespace: "
                + (plan.objects.contains { $0.kind == "ClusterRole" } ? "what stays cluster-wide goes to a derived ClusterRole, and "
                    : "nothing else of its role stays cluster-wide, and ")
                + "\(namespaces) namespace\(namespaces == 1 ? " gets" : "s get") a Role naming the secrets that hold no private key"
        case .review:
            summary = "left for review"
        }
        return Change(kind: kind, summary: summary, costs: costs(rule, scope: scope),
                      notes: notes(grant, plan: plan), objects: plan.objects + (delete.contains(grant.binding) ? [grant.binding] : []),
                      leftForReview: plan.ingressController != nil)
    }

    /// `*` on `*`: nothing applied; a drafted role keeps the core group without keys.
    func reviewChange(_ grant: Grant, role: ResolvedRole, namespace: String) -> Change {
        let keys = keysByNamespace[namespace] ?? []
        let others = namespace.isEmpty ? [] : otherSecretsByNamespace[namespace] ?? []
        let draft = role.rules.flatMap { rule -> [PolicyRule] in
            guard RuleTightening.needsReview(rule) else {
                return namespace.isEmpty ? rule.resourceNames.isEmpty && RuleTightening.readsSecrets(rule)
                    ? RuleTightening.excludingCoreSecrets(rule) : [rule]
                    : RuleTightening.tightened(rule, keys: keys, otherSecrets: others)
            }
            var core = rule
            core.apiGroups = [SecretResource.apiGroup]
            core.resources = RuleTightening.coreResources.filter { $0 != SecretResource.resource }
            return [core] + (others.isEmpty ? [] : [RuleTightening.namedSecrets(verbs: rule.verbs, names: others)])
        }
        let rule = role.rules[grant.ruleIndex]
        let why = RuleTightening.needsReview(rule)
            ? "rule \(grant.ruleIndex) of \(grant.role.kind) \(displayName(grant.role)) is `*` on `*` (cluster-admin-like)"
            : "\(subjectName(grant.subject)) also holds a `*`-on-`*` rule of \(grant.role.kind) \(displayName(grant.role))"
        return Change(kind: .review, summary: "\(why): not rewritten blindly, left for a human",
                      notes: ["RBAC cannot grant every API group but core secrets: the drafted role keeps the core group "
                              + "without private keys; add the API groups \(subjectName(grant.subject)) needs, or bind it to an admin role "
                              + "only if it is an admin (then add it to keyreach.yaml)"],
                      draft: draft, leftForReview: true)
    }

    /// What the rewrite takes away besides key access.
    func costs(_ rule: PolicyRule, scope: String) -> [String] {
        guard rule.resourceNames.isEmpty else { return [] }
        var costs: [String] = []
        let collection = ["list", "watch"].filter { verbMatches(rule, $0) }
        if !collection.isEmpty {
            costs.append("the collection-wide \(collection.joined(separator: "/")) of secrets \(scope) goes (it is what returns "
                         + "the keys); a named \(collection.joined(separator: "/")) still works with --field-selector metadata.name=NAME")
        }
        let unnamed = ["create", "deletecollection"].filter { verbMatches(rule, $0) }
        if !unnamed.isEmpty {
            costs.append("\(unnamed.joined(separator: " and ")) of secrets \(scope) goes: a request without a name never matches resourceNames")
        }
        if rule.apiGroups.contains(PolicyWildcard.apiGroupAll) {
            costs.append("a `secrets` resource of an API group other than core (none in Kubernetes itself; a CRD could add one) is no longer granted")
        }
        return costs
    }

    func notes(_ grant: Grant, plan: BindingPlan) -> [String] {
        var notes = ["secrets created later are not covered by a resourceNames list: grant each new one by name"]
        if grant.subject.kind == SubjectKind.serviceAccount, grant.subject.name == "default" {
            let namespace = grant.subject.namespace
            notes.append("pods of \(namespace) run as its default ServiceAccount unless told otherwise: give the workloads that call "
                         + "the API a dedicated one (kubectl -n \(namespace) create serviceaccount NAME, then serviceAccountName in "
                         + "the pod template), and set automountServiceAccountToken: false on the default ServiceAccount")
        }
        if let controller = plan.ingressController {
            notes.append("\(controller) lists secrets to find the TLS keys of its Ingresses: it keeps its secrets rule in the "
                         + "namespaces that have Ingresses (left for review); run it with --watch-namespace to read fewer, and "
                         + "keep CA keys in a namespace it does not read")
        }
        return notes
    }

    func subjectName(_ subject: Subject) -> String {
        subject.kindAndName
    }

    func displayName(_ ref: ObjectRef) -> String { ref.qualifiedName }
}
