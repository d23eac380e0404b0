import KubeModel

/// Why keyreach counts a secret as holding a private key. A secret can have
/// several reasons; the report prints each with ``description``.
///
/// This file is the one place that knows the list of reasons and the names
/// they match (``PrivateKeyNames``); ``PrivateKeyInventory`` only applies them.
///
/// ```swift
/// PrivateKeyReason.dataKey("tls.key").description   // "data key tls.key"
/// ```
public enum PrivateKeyReason: Sendable, Hashable, CustomStringConvertible {
    /// The secret's `type` is one that holds a key (`kubernetes.io/tls`, `kubernetes.io/ssh-auth`).
    case secretType(String)
    /// A data key named like a key file: `tls.key`, `ca.key`, `*.key`.
    case dataKey(String)
    /// A data value with a PEM block whose type names a PRIVATE KEY (seen at import, value dropped).
    case pemPrivateKeyBlock(blockType: String, dataKey: String)
    /// An annotation cert-manager writes on the secrets it issues into (new or old API group).
    case certManagerAnnotation(key: String, value: String)
    /// The label cert-manager puts on secrets it manages (`controller.cert-manager.io/fao`).
    case certManagerLabel(String)
    /// cert-manager's temporary key for the next issuance (label `cert-manager.io/next-private-key=true`).
    case temporaryPrivateKey
    /// Named by a cert-manager Certificate's `spec.secretName` in the same namespace.
    case certificateSecretName(certificate: ObjectRef)
    /// `spec.ca.secretName` of an Issuer or ClusterIssuer: the key it signs with.
    case issuerCA(issuer: ObjectRef)
    /// `spec.acme.privateKeySecretRef` of an Issuer or ClusterIssuer: its ACME account key.
    case acmeAccountKey(issuer: ObjectRef)
    /// An Ingress `spec.tls[].secretName`; `className` is its ingress class (`""` when unset).
    case ingressTLS(ingress: ObjectRef, className: String)
    /// A Gateway listener `tls.certificateRefs[]` entry of kind Secret.
    case gatewayListener(gateway: ObjectRef, listener: String, className: String)
    /// An ingress-nginx annotation naming the secret (`proxy-ssl-secret`: the client key for
    /// re-encryption to the backend; `auth-tls-secret`: the client-certificate CA).
    case ingressNginxAnnotation(ingress: ObjectRef, annotation: String, className: String)
    /// A service-mesh CA key: whoever reads it can impersonate every workload of the mesh.
    case meshCA(mesh: String)
    /// An Istio Gateway server's `tls.credentialName`: the gateway workload serves it
    /// (read through SDS from the gateway workload's namespace).
    case istioGatewayCredential(gateway: ObjectRef, server: String)
    /// A Traefik IngressRoute's `tls.secretName`, in the route's namespace.
    case traefikIngressRouteTLS(route: ObjectRef)
    /// The target of an External Secrets `ExternalSecret` that writes a key
    /// (type `kubernetes.io/tls`/`ssh-auth`, or a `*.key` data key), whether or not it exists yet.
    case externalSecretTarget(externalSecret: ObjectRef)
    /// A copy of another private-key secret that a replication controller keeps or
    /// will make (``ReplicationAnnotations``), whether or not it exists yet.
    case replicaOf(source: ObjectRef, via: CopyVia)

    /// The stable human string the report and JSON print.
    public var description: String {
        switch self {
        case .secretType(let type): "type \(type)"
        case .dataKey(let key): "data key \(key)"
        case .pemPrivateKeyBlock(let blockType, let key): "PEM block \(blockType) in \(key)"
        case .certManagerAnnotation(let key, let value): "cert-manager annotation \(key)=\(value)"
        case .certManagerLabel(let label): "label \(label)"
        case .temporaryPrivateKey: "temporary private key (\(PrivateKeyNames.nextPrivateKeyLabel))"
        case .certificateSecretName(let certificate): "cert-manager Certificate \(displayName(certificate))"
        case .issuerCA(let issuer): "CA of \(issuer.kind) \(displayName(issuer))"
        case .acmeAccountKey(let issuer): "ACME account key of \(issuer.kind) \(displayName(issuer))"
        case .ingressTLS(let ingress, _): "Ingress \(displayName(ingress))"
        case .gatewayListener(let gateway, let listener, _): "Gateway \(displayName(gateway)) listener \(listener)"
        case .ingressNginxAnnotation(let ingress, let annotation, _): "\(annotation) of Ingress \(displayName(ingress))"
        case .meshCA(let mesh): "\(mesh) mesh CA"
        case .istioGatewayCredential(let gateway, let server): "Istio Gateway \(displayName(gateway)) server \(server)"
        case .traefikIngressRouteTLS(let route): "Traefik \(route.kind) \(displayName(route))"
        case .externalSecretTarget(let externalSecret): "ExternalSecret \(displayName(externalSecret))"
        case .replicaOf(let source, let via): "copy of \(displayName(source)) by \(via.rawValue)"
        }
    }

