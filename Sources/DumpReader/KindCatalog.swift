import KubeModel

/// Which kinds keyreach stores, recognised by API group as well as kind: an
/// Istio `Gateway` (networking.istio.io) is not a Gateway-API Gateway, and a
/// GKE `Certificate` is not cert-manager's.
enum StoredKind: Sendable {
    case namespace, node, serviceAccount, role, clusterRole, roleBinding, clusterRoleBinding
    case pod, secret, workload, ingress, gateway, certificate, issuer, clusterIssuer
    // Where TLS ends (`keyreach tls`) and the key sources beside cert-manager.
    case service, gatewayRoute, istioGateway, peerAuthentication, traefikIngressRoute, externalSecret

    /// Cluster-scoped kinds have namespace `""` whatever the manifest says
    /// (KubeModel tells Role from ClusterRole by the empty namespace).
    var isClusterScoped: Bool {
        switch self {
        case .namespace, .node, .clusterRole, .clusterRoleBinding, .clusterIssuer: true
        default: false
        }
    }

    /// The stored kind for `kind` in API group `group` (`""` for core), or nil.
    static func lookup(kind: String, group: String) -> StoredKind? {
        if let entry = servingCatalog[kind], entry.groups.contains(group) { return entry.stored }
        guard let entry = catalog[kind], entry.groups.contains(group) else { return nil }
        return entry.stored
    }

    /// Whether some stored kind has this name (in another group): then a
    /// skipped object is counted as `Kind.group` so nobody mistakes it.
    static func isStoredKindName(_ kind: String) -> Bool { catalog[kind] != nil || servingCatalog[kind] != nil }

    /// The kind name an object is known by in duplicate warnings and keys:
    /// an Istio Gateway is `Gateway.networking.istio.io`, apart from a Gateway-API one.
    func keyKind(_ kind: String) -> String { self == .istioGateway ? IstioGateway.kindName : kind }

    private static let core: Set<String> = [""]
    private static let rbac: Set<String> = ["rbac.authorization.k8s.io"]
    private static let apps: Set<String> = ["apps", "extensions"]
    private static let batch: Set<String> = ["batch"]
    private static let certManager: Set<String> = ["cert-manager.io", "certmanager.k8s.io"]

    private static let catalog: [String: (stored: StoredKind, groups: Set<String>)] = [
        "Namespace": (.namespace, core),
        "Node": (.node, core),
        "ServiceAccount": (.serviceAccount, core),
        "Pod": (.pod, core),
        "Secret": (.secret, core),
        "ReplicationController": (.workload, core),
        "Role": (.role, rbac),
        "ClusterRole": (.clusterRole, rbac),
        "RoleBinding": (.roleBinding, rbac),
        "ClusterRoleBinding": (.clusterRoleBinding, rbac),
        "Deployment": (.workload, apps),
        "StatefulSet": (.workload, ["apps"]),
        "DaemonSet": (.workload, apps),
        "ReplicaSet": (.workload, apps),
        "Job": (.workload, batch),
        "CronJob": (.workload, batch),
        "Ingress": (.ingress, ["networking.k8s.io", "extensions"]),
        "Gateway": (.gateway, ["gateway.networking.k8s.io"]),
        "Certificate": (.certificate, certManager),
        "Issuer": (.issuer, certManager),
        "ClusterIssuer": (.clusterIssuer, certManager),
    ]

    /// The kinds `keyreach tls` and the key inventory read beside the ones
    /// above; checked first, as Istio's `Gateway` shares its name with Gateway API's.
    private static let servingCatalog: [String: (stored: StoredKind, groups: Set<String>)] = [
        "Service": (.service, core),
        "HTTPRoute": (.gatewayRoute, ["gateway.networking.k8s.io"]),
        "TLSRoute": (.gatewayRoute, ["gateway.networking.k8s.io"]),
        "GRPCRoute": (.gatewayRoute, ["gateway.networking.k8s.io"]),
        "TCPRoute": (.gatewayRoute, ["gateway.networking.k8s.io"]),
        "Gateway": (.istioGateway, ["networking.istio.io"]),
        "PeerAuthentication": (.peerAuthentication, ["security.istio.io"]),
        "IngressRoute": (.traefikIngressRoute, ["traefik.io", "traefik.containo.us"]),
        "IngressRouteTCP": (.traefikIngressRoute, ["traefik.io", "traefik.containo.us"]),
        "ExternalSecret": (.externalSecret, ["external-secrets.io"]),
    ]
}

/// The API group of an `apiVersion`: `"apps"` for `apps/v1`, `""` for `v1`.
func apiGroup(ofAPIVersion apiVersion: String) -> String {
    // On the UTF-8 view: Character search is an order of magnitude slower, per object.
    guard let slash = apiVersion.utf8.firstIndex(of: UInt8(ascii: "/")) else { return "" }
    return String(apiVersion[..<slash])
}
