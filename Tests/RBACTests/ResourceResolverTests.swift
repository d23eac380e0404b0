import Testing
import KubeModel
@testable import RBAC

/// `kubectl auth can-i VERB ARG`: which group, resource and name ARG means.
struct ResolverCase: Sendable, CustomTestStringConvertible {
    var argument: String
    var group: String
    var resource: String
    var name: String = ""
    var known: Bool = true

    var testDescription: String { "\(argument) → \(group.isEmpty ? "core" : group)/\(resource)" }
}

let resolverCases: [ResolverCase] = [
    ResolverCase(argument: "po", group: "", resource: "pods"),
    ResolverCase(argument: "pod", group: "", resource: "pods"),
    ResolverCase(argument: "pods", group: "", resource: "pods"),
    ResolverCase(argument: "secret", group: "", resource: "secrets"),
    ResolverCase(argument: "Secrets", group: "", resource: "secrets"),
    ResolverCase(argument: "deploy", group: "apps", resource: "deployments"),
    ResolverCase(argument: "deployments.apps", group: "apps", resource: "deployments"),
    ResolverCase(argument: "deployments.v1.apps", group: "apps", resource: "deployments"),
    ResolverCase(argument: "sa", group: "", resource: "serviceaccounts"),
    ResolverCase(argument: "cm", group: "", resource: "configmaps"),
    ResolverCase(argument: "ns", group: "", resource: "namespaces"),
    ResolverCase(argument: "no", group: "", resource: "nodes"),
    ResolverCase(argument: "svc", group: "", resource: "services"),
    ResolverCase(argument: "ing", group: "networking.k8s.io", resource: "ingresses"),
    ResolverCase(argument: "rs", group: "apps", resource: "replicasets"),
    ResolverCase(argument: "ds", group: "apps", resource: "daemonsets"),
    ResolverCase(argument: "sts", group: "apps", resource: "statefulsets"),
    ResolverCase(argument: "cj", group: "batch", resource: "cronjobs"),
    ResolverCase(argument: "pvc", group: "", resource: "persistentvolumeclaims"),
    ResolverCase(argument: "pv", group: "", resource: "persistentvolumes"),
    ResolverCase(argument: "clusterrolebinding", group: "rbac.authorization.k8s.io", resource: "clusterrolebindings"),
    ResolverCase(argument: "events", group: "", resource: "events"),
    ResolverCase(argument: "certificates.cert-manager.io", group: "cert-manager.io", resource: "certificates"),
    ResolverCase(argument: "cert", group: "cert-manager.io", resource: "certificates"),
    ResolverCase(argument: "secret/app-tls", group: "", resource: "secrets", name: "app-tls"),
    ResolverCase(argument: "pods/exec", group: "", resource: "pods", name: "exec"),
    ResolverCase(argument: "deploy/web/extra", group: "apps", resource: "deployments", name: "web/extra"),
    ResolverCase(argument: "*", group: "", resource: "*"),
    ResolverCase(argument: "crb", group: "", resource: "crb", known: false),
    ResolverCase(argument: "Widgets", group: "", resource: "Widgets", known: false),
    ResolverCase(argument: "widgets.example.com", group: "example.com", resource: "widgets", known: false),
]

@Test("Resource argument resolution (kubectl auth can-i resourceFor)", arguments: resolverCases)
func resourceResolution(_ testCase: ResolverCase) {
    #expect(ResourceResolver.resolve(testCase.argument)
            == .resource(ResolvedResource(group: testCase.group, resource: testCase.resource, name: testCase.name,
                                          isKnown: testCase.known)))
}

@Test("An argument starting with / is a non-resource URL")
func nonResourceArgument() {
    #expect(ResourceResolver.resolve("/healthz") == .nonResourceURL("/healthz"))
}

@Test("Every kind keyreach reads resolves by its plural, singular and short names, in each of its groups")
func everyReadKindResolves() {
    for kind in KindTable.read {
        for name in [kind.plural, kind.singular] + kind.shortNames {
            let first = ResourceResolver.resolveType(name)
            // A plural two rows share (Istio's `gateways`) goes to the first row, as kubectl's resolver does.
            let owner = KindTable.read.first { [$0.plural, $0.singular].contains(name) || $0.shortNames.contains(name) }!
            #expect(first == ResolvedResource(group: owner.group, resource: owner.plural), "\(name)")
        }
        for group in kind.groups {
            #expect(ResourceResolver.resolveType("\(kind.plural).\(group)") == ResolvedResource(group: group, resource: kind.plural))
        }
    }
    #expect(ResourceResolver.resolveType("gw") == ResolvedResource(group: "networking.istio.io", resource: "gateways"))
    #expect(ResourceResolver.resolveType("ingresses.extensions") == ResolvedResource(group: "extensions", resource: "ingresses"))
}
