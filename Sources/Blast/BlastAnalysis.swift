import Exposure
import KubeModel
import RBAC

/// Builds ``BlastReport``s: the private keys of the inventory
/// (``PrivateKeyInventory``, the one place that says what a key is) that a
/// forward reach (``ReachFrom``) can read, what each impersonates, the
/// rotation order and each key's remediation. Linear in the keys and the
/// objects of the snapshot; the reach itself is one search.
///
/// ```swift
/// let reach = IndirectReach(paths: IndirectPaths(snapshot: snapshot, whoCan: whoCan), whoCan: whoCan)
/// let from = reach.reach(from: .pod(namespace: "shop", name: "web-0"))!
/// let report = BlastAnalysis.analyze(start: ObjectRef(kind: "Pod", namespace: "shop", name: "web-0"), node: "n1",
///                                    reach: from, snapshot: snapshot, keys: PrivateKeyInventory.classify(snapshot))
/// report.rotation.map(\.secret.name)   // CA keys first, then what they signed, then the other keys
/// ```
public enum BlastAnalysis {
    /// - Parameter keys: the inventory: at least every key `reach` reads, and
    ///   every key when one of those is a CA (its signed leaves are rotated too).
    public static func analyze(start: ObjectRef, node: String?, reach: ReachFrom, snapshot: ClusterSnapshot,
                               keys: [PrivateKeySecret], clusterResourceNamespace: String = "cert-manager") -> BlastReport {
        let secrets = Dictionary(snapshot.secrets.map { (SecretKeyName($0.meta.namespace, $0.meta.name), $0) },
                                 uniquingKeysWith: { first, _ in first })
        let certificates = Dictionary(snapshot.certificates.map {
            (SecretKeyName($0.meta.namespace, $0.meta.name), $0)
        }, uniquingKeysWith: { first, _ in first })
        let remediation = { (key: PrivateKeySecret) in
            RemediationRules.remediation(for: key, secret: secrets[SecretKeyName(key.secret.namespace, key.secret.name)])
        }
        let reached: [ReachedKey] = keys.compactMap { key in
            reach.access(namespace: key.secret.namespace, secretName: key.secret.name).map {
                ReachedKey(key: key, access: $0, target: target(of: key, certificates: certificates))
            }
        }
        let rotation = RotationOrder.steps(
            reached: reached, allKeys: keys,
            signedByCAKey: PrivateKeyInventory.certificatesByCAKey(snapshot, clusterResourceNamespace: clusterResourceNamespace),
            remediation: remediation)
        var orderOf: [SecretKeyName: Int] = [:]
        for step in rotation { orderOf[SecretKeyName(step.secret.namespace, step.secret.name)] = step.order }
        let blastKeys = reached.map { reached in
            BlastKey(key: reached.key, access: reached.access, target: reached.target,
                     rotationOrder: orderOf[SecretKeyName(reached.key.secret.namespace, reached.key.secret.name)] ?? 0,
                     remediation: remediation(reached.key))
        }.sorted { $0.rotationOrder < $1.rotationOrder }
        return BlastReport(start: start, authenticatesAs: reach.startIdentities, node: node, keys: blastKeys,
                           rotation: rotation, groups: groups(blastKeys))
    }

    /// What a holder of `key` can impersonate, from the inventory's kind and
    /// certificate; a leaf without a kept certificate answers for the names
    /// of the cert-manager Certificate that writes it.
    static func target(of key: PrivateKeySecret, certificates: [SecretKeyName: Certificate]) -> KeyTarget {
        switch key.keyKind {
        case .meshCA, .certificateAuthority:
            var issuers: [ObjectRef] = []
            var mesh: String?
            for reason in key.reasons {
                if case .issuerCA(let issuer) = reason { issuers.append(issuer) }
                if case .meshCA(let name) = reason { mesh = name }
            }
            return .certificateAuthority(subject: key.leafCertificate?.subject ?? "", issuers: issuers, mesh: mesh)
        case .acmeAccount:
            return .acmeAccount(issuers: key.reasons.compactMap { reason in
                if case .acmeAccountKey(let issuer) = reason { return issuer }
                return nil
            })
        case .leaf:
            var names = key.leafCertificate?.impersonatedNames ?? []
            if names.isEmpty {
                for reason in key.reasons {
                    guard case .certificateSecretName(let ref) = reason,
                          let certificate = certificates[SecretKeyName(ref.namespace, ref.name)] else { continue }
                    names += certificate.dnsNames.isEmpty ? [certificate.commonName].filter { !$0.isEmpty } : certificate.dnsNames
                }
            }
            let unique = Array(Set(names.map(ByteString.init))).sorted().map(\.string)
            return unique.isEmpty ? .other : .domains(unique)
        }
    }

    static func groups(_ keys: [BlastKey]) -> ImpersonationGroups {
        var groups = ImpersonationGroups()
        var byName: [ByteString: [ObjectRef]] = [:]
        for key in keys {
            switch key.target {
            case .certificateAuthority: groups.certificateAuthorities.append(key.key.secret)
            case .acmeAccount: groups.acmeAccounts.append(key.key.secret)
            case .other: groups.other.append(key.key.secret)
            case .domains(let names): for name in names { byName[ByteString(name), default: []].append(key.key.secret) }
            }
        }
        groups.domains = byName.keys.sorted().map { ($0.string, byName[$0]!.sorted(by: refPrecedes)) }
        groups.certificateAuthorities.sort(by: refPrecedes)
        groups.acmeAccounts.sort(by: refPrecedes)
        groups.other.sort(by: refPrecedes)
        return groups
    }
}

/// A reached key before it has its place in the rotation.
struct ReachedKey {
    var key: PrivateKeySecret
    var access: SecretReach
    var target: KeyTarget
}

/// A namespaced name as bytes: two spellings of a name are two objects.
struct SecretKeyName: Hashable {
    var namespace: ByteString
    var name: ByteString

    init(_ namespace: String, _ name: String) {
        self.namespace = ByteString(namespace)
        self.name = ByteString(name)
    }
}

/// By namespace, then name, as bytes.
func refPrecedes(_ a: ObjectRef, _ b: ObjectRef) -> Bool {
    (ByteString(a.namespace), ByteString(a.name)) < (ByteString(b.namespace), ByteString(b.name))
}
