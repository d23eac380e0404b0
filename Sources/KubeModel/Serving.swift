/// The objects that say how traffic reaches pods and where TLS ends, beside
/// the Ingresses and Gateways of ``ClusterSnapshot``: Services (backend ports
/// and protocols), Gateway-API routes, Istio Gateways and PeerAuthentications,
/// Traefik IngressRoutes, and External Secrets (which write secrets, as a
/// cert-manager Certificate does). Read by DumpReader, stored by Store's
/// `v4-tls-kinds` migration, used by `keyreach tls` and the key inventory.
public struct ServingObjects: Sendable, Hashable, Codable {
    public var services: [Service] = []
    /// HTTPRoutes, TLSRoutes, GRPCRoutes and TCPRoutes (`GatewayRoute.kind`).
    public var gatewayRoutes: [GatewayRoute] = []
    public var istioGateways: [IstioGateway] = []
    public var peerAuthentications: [PeerAuthentication] = []
    /// IngressRoutes and IngressRouteTCPs (`TraefikIngressRoute.kind`).
    public var ingressRoutes: [TraefikIngressRoute] = []
    public var externalSecrets: [ExternalSecret] = []

    public init() {}

    /// Stored objects per kind, as ``ClusterSnapshot/countsByKind`` names them
    /// (an Istio Gateway is `Gateway.networking.istio.io`).
    public var countsByKind: [String: Int] {
        var counts: [String: Int] = [:]
        func add(_ kind: String, _ n: Int = 1) { if n > 0 { counts[kind, default: 0] += n } }
        add("Service", services.count)
        for route in gatewayRoutes { add(route.kind) }
        add(IstioGateway.kindName, istioGateways.count)
        add("PeerAuthentication", peerAuthentications.count)
        for route in ingressRoutes { add(route.kind) }
        add("ExternalSecret", externalSecrets.count)
        return counts
    }
}

// MARK: - Services

/// A Service: the pods it selects and the ports it exposes.
public struct Service: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    /// `spec.type`: `ClusterIP` (default), `NodePort`, `LoadBalancer`, `ExternalName`.
    public var type: String
    /// `spec.selector`; empty for a Service without selector (its endpoints are managed by hand).
    public var selector: ByteKeyedMap
    public var ports: [ServicePort]

    public init(meta: ObjectMeta, type: String = "ClusterIP", selector: ByteKeyedMap = [:], ports: [ServicePort] = []) {
        self.meta = meta
        self.type = type
        self.selector = selector
        self.ports = ports
    }
}

/// `spec.ports[]`. `targetPort` is the number or name as written (`""` means `port`).
public struct ServicePort: Sendable, Hashable, Codable {
    public var name: String
    public var port: Int
    public var targetPort: String
    /// `TCP` (default), `UDP`, `SCTP`.
    public var `protocol`: String
    /// `appProtocol` (`https`, `kubernetes.io/h2c`, ...), `""` when unset.
    public var appProtocol: String

    public init(name: String = "", port: Int, targetPort: String = "", protocol: String = "TCP", appProtocol: String = "") {
        self.name = name
        self.port = port
        self.targetPort = targetPort
        self.protocol = `protocol`
        self.appProtocol = appProtocol
    }
}

// MARK: - Gateway-API routes

/// An HTTPRoute, TLSRoute, GRPCRoute or TCPRoute (gateway.networking.k8s.io):
/// the Gateways (and listeners) it attaches to, its hostnames and backends.
public struct GatewayRoute: Sendable, Hashable, Codable {
    public var kind: String
    public var meta: ObjectMeta
    public var parentRefs: [RouteParentRef]
    public var hostnames: [String]
    /// Every `rules[].backendRefs[]`, namespaces defaulted to the route's.
    public var backendRefs: [RouteBackendRef]

    public init(kind: String, meta: ObjectMeta, parentRefs: [RouteParentRef] = [], hostnames: [String] = [],
                backendRefs: [RouteBackendRef] = []) {
        self.kind = kind
        self.meta = meta
        self.parentRefs = parentRefs
        self.hostnames = hostnames
        self.backendRefs = backendRefs
    }
}

/// `parentRefs[]`: a Gateway (kind defaults to `Gateway`, namespace to the route's).
public struct RouteParentRef: Sendable, Hashable, Codable {
    public var kind: String
    public var namespace: String
    public var name: String
    /// The listener name, `""` for every listener.
    public var sectionName: String

    public init(kind: String = "Gateway", namespace: String, name: String, sectionName: String = "") {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.sectionName = sectionName
    }
}

/// `backendRefs[]`: a Service (kind defaults to `Service`) and port.
public struct RouteBackendRef: Sendable, Hashable, Codable {
    public var kind: String
    public var namespace: String
    public var name: String
    public var port: Int

