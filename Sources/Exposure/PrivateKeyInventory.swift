import KubeModel

/// Finds every private-key secret of a snapshot and says why it is one.
///
/// Two kinds of evidence combine: what a secret says about itself (type, key
/// names, PEM block types, cert-manager annotations and labels, mesh CA
/// location) and what other objects say about a secret name (Certificates,
/// Issuers, Ingresses, Gateways). The second kind also finds names with no
/// secret yet (`exists: false`). The snapshot is indexed once; the work is
/// linear in the number of objects.
///
/// ```swift
/// let keys = PrivateKeyInventory.classify(snapshot)
/// keys.first?.reasons.map(\.description)   // ["type kubernetes.io/tls", "Ingress production/web"]
/// ```
public enum PrivateKeyInventory {
    /// Every private-key secret, sorted by namespace then name.
    /// - Parameter clusterResourceNamespace: where cert-manager keeps ClusterIssuer
    ///   secrets (its `--cluster-resource-namespace`, `cert-manager` by default).
    /// - Parameter including: when given, only the keys it accepts (by namespace
    ///   and name) are built: the others' certificates are never parsed (`blast`).
    public static func classify(_ snapshot: ClusterSnapshot,
                                clusterResourceNamespace: String = "cert-manager",
                                including: ((_ namespace: String, _ name: String) -> Bool)? = nil) -> [PrivateKeySecret] {
        let index = SnapshotIndex(snapshot, clusterResourceNamespace: clusterResourceNamespace)
        var reasonsByName = index.referenceReasons
        for (name, reason) in servingReferences(snapshot) { reasonsByName[name, default: []].append(reason) }
        for secret in snapshot.secrets {
            let own = ownReasons(of: secret)
            if !own.isEmpty { reasonsByName[SecretName(secret.meta), default: []] += own }
        }
        addReplicas(ReplicationAnnotations.copies(snapshot), to: &reasonsByName)
        let names = (including.map { include in reasonsByName.keys.filter { include($0.namespace, $0.name) } }
            ?? Array(reasonsByName.keys)).sorted()
        // Each key is independent (its certificates parsed on every core); a
        // block's cache parses a PEM that several secrets hold once.
        let reasons = reasonsByName
        let keys = ParallelMap.blocks(count: names.count, blockSize: 64) { range in
            var parsed = CertificateFactsCache()
            return range.map { privateKeySecret(names[$0], reasons: reasons[names[$0]] ?? [], index: index, certificates: &parsed) }
        }
        return inheritingSourceKinds(keys)
    }

    /// A copy holds its source's key: when the copy itself shows no certificate
    /// (a push not made yet), it takes the source's kind (a copied CA key is a CA key).
    static func inheritingSourceKinds(_ keys: [PrivateKeySecret]) -> [PrivateKeySecret] {
        guard keys.contains(where: { $0.reasons.contains(where: isReplica) }) else { return keys }
        var kinds: [SecretName: KeyKind] = [:]
        for key in keys { kinds[SecretName(key.secret)] = key.keyKind }
        var keys = keys
        for _ in 0..<4 {  // copies of copies of copies: a few rounds reach them
            for index in keys.indices where keys[index].leafCertificate == nil {
                for case .replicaOf(let source, _) in keys[index].reasons {
                    guard let kind = kinds[SecretName(source)],
                          KeyKind.allCases.firstIndex(of: kind)! < KeyKind.allCases.firstIndex(of: keys[index].keyKind)! else { continue }
                    keys[index].keyKind = kind
                    kinds[SecretName(keys[index].secret)] = kind
                }
            }
        }
        return keys
    }

    /// A copy of a private-key secret holds the key too: each replication copy whose
    /// source is a key gives its target a reason, until copies of copies are reached.
    static func addReplicas(_ copies: [ReplicationCopy], to reasonsByName: inout [SecretName: [PrivateKeyReason]]) {
        var pending = copies
        while true {
            var added = false
            pending.removeAll { copy in
                guard reasonsByName[SecretName(copy.source)] != nil else { return false }
                reasonsByName[SecretName(copy.target), default: []].append(.replicaOf(source: copy.source, via: copy.via))
                added = true
                return true
            }
            if !added || pending.isEmpty { return }
        }
    }

    static func privateKeySecret(_ name: SecretName, reasons: [PrivateKeyReason], index: SnapshotIndex,
                                 certificates parsed: inout CertificateFactsCache) -> PrivateKeySecret {
        let secret = index.secretsByName[name]
        let certificates = secret.map { parsed.facts(of: $0.certificatesPEM) } ?? []
        let ordered = orderedUnique(reasons)
        let issued = index.issuedCertificates(forCAKey: name)
        return PrivateKeySecret(
            secret: ObjectRef(kind: "Secret", namespace: name.namespace, name: name.name),
            exists: secret != nil,
            type: secret?.type,
            reasons: ordered,
            certificates: certificates,
            suspicious: secret.map { index.suspiciousAnnotations(of: $0) } ?? [],
            issuedCertificates: issued,
            keyKind: keyKind(reasons: ordered, certificates: certificates,
                             namedByCACertificate: index.caCertificateSecrets.contains(name)))
    }

