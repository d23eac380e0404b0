/// One kind keyreach reads from a dump: its name, the API group it is
/// served in (and the older groups a dump may still carry it under), its
/// plural resource name, whether its objects live in a namespace, and the
/// names `kubectl` accepts for it.
///
/// ``KindTable/read`` is the one list of these: the reader's catalog, the
/// group assumed for an item of a typed list, `collect`'s `kubectl get`
/// list, `suggest --verify`'s resource of each kind and `can-i`'s resolver
/// all derive from it, so adding a kind is adding a row (plus its fields in
/// `KubeMapping` and its table in a new migration).
public struct ReadKind: Sendable, Hashable {
    /// `Deployment`.
    public let name: String
    /// `apps`; `""` for the core group.
    public let group: String
    /// Older groups a dump may carry the kind under (`extensions` for a
    /// Deployment written by an old kubectl), read like the current one.
    public let legacyGroups: [String]
    /// The version written in manifests keyreach produces (`collect -o`);
    /// the reader reads every version.
    public let version: String
    /// `deployments`: the resource RBAC rules and `kubectl get` name.
    public let plural: String
    public let singular: String
    /// kubectl's short names (`deploy`), as discovery lists them.
    public let shortNames: [String]
    public let namespaced: Bool
    /// `false` for a custom resource: `collect` reads it only when
    /// `kubectl api-resources` says the cluster serves it.
    public let builtIn: Bool

    /// `apps/v1`, `v1`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// Every group the kind is read in, current first.
    public var groups: [String] { [group] + legacyGroups }

    /// `deployments.apps`, `pods`: how `kubectl get` names the resource unambiguously.
    public var qualifiedResource: String { group.isEmpty ? plural : "\(plural).\(group)" }
}

public enum KindTable {
    /// Every kind keyreach reads, built-in kinds first. Order matters where a
    /// plural is shared: `gateways` is Gateway API's before Istio's, as
    /// kubectl's resolver prefers the first group it finds.
    public static let read: [ReadKind] = [
        kind("Namespace", "", plural: "namespaces", short: ["ns"], namespaced: false),
        kind("Node", "", plural: "nodes", short: ["no"], namespaced: false),
        kind("ServiceAccount", "", plural: "serviceaccounts", short: ["sa"]),
        kind("Pod", "", plural: "pods", short: ["po"]),
        kind("Secret", "", plural: "secrets"),
        kind("Service", "", plural: "services", short: ["svc"]),
        kind("ReplicationController", "", plural: "replicationcontrollers", short: ["rc"]),
        // RBAC kinds have no short names in discovery (no ShortNames() in
        // pkg/registry/rbac/*/storage): `crb` and `rb` are not kubectl names.
        kind("Role", rbac, plural: "roles"),
        kind("ClusterRole", rbac, plural: "clusterroles", namespaced: false),
        kind("RoleBinding", rbac, plural: "rolebindings"),
        kind("ClusterRoleBinding", rbac, plural: "clusterrolebindings", namespaced: false),
        kind("Deployment", "apps", legacy: ["extensions"], plural: "deployments", short: ["deploy"]),
        kind("StatefulSet", "apps", plural: "statefulsets", short: ["sts"]),
        kind("DaemonSet", "apps", legacy: ["extensions"], plural: "daemonsets", short: ["ds"]),
        kind("ReplicaSet", "apps", legacy: ["extensions"], plural: "replicasets", short: ["rs"]),
        kind("Job", "batch", plural: "jobs"),
        kind("CronJob", "batch", plural: "cronjobs", short: ["cj"]),
        kind("Ingress", "networking.k8s.io", legacy: ["extensions"], plural: "ingresses", singular: "ingress", short: ["ing"]),
        kind("Gateway", gatewayAPI, plural: "gateways", short: ["gtw"], builtIn: false),
        kind("HTTPRoute", gatewayAPI, plural: "httproutes", builtIn: false),
        kind("TLSRoute", gatewayAPI, version: "v1alpha2", plural: "tlsroutes", builtIn: false),
        kind("GRPCRoute", gatewayAPI, plural: "grpcroutes", builtIn: false),
        kind("TCPRoute", gatewayAPI, version: "v1alpha2", plural: "tcproutes", builtIn: false),
        kind("Certificate", certManager, legacy: ["certmanager.k8s.io"], plural: "certificates",
             short: ["cert", "certs"], builtIn: false),
        kind("Issuer", certManager, legacy: ["certmanager.k8s.io"], plural: "issuers", builtIn: false),
        kind("ClusterIssuer", certManager, legacy: ["certmanager.k8s.io"], plural: "clusterissuers",
             namespaced: false, builtIn: false),
        kind("Gateway", "networking.istio.io", version: "v1beta1", plural: "gateways", short: ["gw"], builtIn: false),
        kind("PeerAuthentication", "security.istio.io", version: "v1beta1", plural: "peerauthentications", short: ["pa"], builtIn: false),
        kind("IngressRoute", "traefik.io", version: "v1alpha1", legacy: ["traefik.containo.us"], plural: "ingressroutes", builtIn: false),
        kind("IngressRouteTCP", "traefik.io", version: "v1alpha1", legacy: ["traefik.containo.us"], plural: "ingressroutetcps", builtIn: false),
        kind("ExternalSecret", "external-secrets.io", version: "v1beta1", plural: "externalsecrets", short: ["es"], builtIn: false),
    ]

    /// The row for `name` in `group` (current or legacy), if keyreach reads it.
    public static func lookup(_ name: String, group: String) -> ReadKind? {
        byName[name]?.first { sameBytes($0.name, name) && (sameBytes($0.group, group) || $0.legacyGroups.containsBytes(group)) }
    }

    /// Whether some row has this kind name, in any group.
    public static func readsKindName(_ name: String) -> Bool { byName[name]?.contains { sameBytes($0.name, name) } ?? false }

    /// The first row named `name`: the kind assumed when an object says no
    /// group (an item of a typed list without apiVersion), and the one a
    /// stored object of that name is (KubeModel keeps Istio's Gateway apart).
    public static func row(named name: String) -> ReadKind? {
        byName[name]?.first { sameBytes($0.name, name) }
    }

    // Keyed by String for speed; every hit is re-checked byte for byte, as a
    // Swift String key also matches a canonically equal one (U+212A KELVIN SIGN is "K").
    private static let byName: [String: [ReadKind]] = Dictionary(grouping: read, by: \.name)

    private static let rbac = "rbac.authorization.k8s.io"
    private static let gatewayAPI = "gateway.networking.k8s.io"
    private static let certManager = "cert-manager.io"

    private static func kind(_ name: String, _ group: String, version: String = "v1", legacy: [String] = [], plural: String,
                             singular: String? = nil, short: [String] = [], namespaced: Bool = true,
                             builtIn: Bool = true) -> ReadKind {
        ReadKind(name: name, group: group, legacyGroups: legacy, version: version, plural: plural,
                 singular: singular ?? name.lowercased(), shortNames: short, namespaced: namespaced, builtIn: builtIn)
    }
}
