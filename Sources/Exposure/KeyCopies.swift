import KubeModel
import RBAC

/// A replication annotation that copies a key into a namespace where
/// readers that cannot read the source can read the copy: the copy widens
/// who holds the key (issue 17's finding).
public struct BroaderCopy: Sendable, Hashable {
    public var copy: KeyCopy
    /// The copy's unexpected readers that are not readers of the source, sorted by kind, namespace, name.
    public var newReaders: [KnownIdentity]
    /// The worst severity among those readers.
    public var severity: Severity

    public init(copy: KeyCopy, newReaders: [KnownIdentity], severity: Severity) {
        self.copy = copy
        self.newReaders = newReaders
        self.severity = severity
    }
}

/// `exposure` per key, not per copy: every secret holding one key
/// (``KeyIdentity``) is analysed as before, then the copies are folded into
/// the secret the key is listed under. Whoever reads any copy holds the key,
/// so the readers are the union over copies (each says which copies it reads)
/// and the severity is the worst copy's.
extension ExposureAnalysis {
    /// One exposure per key, sorted by the namespace and name it is listed under.
    /// With `namespace`, the keys with a copy in it (listed whole).
    public static func analyzeByKey(keys: [PrivateKeySecret], snapshot: ClusterSnapshot, whoCan: WhoCan,
                                    expectedHolders: ExpectedHolders, namespace: String? = nil,
                                    listMembers: Bool = false, indirect: IndirectPaths? = nil,
                                    workloads: ServiceAccountWorkloads? = nil) -> [KeyExposure] {
        let groups = KeyIdentity.groups(keys).filter { group in
            namespace.map { namespace in group.indexes.contains { sameBytes(keys[$0].secret.namespace, namespace) } } ?? true
        }
        let needed = groups.flatMap(\.indexes)
        let perSecret = analyze(keys: needed.map { keys[$0] }, snapshot: snapshot, whoCan: whoCan,
                                expectedHolders: expectedHolders, listMembers: listMembers, indirect: indirect,
                                workloads: workloads)
        var start = 0
        return groups.map { group in
            let count = group.copies.count + 1
            defer { start += count }
            return merged(group, Array(perSecret[start..<start + count]))
        }
    }

    /// The exposures of one group's secrets (primary first) as one key.
    static func merged(_ group: KeyGroup, _ exposures: [KeyExposure]) -> KeyExposure {
        guard exposures.count > 1 else { return exposures[0] }
        var key = exposures[0]
        key.copies = group.copies.map(\.copy)
        key.severity = exposures.map(\.severity).max() ?? key.severity
        key.readers = unionOfReaders(exposures.map { ($0.key.secret, $0.readers) })
        key.expected = unionOfReaders(exposures.map { ($0.key.secret, $0.expected) })
        key.workloads = Array(Set(exposures.flatMap(\.workloads))).sorted()
        key.broaderCopies = broaderCopies(group, exposures)
        if exposures.contains(where: { $0.indirect != nil }) {
            let direct = Set((key.readers + key.expected).map { IdentityKey($0.identity) })
            key.indirect = unionOfIndirect(exposures.flatMap { $0.indirect ?? [] }, excluding: direct)
            key.indirectExpected = unionOfIndirect(exposures.flatMap(\.indirectExpected), excluding: direct)
        }
        return key
    }

    /// One indirect reader per identity over every copy, its shortest chain
    /// (the first listed on a tie); never one that reads some copy directly.
    static func unionOfIndirect(_ readers: [IndirectKeyReader], excluding direct: Set<IdentityKey>) -> [IndirectKeyReader] {
        var kept: [IndirectKeyReader] = []
        var position: [IdentityKey: Int] = [:]
        for reader in readers {
            let name = IdentityKey(reader.identity)
            if direct.contains(name) { continue }
            if let at = position[name] {
                if reader.chain.count < kept[at].chain.count { kept[at] = reader }
            } else {
                position[name] = kept.count
                kept.append(reader)
            }
        }
        return kept
    }

    /// One reader per identity over every copy: its verbs and paths joined, the copies it reads, its worst severity.
    static func unionOfReaders(_ perCopy: [(secret: ObjectRef, readers: [KeyReader])]) -> [KeyReader] {
        var readers: [KeyReader] = []
        var position: [IdentityKey: Int] = [:]
        for (secret, copyReaders) in perCopy {
            for reader in copyReaders {
                let name = IdentityKey(reader.identity)
                guard let at = position[name] else {
                    position[name] = readers.count
                    var first = reader
                    first.copies = [secret]
                    readers.append(first)
                    continue
                }
                readers[at] = joined(readers[at], reader, copy: secret)
            }
        }
        return readers.sorted { identityOrder($0.identity, $1.identity) }
    }

    static func joined(_ a: KeyReader, _ b: KeyReader, copy: ObjectRef) -> KeyReader {
        var reader = a
        reader.copies.append(copy)
        reader.verbs = Array(Set(a.verbs + b.verbs)).sorted()
        for (path, verbs) in zip(b.via, b.verbsByPath) {
            if let j = reader.via.firstIndex(of: path) {
                reader.verbsByPath[j] = Array(Set(reader.verbsByPath[j] + verbs)).sorted()
            } else {
                reader.via.append(path)
                reader.verbsByPath.append(verbs)
            }
        }
        let order = reader.via.indices.sorted { reader.via[$0] < reader.via[$1] }
        reader.via = order.map { reader.via[$0] }
        reader.verbsByPath = order.map { reader.verbsByPath[$0] }
        if let severity = b.severity, severity > (reader.severity ?? .info) {
            reader.severity = severity
            reader.breadth = b.breadth
        }
        reader.workloads = Array(Set(a.workloads + b.workloads)).sorted()
        return reader
    }

    /// The annotation copies with unexpected readers their source lacks.
    static func broaderCopies(_ group: KeyGroup, _ exposures: [KeyExposure]) -> [BroaderCopy] {
        var bySecret: [ObjectRef: KeyExposure] = [:]
        for exposure in exposures { bySecret[exposure.key.secret] = exposure }
        return group.copies.compactMap { member -> BroaderCopy? in
            let copy = member.copy
            guard copy.via != .samePublicKey, let source = bySecret[copy.source], let target = bySecret[copy.secret] else { return nil }
            let sourceReaders = Set(source.readers.map { IdentityKey($0.identity) })
            let wider = target.readers.filter { !sourceReaders.contains(IdentityKey($0.identity)) }
            guard !wider.isEmpty else { return nil }
            return BroaderCopy(copy: copy, newReaders: wider.map(\.identity),
                               severity: wider.compactMap(\.severity).max() ?? target.severity)
        }
    }
}
