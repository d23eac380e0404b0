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
        var issuersByKey: [ObjectRef: [ObjectRef]] = [:]
        for issuer in snapshot.issuers {
            guard let key = SnapshotIndex.caKey(of: issuer, clusterResourceNamespace: clusterResourceNamespace) else { continue }
            issuersByKey[ObjectRef(kind: "Secret", namespace: key.namespace, name: key.name), default: []]
                .append(SnapshotIndex.ref(of: issuer))
        }
        var certificatesByIssuer: [ObjectRef: [Certificate]] = [:]
        for certificate in snapshot.certificates {
            if let issuer = SnapshotIndex.issuerRef(of: certificate) { certificatesByIssuer[issuer, default: []].append(certificate) }
        }
        return issuersByKey.mapValues { issuers in
            Set(issuers).sorted().flatMap { certificatesByIssuer[$0] ?? [] }
        }
    }
}
