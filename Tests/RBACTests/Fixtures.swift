import KubeModel
import Store
@testable import RBAC

// Small builders so each test reads like the rule it pins.

let rbacGroup = "rbac.authorization.k8s.io"

func rule(_ verbs: [String], _ groups: [String] = [""], _ resources: [String] = ["secrets"],
          names: [String] = []) -> PolicyRule {
    PolicyRule(verbs: verbs, apiGroups: groups, resources: resources, resourceNames: names)
}

let readSecrets = rule(["get", "list", "watch"])

func clusterRole(_ name: String, _ rules: [PolicyRule], labels: [String: String] = [:],
                 aggregating selectors: [LabelSelector]? = nil) -> Role {
    Role(meta: ObjectMeta(name: name, labels: ByteKeyedMap(labels)), rules: rules,
         aggregationRule: selectors.map { AggregationRule(clusterRoleSelectors: $0) })
}

func role(_ namespace: String, _ name: String, _ rules: [PolicyRule]) -> Role {
    Role(meta: ObjectMeta(name: name, namespace: namespace), rules: rules)
}

func clusterBinding(_ name: String, _ roleKind: String = "ClusterRole", roleName: String,
                    _ subjects: [Subject]) -> RoleBinding {
    RoleBinding(meta: ObjectMeta(name: name), roleRef: RoleRef(kind: roleKind, name: roleName), subjects: subjects)
}

func binding(_ namespace: String, _ name: String, _ roleKind: String, _ roleName: String,
             _ subjects: [Subject]) -> RoleBinding {
    RoleBinding(meta: ObjectMeta(name: name, namespace: namespace), roleRef: RoleRef(kind: roleKind, name: roleName),
                subjects: subjects)
}

func userSubject(_ name: String) -> Subject { Subject(kind: "User", apiGroup: rbacGroup, name: name) }
func groupSubject(_ name: String) -> Subject { Subject(kind: "Group", apiGroup: rbacGroup, name: name) }
func serviceAccountSubject(_ name: String, namespace: String = "") -> Subject {
    Subject(kind: "ServiceAccount", name: name, namespace: namespace)
}

func snapshot(roles: [Role] = [], bindings: [RoleBinding] = [], pods: [Pod] = [],
              serviceAccounts: [ServiceAccount] = [], nodes: [Node] = []) -> ClusterSnapshot {
    var snapshot = ClusterSnapshot()
    snapshot.roles = roles
    snapshot.bindings = bindings
    snapshot.pods = pods
    snapshot.serviceAccounts = serviceAccounts
    snapshot.nodes = nodes
    return snapshot
}

func pod(_ namespace: String, _ name: String, node: String, mirror: Bool = false,
         serviceAccount: String = "default", secrets: [PodSecretReference]) -> Pod {
    Pod(meta: ObjectMeta(name: name, namespace: namespace,
                         annotations: mirror ? ["kubernetes.io/config.mirror": "abc123"] : [:]),
        spec: PodSpec(serviceAccountName: serviceAccount, nodeName: node, secretReferences: secrets))
}

/// A user as the API server authenticates it (plain users carry system:authenticated).
func user(_ name: String, _ groups: [String] = [WellKnown.authenticatedGroup]) -> UserInfo {
    UserInfo(name: name, groups: groups)
}

func serviceAccountUser(_ namespace: String, _ name: String) -> UserInfo {
    UserInfo(name: WellKnown.serviceAccountUsername(namespace: namespace, name: name),
             groups: WellKnown.serviceAccountGroups(namespace: namespace))
}

func nodeUser(_ name: String) -> UserInfo {
    UserInfo(name: WellKnown.nodeUserPrefix + name, groups: [WellKnown.nodesGroup, WellKnown.authenticatedGroup])
}

/// `can USER VERB secret NAME in NAMESPACE` against a snapshot.
func allows(_ snapshot: ClusterSnapshot, _ user: UserInfo, _ verb: String, namespace: String,
            name: String = "", resource: String = "secrets", group: String = "", subresource: String = "") -> Bool {
    Authorizer(snapshot: snapshot).authorize(
        ResourceRequest(user: user, verb: verb, apiGroup: group, resource: resource, subresource: subresource,
                        namespace: namespace, name: name)).allowed
}