    /// A short stable code per case, for filtering and SQL (`type`, `dataKey`, `issuerCA`, ...).
    public var code: String {
        switch self {
        case .secretType: "type"
        case .dataKey: "dataKey"
        case .pemPrivateKeyBlock: "pemBlock"
        case .certManagerAnnotation: "certManagerAnnotation"
        case .certManagerLabel: "certManagerLabel"
        case .temporaryPrivateKey: "temporaryPrivateKey"
        case .certificateSecretName: "certificate"
        case .issuerCA: "issuerCA"
        case .acmeAccountKey: "acmeAccountKey"
        case .ingressTLS: "ingress"
        case .gatewayListener: "gateway"
        case .ingressNginxAnnotation: "ingressNginxAnnotation"
        case .meshCA: "meshCA"
        case .istioGatewayCredential: "istioGateway"
        case .traefikIngressRouteTLS: "traefikIngressRoute"
        case .externalSecretTarget: "externalSecret"
        case .replicaOf: "replica"
        }
    }

    /// True for the reasons that come from cert-manager (its objects, annotations or labels).
    public var isCertManager: Bool {
        switch self {
        case .certManagerAnnotation, .certManagerLabel, .temporaryPrivateKey,
             .certificateSecretName, .issuerCA, .acmeAccountKey: true
        default: false
        }
    }
}

/// `namespace/name`, or `name` for a cluster-scoped object.
func displayName(_ ref: ObjectRef) -> String {
    ref.qualifiedName
}

/// The names the private-key reasons match, in one place, each with where it comes from.
public enum PrivateKeyNames {
    /// Secret types whose data is a private key (core/v1 `SecretTypeTLS`, `SecretTypeSSHAuth`).
    public static let privateKeySecretTypes = ["kubernetes.io/tls", "kubernetes.io/ssh-auth"]

    /// A data key ending in `.key` (`tls.key`, `ca.key`, `server.key`); compared
    /// case-insensitively so `SERVER.KEY` counts too.
    public static let keyFileSuffix = ".key"

    /// PEM block types (RFC 7468 labels) naming a private key contain this:
    /// `PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`,
    /// `OPENSSH PRIVATE KEY`, `DSA PRIVATE KEY`.
    public static let privateKeyPEMMarker = "PRIVATE KEY"

    /// Annotations cert-manager writes on the secrets it issues into (cert-manager
    /// pkg/apis/certmanager/v1 `*AnnotationKey`), most identifying first. The old
    /// `certmanager.k8s.io` group (before v0.11) follows. Only the first present is
    /// reported: they all say the same thing. `allow-direct-injection` is deliberately
    /// absent: users set it on CA bundles, which need not hold a key.
    public static let certManagerSecretAnnotations = [
        "cert-manager.io/certificate-name", "cert-manager.io/issuer-name", "cert-manager.io/issuer-kind",
        "cert-manager.io/issuer-group", "cert-manager.io/common-name", "cert-manager.io/alt-names",
        "cert-manager.io/ip-sans", "cert-manager.io/uri-sans",
        "certmanager.k8s.io/certificate-name", "certmanager.k8s.io/issuer-name", "certmanager.k8s.io/issuer-kind",
        "certmanager.k8s.io/common-name", "certmanager.k8s.io/alt-names", "certmanager.k8s.io/ip-sans",
    ]

    /// The annotations that name the Certificate a secret belongs to (new and old group).
    public static let certificateNameAnnotations = ["cert-manager.io/certificate-name", "certmanager.k8s.io/certificate-name"]

    /// cert-manager labels the secrets it watches with this (`controller.cert-manager.io/fao`, "for attention of").
    public static let certManagerManagedLabel = "controller.cert-manager.io/fao"

    /// cert-manager stores the key for the next issuance in a secret labelled `=true`.
    public static let nextPrivateKeyLabel = "cert-manager.io/next-private-key"

    /// The API groups of cert-manager's own issuers; an issuerRef of another group is an
    /// external issuer whose secrets keyreach cannot see.
    public static let certManagerGroups: Set<String> = ["", "cert-manager.io", "certmanager.k8s.io"]

    /// ingress-nginx annotations whose value names a secret as `namespace/name` or `name`.
    public static let ingressNginxSecretAnnotations = [
        "nginx.ingress.kubernetes.io/proxy-ssl-secret", "nginx.ingress.kubernetes.io/auth-tls-secret",
    ]

    /// Service-mesh CA secrets at their default install locations: Istio's plug-in CA
    /// (`cacerts`) and self-signed CA (`istio-ca-secret`), Linkerd's identity issuer.
    /// The External Secrets controller writes a key when the target's template type is one of
    /// ``privateKeySecretTypes`` or a `data[].secretKey` ends in ``keyFileSuffix``.
    public static func externalSecretWritesKey(_ externalSecret: ExternalSecret) -> Bool {
        privateKeySecretTypes.contains(externalSecret.targetType)
            || externalSecret.secretKeys.contains { $0.lowercased().hasSuffix(keyFileSuffix) }
    }

    public static let meshCASecrets: [(namespace: String, name: String, mesh: String)] = [
        ("istio-system", "cacerts", "Istio"),
        ("istio-system", "istio-ca-secret", "Istio"),
        ("linkerd", "linkerd-identity-issuer", "Linkerd"),
    ]
}
