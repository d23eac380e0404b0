import KubeModel

/// One more secret holding a key: which one, how it came to hold it, and from where.
public struct KeyCopy: Sendable, Hashable {
    public var secret: ObjectRef
    /// False for a copy a controller will make in a namespace that exists (or a name nothing created yet).
    public var exists: Bool
    public var via: CopyVia
    /// The secret it was copied from (annotations), or the one whose certificate
    /// shows the same public key (`same public key`).
    public var source: ObjectRef

    public init(secret: ObjectRef, exists: Bool, via: CopyVia, source: ObjectRef) {
        self.secret = secret
        self.exists = exists
        self.via = via
        self.source = source
    }
}

/// The secrets of an inventory that hold one key: the one it is listed under
/// (``primary``) and its copies, as indexes into the inventory.
public struct KeyGroup: Sendable, Hashable {
    public var primary: Int
    /// Index into the inventory and the copy it is, sorted by namespace and name.
    public var copies: [Member]

    public struct Member: Sendable, Hashable {
        public var index: Int
        public var copy: KeyCopy
    }

    /// Every index of the group, the primary first.
    public var indexes: [Int] { [primary] + copies.map(\.index) }
}

/// Which private-key secrets hold the same key (issue 17): two secrets do when
/// the certificates of their `tls.crt` certify the same public key (the
/// SHA-256 of the SubjectPublicKeyInfo, ``CertificateFacts/publicKeySHA256``),
/// or when a replication annotation copies one into the other
/// (``PrivateKeyReason/replicaOf(source:via:)``), and so on transitively.
/// Nothing else groups: not the secrets' names (two cert-manager Certificates
/// named alike each have their own key), not the subject (a renewal with a new
/// key is another key), not a shared `ca.crt` (the issuer's certificate, not
/// this key's). The private key itself is never read, hashed or kept.
///
/// ```swift
/// let keys = PrivateKeyInventory.classify(snapshot)
/// let groups = KeyIdentity.groups(keys)   // one per key, copies listed under the original
/// ```
public enum KeyIdentity {
    /// One group per key, in the order of their primaries (the inventory's
    /// order: namespace, name). The primary is the original: the first secret
    /// annotations copy from that is no replica itself, else the first that
    /// is no replica, else the first.
    public static func groups(_ keys: [PrivateKeySecret]) -> [KeyGroup] {
        var sets = DisjointSets(count: keys.count)
        var indexOfName: [SecretName: Int] = [:]
        var firstWithPublicKey: [String: Int] = [:]
        for (index, key) in keys.enumerated() {
            indexOfName[SecretName(key.secret)] = index
            guard let spki = publicKeyIdentity(key) else { continue }
            if let first = firstWithPublicKey[spki] { sets.union(first, index) } else { firstWithPublicKey[spki] = index }
        }
        for (index, key) in keys.enumerated() {
            for case .replicaOf(let source, _) in key.reasons {
                if let sourceIndex = indexOfName[SecretName(source)] { sets.union(sourceIndex, index) }
            }
        }
        var members: [Int: [Int]] = [:]
        for index in keys.indices { members[sets.find(index), default: []].append(index) }
        return members.values.map { group(of: $0.sorted(), keys: keys, indexOfName: indexOfName) }
            .sorted { $0.primary < $1.primary }
    }

    /// The SHA-256 of the public key of the secret's `tls.crt` leaf, when it was read.
    /// Only `tls.crt` counts: a `ca.crt` beside a key is another key's certificate.
    public static func publicKeyIdentity(_ key: PrivateKeySecret) -> String? {
        guard let leaf = key.certificates.first(where: { $0.isParsed && $0.dataKey == "tls.crt" }),
              !leaf.publicKeySHA256.isEmpty else { return nil }
        return leaf.publicKeySHA256
    }

    static func group(of indexes: [Int], keys: [PrivateKeySecret], indexOfName: [SecretName: Int]) -> KeyGroup {
        // Listed under the original: a secret others are copied from and that is no copy itself,
        // else any secret that is no copy, else the first.
        var sources = Set<SecretName>()
        for index in indexes {
            for case .replicaOf(let source, _) in keys[index].reasons { sources.insert(SecretName(source)) }
        }
        let originals = indexes.filter { !keys[$0].reasons.contains(where: isReplica) }
        let primary = originals.first { sources.contains(SecretName(keys[$0].secret)) } ?? originals.first ?? indexes[0]
        let inGroup = Set(indexes)
        let copies = indexes.filter { $0 != primary }.map { index in
            KeyGroup.Member(index: index, copy: copy(keys[index], primary: keys[primary], inGroup: inGroup,
                                                     indexOfName: indexOfName))
        }
        return KeyGroup(primary: primary, copies: copies)
    }

    /// How a member holds the key: the annotation that copies it from a member of
    /// the group when there is one (it says more than a matching certificate), else its public key.
    static func copy(_ key: PrivateKeySecret, primary: PrivateKeySecret, inGroup: Set<Int>,
                     indexOfName: [SecretName: Int]) -> KeyCopy {
        for case .replicaOf(let source, let via) in key.reasons {
            if let index = indexOfName[SecretName(source)], inGroup.contains(index) {
                return KeyCopy(secret: key.secret, exists: key.exists, via: via, source: source)
            }
        }
        return KeyCopy(secret: key.secret, exists: key.exists, via: .samePublicKey, source: primary.secret)
    }
}

/// Union-find with path halving: groups a few thousand keys in linear time.
struct DisjointSets {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    mutating func union(_ a: Int, _ b: Int) {
        let (ra, rb) = (find(a), find(b))
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
}
