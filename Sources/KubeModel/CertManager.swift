/// A cert-manager Certificate (`cert-manager.io` or the old `certmanager.k8s.io`).
public struct Certificate: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    /// `spec.secretName`: the secret cert-manager writes the key pair to,
    /// in the Certificate's namespace, whether or not it exists yet.
    public var secretName: String
    public var commonName: String
    public var dnsNames: [String]
    public var issuerRef: IssuerRef
    public var isCA: Bool

    public init(meta: ObjectMeta, secretName: String, commonName: String = "", dnsNames: [String] = [],
                issuerRef: IssuerRef = IssuerRef(name: ""), isCA: Bool = false) {
        self.meta = meta
        self.secretName = secretName
        self.commonName = commonName
        self.dnsNames = dnsNames
        self.issuerRef = issuerRef
        self.isCA = isCA
    }
}

/// `spec.issuerRef`; `kind` defaults to `Issuer`.
public struct IssuerRef: Sendable, Hashable, Codable {
    public var name: String
    public var kind: String
    public var group: String
    public init(name: String, kind: String = "Issuer", group: String = "cert-manager.io") {
        self.name = name
        self.kind = kind
        self.group = group
    }
}

/// A cert-manager Issuer (namespaced) or ClusterIssuer (`meta.namespace == ""`)
/// and the secrets it names.
public struct Issuer: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    /// `"Issuer"` or `"ClusterIssuer"`.
    public var kind: String
    /// `spec.ca.secretName`: the CA key pair this issuer signs with.
    public var caSecretName: String
    /// `spec.acme.privateKeySecretRef.name`: the ACME account key.
    public var acmePrivateKeySecretName: String
    /// Other credential secrets (vault, venafi, ACME solvers), by field path.
    public var otherSecretRefs: [String: String]

    public var isClusterIssuer: Bool { kind == "ClusterIssuer" }

    public init(meta: ObjectMeta, kind: String, caSecretName: String = "", acmePrivateKeySecretName: String = "",
                otherSecretRefs: [String: String] = [:]) {
        self.meta = meta
        self.kind = kind
        self.caSecretName = caSecretName
        self.acmePrivateKeySecretName = acmePrivateKeySecretName
        self.otherSecretRefs = otherSecretRefs
    }
}
