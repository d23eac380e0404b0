import Exposure
import Foundation
import KubeModel
import RBAC

/// Where TLS ends for one host of one frontend: an Ingress host, a Gateway
/// listener (with its routes), an Istio Gateway server host, or a Traefik
/// IngressRoute host.
public struct HostRoute: Sendable, Hashable {
    /// The Ingress, Gateway, Istio Gateway (`Gateway.networking.istio.io`) or IngressRoute.
    public var frontend: ObjectRef
    /// The Gateway listener or Istio server name; `nil` for Ingresses and IngressRoutes.
    public var listener: String?
    /// The host name (`*` for a default backend or a listener without hostname).
    public var host: String
    /// The edge certificate's secret, `nil` when the host has no TLS.
    public var secret: ObjectRef?
    public var secretExists: Bool
    /// The edge certificate (the secret's `tls.crt`), when kept.
    public var certificate: CertificateFacts?
    public var pattern: TerminationPattern
    /// Whether the hop from the edge to the pod is encrypted (re-encryption, passthrough, or mesh mTLS).
    public var backendEncrypted: Bool
    /// Whether that hop also authenticates the backend (proxy-ssl-verify on with a CA, passthrough, mesh mTLS).
    public var backendVerified: Bool
    /// The mesh of the backend pods (`istio`, `linkerd`), `nil` when none.
    public var mesh: MeshMembership?
    /// The controller recognised as serving it, when the dump holds one.
    public var controller: String?
    /// Gateway-API routes attached (`HTTPRoute ns/name`), for Gateway listeners.
    public var routes: [String]
    public var backends: [BackendHop]
    public var findings: [TLSFinding]
}

/// The answer of `keyreach tls`: every host route, and the ingress
/// controllers of the dump with their access to secrets.
public struct TLSReport: Sendable, Hashable {
    public var routes: [HostRoute]
    public var controllers: [IngressControllerFacts]
}

/// Computes where TLS ends for every host of a snapshot.
///
/// ```swift
/// let report = TLSPosture.analyze(snapshot, namespace: "shop", now: Date())
/// for route in report.routes { print(route.host, route.pattern, route.backendEncrypted) }
/// ```
public enum TLSPosture {
    public static func analyze(_ snapshot: ClusterSnapshot, namespace: String? = nil, now: Date = Date()) -> TLSReport {
        let context = Context(snapshot: snapshot, now: now)
        var routes: [HostRoute] = []
        for ingress in snapshot.ingresses where inNamespace(ingress.meta, namespace) {
            routes += context.ingressRoutes(ingress)
        }
        for gateway in snapshot.gateways where inNamespace(gateway.meta, namespace) {
            routes += context.gatewayRoutes(gateway)
        }
        for gateway in snapshot.serving.istioGateways where inNamespace(gateway.meta, namespace) {
            routes += context.istioRoutes(gateway)
        }
        for route in snapshot.serving.ingressRoutes where inNamespace(route.meta, namespace) {
            routes += context.traefikRoutes(route)
        }
        routes.sort { a, b in
            compareBytes(a.frontend.namespace, b.frontend.namespace).then(compareBytes(a.frontend.name, b.frontend.name))
                .then(compareBytes(a.frontend.kind, b.frontend.kind)).then(compareBytes(a.host, b.host))
                .then(compareBytes(a.listener ?? "", b.listener ?? "")) == .before
        }
        return TLSReport(routes: routes, controllers: context.controllers)
    }

    /// Whether an object is in the namespace asked for (every one when `nil`), as bytes.
    static func inNamespace(_ meta: ObjectMeta, _ namespace: String?) -> Bool {
        namespace.map { sameBytes(meta.namespace, $0) } ?? true
    }

    /// Whether a certificate name (`*.example.org` or exact) covers `host` (RFC 6125: one label per wildcard).
    public static func certificateName(_ name: String, covers host: String) -> Bool {
        let name = name.lowercased(), host = host.lowercased()
        if name == host { return true }
        guard name.hasPrefix("*."), let dot = host.firstIndex(of: ".") else { return false }
        return host[host.index(after: dot)...] == name.dropFirst(2) && !host.hasPrefix("*")
    }
}

