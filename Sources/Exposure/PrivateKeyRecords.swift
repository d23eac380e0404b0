import KubeModel
import RBAC

/// Exposure's answers in the plain form the store keeps (``PrivateKeyRecord``):
/// what `keyreach import` writes so SQL reads the inventory instead of
/// repeating its rules.
extension KeyExposure {
    /// The key, its reasons and certificates, and this exposure's severity and reader counts.
    public var record: PrivateKeyRecord {
        PrivateKeyRecord(
            namespace: key.secret.namespace, name: key.secret.name, exists: key.exists, type: key.type,
            keyKind: key.keyKind.rawValue,
            reasons: key.reasons.map { PrivateKeyRecord.Reason(code: $0.code, text: $0.description) },
            certificates: key.certificates.map(\.record),
            severity: severity.rawValue, severityRank: Severity.allCases.firstIndex(of: severity) ?? 0,
            unexpectedReaders: readers.count, expectedReaders: expected.count)
    }
}

extension CertificateFacts {
    public var record: PrivateKeyRecord.Certificate {
        PrivateKeyRecord.Certificate(
            dataKey: dataKey, index: index, subject: subject, commonName: commonName, issuer: issuer,
            dnsNames: dnsNames, ipAddresses: ipAddresses,
            notBefore: isParsed ? notBeforeISO : "", notAfter: isParsed ? notAfterISO : "",
            isCA: isCA, sha256: sha256, publicKeySHA256: publicKeySHA256, parseError: parseError)
    }
}

extension ExposureAnalysis {
    /// Every private-key secret of `snapshot` as the store keeps it: the
    /// inventory, judged with `expectedHolders` (the defaults at import: no
    /// allow-list). ``analyze(snapshot:whoCan:expectedHolders:namespace:)``'s
    /// answer, its keys judged on every core (each key is independent).
    /// `keys` and `workloads`: the snapshot's, when the caller made them already
    /// (beside the who-can index); made here otherwise.
    public static func records(snapshot: ClusterSnapshot, whoCan: WhoCan,
                               expectedHolders: ExpectedHolders = ExpectedHolders(),
                               keys classified: [PrivateKeySecret]? = nil,
                               workloads: ServiceAccountWorkloads? = nil) -> [PrivateKeyRecord] {
        let analysis = ExposureAnalysis(snapshot: snapshot, whoCan: whoCan, expectedHolders: expectedHolders, workloads: workloads)
        let keys = classified
            ?? PrivateKeyInventory.classify(snapshot, clusterResourceNamespace: expectedHolders.clusterResourceNamespace)
        var all = ParallelMap.blocks(count: keys.count, blockSize: 64) { range in
            range.map { analysis.exposure(of: keys[$0]).record }
        }
        // The key each secret holds (``KeyIdentity``): stored so SQL groups copies without re-deriving them.
        for group in KeyIdentity.groups(keys) {
            let listedUnder = keys[group.primary].secret
            let id = listedUnder.namespace + "/" + listedUnder.name
            all[group.primary].keyID = id
            for member in group.copies {
                all[member.index].keyID = id
                all[member.index].copyVia = member.copy.via.rawValue
            }
        }
        return all
    }
}
