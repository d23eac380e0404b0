/// An Ingress (networking.k8s.io or extensions): its TLS secrets, hosts and
/// backends. Annotations (ingress-nginx's `proxy-ssl-secret`, ...) are in `meta`.
public struct Ingress: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    public var ingressClassName: String
    public var tls: [IngressTLS]
    public var rules: [IngressRule]

    public init(meta: ObjectMeta, ingressClassName: String = "", tls: [IngressTLS] = [], rules: [IngressRule] = []) {
        self.meta = meta
        self.ingressClassName = ingressClassName
        self.tls = tls
        self.rules = rules
    }
}

/// `spec.tls[]`.
public struct IngressTLS: Sendable, Hashable, Codable {
    public var hosts: [String]
    public var secretName: String
    public init(hosts: [String] = [], secretName: String = "") {
        self.hosts = hosts
        self.secretName = secretName
    }
}

/// `spec.rules[]`, flattened to the host and the backend services it reaches.
public struct IngressRule: Sendable, Hashable, Codable {
    public var host: String
    public var backends: [IngressBackend]
    public init(host: String = "", backends: [IngressBackend] = []) {
        self.host = host
        self.backends = backends
    }
}

/// A backend service of an Ingress path; `port` is the number or name as written.
public struct IngressBackend: Sendable, Hashable, Codable {
    public var path: String
    public var serviceName: String
    public var port: String
    public init(path: String = "", serviceName: String, port: String = "") {
        self.path = path
        self.serviceName = serviceName
        self.port = port
    }
}

/// A Gateway (gateway.networking.k8s.io).
public struct Gateway: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    public var gatewayClassName: String
    public var listeners: [GatewayListener]

    public init(meta: ObjectMeta, gatewayClassName: String = "", listeners: [GatewayListener] = []) {
        self.meta = meta
        self.gatewayClassName = gatewayClassName
        self.listeners = listeners
    }
}

/// `spec.listeners[]`. `certificateRefs` namespaces are defaulted to the
/// Gateway's own namespace; `kind` defaults to `Secret`, `group` to `""`.
public struct GatewayListener: Sendable, Hashable, Codable {
    public var name: String
    public var hostname: String
    public var port: Int
    public var `protocol`: String
    /// `tls.mode`: `Terminate` (default when tls is set), `Passthrough`, or `""` without tls.
    public var tlsMode: String
    public var certificateRefs: [GatewayCertificateRef]

    public init(name: String, hostname: String = "", port: Int = 0, protocol: String = "",
                tlsMode: String = "", certificateRefs: [GatewayCertificateRef] = []) {
        self.name = name
        self.hostname = hostname
        self.port = port
        self.protocol = `protocol`
        self.tlsMode = tlsMode
        self.certificateRefs = certificateRefs
    }
}

/// One `tls.certificateRefs[]` entry.
public struct GatewayCertificateRef: Sendable, Hashable, Codable {
    public var group: String
    public var kind: String
    public var namespace: String
    public var name: String
    public init(group: String = "", kind: String = "Secret", namespace: String, name: String) {
        self.group = group
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }
}
