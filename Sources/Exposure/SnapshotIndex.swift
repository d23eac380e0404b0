import Foundation
import KubeModel

/// The snapshot indexed once for the inventory: secrets by name, the reasons
/// other objects give to secret names, and which Certificates each CA key signs.
struct SnapshotIndex {
    let secretsByName: [SecretName: Secret]
    /// Reasons that come from objects naming a secret (Certificate, Issuer, Ingress, Gateway).
    let referenceReasons: [SecretName: [PrivateKeyReason]]
    /// Secret names written by a Certificate with `isCA: true`.
    let caCertificateSecrets: Set<SecretName>
    /// The Certificates of the dump, as `namespace/name`.
    let certificateNames: Set<SecretName>
    let hasCertificates: Bool
    /// CA key → the issuers signing with it.
    let issuersByCAKey: [SecretName: [ObjectRef]]
    /// Issuer (kind, namespace `""` for a ClusterIssuer, name) → the Certificates referencing it.
    let certificatesByIssuer: [RefKey: [Certificate]]

    init(_ snapshot: ClusterSnapshot, clusterResourceNamespace: String) {
        secretsByName = Dictionary(snapshot.secrets.map { (SecretName($0.meta), $0) }, uniquingKeysWith: { first, _ in first })
        certificateNames = Set(snapshot.certificates.map { SecretName($0.meta) })
        hasCertificates = !snapshot.certificates.isEmpty
        caCertificateSecrets = Set(snapshot.certificates.filter(\.isCA).compactMap(Self.secretName(of:)))

        var reasons: [SecretName: [PrivateKeyReason]] = [:]
        let references = snapshot.certificates.flatMap(Self.certificateReferences)
            + snapshot.issuers.flatMap { Self.issuerReferences($0, clusterResourceNamespace: clusterResourceNamespace) }
            + snapshot.ingresses.flatMap(Self.ingressReferences)
            + snapshot.gateways.flatMap(Self.gatewayReferences)
        for (name, reason) in references { reasons[name, default: []].append(reason) }
        referenceReasons = reasons

        var issuers: [SecretName: [ObjectRef]] = [:]
        for issuer in snapshot.issuers {
            guard let key = Self.caKey(of: issuer, clusterResourceNamespace: clusterResourceNamespace) else { continue }
            issuers[key, default: []].append(Self.ref(of: issuer))
        }
        issuersByCAKey = issuers
        var issued: [RefKey: [Certificate]] = [:]
        for certificate in snapshot.certificates {
            if let issuer = Self.issuerRef(of: certificate) { issued[RefKey(issuer), default: []].append(certificate) }
        }
        certificatesByIssuer = issued
    }

    // MARK: Objects that name secrets

    static func secretName(of certificate: Certificate) -> SecretName? {
        certificate.secretName.isEmpty ? nil : SecretName(namespace: certificate.meta.namespace, name: certificate.secretName)
    }

    static func certificateReferences(_ certificate: Certificate) -> [(SecretName, PrivateKeyReason)] {
        guard let name = secretName(of: certificate) else { return [] }
        let ref = ObjectRef(kind: "Certificate", namespace: certificate.meta.namespace, name: certificate.meta.name)
        return [(name, .certificateSecretName(certificate: ref))]
    }

    /// An Issuer's secrets live in its namespace; a ClusterIssuer's in the cluster
    /// resource namespace (cert-manager's `--cluster-resource-namespace`).
    static func secretNamespace(of issuer: Issuer, clusterResourceNamespace: String) -> String {
        issuer.isClusterIssuer ? clusterResourceNamespace : issuer.meta.namespace
    }

    static func caKey(of issuer: Issuer, clusterResourceNamespace: String) -> SecretName? {
        guard !issuer.caSecretName.isEmpty else { return nil }
        return SecretName(namespace: secretNamespace(of: issuer, clusterResourceNamespace: clusterResourceNamespace),
                          name: issuer.caSecretName)
    }

    static func issuerReferences(_ issuer: Issuer, clusterResourceNamespace: String) -> [(SecretName, PrivateKeyReason)] {
        let ref = ref(of: issuer)
        var references: [(SecretName, PrivateKeyReason)] = []
        if let key = caKey(of: issuer, clusterResourceNamespace: clusterResourceNamespace) {
            references.append((key, .issuerCA(issuer: ref)))
        }
        if !issuer.acmePrivateKeySecretName.isEmpty {
            let namespace = secretNamespace(of: issuer, clusterResourceNamespace: clusterResourceNamespace)
            references.append((SecretName(namespace: namespace, name: issuer.acmePrivateKeySecretName),
                               .acmeAccountKey(issuer: ref)))
        }
        return references
    }

