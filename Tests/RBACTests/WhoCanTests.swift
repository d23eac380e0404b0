import Foundation
import KubeModel
import Store
import Testing
@testable import RBAC

private func whoCan(_ dump: ClusterSnapshot) -> WhoCan { WhoCan(derived: AccessIndexer.compute(dump)) }

private func names(_ subjects: [SubjectAccess]) -> [String] {
    subjects.map { [$0.identity.kind, $0.identity.namespace, $0.identity.name].filter { !$0.isEmpty }.joined(separator: "/") }
}

@Test("A grant to a group stays one row per verb, however many members it has")
func groupGrantsAreNotExpanded() {
    let accounts = (0..<50).map { ServiceAccount(meta: ObjectMeta(name: "sa\($0)", namespace: "a")) }
    let dump = snapshot(roles: [clusterRole("reader", [readSecrets])],
                        bindings: [clusterBinding("all", roleName: "reader", [groupSubject("system:serviceaccounts")])],
                        serviceAccounts: accounts)
    let derived = AccessIndexer.compute(dump)
    #expect(derived.grants.count == 3)
    #expect(derived.grants.allSatisfy { $0.principal == .group("system:serviceaccounts") && $0.namespace == nil })
    #expect(WhoCan(derived: derived).subjects(verb: .get, namespace: "a", secretName: "x").count == 52)
}

@Test("Grant rows: one per subject × verb × rule, one per resourceName, namespace nil for ClusterRoleBindings")
func grantRows() {
    let dump = snapshot(roles: [clusterRole("named", [rule(["get", "update"], names: ["tls", "ca"])]),
                                role("a", "lister", [rule(["list", "watch"], ["*"], ["*"])])],
                        bindings: [clusterBinding("crb", roleName: "named", [userSubject("alice")]),
                                   binding("a", "rb", "Role", "lister", [serviceAccountSubject("web")])])
    let grants = AccessIndexer.compute(dump).grants
    #expect(grants.map { "\($0.verb) \($0.namespace ?? "*") \($0.secretName ?? "*") \($0.principal.key)" } == [
        "get * ca user:alice", "get * tls user:alice",
        "list a * user:system:serviceaccount:a:web", "watch a * user:system:serviceaccount:a:web",
    ])
    #expect(grants.last?.subject == serviceAccountSubject("web", namespace: "a"))
}

@Test("Known identities: subjects of bindings, service accounts, masters, nodes; deduplicated and sorted")
func knownIdentities() {
    let dump = snapshot(bindings: [
        clusterBinding("crb", roleName: "missing", [userSubject("alice"), userSubject("system:serviceaccount:a:web"),
                                                    serviceAccountSubject("nowhere"), groupSubject("devs"),
                                                    userSubject("system:anonymous"),
                                                    Subject(kind: "user", name: "lowercase-kind")]),
        binding("b", "rb", "Role", "missing", [serviceAccountSubject("db")]),
    ], pods: [pod("a", "p", node: "n2", secrets: [])],
       serviceAccounts: [ServiceAccount(meta: ObjectMeta(name: "web", namespace: "a"))],
       nodes: [Node(meta: ObjectMeta(name: "n1"))])
    let identities = AccessIndexer.compute(dump).identities
    #expect(identities.map { "\($0.kind)/\($0.namespace)/\($0.name) \($0.username) \($0.groups)" } == [
        "Group//devs  [\"devs\"]",
        "Group//system:masters  [\"system:masters\"]",
        "Node//n1 system:node:n1 [\"system:nodes\", \"system:authenticated\"]",
        "Node//n2 system:node:n2 [\"system:nodes\", \"system:authenticated\"]",
        "ServiceAccount/a/web system:serviceaccount:a:web [\"system:serviceaccounts\", \"system:serviceaccounts:a\", \"system:authenticated\"]",
        "ServiceAccount/b/db system:serviceaccount:b:db [\"system:serviceaccounts\", \"system:serviceaccounts:b\", \"system:authenticated\"]",
        "User//alice alice [\"system:authenticated\"]",
        "User//system:anonymous system:anonymous [\"system:unauthenticated\"]",
    ])
}

@Test("list/watch with resourceNames: counted for that name, never for a plain list")
func namedListGrants() {
    let dump = snapshot(roles: [clusterRole("tls-lister", [rule(["list"], names: ["tls"])])],
                        bindings: [binding("a", "rb", "ClusterRole", "tls-lister", [userSubject("alice")])])
    let query = whoCan(dump)
    #expect(names(query.subjects(verb: .list, namespace: "a", secretName: "tls")) == ["Group/system:masters", "User/alice"])
    #expect(names(query.subjects(verb: .list, namespace: "a", secretName: nil)) == ["Group/system:masters"])
    #expect(names(query.subjects(verb: .list, namespace: "a", secretName: "db")) == ["Group/system:masters"])
}

@Test("Superusers are listed with the superuser path only; nodes with the node path")
func superuserAndNodePaths() {
    let dump = snapshot(roles: [clusterRole("reader", [readSecrets])],
                        bindings: [clusterBinding("crb", roleName: "reader", [groupSubject("system:masters")])],
                        pods: [pod("a", "web-0", node: "n1", secrets: [PodSecretReference(name: "tls", source: .volume)])])
    let subjects = whoCan(dump).subjects(verb: .get, namespace: "a", secretName: "tls")
    #expect(subjects.map(\.via) == [
        [.superuser(group: "system:masters")],
        [.node(NodeAccess(node: "n1", pod: ObjectRef(kind: "Pod", namespace: "a", name: "web-0"), source: .volume))],
    ])
    // A cluster-wide list reaches no node: the node authorizer needs a namespace and a name.
    #expect(names(whoCan(dump).subjects(verb: .list, namespace: "", secretName: nil)) == ["Group/system:masters"])
}

@Test("A cluster-wide query counts only ClusterRoleBindings")
func clusterWideQuery() {
    let dump = snapshot(roles: [clusterRole("reader", [readSecrets])],
                        bindings: [clusterBinding("crb", roleName: "reader", [userSubject("alice")]),
                                   binding("a", "rb", "ClusterRole", "reader", [userSubject("bob")])])
    #expect(names(whoCan(dump).subjects(verb: .list, namespace: "", secretName: nil))
            == ["Group/system:masters", "User/alice"])
    #expect(names(whoCan(dump).subjects(verb: .list, namespace: "a", secretName: nil))
            == ["Group/system:masters", "User/alice", "User/bob"])
}