/// The snapshot indexed once for the analysis.
struct Context {
    let snapshot: ClusterSnapshot
    let now: Date
    // Keyed by bytes (`namespace/name`, namespace): twin names are two objects.
    let secrets: [ByteString: Secret]
    let services: [ByteString: Service]
    let podsByNamespace: [ByteString: [Pod]]
    let mesh: MeshDetection
    let controllers: [IngressControllerFacts]

    init(snapshot: ClusterSnapshot, now: Date) {
        self.snapshot = snapshot
        self.now = now
        secrets = Dictionary(snapshot.secrets.map { (Self.key($0.meta.namespace, $0.meta.name), $0) }, uniquingKeysWith: { a, _ in a })
        services = Dictionary(snapshot.serving.services.map { (Self.key($0.meta.namespace, $0.meta.name), $0) },
                              uniquingKeysWith: { a, _ in a })
        podsByNamespace = Dictionary(grouping: snapshot.pods, by: { ByteString($0.meta.namespace) })
        mesh = MeshDetection(snapshot: snapshot)
        controllers = IngressControllerFacts.find(in: snapshot, authorizer: Authorizer(snapshot: snapshot), mesh: mesh)
    }

    /// `namespace/name` as a byte key (names hold no `/`).
    static func key(_ namespace: String, _ name: String) -> ByteString { ByteString("\(namespace)/\(name)") }

    func secretExists(_ namespace: String, _ name: String) -> Bool { secrets[Self.key(namespace, name)] != nil }

    /// The controller serving a class, among those of the given kind.
    func controller(named name: String, className: String) -> IngressControllerFacts? {
        controllers.first { $0.controller == name && $0.serves(className: className) }
    }

    // MARK: Ingress

    func ingressRoutes(_ ingress: Ingress) -> [HostRoute] {
        let ref = ObjectRef(kind: "Ingress", namespace: ingress.meta.namespace, name: ingress.meta.name)
        let annotations = ingress.meta.annotations
        let nginx = KnownAnnotations.ingressNginx.prefix
        let className = ingress.ingressClassName.isEmpty ? (annotations["kubernetes.io/ingress.class"] ?? "") : ingress.ingressClassName
        let nginxController = controller(named: "ingress-nginx", className: className)
        let served = nginxController ?? controllers.first { $0.serves(className: className) }
        let flag: AnnotationFindings.PassthroughFlag = nginxController.map { $0.sslPassthrough ? .enabled : .disabled } ?? .unknown
        let annotationFindings = AnnotationFindings.check(ingress, secretExists: secretExists, passthroughFlag: flag)

        var hosts: [String] = []
        for host in ingress.rules.map(\.host) + ingress.tls.flatMap(\.hosts) where !hosts.contains(host) { hosts.append(host) }
        let passthrough = annotations[nginx + "ssl-passthrough"].flatMap(AnnotationFindings.goParseBool) == true && flag != .disabled
        let backendProtocol = (annotations[nginx + "backend-protocol"] ?? "HTTP").uppercased()
        let reencrypts = backendProtocol == "HTTPS" || backendProtocol == "GRPCS"
        let verifies = annotations[nginx + "proxy-ssl-verify"] == "on"
            && annotations[nginx + "proxy-ssl-secret"].map { value in
                let secret = AnnotationFindings.secretReference(value, namespace: ingress.meta.namespace)
                return secretExists(secret.namespace, secret.name)
            } == true

        return hosts.map { host in
            let tls = ingress.tls.first { $0.hosts.contains { TLSPosture.certificateName($0, covers: host) } }
            var findings = annotationFindings
            var secretRef: ObjectRef?
            var certificate: CertificateFacts?
            if let tls, !passthrough {
                if tls.secretName.isEmpty {
                    findings.append(TLSFinding(severity: .medium,
                                               problem: "spec.tls for \(host) names no secret: the controller serves its default certificate",
                                               fix: "set spec.tls[].secretName to the secret holding \(host)'s certificate"))
                } else {
                    secretRef = ObjectRef(kind: "Secret", namespace: ingress.meta.namespace, name: tls.secretName)
                    (certificate, findings) = edgeCertificate(secretRef!, host: host, findings: findings)
                }
            }
            let pattern: TerminationPattern = passthrough ? .passthrough : tls == nil ? .none : reencrypts ? .reencrypt : .edge
            let backends = ingress.rules.filter { $0.host == host }.flatMap(\.backends).map {
                backendHop(service: $0.serviceName, namespace: ingress.meta.namespace, port: $0.port)
            }
            return hostRoute(frontend: ref, listener: nil, host: host.isEmpty ? "*" : host, secret: secretRef,
                             certificate: certificate, pattern: pattern,
                             encrypted: pattern == .reencrypt, verified: pattern == .reencrypt && verifies,
                             controller: served, backends: backends, routes: [], findings: findings)
        }
    }

