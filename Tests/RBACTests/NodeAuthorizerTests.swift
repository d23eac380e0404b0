import KubeModel
import Store
import Testing
@testable import RBAC

/// The node authorizer: a kubelet reads the secrets its pods reference.
struct NodeCase: Sendable, CustomTestStringConvertible {
    var pins: String
    var pods: [Pod]
    var user: UserInfo = nodeUser("n1")
    var verb: String = "get"
    var namespace: String = "a"
    var name: String = "tls"
    var subresource: String = ""
    var expected: Bool

    var testDescription: String { "\(pins) → \(expected ? "allowed" : "denied")" }
}

private func scheduled(_ source: PodSecretReference.Source, node: String = "n1", mirror: Bool = false) -> [Pod] {
    [pod("a", "web-0", node: node, mirror: mirror, secrets: [PodSecretReference(name: "tls", source: source)])]
}

let nodeCases: [NodeCase] = PodSecretReference.Source.allCases.map { source in
    NodeCase(pins: "a pod's \(source.rawValue) reference lets its node get the secret", pods: scheduled(source),
             expected: true)
} + [
    NodeCase(pins: "list of the named secret is allowed", pods: scheduled(.volume), verb: "list", expected: true),
    NodeCase(pins: "watch of the named secret is allowed", pods: scheduled(.volume), verb: "watch", expected: true),
    NodeCase(pins: "a list without a name is denied", pods: scheduled(.volume), verb: "list", name: "", expected: false),
    NodeCase(pins: "create is denied (read verbs only)", pods: scheduled(.volume), verb: "create", expected: false),
    NodeCase(pins: "update is denied (read verbs only)", pods: scheduled(.volume), verb: "update", expected: false),
    NodeCase(pins: "a subresource is denied", pods: scheduled(.volume), subresource: "status", expected: false),
    NodeCase(pins: "a mirror pod grants its node nothing", pods: scheduled(.volume, mirror: true), expected: false),
    NodeCase(pins: "an unscheduled pod grants no node anything", pods: scheduled(.volume, node: ""), expected: false),
    NodeCase(pins: "another node is denied", pods: scheduled(.volume, node: "n2"), expected: false),
    NodeCase(pins: "another secret is denied", pods: scheduled(.volume), name: "db", expected: false),
    NodeCase(pins: "the same name in another namespace is denied", pods: scheduled(.volume), namespace: "b",
             expected: false),
    NodeCase(pins: "system:node:NAME without group system:nodes is not a node", pods: scheduled(.volume),
             user: user("system:node:n1"), expected: false),
    NodeCase(pins: "group system:nodes with another user name is not a node", pods: scheduled(.volume),
             user: user("kubelet", [WellKnown.nodesGroup]), expected: false),
]

@Test("Node authorizer for secrets (node_authorizer.go, graph.go)", arguments: nodeCases)
func nodeAuthorizer(_ testCase: NodeCase) {
    let dump = snapshot(pods: testCase.pods)
    #expect(allows(dump, testCase.user, testCase.verb, namespace: testCase.namespace, name: testCase.name,
                   subresource: testCase.subresource) == testCase.expected)
}

@Test("The node path names the pod and where it references the secret")
func nodePathExplains() {
    let dump = snapshot(pods: [pod("a", "web-0", node: "n1", secrets: [PodSecretReference(name: "tls", source: .envFrom)])])
    let decision = Authorizer(snapshot: dump).authorize(.secret("get", namespace: "a", name: "tls", user: nodeUser("n1")))
    #expect(decision.paths == [.node(NodeAccess(node: "n1", pod: ObjectRef(kind: "Pod", namespace: "a", name: "web-0"),
                                                source: .envFrom))])
}

@Test("Node grants: one per pod, secret and source, in dump order; a reference repeated in one spec counts once")
func nodeGrantRows() {
    let grants = nodeSecretGrants(pods: [
        pod("b", "web-1", node: "n2", secrets: [PodSecretReference(name: "tls", source: .volume),
                                                PodSecretReference(name: "tls", source: .volume),
                                                PodSecretReference(name: "tls", source: .env)]),
        pod("a", "web-0", node: "n1", secrets: [PodSecretReference(name: "db", source: .imagePullSecret)]),
        pod("a", "unscheduled", node: "", secrets: [PodSecretReference(name: "db", source: .volume)]),
        pod("a", "static", node: "n1", mirror: true, secrets: [PodSecretReference(name: "db", source: .volume)]),
    ])
    #expect(grants.map { "\($0.node) \($0.namespace)/\($0.secretName) \($0.pod.name) \($0.source.rawValue)" } == [
        "n2 b/tls web-1 volume", "n2 b/tls web-1 env", "n1 a/db web-0 imagePullSecret",
    ])
}
