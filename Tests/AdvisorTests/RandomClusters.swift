import KubeModel
import RBAC
import TestSupport

// Builders and a seeded random cluster maker: the RBACTests maker
// (ConsistencyTests' RandomSnapshotMaker) extended with what suggest acts on:
// secrets with and without private keys, shared and aggregated roles, group
// grants, wildcard rules, resourceNames, cluster-wide bindings, pods running
// as default service accounts, an ingress controller.

let rbacGroup = "rbac.authorization.k8s.io"

func rule(_ verbs: [String], _ groups: [String] = [""], _ resources: [String] = ["secrets"],
          names: [String] = []) -> PolicyRule {
    PolicyRule(verbs: verbs, apiGroups: groups, resources: resources, resourceNames: names)
}

func clusterRole(_ name: String, _ rules: [PolicyRule], labels: ByteKeyedMap = [:],
                 aggregating selectors: [LabelSelector]? = nil) -> Role {
    Role(meta: ObjectMeta(name: name, labels: labels), rules: rules,
         aggregationRule: selectors.map { AggregationRule(clusterRoleSelectors: $0) })
}

func role(_ namespace: String, _ name: String, _ rules: [PolicyRule]) -> Role {
    Role(meta: ObjectMeta(name: name, namespace: namespace), rules: rules)
}

func clusterBinding(_ name: String, _ roleKind: String = "ClusterRole", roleName: String, _ subjects: [Subject]) -> RoleBinding {
    RoleBinding(meta: ObjectMeta(name: name), roleRef: RoleRef(kind: roleKind, name: roleName), subjects: subjects)
}

func binding(_ namespace: String, _ name: String, _ roleKind: String, _ roleName: String, _ subjects: [Subject]) -> RoleBinding {
    RoleBinding(meta: ObjectMeta(name: name, namespace: namespace), roleRef: RoleRef(kind: roleKind, name: roleName),
                subjects: subjects)
}

func userSubject(_ name: String) -> Subject { Subject(kind: "User", apiGroup: rbacGroup, name: name) }
func groupSubject(_ name: String) -> Subject { Subject(kind: "Group", apiGroup: rbacGroup, name: name) }
func serviceAccountSubject(_ name: String, namespace: String = "") -> Subject {
    Subject(kind: "ServiceAccount", name: name, namespace: namespace)
}

/// A TLS secret: a private key by its type.
func tlsSecret(_ namespace: String, _ name: String) -> Secret {
    Secret(meta: ObjectMeta(name: name, namespace: namespace), type: "kubernetes.io/tls",
           keys: [SecretKey(name: "tls.crt", size: 10), SecretKey(name: "tls.key", size: 10)])
}

/// A secret without a private key.
func opaqueSecret(_ namespace: String, _ name: String) -> Secret {
    Secret(meta: ObjectMeta(name: name, namespace: namespace), keys: [SecretKey(name: "password", size: 8)])
}

func pod(_ namespace: String, _ name: String, serviceAccount: String = "default", owner: String? = nil) -> Pod {
    Pod(meta: ObjectMeta(name: name, namespace: namespace,
                         ownerReferences: owner.map { [OwnerReference(kind: "ReplicaSet", name: $0, controller: true)] } ?? []),
        spec: PodSpec(serviceAccountName: serviceAccount, nodeName: "n1"))
}

struct RandomClusterMaker {
    var random: SeededGenerator
    static let namespaces = ["a", "b", "c"]
    /// In every namespace: k1, k2 hold keys (k2 only in a, b), s1, s2 do not; s3 is a key in c only.
    static let secretNames = ["k1", "k2", "s1", "s2", "s3"]