    // MARK: Gateway API

    func gatewayRoutes(_ gateway: Gateway) -> [HostRoute] {
        let ref = ObjectRef(kind: "Gateway", namespace: gateway.meta.namespace, name: gateway.meta.name)
        let served = controllers.first { $0.serves(className: gateway.gatewayClassName) && $0.controller != "ingress-nginx" }
        let attached = snapshot.serving.gatewayRoutes.filter { route in
            route.parentRefs.contains {
                sameBytes($0.kind, "Gateway") && sameBytes($0.namespace, gateway.meta.namespace) && sameBytes($0.name, gateway.meta.name)
            }
        }
        return gateway.listeners.map { listener in
            let routes = attached.filter { route in
                route.parentRefs.contains {
                    sameBytes($0.name, gateway.meta.name) && ($0.sectionName.isEmpty || sameBytes($0.sectionName, listener.name))
                }
            }
            let host = listener.hostname.isEmpty ? "*" : listener.hostname
            var findings: [TLSFinding] = []
            var secretRef: ObjectRef?
            var certificate: CertificateFacts?
            if let first = listener.certificateRefs.first(where: { $0.kind == "Secret" && $0.group.isEmpty }) {
                secretRef = ObjectRef(kind: "Secret", namespace: first.namespace, name: first.name)
                (certificate, findings) = edgeCertificate(secretRef!, host: listener.hostname.isEmpty ? nil : listener.hostname,
                                                          findings: findings)
            }
            let pattern: TerminationPattern = switch listener.tlsMode {
            case "Passthrough": .passthrough
            case "": .none
            default: .edge
            }
            let backends = routes.flatMap(\.backendRefs).filter { $0.kind == "Service" }.map {
                backendHop(service: $0.name, namespace: $0.namespace, port: $0.port == 0 ? "" : String($0.port))
            }
            // Istio's gateway is itself an Envoy with a mesh identity.
            let gatewayMesh = gateway.gatewayClassName.lowercased().contains("istio") ? "istio" : served?.mesh
            return hostRoute(frontend: ref, listener: listener.name, host: host, secret: secretRef, certificate: certificate,
                             pattern: pattern, encrypted: false, verified: false, controller: served,
                             edgeMesh: gatewayMesh, backends: backends,
                             routes: routes.map { "\($0.kind) \($0.meta.namespace)/\($0.meta.name)" }, findings: findings)
        }
    }

    // MARK: Istio Gateway

    func istioRoutes(_ gateway: IstioGateway) -> [HostRoute] {
        let ref = ObjectRef(kind: IstioGateway.kindName, namespace: gateway.meta.namespace, name: gateway.meta.name)
        let namespace = PrivateKeyInventory.istioGatewayWorkloadNamespaces(gateway, pods: snapshot.pods).first ?? gateway.meta.namespace
        return gateway.servers.enumerated().flatMap { index, server in
            server.hosts.map { written in
                let host = written.split(separator: "/").last.map(String.init) ?? written
                var findings: [TLSFinding] = []
                var secretRef: ObjectRef?
                var certificate: CertificateFacts?
                if !server.credentialName.isEmpty {
                    secretRef = ObjectRef(kind: "Secret", namespace: namespace, name: server.credentialName)
                    (certificate, findings) = edgeCertificate(secretRef!, host: host == "*" ? nil : host, findings: findings)
                }
                if AnnotationFindings.isBelowTLS12(server.minProtocolVersion) {
                    findings.append(TLSFinding(value: server.minProtocolVersion, severity: .high,
                                               problem: "server \(server.portName) accepts \(server.minProtocolVersion), below TLS 1.2",
                                               fix: "set tls.minProtocolVersion: TLSV1_2"))
                }
                let pattern: TerminationPattern = switch server.tlsMode {
                case "PASSTHROUGH", "AUTO_PASSTHROUGH": .passthrough
                case "": .none
                default: .edge
                }
                if pattern != .passthrough {
                    findings.append(TLSFinding(severity: .info,
                                               problem: "the backends of an Istio Gateway are named by VirtualServices, which keyreach does not read: the hop to the pods is not judged",
                                               fix: "check that the VirtualService's destinations are pods of the mesh with mTLS (PeerAuthentication STRICT)"))
                }
                return hostRoute(frontend: ref, listener: server.portName.isEmpty ? "#\(index)" : server.portName, host: host,
                                 secret: secretRef, certificate: certificate, pattern: pattern,
                                 encrypted: false, verified: false, controller: nil, edgeMesh: "istio",
                                 backends: [], routes: [], findings: findings)
            }
        }
    }

