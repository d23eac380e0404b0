import KubeModel
import Testing
@testable import RBAC

/// `kubectl auth can-i --as USER --as-group G`: the user the API server builds.
struct ImpersonationCase: Sendable, CustomTestStringConvertible {
    var pins: String
    var user: String
    var groups: [String]
    var expectedGroups: [String]

    var testDescription: String { pins }
}

let impersonationCases: [ImpersonationCase] = [
    ImpersonationCase(pins: "a service account without --as-group gets its groups and system:authenticated",
                      user: "system:serviceaccount:shop:web", groups: [],
                      expectedGroups: ["system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"]),
    ImpersonationCase(pins: "--as-group replaces the service account groups",
                      user: "system:serviceaccount:shop:web", groups: ["devs"],
                      expectedGroups: ["devs", "system:authenticated"]),
    ImpersonationCase(pins: "a plain user gets system:authenticated", user: "alice", groups: [],
                      expectedGroups: ["system:authenticated"]),
    ImpersonationCase(pins: "--as-group keeps its order, then system:authenticated", user: "alice",
                      groups: ["b", "a"], expectedGroups: ["b", "a", "system:authenticated"]),
    ImpersonationCase(pins: "system:authenticated is not added twice", user: "alice",
                      groups: ["system:authenticated", "devs"], expectedGroups: ["system:authenticated", "devs"]),
    ImpersonationCase(pins: "system:unauthenticated given: system:authenticated is not added", user: "alice",
                      groups: ["system:unauthenticated"], expectedGroups: ["system:unauthenticated"]),
    ImpersonationCase(pins: "system:anonymous gets system:unauthenticated", user: "system:anonymous", groups: [],
                      expectedGroups: ["system:unauthenticated"]),
    ImpersonationCase(pins: "system:anonymous with --as-group also gets system:unauthenticated",
                      user: "system:anonymous", groups: ["devs"], expectedGroups: ["devs", "system:unauthenticated"]),
    ImpersonationCase(pins: "system:anonymous never gets system:authenticated added",
                      user: "system:anonymous", groups: ["system:unauthenticated"],
                      expectedGroups: ["system:unauthenticated"]),
    ImpersonationCase(pins: "a malformed service account name is a plain user",
                      user: "system:serviceaccount:shop", groups: [], expectedGroups: ["system:authenticated"]),
]

@Test("Impersonation groups (impersonation.go)", arguments: impersonationCases)
func impersonationGroups(_ testCase: ImpersonationCase) {
    let info = Impersonation.userInfo(as: testCase.user, groups: testCase.groups)
    #expect(info.name == testCase.user)
    #expect(info.groups == testCase.expectedGroups)
}

@Test("can-i as a service account uses its namespace group unless --as-group replaces it")
func impersonatedServiceAccountReachesGroupBinding() {
    let dump = snapshot(roles: [clusterRole("reader", [readSecrets])],
                        bindings: [binding("shop", "all-sa", "ClusterRole", "reader",
                                           [groupSubject("system:serviceaccounts:shop")])])
    let authorizer = Authorizer(snapshot: dump)
    let asServiceAccount = Impersonation.userInfo(as: "system:serviceaccount:shop:web", groups: [])
    let withOtherGroup = Impersonation.userInfo(as: "system:serviceaccount:shop:web", groups: ["devs"])
    #expect(authorizer.authorize(.secret("get", namespace: "shop", name: "tls", user: asServiceAccount)).allowed)
    #expect(!authorizer.authorize(.secret("get", namespace: "shop", name: "tls", user: withOtherGroup)).allowed)
}
