import Dispatch
import KubeModel
import RBAC
import Synchronization

/// One private-key secret with everything `keyreach exposure` reports about it:
/// the key (reasons, certificates), who can read it apart from who is meant to,
/// the workloads that run as an unexpected reader, and the resulting severity.
///
/// Readers are the subjects as bound (the Group `system:authenticated`, the
/// ServiceAccount `production/default`, the User `jane`), not every identity
/// behind them, so a report grows with keys × grants: a Group reader carries
/// the count of its known members. The per-identity expansion is who-can's.
///
/// ```swift
/// let exposures = ExposureAnalysis.analyze(snapshot: snapshot, whoCan: WhoCan(derived: derived),
///                                          expectedHolders: ExpectedHolders())
/// exposures.first { $0.key.secret.name == "app-tls" }?.severity   // .high
/// ```
public struct KeyExposure: Sendable, Hashable {
    public var key: PrivateKeySecret
    /// The worst of the unexpected readers (``Severity/of(keyKind:unexpectedReaders:)``); `info` when there are none.
    public var severity: Severity
    /// Readers that are not expected holders: the findings. Sorted by kind, namespace, name.
    public var readers: [KeyReader]
    /// Readers that are expected holders, each with ``KeyReader/expectation`` set.
    public var expected: [KeyReader]
    /// The controllers and bare pods running as an unexpected ServiceAccount reader
    /// with its token mounted (``KeyReader/workloads`` of every finding), sorted:
    /// bare pods first, then by namespace and name. A Group reader's workloads are
    /// counted on the reader (``KeyReader/workloadCount``), not listed here.
    public var workloads: [ExposedWorkload]
    /// The other secrets holding the same key (``KeyIdentity``), when exposure is
    /// asked per key (``ExposureAnalysis/analyzeByKey(keys:snapshot:whoCan:expectedHolders:namespace:listMembers:)``);
    /// its readers are then the union over every copy. Empty for a key held once.
    public var copies: [KeyCopy] = []
    /// Annotation copies that reach readers the copied secret does not have (issue 17's finding).
    public var broaderCopies: [BroaderCopy] = []
    /// With `--indirect` (``ExposureAnalysis/addingIndirect(_:paths:)``): who can become a
    /// reader, never a direct one; findings only. `nil` when not asked.
    public var indirect: [IndirectKeyReader]? = nil
    /// With `--indirect`: the indirect readers that are expected holders.
    public var indirectExpected: [IndirectKeyReader] = []

    public init(key: PrivateKeySecret, severity: Severity, readers: [KeyReader], expected: [KeyReader],
                workloads: [ExposedWorkload]) {
        self.key = key
        self.severity = severity
        self.readers = readers
        self.expected = expected
        self.workloads = workloads
    }
}

/// One binding subject that can read a key (a User, Group, ServiceAccount, or
/// a Node through the node authorizer): with which verbs, by which paths, and,
/// for an expected holder, why it is expected.
public struct KeyReader: Sendable, Hashable {
    /// The subject as the engine knows it (a Group checked as itself).
    public var identity: KnownIdentity
    /// The verbs allowed, sorted get, list, watch.
    public var verbs: [SecretReadVerb]
    /// Every path that allows one of the verbs, sorted as ``AccessPath`` sorts, each once.
    public var via: [AccessPath]
    /// For each path of ``via`` (same index), the verbs it allows.
    public var verbsByPath: [[SecretReadVerb]]
    /// Why it is an expected holder; `nil` for a finding.
    public var expectation: ExpectedHolder?
    /// For a finding: how many callers stand behind it. `nil` for an expected holder.
    public var breadth: ReaderBreadth?
    /// For a finding: its cell of the severity table. `nil` for an expected holder.
    public var severity: Severity?
    /// For a Group: how many known identities authenticate with it (the group itself
    /// not counted). `nil` for any other reader.
    public var memberCount: Int?
    /// For a Group, when members were asked for (`--members`): those identities,
    /// sorted by kind, namespace, name. Empty otherwise.
    public var members: [KnownIdentity]
    /// For a ServiceAccount finding: its controllers and bare pods with the token mounted.
    public var workloads: [ExposedWorkload]
    /// For a finding: its workloads (a Group: those of its ServiceAccounts), counted.
    public var workloadCount: WorkloadCount
    /// For a key with copies: the secrets holding it that this reader can read. Empty otherwise.
    public var copies: [ObjectRef] = []