    // MARK: Traefik

    func traefikRoutes(_ route: TraefikIngressRoute) -> [HostRoute] {
        let ref = ObjectRef(kind: route.kind, namespace: route.meta.namespace, name: route.meta.name)
        let traefik = controllers.first { $0.controller == "Traefik" }
        var seen: [String] = []
        var rows: [HostRoute] = []
        for entry in route.routes {
            for host in entry.hosts.isEmpty ? ["*"] : entry.hosts where !seen.contains(host) {
                seen.append(host)
                var findings: [TLSFinding] = []
                var secretRef: ObjectRef?
                var certificate: CertificateFacts?
                if !route.tlsSecretName.isEmpty {
                    secretRef = ObjectRef(kind: "Secret", namespace: route.meta.namespace, name: route.tlsSecretName)
                    (certificate, findings) = edgeCertificate(secretRef!, host: host == "*" ? nil : host, findings: findings)
                }
                let services = route.routes.filter { $0.hosts.contains(host) || (host == "*" && $0.hosts.isEmpty) }.flatMap(\.services)
                let reencrypts = services.contains { $0.scheme == "https" }
                let pattern: TerminationPattern = !route.hasTLS ? .none : route.tlsPassthrough ? .passthrough : reencrypts ? .reencrypt : .edge
                let skips = traefik?.skipsBackendVerification == true
                if pattern == .reencrypt && skips {
                    findings.append(TLSFinding(value: "--serverstransport.insecureskipverify=true", severity: .high,
                                               problem: "Traefik runs with --serversTransport.insecureSkipVerify=true: the hop to the backend is encrypted but not authenticated",
                                               fix: "drop the flag and give the ServersTransport the backend's CA (rootCAsSecrets) and serverName"))
                }
                rows.append(hostRoute(frontend: ref, listener: nil, host: host, secret: secretRef, certificate: certificate,
                                      pattern: pattern, encrypted: pattern == .reencrypt,
                                      verified: pattern == .reencrypt && !skips, controller: traefik,
                                      backends: services.map { backendHop(service: $0.name, namespace: $0.namespace, port: $0.port) },
                                      routes: [], findings: findings))
            }
        }
        return rows
    }

    // MARK: Shared parts

    /// The edge certificate of a secret and the findings about it: missing secret,
    /// a host its names do not cover, expiry.
    func edgeCertificate(_ secret: ObjectRef, host: String?, findings: [TLSFinding]) -> (CertificateFacts?, [TLSFinding]) {
        var findings = findings
        guard let stored = secrets[Self.key(secret.namespace, secret.name)] else {
            if let certificate = snapshot.certificates.first(where: {
                sameBytes($0.meta.namespace, secret.namespace) && sameBytes($0.secretName, secret.name)
            }) {
                findings.append(TLSFinding(severity: .medium,
                                           problem: "secret \(secret.namespace)/\(secret.name) is not issued yet (cert-manager Certificate \(certificate.meta.namespace)/\(certificate.meta.name) will write it): until then the edge serves a default certificate",
                                           fix: "check why the Certificate is not ready (kubectl describe certificate -n \(certificate.meta.namespace) \(certificate.meta.name))"))
                return (nil, findings)
            }
            findings.append(TLSFinding(severity: .high,
                                       problem: "secret \(secret.namespace)/\(secret.name) is not in the dump: the edge serves a default certificate (or fails the handshake)",
                                       fix: "create the secret (type kubernetes.io/tls), or fix the name"))
            return (nil, findings)
        }
        let parsed = CertificateFacts.parse(certificatesPEM: stored.certificatesPEM)
        let certificate = parsed.first { $0.isParsed && $0.dataKey == "tls.crt" } ?? parsed.first(where: \.isParsed)
        guard let certificate else { return (nil, findings) }
        if let host, !host.isEmpty, host != "*" {
            let names = certificate.dnsNames.isEmpty ? [certificate.commonName] : certificate.dnsNames
            if !names.contains(where: { TLSPosture.certificateName($0, covers: host) }) {
                findings.append(TLSFinding(severity: .high,
                                           problem: "the certificate of \(secret.namespace)/\(secret.name) does not cover \(host) (it names \(names.joined(separator: ", "))): clients reject it",
                                           fix: "add \(host) to the certificate's dnsNames (cert-manager Certificate spec.dnsNames) or use a secret whose certificate names it"))
            }
        }
        if certificate.notAfter < now {
            findings.append(TLSFinding(severity: .high,
                                       problem: "the certificate of \(secret.namespace)/\(secret.name) expired on \(certificate.notAfterISO)",
                                       fix: "renew it (check the cert-manager Certificate's status, or replace the secret)"))
        }
        return (certificate, findings)
    }

