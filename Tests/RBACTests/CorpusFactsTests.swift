import KubeModel
import Store
import Testing
@testable import RBAC

// Hand-built from ../shared/corpus (see its SOURCES.md): only the objects
// and rules each fact needs, copied field for field. The lead adds
// parsed-corpus tests once DumpReader is merged.

private let bootstrap = ["kubernetes.io/bootstrapping": "rbac-defaults"]
private let toAdmin = "rbac.authorization.k8s.io/aggregate-to-admin"
private let toEdit = "rbac.authorization.k8s.io/aggregate-to-edit"
private let toView = "rbac.authorization.k8s.io/aggregate-to-view"

private func labels(_ extra: [String: String]) -> [String: String] { bootstrap.merging(extra) { $1 } }

/// k8s-bootstrap-cluster-roles.yaml: admin, edit, view (`rules: null` +
/// aggregationRule) and the three system:aggregate-to-* roles (the rules that
/// matter here; system:aggregate-to-edit's first and fifth rules verbatim).
private let bootstrapAggregation: [Role] = [
    clusterRole("admin", [], labels: bootstrap, aggregating: [LabelSelector(matchLabels: [toAdmin: "true"])]),
    clusterRole("edit", [], labels: labels([toAdmin: "true"]), aggregating: [LabelSelector(matchLabels: [toEdit: "true"])]),
    clusterRole("view", [], labels: labels([toEdit: "true"]), aggregating: [LabelSelector(matchLabels: [toView: "true"])]),
    clusterRole("system:aggregate-to-admin", [
        rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
        rule(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
             ["rbac.authorization.k8s.io"], ["rolebindings", "roles"]),
    ], labels: labels([toAdmin: "true"])),
    clusterRole("system:aggregate-to-edit", [
        rule(["get", "list", "watch"], [""],
             ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"]),
        rule(["impersonate"], [""], ["serviceaccounts"]),
        rule(["create", "delete", "deletecollection", "patch", "update"], [""],
             ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
              "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"]),
        rule(["create"], [""], ["serviceaccounts/token"]),
    ], labels: labels([toEdit: "true"])),
    clusterRole("system:aggregate-to-view", [
        rule(["get", "list", "watch"], [""],
             ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
              "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"]),
        rule(["get", "list", "watch"], [""], ["namespaces"]),
    ], labels: labels([toView: "true"])),
]

private func boundInNamespace(_ roleName: String, to user: String) -> RoleBinding {
    binding("team", "\(roleName)-binding", "ClusterRole", roleName, [userSubject(user)])
}

@Test("Corpus: edit and admin (aggregated) read secrets, view does not")
func corpusAggregatedDefaultRoles() {
    let dump = snapshot(roles: bootstrapAggregation,
                        bindings: [boundInNamespace("admin", to: "ann"), boundInNamespace("edit", to: "ed"),
                                   boundInNamespace("view", to: "vi")])
    let roles = EffectiveRoles(dump.roles)
    #expect(roles.clusterRole(named: "view")!.rules.count == 2)
    #expect(roles.clusterRole(named: "edit")!.rules.count == 6)     // 4 of aggregate-to-edit + 2 of view
    #expect(roles.clusterRole(named: "admin")!.rules.count == 8)    // 2 of aggregate-to-admin + 6 of edit
    for verb in SecretReadVerb.allCases {
        let readers = WhoCan(derived: AccessIndexer.compute(dump))
            .subjects(verb: verb, namespace: "team", secretName: "app-tls").map(\.identity.name)
        #expect(readers == ["system:masters", "ann", "ed"], "\(verb)")
    }
    // Only in the binding's namespace.
    #expect(!allows(dump, user("ed"), "get", namespace: "other", name: "app-tls"))
}

