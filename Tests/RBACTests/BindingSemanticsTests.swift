import KubeModel
import Store
import Testing
@testable import RBAC

/// Given this dump, this user can / cannot do this, because of this rule.
struct AuthorizationCase: Sendable, CustomTestStringConvertible {
    var pins: String
    var snapshot: ClusterSnapshot
    var user: UserInfo
    var verb: String = "get"
    var namespace: String
    var name: String = "tls"
    var resource: String = "secrets"
    var expected: Bool

    var testDescription: String { "\(pins) → \(expected ? "allowed" : "denied")" }
}

private let secretReader = clusterRole("secret-reader", [readSecrets])
private let alice = user("alice")

let bindingCases: [AuthorizationCase] = [
    // ClusterRoleBindings grant everywhere; RoleBindings only in their namespace.
    AuthorizationCase(pins: "ClusterRoleBinding grants in every namespace",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader", [userSubject("alice")])]),
                      user: alice, namespace: "b", expected: true),
    AuthorizationCase(pins: "ClusterRoleBinding grants a cluster-wide list",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader", [userSubject("alice")])]),
                      user: alice, verb: "list", namespace: "", name: "", expected: true),
    AuthorizationCase(pins: "RoleBinding→ClusterRole grants in the binding's namespace",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [binding("a", "rb", "ClusterRole", "secret-reader", [userSubject("alice")])]),
                      user: alice, namespace: "a", expected: true),
    AuthorizationCase(pins: "RoleBinding→ClusterRole does not grant in another namespace",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [binding("a", "rb", "ClusterRole", "secret-reader", [userSubject("alice")])]),
                      user: alice, namespace: "b", expected: false),
    AuthorizationCase(pins: "RoleBinding→ClusterRole does not grant a cluster-wide list",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [binding("a", "rb", "ClusterRole", "secret-reader", [userSubject("alice")])]),
                      user: alice, verb: "list", namespace: "", name: "", expected: false),
    AuthorizationCase(pins: "RoleBinding→Role grants in its namespace",
                      snapshot: snapshot(roles: [role("a", "reader", [readSecrets])],
                                         bindings: [binding("a", "rb", "Role", "reader", [userSubject("alice")])]),
                      user: alice, namespace: "a", expected: true),
    AuthorizationCase(pins: "RoleBinding→Role looks the Role up in the binding's namespace only",
                      snapshot: snapshot(roles: [role("b", "reader", [readSecrets])],
                                         bindings: [binding("a", "rb", "Role", "reader", [userSubject("alice")])]),
                      user: alice, namespace: "a", expected: false),
    AuthorizationCase(pins: "ClusterRoleBinding→Role grants nothing",
                      snapshot: snapshot(roles: [role("a", "reader", [readSecrets])],
                                         bindings: [clusterBinding("crb", "Role", roleName: "reader", [userSubject("alice")])]),
                      user: alice, namespace: "a", expected: false),
    AuthorizationCase(pins: "a binding whose ClusterRole is missing grants nothing",
                      snapshot: snapshot(bindings: [clusterBinding("crb", roleName: "gone", [userSubject("alice")])]),
                      user: alice, namespace: "a", expected: false),
    AuthorizationCase(pins: "a RoleBinding whose Role is missing grants nothing",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [binding("a", "rb", "Role", "secret-reader", [userSubject("alice")])]),
                      user: alice, namespace: "a", expected: false),
    AuthorizationCase(pins: "roleRef kind is case-sensitive (clusterrole)",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", "clusterrole", roleName: "secret-reader", [userSubject("alice")])]),
                      user: alice, namespace: "a", expected: false),
    AuthorizationCase(pins: "a binding without subjects grants no one",
                      snapshot: snapshot(roles: [secretReader], bindings: [clusterBinding("crb", roleName: "secret-reader", [])]),
                      user: alice, namespace: "a", expected: false),
    // Subjects.
    AuthorizationCase(pins: "subject kind is case-sensitive (user)",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader",
                                                                   [Subject(kind: "user", apiGroup: rbacGroup, name: "alice")])]),
                      user: alice, namespace: "a", expected: false),
    AuthorizationCase(pins: "a User named * is a literal name, not a wildcard",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader", [userSubject("*")])]),
                      user: alice, namespace: "a", expected: false),
    AuthorizationCase(pins: "a User named * matches the user literally named *",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader", [userSubject("*")])]),
                      user: user("*"), namespace: "a", expected: true),
    AuthorizationCase(pins: "user names are case-sensitive",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader", [userSubject("Alice")])]),
                      user: alice, namespace: "a", expected: false),
    AuthorizationCase(pins: "a Group subject matches its members",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader", [groupSubject("devs")])]),
                      user: user("bob", ["devs", WellKnown.authenticatedGroup]), namespace: "a", expected: true),
    AuthorizationCase(pins: "a Group subject does not match a user of that name",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader", [groupSubject("devs")])]),
                      user: user("devs"), namespace: "a", expected: false),
    AuthorizationCase(pins: "SA subject without namespace in a RoleBinding means the binding's namespace",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [binding("a", "rb", "ClusterRole", "secret-reader",
                                                            [serviceAccountSubject("web")])]),
                      user: serviceAccountUser("a", "web"), namespace: "a", expected: true),
    AuthorizationCase(pins: "SA subject defaulting does not match the same name elsewhere",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [binding("a", "rb", "ClusterRole", "secret-reader",
                                                            [serviceAccountSubject("web")])]),
                      user: serviceAccountUser("b", "web"), namespace: "a", expected: false),
    AuthorizationCase(pins: "SA subject of another namespace in a RoleBinding grants it in the binding's namespace",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [binding("a", "rb", "ClusterRole", "secret-reader",
                                                            [serviceAccountSubject("web", namespace: "b")])]),
                      user: serviceAccountUser("b", "web"), namespace: "a", expected: true),
    AuthorizationCase(pins: "SA subject without namespace in a ClusterRoleBinding matches no one",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader",
                                                                   [serviceAccountSubject("web")])]),
                      user: serviceAccountUser("a", "web"), namespace: "a", expected: false),
    AuthorizationCase(pins: "SA group system:serviceaccounts",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader",
                                                                   [groupSubject("system:serviceaccounts")])]),
                      user: serviceAccountUser("a", "web"), namespace: "b", expected: true),
    AuthorizationCase(pins: "SA group system:serviceaccounts:NS matches that namespace's accounts",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader",
                                                                   [groupSubject("system:serviceaccounts:a")])]),
                      user: serviceAccountUser("a", "web"), namespace: "b", expected: true),
    AuthorizationCase(pins: "SA group system:serviceaccounts:NS does not match other namespaces",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader",
                                                                   [groupSubject("system:serviceaccounts:a")])]),
                      user: serviceAccountUser("b", "web"), namespace: "b", expected: false),
    AuthorizationCase(pins: "SA group system:authenticated",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader",
                                                                   [groupSubject("system:authenticated")])]),
                      user: serviceAccountUser("a", "web"), namespace: "b", expected: true),
    AuthorizationCase(pins: "a User subject spelled system:serviceaccount:NS:NAME is that ServiceAccount",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader",
                                                                   [userSubject("system:serviceaccount:a:web")])]),
                      user: serviceAccountUser("a", "web"), namespace: "b", expected: true),
    // system:masters.
    AuthorizationCase(pins: "system:masters reads every secret without any binding",
                      snapshot: snapshot(), user: user("root", [WellKnown.mastersGroup, WellKnown.authenticatedGroup]),
                      namespace: "a", expected: true),
    AuthorizationCase(pins: "system:masters may do anything (delete nodes)",
                      snapshot: snapshot(), user: user("root", [WellKnown.mastersGroup]),
                      verb: "delete", namespace: "", name: "n1", resource: "nodes", expected: true),
    AuthorizationCase(pins: "a user named system:masters is not the group",
                      snapshot: snapshot(), user: user("system:masters"), namespace: "a", expected: false),
    // resourceNames bound cluster-wide.
    AuthorizationCase(pins: "ClusterRole resourceNames bound cluster-wide match that name in every namespace",
                      snapshot: snapshot(roles: [clusterRole("tls-reader", [rule(["get"], names: ["tls"])])],
                                         bindings: [clusterBinding("crb", roleName: "tls-reader", [userSubject("alice")])]),
                      user: alice, namespace: "zzz", expected: true),
    AuthorizationCase(pins: "ClusterRole resourceNames do not match other names",
                      snapshot: snapshot(roles: [clusterRole("tls-reader", [rule(["get"], names: ["tls"])])],
                                         bindings: [clusterBinding("crb", roleName: "tls-reader", [userSubject("alice")])]),
                      user: alice, namespace: "a", name: "db", expected: false),
    AuthorizationCase(pins: "resourceNames list/watch: a named list is allowed",
                      snapshot: snapshot(roles: [clusterRole("tls-lister", [rule(["list"], names: ["tls"])])],
                                         bindings: [binding("a", "rb", "ClusterRole", "tls-lister", [userSubject("alice")])]),
                      user: alice, verb: "list", namespace: "a", expected: true),
    AuthorizationCase(pins: "resourceNames list/watch: a plain list is denied",
                      snapshot: snapshot(roles: [clusterRole("tls-lister", [rule(["list"], names: ["tls"])])],
                                         bindings: [binding("a", "rb", "ClusterRole", "tls-lister", [userSubject("alice")])]),
                      user: alice, verb: "list", namespace: "a", name: "", expected: false),
    AuthorizationCase(pins: "anonymous requests match Group system:unauthenticated",
                      snapshot: snapshot(roles: [secretReader],
                                         bindings: [clusterBinding("crb", roleName: "secret-reader",
                                                                   [groupSubject("system:unauthenticated")])]),
                      user: Impersonation.userInfo(as: "system:anonymous", groups: []), namespace: "a", expected: true),
]

