import Foundation
import Testing
import DumpReader
import KubeModel
import RBAC
import Store
import TestSupport

/// The engine on the real manifests of ../shared/corpus, read by DumpReader
/// (not rebuilt by hand): the facts of corpus/SOURCES.md, asserted exactly.
@Suite(SharedData.corpus.required) struct ParsedCorpusTests {
    /// The whole corpus; empty when it cannot be read (the suite is skipped
    /// when it is absent, and a read error fails the first test that asks).
    static let snapshot: ClusterSnapshot = (try? DumpReader().read([.path(SharedData.corpus.directory.path)]).snapshot)
        ?? ClusterSnapshot()

    @Test func theCorpusReads() throws {
        _ = try DumpReader().read([.path(SharedData.corpus.directory.path)])
    }

    static let whoCan = WhoCan(derived: AccessIndexer.compute(snapshot))

    static func readers(_ verb: SecretReadVerb, namespace: String, name: String = "any-secret") -> Set<String> {
        Set(whoCan.subjects(verb: verb, namespace: namespace, secretName: name).map { s in
            s.identity.namespace.isEmpty ? "\(s.identity.kind) \(s.identity.name)" : "\(s.identity.kind) \(s.identity.namespace)/\(s.identity.name)"
        })
    }

    /// Everyone who reads every secret of the cluster, by a cluster-wide grant.
    static let clusterWideGetters: Set<String> = [
        "Group system:masters",
        "User system:kube-controller-manager",               // system:kube-controller-manager: get secrets
        "ServiceAccount kube-system/generic-garbage-collector", // */* get/list/watch
        "ServiceAccount kube-system/namespace-controller",      // */* get/list/watch/delete
        "ServiceAccount cert-manager/cert-manager",             // verbs * on secrets
        "ServiceAccount cert-manager/cert-manager-cainjector",  // get/list/watch secrets
    ]

    @Test func getInAnyNamespaceIsExactlyTheClusterWideReaders() {
        #expect(Self.readers(.get, namespace: "some-app") == Self.clusterWideGetters)
    }

    @Test func listAddsTheListOnlyReaders() {
        // ingress-nginx's ClusterRole: list/watch without get is still a full read;
        // resourcequota-controller: */* list/watch.
        let expected = Self.clusterWideGetters.union([
            "ServiceAccount ingress-nginx/ingress-nginx",
            "ServiceAccount kube-system/resourcequota-controller",
        ])
        #expect(Self.readers(.list, namespace: "some-app") == expected)
        #expect(Self.readers(.watch, namespace: "some-app") == expected)
    }

    @Test func kubeSystemAddsTheBootstrapTokenControllers() {
        // Namespaced Roles system:controller:bootstrap-signer / token-cleaner,
        // bound by v1beta1 RoleBindings in kube-system.
        let expected = Self.clusterWideGetters.union([
            "ServiceAccount kube-system/bootstrap-signer", "ServiceAccount kube-system/token-cleaner",
        ])
        #expect(Self.readers(.get, namespace: "kube-system") == expected)
    }

    @Test func ingressNginxGetsSecretsInItsOwnNamespaceOnly() {
        #expect(Self.readers(.get, namespace: "ingress-nginx").contains("ServiceAccount ingress-nginx/ingress-nginx"))
        #expect(!Self.readers(.get, namespace: "default").contains("ServiceAccount ingress-nginx/ingress-nginx"))
        // The admission Role grants get (and create) on secrets to the certgen Jobs' SA.
        #expect(Self.readers(.get, namespace: "ingress-nginx").contains("ServiceAccount ingress-nginx/ingress-nginx-admission"))
        #expect(!Self.readers(.list, namespace: "ingress-nginx").contains("ServiceAccount ingress-nginx/ingress-nginx-admission"))
    }

    @Test func unboundAndWriteOnlyRolesExposeNothing() {
        let all = Self.readers(.list, namespace: "x").union(Self.readers(.get, namespace: "kube-system"))
        // kube-state-metrics and prometheus-operator: ClusterRoles with no binding here.
        #expect(!all.contains { $0.contains("kube-state-metrics") || $0.contains("prometheus") })
        // legacy-service-account-token-cleaner: delete/patch secrets, no read (and no binding).
        #expect(!all.contains { $0.contains("legacy-service-account-token-cleaner") })
        // system:node is bound with no subjects: RBAC grants nodes nothing through it.
        #expect(!all.contains { $0.hasPrefix("Node ") || $0 == "Group system:nodes" })
    }

    /// The aggregated defaults, filled from `rules: null` by their selectors:
    /// a RoleBinding of `edit` or `admin` reads secrets, `view` does not.
    @Test(arguments: [("edit", true), ("admin", true), ("view", false)])
    func aggregatedDefaultRoles(role: String, readsSecrets: Bool) {
        var snapshot = Self.snapshot
        snapshot.bindings.append(RoleBinding(
            meta: ObjectMeta(name: "alice-\(role)", namespace: "team"),
            roleRef: RoleRef(kind: "ClusterRole", name: role),
            subjects: [Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice")]))
        let authorizer = Authorizer(snapshot: snapshot)
        let alice = Impersonation.userInfo(as: "alice", groups: [])
        for verb in ["get", "list", "watch"] {
            let decision = authorizer.authorize(.secret(verb, namespace: "team", name: "app-tls", user: alice))
            #expect(decision.allowed == readsSecrets, "\(role) \(verb)")
        }
        // The binding is namespaced: nothing in another namespace.
        #expect(!authorizer.authorize(.secret("get", namespace: "other", name: "app-tls", user: alice)).allowed)
        // All three still read pods (view's own aggregated rules).
        let pods = ResourceRequest(user: alice, verb: "list", resource: "pods", namespace: "team")
        #expect(authorizer.authorize(pods).allowed)
    }

    @Test func aggregatedRoleRulesComeFromTheirSources() {
        let roles = EffectiveRoles(Self.snapshot.roles)
        // edit ← every ClusterRole labelled aggregate-to-edit: system:aggregate-to-edit,
        // view (which carries the label), and cert-manager-edit and -view from the cert-manager manifest.
        let sources = Self.snapshot.roles.filter {
            $0.isClusterRole && $0.meta.labels["rbac.authorization.k8s.io/aggregate-to-edit"] == "true"
        }.map(\.meta.name).sorted()
        #expect(sources == ["cert-manager-edit", "cert-manager-view", "system:aggregate-to-edit", "view"])
        let expected = sources.reduce(into: Set<PolicyRule>()) { $0.formUnion(roles.clusterRole(named: $1)!.rules) }
        #expect(Set(roles.clusterRole(named: "edit")!.rules) == expected)
        #expect(roles.clusterRole(named: "edit")!.rules.contains { $0.apiGroups.contains("certmanager.k8s.io") })
    }
}