    public init(identity: KnownIdentity, verbs: [SecretReadVerb], via: [AccessPath], verbsByPath: [[SecretReadVerb]],
                expectation: ExpectedHolder? = nil, breadth: ReaderBreadth? = nil, severity: Severity? = nil,
                memberCount: Int? = nil, members: [KnownIdentity] = [], workloads: [ExposedWorkload] = [],
                workloadCount: WorkloadCount = WorkloadCount()) {
        self.identity = identity
        self.verbs = verbs
        self.via = via
        self.verbsByPath = verbsByPath
        self.expectation = expectation
        self.breadth = breadth
        self.severity = severity
        self.memberCount = memberCount
        self.members = members
        self.workloads = workloads
        self.workloadCount = workloadCount
    }

    /// True when one of its paths is a ClusterRoleBinding: it reads in every namespace.
    public var isClusterWide: Bool {
        via.contains { path in
            if case .rbac(let access) = path { return access.binding.kind == "ClusterRoleBinding" }
            return false
        }
    }
}

/// Joins the private-key inventory with the engine's grants: for each key,
/// the subjects bound to read it over get/list/watch, split into expected
/// holders and findings, the workloads behind the findings, and a severity.
///
/// Built once per snapshot (workloads indexed by ServiceAccount and counted
/// per group); each key then costs three ``WhoCan/boundPaths(verb:namespace:secretName:)``
/// lookups and work linear in the grants that reach it, never in the
/// identities behind a group.
public struct ExposureAnalysis: Sendable {
    public let whoCan: WhoCan
    public let expectedHolders: ExpectedHolders
    /// Whether Group readers list their members (``KeyReader/members``).
    public let listMembers: Bool
    let workloads: ServiceAccountWorkloads
    /// Who each path names as its reader, found once per grant.
    private let naming: ReaderNaming
    /// The readers every key has (the superuser path, the grants of every
    /// name in every namespace), gathered once: a key adds its own paths.
    private let shared: ReaderGathering

    /// `workloads`: the snapshot's index, when the caller built it already
    /// (beside the who-can index); built here otherwise.
    public init(snapshot: ClusterSnapshot, whoCan: WhoCan, expectedHolders: ExpectedHolders, listMembers: Bool = false,
                workloads prepared: ServiceAccountWorkloads? = nil) {
        self.whoCan = whoCan
        self.expectedHolders = expectedHolders
        self.listMembers = listMembers
        // The workloads index does not need the grants: built on another core meanwhile.
        let workloadIndex = Mutex<ServiceAccountWorkloads?>(prepared)
        let built = DispatchGroup()
        if prepared == nil {
            DispatchQueue.global().async(group: built) {
                let index = ServiceAccountWorkloads(snapshot)
                workloadIndex.withLock { $0 = index }
            }
        }
        let naming = ReaderNaming(whoCan.derived, listMembers: listMembers)
        var shared = ReaderGathering()
        for verb in SecretReadVerb.allCases {
            for bound in whoCan.sharedBoundPaths(verb: verb) { naming.add(bound, verb: verb, to: &shared) }
        }
        shared.sort()
        self.naming = naming
        self.shared = shared
        built.wait()
        workloads = workloadIndex.withLock { $0! }
    }

    /// Every private-key secret of the snapshot (in `namespace` only, when given),
    /// analysed, sorted by namespace then name. ClusterIssuer keys are looked for
    /// in `expectedHolders.clusterResourceNamespace`.
    public static func analyze(snapshot: ClusterSnapshot, whoCan: WhoCan, expectedHolders: ExpectedHolders,
                               namespace: String? = nil, listMembers: Bool = false,
                               indirect: IndirectPaths? = nil) -> [KeyExposure] {
        analyze(keys: PrivateKeyInventory.classify(snapshot, clusterResourceNamespace: expectedHolders.clusterResourceNamespace),
                snapshot: snapshot, whoCan: whoCan, expectedHolders: expectedHolders, namespace: namespace,
                listMembers: listMembers, indirect: indirect)
    }