@Test("Binding and subject semantics (rule.go, rbac.go)", arguments: bindingCases)
func bindingSemantics(_ testCase: AuthorizationCase) {
    #expect(allows(testCase.snapshot, testCase.user, testCase.verb, namespace: testCase.namespace,
                   name: testCase.name, resource: testCase.resource) == testCase.expected)
}

@Test("A decision lists every allowing path with binding, role, rule index and matched subject")
func decisionListsEveryPath() {
    let dump = snapshot(roles: [clusterRole("reader", [rule(["list"], [""], ["configmaps"]), readSecrets]),
                                role("a", "local", [rule(["*"], ["*"], ["*"])])],
                        bindings: [clusterBinding("by-group", roleName: "reader", [groupSubject("system:serviceaccounts:a")]),
                                   binding("a", "by-default", "Role", "local", [serviceAccountSubject("web")])])
    let decision = Authorizer(snapshot: dump).authorize(.secret("get", namespace: "a", name: "x",
                                                                user: serviceAccountUser("a", "web")))
    #expect(decision.paths == [
        .rbac(RBACAccess(binding: ObjectRef(kind: "ClusterRoleBinding", name: "by-group"),
                         role: ObjectRef(kind: "ClusterRole", name: "reader"), ruleIndex: 1,
                         subject: groupSubject("system:serviceaccounts:a"), principal: .group("system:serviceaccounts:a"))),
        .rbac(RBACAccess(binding: ObjectRef(kind: "RoleBinding", namespace: "a", name: "by-default"),
                         role: ObjectRef(kind: "Role", namespace: "a", name: "local"), ruleIndex: 0,
                         subject: serviceAccountSubject("web", namespace: "a"),
                         principal: .user("system:serviceaccount:a:web"))),
    ])
    #expect(decision.paths.last?.explanation
            == "RBAC: RoleBinding a/by-default of Role a/local (rule 0) to ServiceAccount a/web")
}

@Test("Non-resource URLs are granted by ClusterRoleBindings only")
func nonResourceURLsNeedClusterRoleBindings() {
    let healthz = clusterRole("health", [PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz"])])
    let clusterWide = snapshot(roles: [healthz], bindings: [clusterBinding("crb", roleName: "health", [userSubject("alice")])])
    let namespaced = snapshot(roles: [healthz], bindings: [binding("a", "rb", "ClusterRole", "health", [userSubject("alice")])])
    let request = ResourceRequest(user: user("alice"), verb: "get", nonResourceURL: "/healthz")
    #expect(Authorizer(snapshot: clusterWide).authorize(request).allowed)
    #expect(!Authorizer(snapshot: namespaced).authorize(request).allowed)
}