    // MARK: What a secret says about itself

    /// The reasons a secret gives on its own, without looking at other objects.
    public static func ownReasons(of secret: Secret) -> [PrivateKeyReason] {
        typeReasons(secret) + dataKeyReasons(secret) + pemReasons(secret)
            + certManagerMetadataReasons(secret.meta) + meshCAReasons(secret.meta)
    }

    static func typeReasons(_ secret: Secret) -> [PrivateKeyReason] {
        PrivateKeyNames.privateKeySecretTypes.contains(secret.type) ? [.secretType(secret.type)] : []
    }

    static func dataKeyReasons(_ secret: Secret) -> [PrivateKeyReason] {
        secret.keys.filter { $0.name.lowercased().hasSuffix(PrivateKeyNames.keyFileSuffix) }.map { .dataKey($0.name) }
    }

    static func pemReasons(_ secret: Secret) -> [PrivateKeyReason] {
        secret.keys.flatMap { key in
            key.pemBlockTypes.filter { $0.contains(PrivateKeyNames.privateKeyPEMMarker) }
                .map { PrivateKeyReason.pemPrivateKeyBlock(blockType: $0, dataKey: key.name) }
        }
    }

    static func certManagerMetadataReasons(_ meta: ObjectMeta) -> [PrivateKeyReason] {
        var reasons: [PrivateKeyReason] = []
        if let key = PrivateKeyNames.certManagerSecretAnnotations.first(where: { meta.annotations[$0] != nil }) {
            reasons.append(.certManagerAnnotation(key: key, value: meta.annotations[key] ?? ""))
        }
        if meta.labels[PrivateKeyNames.certManagerManagedLabel] != nil {
            reasons.append(.certManagerLabel(PrivateKeyNames.certManagerManagedLabel))
        }
        if meta.labels[PrivateKeyNames.nextPrivateKeyLabel] == "true" {
            reasons.append(.temporaryPrivateKey)
        }
        return reasons
    }

    static func meshCAReasons(_ meta: ObjectMeta) -> [PrivateKeyReason] {
        PrivateKeyNames.meshCASecrets
            .filter { sameBytes($0.namespace, meta.namespace) && sameBytes($0.name, meta.name) }
            .map { .meshCA(mesh: $0.mesh) }
    }

    // MARK: What Istio, Traefik and External Secrets say about a secret name

    /// Reasons from Istio Gateway `credentialName`s, Traefik IngressRoute
    /// `tls.secretName`s and ExternalSecret targets that write a key.
    static func servingReferences(_ snapshot: ClusterSnapshot) -> [(SecretName, PrivateKeyReason)] {
        var references: [(SecretName, PrivateKeyReason)] = []
        for gateway in snapshot.serving.istioGateways {
            let ref = ObjectRef(kind: "Gateway", namespace: gateway.meta.namespace, name: gateway.meta.name)
            let namespaces = istioGatewayWorkloadNamespaces(gateway, pods: snapshot.pods)
            for (index, server) in gateway.servers.enumerated() where !server.credentialName.isEmpty {
                let serverName = server.portName.isEmpty ? "#\(index)" : server.portName
                for namespace in namespaces {
                    references.append((SecretName(namespace: namespace, name: server.credentialName),
                                       .istioGatewayCredential(gateway: ref, server: serverName)))
                }
            }
        }
        for route in snapshot.serving.ingressRoutes where !route.tlsSecretName.isEmpty {
            let ref = ObjectRef(kind: route.kind, namespace: route.meta.namespace, name: route.meta.name)
            references.append((SecretName(namespace: route.meta.namespace, name: route.tlsSecretName),
                               .traefikIngressRouteTLS(route: ref)))
        }
        for externalSecret in snapshot.serving.externalSecrets where PrivateKeyNames.externalSecretWritesKey(externalSecret) {
            let ref = ObjectRef(kind: "ExternalSecret", namespace: externalSecret.meta.namespace, name: externalSecret.meta.name)
            references.append((SecretName(namespace: externalSecret.meta.namespace, name: externalSecret.targetName),
                               .externalSecretTarget(externalSecret: ref)))
        }
        return references
    }

