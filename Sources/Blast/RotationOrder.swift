import Exposure
import KubeModel

/// The order to rotate in: a leaf re-issued before its CA is replaced would
/// be signed by the compromised key again, so CA keys come first (a CA
/// before the CAs it signed), then every leaf each CA signed (reached or not:
/// it chains to a key being replaced), then the other keys reached.
///
/// "Signed" is either relation the dump shows: an Issuer or ClusterIssuer
/// whose `spec.ca.secretName` is the CA key issues a Certificate, or a kept
/// certificate whose issuer DN is the CA certificate's subject.
enum RotationOrder {
    static func steps(reached: [ReachedKey], allKeys: [PrivateKeySecret], signedByCAKey: SignedCertificates,
                      remediation: (PrivateKeySecret) -> Remediation) -> [RotationStep] {
        let keysByName = Dictionary(allKeys.map { (SecretKeyName($0.secret.namespace, $0.secret.name), $0) },
                                    uniquingKeysWith: { first, _ in first })
        let reachedNames = Set(reached.map { SecretKeyName($0.key.secret.namespace, $0.key.secret.name) })
        var steps: [RotationStep] = []
        var listed: Set<SecretKeyName> = []
        func append(_ secret: ObjectRef, _ why: RotationReason) {
            let name = SecretKeyName(secret.namespace, secret.name)
            guard listed.insert(name).inserted else { return }
            let key = keysByName[name] ?? PrivateKeySecret(secret: secret, exists: false, type: nil, reasons: [], keyKind: .leaf)
            steps.append(RotationStep(order: steps.count + 1, secret: secret, why: why, reached: reachedNames.contains(name),
                                      remediation: remediation(key)))
        }
        let authorities = caOrder(reached.filter { if case .certificateAuthority = $0.target { true } else { false } }.map(\.key))
        for ca in authorities { append(ca.secret, .certificateAuthority) }
        let leavesByIssuerDN = Dictionary(grouping: allKeys.filter { $0.leafCertificate.map { !$0.issuer.isEmpty } ?? false }) {
            ByteString($0.leafCertificate?.issuer ?? "")
        }
        for ca in authorities {
            let certificates = (signedByCAKey[ObjectRef(kind: "Secret", namespace: ca.secret.namespace, name: ca.secret.name)] ?? [])
                .filter { !$0.secretName.isEmpty }
                .sorted { (ByteString($0.meta.namespace), ByteString($0.secretName)) < (ByteString($1.meta.namespace), ByteString($1.secretName)) }
            for certificate in certificates {
                append(ObjectRef(kind: "Secret", namespace: certificate.meta.namespace, name: certificate.secretName),
                       .signedBy(ca: ca.secret, certificate: ObjectRef(kind: "Certificate", namespace: certificate.meta.namespace,
                                                                       name: certificate.meta.name)))
            }
            guard let subject = ca.leafCertificate?.subject, !subject.isEmpty else { continue }
            for leaf in (leavesByIssuerDN[ByteString(subject)] ?? []).map(\.secret).sorted(by: refPrecedes) {
                append(leaf, .signedBy(ca: ca.secret, certificate: nil))
            }
        }
        let others = reached.filter { !listed.contains(SecretKeyName($0.key.secret.namespace, $0.key.secret.name)) }
            .sorted { a, b in
                (rank(a.target), ByteString(a.key.secret.namespace), ByteString(a.key.secret.name))
                    < (rank(b.target), ByteString(b.key.secret.namespace), ByteString(b.key.secret.name))
            }
        for other in others { append(other.key.secret, .reached) }
        return steps
    }

    /// Leaves with names first, then ACME accounts, then keys with no name.
    static func rank(_ target: KeyTarget) -> Int {
        switch target {
        case .certificateAuthority: 0
        case .domains: 1
        case .acmeAccount: 2
        case .other: 3
        }
    }

    /// CA keys, each after the reached CAs that signed it (issuer DN = their
    /// subject; a self-signed root has none), then by namespace and name.
    static func caOrder(_ authorities: [PrivateKeySecret]) -> [PrivateKeySecret] {
        let bySubject = Dictionary(grouping: authorities.filter { !($0.leafCertificate?.subject ?? "").isEmpty }) {
            ByteString($0.leafCertificate?.subject ?? "")
        }
        func depth(_ key: PrivateKeySecret) -> Int {
            var depth = 0
            var current = key
            var seen: Set<ByteString> = []
            while let certificate = current.leafCertificate, !sameBytes(certificate.issuer, certificate.subject),
                  seen.insert(ByteString(certificate.subject)).inserted,
                  let parent = bySubject[ByteString(certificate.issuer)]?.first {
                depth += 1
                current = parent
            }
            return depth
        }
        return authorities.map { ($0, depth($0)) }
            .sorted { a, b in
                (a.1, ByteString(a.0.secret.namespace), ByteString(a.0.secret.name))
                    < (b.1, ByteString(b.0.secret.namespace), ByteString(b.0.secret.name))
            }
            .map(\.0)
    }
}