    func backendHop(service name: String, namespace: String, port: String) -> BackendHop {
        let pods: [Pod]
        if let service = services[Self.key(namespace, name)], !service.selector.isEmpty {
            pods = (podsByNamespace[ByteString(namespace)] ?? []).filter { pod in
                service.selector.isContained(in: pod.meta.labels)
            }
        } else {
            pods = []
        }
        return BackendHop(service: name, namespace: namespace, port: port, pods: pods.map(\.meta.name).sorted(by: bytesPrecede),
                          mesh: mesh.membership(pods: pods, namespace: namespace))
    }

    /// A row, with the mesh folded in: the hop is mesh mTLS (encrypted and
    /// verified) when the edge and the backend pods sit in the same mesh and
    /// Istio's mode is not DISABLE. A meshed backend behind an unmeshed edge
    /// takes plain text (PERMISSIVE) or refuses it (STRICT): both are findings.
    func hostRoute(frontend: ObjectRef, listener: String?, host: String, secret: ObjectRef?, certificate: CertificateFacts?,
                   pattern: TerminationPattern, encrypted: Bool, verified: Bool, controller: IngressControllerFacts?,
                   edgeMesh: String? = nil, backends: [BackendHop], routes: [String], findings: [TLSFinding]) -> HostRoute {
        var findings = findings
        var encrypted = encrypted || pattern == .passthrough
        var verified = verified || pattern == .passthrough
        let backendMesh = backends.lazy.compactMap(\.mesh).first
        let edgeMesh = edgeMesh ?? controller?.mesh
        if let backendMesh, pattern != .passthrough {
            if edgeMesh == backendMesh.mesh && backendMesh.mode != "DISABLE" {
                encrypted = true
                verified = true
            } else if !encrypted {
                let edge = controller.map { "\($0.controller) (\($0.workload.namespace)/\($0.workload.name))" } ?? "the edge"
                findings.append(TLSFinding(severity: backendMesh.mode == "STRICT" ? .high : .medium,
                                           problem: backendMesh.mode == "STRICT"
                                               ? "the backend pods are in the \(backendMesh.mesh) mesh with STRICT mTLS but \(edge) is not: it cannot reach them"
                                               : "the backend pods are in the \(backendMesh.mesh) mesh but \(edge) is not: the hop to them is plain text",
                                           fix: "inject \(edge) into the \(backendMesh.mesh) mesh (for ingress-nginx also set nginx.ingress.kubernetes.io/service-upstream: \"true\")"))
            }
        }
        return HostRoute(frontend: frontend, listener: listener, host: host, secret: secret,
                         secretExists: secret.map { secretExists($0.namespace, $0.name) } ?? false,
                         certificate: certificate, pattern: pattern, backendEncrypted: encrypted, backendVerified: verified,
                         mesh: backendMesh, controller: controller?.controller, routes: routes, backends: backends,
                         findings: findings.sorted { a, b in
                             a.severity != b.severity ? a.severity > b.severity
                                 : (a.annotation ?? "", a.problem) < (b.annotation ?? "", b.problem)
                         })
    }
}