    /// Where an Istio Gateway's `credentialName` is looked up: the namespace of
    /// the gateway pods its selector matches (Istio reads the secret there,
    /// through SDS), or the Gateway's own namespace when no pod is in the dump.
    public static func istioGatewayWorkloadNamespaces(_ gateway: IstioGateway, pods: [Pod]) -> [String] {
        guard !gateway.selector.isEmpty else { return [gateway.meta.namespace] }
        let namespaces = Set(pods.filter { pod in gateway.selector.isContained(in: pod.meta.labels) }
            .map { ByteString($0.meta.namespace) })
        return namespaces.isEmpty ? [gateway.meta.namespace] : namespaces.sorted().map(\.string)
    }

    // MARK: Ordering and kind

    /// Reasons in the order of the enum's cases (then by text, as bytes), each once.
    /// Deduplicated by their text's bytes too: the reason's own `==` compares
    /// names as Swift strings, and would make two twin Ingresses one.
    static func orderedUnique(_ reasons: [PrivateKeyReason]) -> [PrivateKeyReason] {
        let unique: Set<TextedReason> = Set(reasons.map { TextedReason(reason: $0, text: ByteString($0.description)) })
        let sorted: [TextedReason] = unique.sorted { (a: TextedReason, b: TextedReason) -> Bool in
            a.rank != b.rank ? a.rank < b.rank : a.text < b.text
        }
        return sorted.map(\.reason)
    }

    /// A reason beside its text, equal only when the text's bytes are too.
    private struct TextedReason: Hashable {
        var reason: PrivateKeyReason
        var text: ByteString
        var rank: Int { caseRank(reason) }
    }

    static func caseRank(_ reason: PrivateKeyReason) -> Int {
        switch reason {
        case .secretType: 0
        case .dataKey: 1
        case .pemPrivateKeyBlock: 2
        case .certManagerAnnotation: 3
        case .certManagerLabel: 4
        case .temporaryPrivateKey: 5
        case .certificateSecretName: 6
        case .issuerCA: 7
        case .acmeAccountKey: 8
        case .ingressTLS: 9
        case .gatewayListener: 10
        case .ingressNginxAnnotation: 11
        case .meshCA: 12
        case .istioGatewayCredential: 13
        case .traefikIngressRouteTLS: 14
        case .externalSecretTarget: 15
        case .replicaOf: 16
        }
    }

    /// The most dangerous kind the evidence supports. The kept leaf certificate
    /// (`tls.crt`, else the first one) decides CA-ness from the data; a `ca.crt`
    /// beside a leaf is the issuer's certificate, not this key's.
    static func keyKind(reasons: [PrivateKeyReason], certificates: [CertificateFacts],
                        namedByCACertificate: Bool) -> KeyKind {
        if reasons.contains(where: isMeshCA) { return .meshCA }
        let leafIsCA = certificates.first { $0.isParsed && $0.dataKey == "tls.crt" }?.isCA
            ?? certificates.first(where: \.isParsed)?.isCA ?? false
        if leafIsCA || namedByCACertificate || reasons.contains(where: isIssuerCA) { return .certificateAuthority }
        if reasons.contains(where: isACMEAccountKey) { return .acmeAccount }
        return .leaf
    }
}

func isMeshCA(_ reason: PrivateKeyReason) -> Bool {
    if case .meshCA = reason { return true }
    return false
}

func isIssuerCA(_ reason: PrivateKeyReason) -> Bool {
    if case .issuerCA = reason { return true }
    return false
}

func isReplica(_ reason: PrivateKeyReason) -> Bool {
    if case .replicaOf = reason { return true }
    return false
}

func isACMEAccountKey(_ reason: PrivateKeyReason) -> Bool {
    if case .acmeAccountKey = reason { return true }
    return false
}

/// A secret's namespace and name: the key every index of the inventory uses.
/// It compares, hashes and sorts by bytes (as the API server keys objects):
/// `"\u{212A}ube-a/tls"` and `"Kube-a/tls"` are two secrets, two keys.
struct SecretName: Hashable, Comparable {
    var namespace: String
    var name: String

    init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    init(_ meta: ObjectMeta) { self.init(namespace: meta.namespace, name: meta.name) }

    init(_ ref: ObjectRef) { self.init(namespace: ref.namespace, name: ref.name) }

    static func == (a: SecretName, b: SecretName) -> Bool { sameBytes(a.name, b.name) && sameBytes(a.namespace, b.namespace) }

    func hash(into hasher: inout Hasher) {
        hashBytes(namespace, into: &hasher)
        hashBytes(name, into: &hasher)
    }

    /// By namespace, then name, as bytes.
    static func < (a: SecretName, b: SecretName) -> Bool {
        compareBytes(a.namespace, b.namespace).then(compareBytes(a.name, b.name)) == .before
    }
}
