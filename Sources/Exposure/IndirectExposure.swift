import Dispatch
import KubeModel
import RBAC
import Synchronization

/// A subject, as bound, that is not a reader of a key but can become one
/// (`exposure --indirect`): by creating pods, exec, impersonation, tokens or
/// bindings (``IndirectPaths``), with its shortest chain. Judged like a
/// direct reader: expected holders and the allow-list set ``expectation``,
/// a finding gets the ``ReaderBreadth`` and ``Severity`` a direct reader of
/// the same breadth would.
public struct IndirectKeyReader: Sendable, Hashable {
    /// The binding subject of the chain's first step (a Group for every
    /// member that holds the step through it), or a Node reading a token.
    public var identity: KnownIdentity
    /// The first step is the subject's own permission; the last lands on a
    /// direct reader of the key or on the key itself.
    public var chain: [ChainStep]
    /// Why it is an expected holder; `nil` for a finding.
    public var expectation: ExpectedHolder?
    /// For a finding: its breadth and its cell of the severity table.
    public var breadth: ReaderBreadth?
    public var severity: Severity?
    /// For a finding: its workloads with a token mounted (a Group: those of its ServiceAccounts).
    public var workloadCount: WorkloadCount

    public init(identity: KnownIdentity, chain: [ChainStep], expectation: ExpectedHolder? = nil,
                breadth: ReaderBreadth? = nil, severity: Severity? = nil, workloadCount: WorkloadCount = WorkloadCount()) {
        self.identity = identity
        self.chain = chain
        self.expectation = expectation
        self.breadth = breadth
        self.severity = severity
        self.workloadCount = workloadCount
    }

    /// True when its first step is granted by a ClusterRoleBinding: it holds it in every namespace.
    public var isClusterWide: Bool {
        guard case .rbac(let access) = chain.first?.via else { return false }
        return sameBytes(access.binding.kind, "ClusterRoleBinding")
    }
}

extension KeyExposure {
    /// True when the key has a finding: an unexpected reader, direct or indirect.
    public var hasFindings: Bool { !readers.isEmpty || !(indirect ?? []).isEmpty }
}