@Test("Corpus: controllers with */* read every secret; the token cleaner only writes")
func corpusControllerRoles() {
    // k8s-bootstrap-controller-roles.yaml and -role-bindings.yaml.
    let dump = snapshot(roles: [
        clusterRole("system:controller:generic-garbage-collector", [
            rule(["delete", "get", "list", "patch", "update", "watch"], ["*"], ["*"]),
            rule(["create", "patch", "update"], ["", "events.k8s.io"], ["events"]),
        ], labels: bootstrap),
        clusterRole("system:controller:legacy-service-account-token-cleaner", [
            rule(["get"], [""], ["configmaps"], names: ["kube-apiserver-legacy-service-account-token-tracking"]),
            rule(["delete", "patch"], [""], ["secrets"]),
        ], labels: bootstrap),
    ], bindings: [
        clusterBinding("system:controller:generic-garbage-collector",
                       roleName: "system:controller:generic-garbage-collector",
                       [serviceAccountSubject("generic-garbage-collector", namespace: "kube-system")]),
        // Not bound in the corpus (version skew); bound here to show it still reads nothing.
        clusterBinding("token-cleaner", roleName: "system:controller:legacy-service-account-token-cleaner",
                       [serviceAccountSubject("legacy-service-account-token-cleaner", namespace: "kube-system")]),
    ])
    let readers = WhoCan(derived: AccessIndexer.compute(dump)).subjects(verb: .list, namespace: "", secretName: nil)
    #expect(readers.map(\.identity.name) == ["system:masters", "generic-garbage-collector"])
    #expect(allows(dump, serviceAccountUser("kube-system", "legacy-service-account-token-cleaner"), "delete",
                   namespace: "a", name: "x"))
    for verb in SecretReadVerb.allCases {
        #expect(!allows(dump, serviceAccountUser("kube-system", "legacy-service-account-token-cleaner"), verb.rawValue,
                        namespace: "a", name: "x"))
    }
}

@Test("Corpus: ingress-nginx's cluster list/watch without get counts as reading every secret")
func corpusIngressNginx() {
    // ingress-nginx-v1.7.0-cloud-deploy.yaml: ClusterRole ingress-nginx rule 0 and its binding.
    let dump = snapshot(roles: [
        clusterRole("ingress-nginx", [
            rule(["list", "watch"], [""], ["configmaps", "endpoints", "nodes", "pods", "secrets", "namespaces"]),
            rule(["list", "watch"], ["coordination.k8s.io"], ["leases"]),
            rule(["get"], [""], ["nodes"]),
        ]),
    ], bindings: [
        clusterBinding("ingress-nginx", roleName: "ingress-nginx",
                       [serviceAccountSubject("ingress-nginx", namespace: "ingress-nginx")]),
    ], serviceAccounts: [ServiceAccount(meta: ObjectMeta(name: "ingress-nginx", namespace: "ingress-nginx"),
                                        automountServiceAccountToken: true)])
    let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
    let controller = ["system:masters", "ingress-nginx"]
    #expect(whoCan.subjects(verb: .list, namespace: "shop", secretName: "shop-tls").map(\.identity.name) == controller)
    #expect(whoCan.subjects(verb: .watch, namespace: "", secretName: nil).map(\.identity.name) == controller)
    #expect(whoCan.subjects(verb: .get, namespace: "shop", secretName: "shop-tls").map(\.identity.name) == ["system:masters"])
}

@Test("Corpus: the system:node binding has no subjects and grants no one; kubelets read via the node authorizer")
func corpusSystemNodeBinding() {
    // k8s-bootstrap-cluster-role-bindings.yaml: ClusterRoleBinding system:node without `subjects`.
    let dump = snapshot(roles: [clusterRole("system:node", [rule(["get", "list", "watch"], [""], ["configmaps", "secrets"])],
                                            labels: bootstrap)],
                        bindings: [clusterBinding("system:node", roleName: "system:node", [])],
                        pods: [pod("shop", "web-0", node: "n1",
                                   secrets: [PodSecretReference(name: "shop-tls", source: .volume)])])
    #expect(AccessIndexer.compute(dump).grants.isEmpty)
    #expect(allows(dump, nodeUser("n1"), "get", namespace: "shop", name: "shop-tls"))
    #expect(!allows(dump, nodeUser("n1"), "get", namespace: "shop", name: "other"))
    #expect(!allows(dump, nodeUser("n1"), "list", namespace: "shop"))
}