    public init(kind: String = "Service", namespace: String, name: String, port: Int = 0) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.port = port
    }
}

// MARK: - Istio

/// An Istio Gateway (networking.istio.io): which gateway pods it configures
/// (`selector`) and what each server serves. Not a Gateway-API Gateway.
public struct IstioGateway: Sendable, Hashable, Codable {
    /// The name counts and messages use, so nobody mistakes it for a Gateway-API Gateway.
    public static let kindName = "Gateway.networking.istio.io"

    public var meta: ObjectMeta
    public var selector: ByteKeyedMap
    public var servers: [IstioServer]

    public init(meta: ObjectMeta, selector: ByteKeyedMap = [:], servers: [IstioServer] = []) {
        self.meta = meta
        self.selector = selector
        self.servers = servers
    }
}

/// `spec.servers[]`.
public struct IstioServer: Sendable, Hashable, Codable {
    public var portName: String
    public var portNumber: Int
    /// `HTTP`, `HTTPS`, `TLS`, `GRPC`, `HTTP2`, `MONGO`, `TCP`.
    public var `protocol`: String
    /// `hosts[]`, possibly `namespace/host`.
    public var hosts: [String]
    /// `tls.mode`: `SIMPLE`, `MUTUAL`, `PASSTHROUGH`, `AUTO_PASSTHROUGH`, `ISTIO_MUTUAL`, `OPTIONAL_MUTUAL`; `""` without tls.
    public var tlsMode: String
    /// `tls.credentialName`: a secret in the namespace of the gateway workload, which reads it through SDS.
    public var credentialName: String
    /// `tls.minProtocolVersion` (`TLSV1_0` ... `TLSV1_3`), `""` when unset.
    public var minProtocolVersion: String

    public init(portName: String = "", portNumber: Int = 0, protocol: String = "", hosts: [String] = [],
                tlsMode: String = "", credentialName: String = "", minProtocolVersion: String = "") {
        self.portName = portName
        self.portNumber = portNumber
        self.protocol = `protocol`
        self.hosts = hosts
        self.tlsMode = tlsMode
        self.credentialName = credentialName
        self.minProtocolVersion = minProtocolVersion
    }
}

/// An Istio PeerAuthentication (security.istio.io): the mTLS mode of the
/// workloads it selects; in the root namespace (`istio-system`) without
/// selector it is the mesh-wide default.
public struct PeerAuthentication: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    /// `spec.selector.matchLabels`; empty: every workload of the namespace.
    public var selector: ByteKeyedMap
    /// `spec.mtls.mode`: `STRICT`, `PERMISSIVE`, `DISABLE`, `UNSET` (or `""`: inherit).
    public var mode: String
    /// `spec.portLevelMtls`: port number (as written) → mode.
    public var portModes: ByteKeyedMap

    public init(meta: ObjectMeta, selector: ByteKeyedMap = [:], mode: String = "", portModes: ByteKeyedMap = [:]) {
        self.meta = meta
        self.selector = selector
        self.mode = mode
        self.portModes = portModes
    }
}

// MARK: - Traefik

/// A Traefik IngressRoute or IngressRouteTCP (traefik.io, or the older traefik.containo.us).
public struct TraefikIngressRoute: Sendable, Hashable, Codable {
    /// `IngressRoute` or `IngressRouteTCP`.
    public var kind: String
    public var meta: ObjectMeta
    public var entryPoints: [String]
    public var routes: [TraefikRoute]
    /// `tls.secretName`, `""` when unset (Traefik then serves its default certificate).
    public var tlsSecretName: String
    /// Whether `spec.tls` is present at all.
    public var hasTLS: Bool
    /// `tls.passthrough` (IngressRouteTCP).
    public var tlsPassthrough: Bool

    public init(kind: String = "IngressRoute", meta: ObjectMeta, entryPoints: [String] = [], routes: [TraefikRoute] = [],
                tlsSecretName: String = "", hasTLS: Bool = false, tlsPassthrough: Bool = false) {
        self.kind = kind
        self.meta = meta
        self.entryPoints = entryPoints
        self.routes = routes
        self.tlsSecretName = tlsSecretName
        self.hasTLS = hasTLS
        self.tlsPassthrough = tlsPassthrough
    }
}

/// `routes[]`: the match expression and its services.
public struct TraefikRoute: Sendable, Hashable, Codable {
    /// `match`, e.g. ``Host(`shop.example.org`) && PathPrefix(`/`)``.
    public var match: String
    public var services: [TraefikService]

    public init(match: String = "", services: [TraefikService] = []) {
        self.match = match
        self.services = services
    }

