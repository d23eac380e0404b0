/// Everything keyreach knows about one cluster dump: the typed objects of
/// every kind it reads. Produced by DumpReader, stored and loaded by Store,
/// read by the engine.
public struct ClusterSnapshot: Sendable, Hashable, Codable {
    public var namespaces: [Namespace] = []
    public var nodes: [Node] = []
    public var serviceAccounts: [ServiceAccount] = []
    /// Roles and ClusterRoles (`Role.isClusterRole`).
    public var roles: [Role] = []
    /// RoleBindings and ClusterRoleBindings (`RoleBinding.isClusterRoleBinding`).
    public var bindings: [RoleBinding] = []
    public var pods: [Pod] = []
    public var workloads: [Workload] = []
    public var secrets: [Secret] = []
    public var ingresses: [Ingress] = []
    public var gateways: [Gateway] = []
    public var certificates: [Certificate] = []
    /// Issuers and ClusterIssuers (`Issuer.kind`).
    public var issuers: [Issuer] = []
    /// Services, routes, Istio and Traefik objects, External Secrets: where TLS ends.
    public var serving = ServingObjects()

    public init() {}

    /// Number of stored objects of every kind, keyed by Kubernetes kind name
    /// (`Role` and `ClusterRole` apart, likewise bindings and issuers).
    public var countsByKind: [String: Int] {
        var counts: [String: Int] = [:]
        func add(_ kind: String, _ n: Int = 1) { if n > 0 { counts[kind, default: 0] += n } }
        add("Namespace", namespaces.count)
        add("Node", nodes.count)
        add("ServiceAccount", serviceAccounts.count)
        for role in roles { add(role.isClusterRole ? "ClusterRole" : "Role") }
        for binding in bindings { add(binding.isClusterRoleBinding ? "ClusterRoleBinding" : "RoleBinding") }
        add("Pod", pods.count)
        for workload in workloads { add(workload.kind) }
        add("Secret", secrets.count)
        add("Ingress", ingresses.count)
        add("Gateway", gateways.count)
        add("Certificate", certificates.count)
        for issuer in issuers { add(issuer.kind) }
        counts.merge(serving.countsByKind, uniquingKeysWith: +)
        return counts
    }
}