    static func ingressReferences(_ ingress: Ingress) -> [(SecretName, PrivateKeyReason)] {
        let ref = ObjectRef(kind: "Ingress", namespace: ingress.meta.namespace, name: ingress.meta.name)
        let tls = ingress.tls.filter { !$0.secretName.isEmpty }.map {
            (SecretName(namespace: ingress.meta.namespace, name: $0.secretName),
             PrivateKeyReason.ingressTLS(ingress: ref, className: ingress.ingressClassName))
        }
        let annotated = PrivateKeyNames.ingressNginxSecretAnnotations.compactMap { annotation in
            ingress.meta.annotations[annotation].flatMap { annotatedSecretName($0, defaultNamespace: ingress.meta.namespace) }
                .map { ($0, PrivateKeyReason.ingressNginxAnnotation(ingress: ref, annotation: annotation,
                                                                     className: ingress.ingressClassName)) }
        }
        return tls + annotated
    }

    /// ingress-nginx secret annotations hold `namespace/name` or `name` (the Ingress's namespace).
    static func annotatedSecretName(_ value: String, defaultNamespace: String) -> SecretName? {
        let parts = value.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1 where !parts[0].isEmpty: return SecretName(namespace: defaultNamespace, name: String(parts[0]))
        case 2 where !parts[0].isEmpty && !parts[1].isEmpty: return SecretName(namespace: String(parts[0]), name: String(parts[1]))
        default: return nil
        }
    }

    /// Listener `tls.certificateRefs` of kind Secret in the core group (`""`);
    /// other kinds are not secrets keyreach can see.
    static func gatewayReferences(_ gateway: Gateway) -> [(SecretName, PrivateKeyReason)] {
        let ref = ObjectRef(kind: "Gateway", namespace: gateway.meta.namespace, name: gateway.meta.name)
        return gateway.listeners.flatMap { listener in
            listener.certificateRefs.filter { sameBytes($0.kind, "Secret") && $0.group.isEmpty && !$0.name.isEmpty }.map {
                (SecretName(namespace: $0.namespace.isEmpty ? gateway.meta.namespace : $0.namespace, name: $0.name),
                 PrivateKeyReason.gatewayListener(gateway: ref, listener: listener.name, className: gateway.gatewayClassName))
            }
        }
    }

    // MARK: Issuance

    static func ref(of issuer: Issuer) -> ObjectRef {
        ObjectRef(kind: issuer.kind, namespace: issuer.isClusterIssuer ? "" : issuer.meta.namespace, name: issuer.meta.name)
    }

    /// The cert-manager issuer a Certificate's `issuerRef` names; `nil` for an external
    /// issuer (another API group) or an empty name.
    static func issuerRef(of certificate: Certificate) -> ObjectRef? {
        let ref = certificate.issuerRef
        guard !ref.name.isEmpty, PrivateKeyNames.certManagerGroups.containsBytes(ref.group) else { return nil }
        if sameBytes(ref.kind, "ClusterIssuer") { return ObjectRef(kind: "ClusterIssuer", name: ref.name) }
        guard ref.kind.isEmpty || sameBytes(ref.kind, "Issuer") else { return nil }
        return ObjectRef(kind: "Issuer", namespace: certificate.meta.namespace, name: ref.name)
    }

    /// For a CA key: the issuers signing with it and the Certificates they issued; `nil` when no issuer uses it.
    func issuedCertificates(forCAKey key: SecretName) -> IssuedCertificates? {
        guard let issuers = issuersByCAKey[key] else { return nil }
        let certificates = issuers.flatMap { certificatesByIssuer[RefKey($0)] ?? [] }
        return IssuedCertificates(issuers: issuers.sorted(), count: certificates.count,
                                  namespaces: Set(certificates.map { ByteString($0.meta.namespace) }).sorted().map(\.string))
    }

    // MARK: Suspicious

    /// A cert-manager certificate-name annotation naming a Certificate that is not in
    /// the dump. Anyone allowed to update the secret can write that annotation, so it
    /// proves nothing. Only checked when the dump holds Certificates at all: a dump
    /// without the cert-manager CRDs would otherwise flag every cert-manager secret.
    func suspiciousAnnotations(of secret: Secret) -> [String] {
        guard hasCertificates else { return [] }
        return PrivateKeyNames.certificateNameAnnotations.compactMap { annotation in
            guard let certificate = secret.meta.annotations[annotation], !certificate.isEmpty,
                  !certificateNames.contains(SecretName(namespace: secret.meta.namespace, name: certificate))
            else { return nil }
            return "annotation \(annotation) names Certificate \(secret.meta.namespace)/\(certificate), "
                + "which is not in the dump (anyone who can update this secret can write that annotation)"
        }
    }
}

/// An object reference as a dictionary key that compares and hashes by bytes
/// (``ObjectRef``'s own `==` compares Swift strings: twin issuers would be one).
struct RefKey: Hashable, Sendable {
    let ref: ObjectRef

    init(_ ref: ObjectRef) { self.ref = ref }

    static func == (a: RefKey, b: RefKey) -> Bool { compareBytes(a.ref, b.ref) == .same }

    func hash(into hasher: inout Hasher) {
        hashBytes(ref.kind, into: &hasher)
        hashBytes(ref.namespace, into: &hasher)
        hashBytes(ref.name, into: &hasher)
    }
}