    /// ``analyze(snapshot:whoCan:expectedHolders:namespace:listMembers:)`` for keys
    /// classified already (a caller may classify while the who-can index is built).
    public static func analyze(keys: [PrivateKeySecret], snapshot: ClusterSnapshot, whoCan: WhoCan,
                               expectedHolders: ExpectedHolders, namespace: String? = nil,
                               listMembers: Bool = false, indirect: IndirectPaths? = nil,
                               workloads: ServiceAccountWorkloads? = nil) -> [KeyExposure] {
        let analysis = ExposureAnalysis(snapshot: snapshot, whoCan: whoCan, expectedHolders: expectedHolders,
                                        listMembers: listMembers, workloads: workloads)
        let keys = keys.filter { key in namespace.map { sameBytes(key.secret.namespace, $0) } ?? true }
        // Keys are independent: analysed on every core.
        let analysed = ParallelMap.blocks(count: keys.count, blockSize: 64) { range in
            range.map { analysis.exposure(of: keys[$0]) }
        }
        // `--indirect`: who can become a reader, judged by the same rules.
        return indirect.map { analysis.addingIndirect(analysed, paths: $0) } ?? analysed
    }

    /// The exposure of one key.
    public func exposure(of key: PrivateKeySecret) -> KeyExposure {
        var findings: [KeyReader] = []
        var expected: [KeyReader] = []
        var unexpected: [UnexpectedReader] = []
        var exposedWorkloads: [ExposedWorkload] = []
        var accountsWithWorkloads = 0
        for var reader in readers(of: key.secret) {
            let access = ReaderAccess(reader: reader.identity, roleNames: Self.roleNames(reader.via),
                                      podsOnNode: Self.podsOnNode(reader.via))
            if let expectation = expectedHolders.expectation(for: access, of: key) {
                reader.expectation = expectation
                expected.append(reader)
                continue
            }
            if let account = reader.identity.serviceAccount {
                reader.workloads = workloads.runningAs(namespace: account.namespace, name: account.name)
                reader.workloadCount = workloads.count(namespace: account.namespace, name: account.name)
                if !reader.workloads.isEmpty {
                    exposedWorkloads += reader.workloads
                    accountsWithWorkloads += 1
                }
            } else if reader.identity.kind == "Group" {
                reader.workloadCount = workloads.count(group: reader.identity.name)
            }
            let judged = UnexpectedReader(reader: reader.identity, hasWorkloads: !reader.workloads.isEmpty,
                                          clusterWide: reader.isClusterWide)
            reader.breadth = ReaderBreadth.of(judged)
            reader.severity = Severity.of(keyKind: key.keyKind, breadth: ReaderBreadth.of(judged))
            unexpected.append(judged)
            findings.append(reader)
        }
        return KeyExposure(key: key, severity: Severity.of(keyKind: key.keyKind, unexpectedReaders: unexpected),
                           readers: findings, expected: expected,
                           // Each reader is another ServiceAccount, so the lists are disjoint; each is sorted already.
                           workloads: accountsWithWorkloads > 1 ? exposedWorkloads.sorted() : exposedWorkloads)
    }

    /// The subjects bound to read the secret over get, list and watch, each
    /// with its verbs and its paths (a path granting several verbs once),
    /// sorted by kind, namespace, name. A binding subject is the reader:
    /// RBAC paths by their subject (a User spelled `system:serviceaccount:NS:NAME`
    /// is that ServiceAccount), node paths by their node, the superuser path
    /// by `system:masters`.
    func readers(of secret: ObjectRef) -> [KeyReader] {
        var gathering = shared
        for verb in SecretReadVerb.allCases {
            for bound in whoCan.ownBoundPaths(verb: verb, namespace: secret.namespace, secretName: secret.name) {
                naming.add(bound, verb: verb, to: &gathering)
            }
        }
        gathering.sort()
        return gathering.readers
    }

    /// Where `index` stands in the ascending `indexes`, if it does.
    static func position(of index: Int, in indexes: [Int]) -> Int? {
        var low = 0
        var high = indexes.count
        while low < high {
            let middle = (low + high) / 2
            if indexes[middle] < index { low = middle + 1 } else { high = middle }
        }
        return low < indexes.count && indexes[low] == index ? low : nil
    }

    /// Kind, namespace, name as bytes: the order who-can lists subjects in.
    static func identityOrder(_ a: KnownIdentity, _ b: KnownIdentity) -> Bool { a.ref < b.ref }

    /// The role names of the RBAC paths: evidence for the controller and cert-manager rules.
    static func roleNames(_ via: [AccessPath]) -> [String] {
        via.compactMap { path in
            if case .rbac(let access) = path { return access.role.name }
            return nil
        }
    }

    /// The pods of the node-authorizer paths: why a node reads the key.
    static func podsOnNode(_ via: [AccessPath]) -> [ObjectRef] {
        Array(Set(via.compactMap { path in
            if case .node(let access) = path { return access.pod }
            return nil
        })).sorted()
    }
}
