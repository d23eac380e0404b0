import KubeModel

/// One private-key secret of a snapshot: why it is one, the certificates it
/// backs, and what else is known about it. Produced by ``PrivateKeyInventory``.
///
/// `exists == false` means no Secret object of that name is in the dump but
/// something names it (a Certificate's `spec.secretName`, an issuer, an
/// Ingress): cert-manager will create it, and RBAC on the name already applies.
public struct PrivateKeySecret: Sendable, Hashable {
    /// Always kind `Secret`.
    public var secret: ObjectRef
    public var exists: Bool
    /// The secret's `type`, `nil` when it does not exist.
    public var type: String?
    /// Every reason that applies, in the order of ``PrivateKeyReason``'s cases, without duplicates.
    public var reasons: [PrivateKeyReason]
    /// The public certificates kept at import, `tls.crt` first, leaf first.
    public var certificates: [CertificateFacts]
    /// Things that look wrong, as sentences (an annotation naming a missing Certificate).
    public var suspicious: [String]
    /// For a CA key: the cert-manager Certificates issued by the issuers signing with it.
    public var issuedCertificates: IssuedCertificates?
    /// What kind of key it is, which drives ``Severity``.
    public var keyKind: KeyKind

    public init(secret: ObjectRef, exists: Bool, type: String?, reasons: [PrivateKeyReason],
                certificates: [CertificateFacts] = [], suspicious: [String] = [],
                issuedCertificates: IssuedCertificates? = nil, keyKind: KeyKind) {
        self.secret = secret
        self.exists = exists
        self.type = type
        self.reasons = reasons
        self.certificates = certificates
        self.suspicious = suspicious
        self.issuedCertificates = issuedCertificates
        self.keyKind = keyKind
    }

    /// The first parsed certificate of `tls.crt` (or of any key): the one the key answers for.
    public var leafCertificate: CertificateFacts? {
        certificates.first { $0.isParsed && $0.dataKey == "tls.crt" } ?? certificates.first(where: \.isParsed)
    }

    /// True when the secret does not exist yet but cert-manager will write it
    /// (a Certificate or an ACME issuer names it): report it as "will be created".
    public var willBeCreated: Bool {
        !exists && reasons.contains { reason in
            switch reason {
            case .certificateSecretName, .acmeAccountKey: true
            default: false
            }
        }
    }

    /// The human sentence saying what a holder of the key can do (see ``ImpersonationSentence``).
    public var impact: String? { ImpersonationSentence.forKey(self) }
}

/// What a key can be used for, from the most to the least dangerous to leak.
public enum KeyKind: String, Sendable, Hashable, CaseIterable {
    /// A service-mesh CA: mints identities for every workload of the mesh.
    case meshCA
    /// A certificate authority: an Issuer/ClusterIssuer CA, a Certificate with
    /// `isCA: true`, or a kept certificate with basicConstraints `cA`.
    case certificateAuthority
    /// An ACME account key: can order and revoke certificates for the account.
    case acmeAccount
    /// Any other private key: a serving or client certificate's key, an SSH key.
    case leaf
}

/// The cert-manager Certificates issued by the issuers that sign with one CA key.
public struct IssuedCertificates: Sendable, Hashable {
    /// The Issuers and ClusterIssuers whose `spec.ca.secretName` is the key, sorted.
    public var issuers: [ObjectRef]
    /// How many Certificates reference one of those issuers.
    public var count: Int
    /// The namespaces of those Certificates, sorted, without duplicates.
    public var namespaces: [String]

    public init(issuers: [ObjectRef], count: Int, namespaces: [String]) {
        self.issuers = issuers
        self.count = count
        self.namespaces = namespaces
    }
}
