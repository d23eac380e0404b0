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
                                           clusterResourceNamespace: String = "cert-manager") -> [ObjectRef: [Certificate]] {
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
        // Built by bytes; the returned `ObjectRef` keys compare as Swift
        // strings, so of two twin CA keys (KELVIN SIGN, NFC/NFD) one is kept.
        let signed = issuersByKey.map { key, issuers in
            (key.ref, Set(issuers.map(RefKey.init)).map(\.ref).sorted().flatMap { certificatesByIssuer[RefKey($0)] ?? [] })
        }
        return Dictionary(signed, uniquingKeysWith: { first, _ in first })
    }
}