    mutating func pick<T>(_ values: [T]) -> T { values.randomElement(using: &random)! }
    mutating func some<T>(_ values: [T], max: Int = 3) -> [T] {
        (0..<Int.random(in: 0...max, using: &random)).map { _ in pick(values) }
    }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }

    mutating func policyRule() -> PolicyRule {
        var verbs = some(["get", "list", "watch", "*", "delete", "create", "update"])
        if verbs.isEmpty || chance(0.5) { verbs.append(pick(["get", "list", "watch"])) }
        var resources = some(["secrets", "*", "pods", "configmaps", "pods/status", "*/status", "deployments"])
        if resources.isEmpty || chance(0.5) { resources.append("secrets") }
        var groups = some(["", "*", "apps"], max: 2)
        if groups.isEmpty { groups = [""] }
        return PolicyRule(verbs: verbs, apiGroups: groups, resources: resources,
                          resourceNames: chance(0.35) ? some(Self.secretNames + ["p1"], max: 3) : [])
    }

    mutating func subject() -> Subject {
        switch Int.random(in: 0..<5, using: &random) {
        case 0:
            return userSubject(pick(["alice", "bob", "system:serviceaccount:a:web", "system:kube-controller-manager"]))
        case 1:
            return groupSubject(pick(["devs", "system:serviceaccounts", "system:serviceaccounts:a",
                                      "system:authenticated", "system:masters"]))
        case 2:
            return serviceAccountSubject(pick(["web", "default", "ingress-nginx"]), namespace: pick(["", "a", "b"]))
        case 3:
            return serviceAccountSubject("cert-manager", namespace: "cert-manager")
        default:
            return serviceAccountSubject("default", namespace: pick(Self.namespaces))
        }
    }

    mutating func make() -> ClusterSnapshot {
        var roles: [Role] = []
        for index in 0..<Int.random(in: 1...4, using: &random) {
            let labels: ByteKeyedMap = chance(0.5) ? ["tier": pick(["gold", "silver"])] : [:]
            var selectors: [LabelSelector]? = nil
            if chance(0.3) {
                selectors = [pick([LabelSelector(), LabelSelector(matchLabels: ["tier": "gold"]),
                                   LabelSelector(matchExpressions: [LabelSelectorRequirement(
                                       key: "tier", operator: pick(["In", "NotIn", "Exists"]), values: ["silver"])])])]
            }
            roles.append(clusterRole("c\(index)", (0..<Int.random(in: 0...3, using: &random)).map { _ in policyRule() },
                                     labels: labels, aggregating: selectors))
        }
        for index in 0..<Int.random(in: 0...3, using: &random) {
            roles.append(role(pick(Self.namespaces), "r\(index)", (0..<Int.random(in: 1...3, using: &random)).map { _ in policyRule() }))
        }
        var bindings: [RoleBinding] = []
        for index in 0..<Int.random(in: 1...6, using: &random) {
            let roleKind = pick(["ClusterRole", "ClusterRole", "Role"])
            let roleName = pick(["c0", "c1", "c2", "r0", "r1", "missing"])
            let subjects = (0..<Int.random(in: 1...3, using: &random)).map { _ in subject() }
            if chance(0.35) {
                bindings.append(clusterBinding("crb\(index)", roleKind, roleName: roleName, subjects))
            } else {
                bindings.append(binding(pick(Self.namespaces), "rb\(index)", roleKind, roleName, subjects))
            }
        }
        var cluster = ClusterSnapshot()
        cluster.roles = roles
        cluster.bindings = bindings
        cluster.namespaces = (Self.namespaces + ["cert-manager"]).map { Namespace(meta: ObjectMeta(name: $0)) }
        for namespace in Self.namespaces {
            cluster.secrets.append(tlsSecret(namespace, "k1"))
            if namespace != "c" { cluster.secrets.append(tlsSecret(namespace, "k2")) }
            cluster.secrets += [opaqueSecret(namespace, "s1"), opaqueSecret(namespace, "s2")]
            cluster.secrets.append(namespace == "c" ? tlsSecret(namespace, "s3") : opaqueSecret(namespace, "s3"))
            if chance(0.5) { cluster.pods.append(pod(namespace, "p1", serviceAccount: pick(["default", "web"]), owner: "web-1")) }
        }
        cluster.serviceAccounts = some(["web", "default"], max: 2).map {
            ServiceAccount(meta: ObjectMeta(name: $0, namespace: pick(Self.namespaces)))
        }
        if chance(0.3) {
            cluster.ingresses = [Ingress(meta: ObjectMeta(name: "web", namespace: "a"), ingressClassName: "nginx",
                                         tls: [IngressTLS(hosts: ["a.example"], secretName: "k1")])]
        }
        return cluster
    }
}
