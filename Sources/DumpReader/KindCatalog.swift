import KubeModel

/// Where an object of a kind keyreach reads goes in the snapshot. Which
/// kinds those are, in which groups, and their scope is ``KindTable``'s:
/// kinds are recognised by API group as well as name (an Istio `Gateway` is
/// not a Gateway-API Gateway, and a GKE `Certificate` is not cert-manager's).
enum StoredKind: Sendable {
    case namespace, node, serviceAccount, role, clusterRole, roleBinding, clusterRoleBinding
    case pod, secret, workload, ingress, gateway, certificate, issuer, clusterIssuer
    // Where TLS ends (`keyreach tls`) and the key sources beside cert-manager.
    case service, gatewayRoute, istioGateway, peerAuthentication, traefikIngressRoute, externalSecret

    /// The stored kind for `kind` in API group `group` (`""` for core), or
    /// nil when ``KindTable`` has no such row.
    static func lookup(kind: String, group: String) -> StoredKind? {
        KindTable.lookup(kind, group: group).map(StoredKind.init)
    }

    /// Where each row of ``KindTable`` goes in the snapshot. Adding a row
    /// without a case here does not compile.
    init(_ row: ReadKind) {
        switch (row.name, row.group) {
        case ("Namespace", _): self = .namespace
        case ("Node", _): self = .node
        case ("ServiceAccount", _): self = .serviceAccount
        case ("Role", _): self = .role
        case ("ClusterRole", _): self = .clusterRole
        case ("RoleBinding", _): self = .roleBinding
        case ("ClusterRoleBinding", _): self = .clusterRoleBinding
        case ("Pod", _): self = .pod
        case ("Secret", _): self = .secret
        case ("ReplicationController", _), ("Deployment", _), ("StatefulSet", _), ("DaemonSet", _),
             ("ReplicaSet", _), ("Job", _), ("CronJob", _): self = .workload
        case ("Ingress", _): self = .ingress
        case ("Gateway", "networking.istio.io"): self = .istioGateway
        case ("Gateway", _): self = .gateway
        case ("Certificate", _): self = .certificate
        case ("Issuer", _): self = .issuer
        case ("ClusterIssuer", _): self = .clusterIssuer
        case ("Service", _): self = .service
        case ("HTTPRoute", _), ("TLSRoute", _), ("GRPCRoute", _), ("TCPRoute", _): self = .gatewayRoute
        case ("PeerAuthentication", _): self = .peerAuthentication
        case ("IngressRoute", _), ("IngressRouteTCP", _): self = .traefikIngressRoute
        case ("ExternalSecret", _): self = .externalSecret
        default: preconditionFailure("KindTable row \(row.name).\(row.group) has no StoredKind")
        }
    }

    /// The kind name an object is known by in duplicate warnings and keys:
    /// an Istio Gateway is `Gateway.networking.istio.io`, apart from a Gateway-API one.
    func keyKind(_ kind: String) -> String { self == .istioGateway ? IstioGateway.kindName : kind }
}

/// The API group of an `apiVersion`: `"apps"` for `apps/v1`, `""` for `v1`.
func apiGroup(ofAPIVersion apiVersion: String) -> String {
    // On the UTF-8 view: Character search is an order of magnitude slower, per object.
    guard let slash = apiVersion.utf8.firstIndex(of: UInt8(ascii: "/")) else { return "" }
    return String(apiVersion[..<slash])
}