    /// The hosts of every ``Host(`...`)`` / ``HostSNI(`...`)`` in ``match``:
    /// the backquoted (or quoted) words inside those calls.
    public var hosts: [String] {
        var hosts: [String] = []
        let characters = Array(match)
        var i = 0
        while i < characters.count {
            let rest = characters[i...]
            let opener = rest.starts(with: "Host(") ? 5 : rest.starts(with: "HostSNI(") ? 8 : 0
            guard opener > 0, i == 0 || !(characters[i - 1].isLetter) else { i += 1; continue }
            i += opener
            var word: String?
            while i < characters.count, characters[i] != ")" {
                let c = characters[i]
                if c == "`" || c == "\"" || c == "'" {
                    if let done = word { if !done.isEmpty { hosts.append(done) }; word = nil } else { word = "" }
                } else if word != nil {
                    word!.append(c)
                }
                i += 1
            }
        }
        return hosts
    }
}

/// `routes[].services[]`.
public struct TraefikService: Sendable, Hashable, Codable {
    public var name: String
    public var namespace: String
    public var port: String
    /// `scheme`: `http` (default), `https`, `h2c`.
    public var scheme: String
    /// `serversTransport`: where backend certificate verification is configured.
    public var serversTransport: String

    public init(name: String, namespace: String, port: String = "", scheme: String = "", serversTransport: String = "") {
        self.name = name
        self.namespace = namespace
        self.port = port
        self.scheme = scheme
        self.serversTransport = serversTransport
    }
}

// MARK: - External Secrets

/// An External Secrets `ExternalSecret` (external-secrets.io): the secret the
/// external-secrets controller writes from an outside store.
public struct ExternalSecret: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    /// `spec.target.name`, defaulted to the ExternalSecret's own name as the controller does.
    public var targetName: String
    /// `spec.target.template.type`, e.g. `kubernetes.io/tls`; `""` when unset.
    public var targetType: String
    /// `spec.target.creationPolicy`: `Owner` (default), `Orphan`, `Merge`, `None`.
    public var creationPolicy: String
    /// `spec.secretStoreRef.kind` (`SecretStore` or `ClusterSecretStore`) and name.
    public var storeKind: String
    public var storeName: String
    /// The secret keys it writes (`data[].secretKey`), e.g. `tls.key`.
    public var secretKeys: [String]

    public init(meta: ObjectMeta, targetName: String = "", targetType: String = "", creationPolicy: String = "Owner",
                storeKind: String = "SecretStore", storeName: String = "", secretKeys: [String] = []) {
        self.meta = meta
        self.targetName = targetName.isEmpty ? meta.name : targetName
        self.targetType = targetType
        self.creationPolicy = creationPolicy
        self.storeKind = storeKind
        self.storeName = storeName
        self.secretKeys = secretKeys
    }
}

// MARK: - Containers

/// What keyreach keeps of a container: its name, image, and command-line
/// flags. A flag keeps its value only when it is a known, harmless one
/// (``keptFlagValues``): other values can be credentials and are dropped
/// while reading, so `--token=abc` is kept as `--token`.
public struct ContainerSummary: Sendable, Hashable, Codable {
    public var name: String
    public var image: String
    /// `command` then `args`, flags only (`--name` or `--name=value`).
    public var flags: [String]

    public init(name: String, image: String = "", flags: [String] = []) {
        self.name = name
        self.image = image
        self.flags = flags
    }

    /// Flags whose values are kept: the ingress controllers' class, passthrough and
    /// default-certificate settings (ingress-nginx cmd/nginx/flags.go, Traefik's static configuration).
    public static let keptFlagValues: Set<String> = [
        "--ingress-class", "--controller-class", "--enable-ssl-passthrough", "--default-ssl-certificate",
        "--watch-namespace", "--publish-service", "--election-id", "--configmap",
        "--providers.kubernetesingress.ingressclass", "--providers.kubernetescrd",
        "--providers.kubernetesingress", "--serverstransport.insecureskipverify",
    ]

    /// `arg` as kept: `nil` when it is no flag, the flag name alone unless its value is known harmless.
    public static func keptFlag(_ arg: String) -> String? {
        guard arg.hasPrefix("--") else { return nil }
        guard let equals = arg.firstIndex(of: "=") else { return arg }
        let name = String(arg[..<equals])
        return keptFlagValues.contains(name.lowercased()) ? arg : name
    }

    /// The value of `--name=value` (or `"true"` for a bare `--name`), `nil` when absent.
    /// Flag names compare case-insensitively (Traefik's are; ingress-nginx's are lowercase).
    public func flagValue(_ name: String) -> String? {
        let wanted = name.lowercased()
        for flag in flags {
            let lowered = flag.lowercased()
            if lowered == wanted { return "true" }
            if lowered.hasPrefix(wanted + "=") { return String(flag.dropFirst(name.count + 1)) }
        }
        return nil
    }
}
