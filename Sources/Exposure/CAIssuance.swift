import KubeModel

extension PrivateKeyInventory {
    /// Per CA key (the `spec.ca.secretName` of an Issuer or ClusterIssuer,
    /// where cert-manager looks it up), the cert-manager Certificates those
    /// issuers sign: the leaves to re-issue once the CA key is rotated.
    /// The same issuer rules as the inventory's ``IssuedCertificates`` (an
    /// external issuer's Certificates are no CA key's), as a list to act on.
    ///
    /// ```swift
    /// let signed = PrivateKeyInventory.certificatesByCAKey(snapshot)
    /// signed[ObjectRef(kind: "Secret", namespace: "cert-manager", name: "internal-ca")]?.map(\.secretName)
    /// ```
    public static func certificatesByCAKey(_ snapshot: ClusterSnapshot,
                                           clusterResourceNamespace: String = "cert-manager") -> SignedCertificates {
        var issuersByKey: [RefKey: [ObjectRef]] = [:]
        for issuer in snapshot.issuers {
            guard let key = SnapshotIndex.caKey(of: issuer, clusterResourceNamespace: clusterResourceNamespace) else { continue }
            issuersByKey[RefKey(ObjectRef(kind: "Secret", namespace: key.namespace, name: key.name)), default: []]
                .append(SnapshotIndex.ref(of: issuer))
        }
        var certificatesByIssuer: [RefKey: [Certificate]] = [:]
        for certificate in snapshot.certificates {
            if let issuer = SnapshotIndex.issuerRef(of: certificate) {
                certificatesByIssuer[RefKey(issuer), default: []].append(certificate)
            }
        }
        return SignedCertificates(byKey: issuersByKey.mapValues { issuers in
            Set(issuers.map(RefKey.init)).map(\.ref).sorted().flatMap { certificatesByIssuer[RefKey($0)] ?? [] }
        })
    }
}

/// The Certificates each CA key signs, looked up by the key's secret as bytes:
/// twin CA keys (KELVIN SIGN, NFC/NFD) sign their own Certificates, where a
/// dictionary keyed by ``ObjectRef`` (whose `==` compares Swift strings) makes them one.
public struct SignedCertificates: Sendable, ExpressibleByDictionaryLiteral {
    private let byKey: [RefKey: [Certificate]]

    init(byKey: [RefKey: [Certificate]]) { self.byKey = byKey }

    /// For tests and callers with their own lists; a key written twice keeps both lists.
    public init(dictionaryLiteral elements: (ObjectRef, [Certificate])...) {
        byKey = Dictionary(elements.map { (RefKey($0.0), $0.1) }, uniquingKeysWith: +)
    }

    /// The Certificates the CA key in `secret` signs; `nil` when no issuer uses it.
    public subscript(secret: ObjectRef) -> [Certificate]? { byKey[RefKey(secret)] }

    /// How many CA keys issuers use.
    public var count: Int { byKey.count }
}