extension ExposureAnalysis {
    /// `exposures` with their indirect readers (``KeyExposure/indirect``) and
    /// the severity those raise. Each namespace's collection is searched once
    /// (who can run a pod, bind a role, or become a reader of every secret
    /// there); each key then adds only the search from its own readers by
    /// name and the pods that mount it, and the two merge.
    public func addingIndirect(_ exposures: [KeyExposure], paths: IndirectPaths) -> [KeyExposure] {
        var byNamespace: [[Int]] = []
        var slot: [ByteString: Int] = [:]  // by bytes: a namespace's canonically equal twin is another one
        for (index, exposure) in exposures.enumerated() {
            let namespace = ByteString(exposure.key.secret.namespace)
            if let known = slot[namespace] { byNamespace[known].append(index) } else {
                slot[namespace] = byNamespace.count
                byNamespace.append([index])
            }
        }
        let groups = byNamespace
        let results = Mutex([KeyExposure?](repeating: nil, count: exposures.count))
        DispatchQueue.concurrentPerform(iterations: groups.count) { group in
            let keys = groups[group]
            let namespace = exposures[keys[0]].key.secret.namespace
            let collection = paths.collectionSearch(namespace: namespace, seeds: seeds(of: exposures[keys[0]].key.secret).everyName)
            let done = keys.map { index in
                var exposure = exposures[index]
                let own = paths.secretSearch(namespace: namespace, secretName: exposure.key.secret.name,
                                             seeds: seeds(of: exposure.key.secret).byName)
                judgeIndirect(&exposure, readers: collection.merged(with: own, target: exposure.key.secret))
                return exposure
            }
            results.withLock { all in for (index, exposure) in zip(keys, done) { all[index] = exposure } }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    /// The direct readers of a secret as the graph's seeds: the principals
    /// of the grants of every name (the same for every secret of the
    /// namespace) apart from those of its own name and the kubelets that
    /// read it through the node authorizer. Superusers are seeded by the search.
    func seeds(of secret: ObjectRef) -> (everyName: IndirectSeeds, byName: IndirectSeeds) {
        var everyName: Set<Principal> = []
        var byName: Set<Principal> = []
        var nodes: [KnownIdentity] = []
        for verb in SecretReadVerb.allCases {
            for bound in whoCan.boundPaths(verb: verb, namespace: secret.namespace, secretName: secret.name) {
                switch bound.path {
                case .superuser: continue
                case .node: nodes += bound.identities.prefix(1).map { whoCan.derived.identities[$0] }
                case .rbac(let access):
                    if let grant = bound.grant, whoCan.derived.grants[grant].secretName == nil {
                        everyName.insert(access.principal)
                    } else {
                        byName.insert(access.principal)
                    }
                }
            }
        }
        // Sorted: the search's order of seeds decides between chains of one length.
        return (IndirectSeeds(principals: everyName.sorted()), IndirectSeeds(principals: byName.sorted(), identities: nodes))
    }

    /// The identities that can become a reader, as bound (the subject of
    /// each chain's first step, its shortest chain), without the key's direct
    /// readers, split into expected holders and findings; the key's severity
    /// rises to its worst indirect finding (``Severity/of(keyKind:breadth:)``,
    /// the one rule direct readers are judged by).
    func judgeIndirect(_ exposure: inout KeyExposure, readers: [IndirectReader]) {
        let direct = Set((exposure.readers + exposure.expected).map { ReaderName($0.identity) })
        var positions: [ReaderName: Int] = [:]
        var bound: [IndirectKeyReader] = []
        for reader in readers {
            guard let subject = Self.boundSubject(of: reader) else { continue }
            let name = ReaderName(subject)
            guard !direct.contains(name) else { continue }
            if let position = positions[name] {
                if bound[position].chain.count > reader.chain.count { bound[position].chain = reader.chain }
                continue
            }
            positions[name] = bound.count
            bound.append(IndirectKeyReader(identity: subject, chain: reader.chain))
        }
        var findings: [IndirectKeyReader] = []
        var expected: [IndirectKeyReader] = []
        for var reader in bound.sorted(by: { Self.identityOrder($0.identity, $1.identity) }) {
            let access = ReaderAccess(reader: reader.identity, roleNames: Self.roleNames(reader.chain.map(\.via)))
            if let expectation = expectedHolders.expectation(for: access, of: exposure.key) {
                reader.expectation = expectation
                expected.append(reader)
                continue
            }
            var hasWorkloads = false
            if let account = reader.identity.serviceAccount {
                hasWorkloads = !workloads.runningAs(namespace: account.namespace, name: account.name).isEmpty
                reader.workloadCount = workloads.count(namespace: account.namespace, name: account.name)
            } else if sameBytes(reader.identity.kind, "Group") {
                reader.workloadCount = workloads.count(group: reader.identity.name)
            }
            let breadth = ReaderBreadth.of(UnexpectedReader(reader: reader.identity, hasWorkloads: hasWorkloads,
                                                            clusterWide: reader.isClusterWide))
            reader.breadth = breadth
            reader.severity = Severity.of(keyKind: exposure.key.keyKind, breadth: breadth)
            findings.append(reader)
        }
        exposure.indirect = findings
        exposure.indirectExpected = expected
        exposure.severity = ([exposure.severity] + findings.compactMap(\.severity)).max() ?? exposure.severity
    }

    /// The binding subject of the chain's first step; `nil` for a chain
    /// that starts with no permission of its own (never: the first step is one).
    static func boundSubject(of reader: IndirectReader) -> KnownIdentity? {
        switch reader.chain.first?.via {
        case .rbac(let access): AccessIndexer.identity(named: access.subject, bindingNamespace: access.binding.namespace)
        case .node: reader.identity
        case .superuser, nil: nil
        }
    }
}

/// Kind, namespace, name, as bytes: how readers are told apart.
private struct ReaderName: Hashable {
    var kind: ByteString
    var namespace: ByteString
    var name: ByteString

    init(_ identity: KnownIdentity) {
        (kind, namespace, name) = (ByteString(identity.kind), ByteString(identity.namespace), ByteString(identity.name))
    }
}
