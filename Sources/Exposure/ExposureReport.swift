import KubeModel
import RBAC

/// One private-key secret with everything `keyreach exposure` reports about it:
/// the key (reasons, certificates), who can read it apart from who is meant to,
/// the workloads that run as an unexpected reader, and the resulting severity.
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
    /// Pods (and pod-template workloads) running as an unexpected ServiceAccount
    /// reader with its token mounted, sorted: pods first, then by namespace and name.
    public var workloads: [ExposedWorkload]

    public init(key: PrivateKeySecret, severity: Severity, readers: [KeyReader], expected: [KeyReader],
                workloads: [ExposedWorkload]) {
        self.key = key
        self.severity = severity
        self.readers = readers
        self.expected = expected
        self.workloads = workloads
    }
}

/// One identity that can read a key: with which verbs, by which paths, and,
/// for an expected holder, why it is expected.
public struct KeyReader: Sendable, Hashable {
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

    public init(identity: KnownIdentity, verbs: [SecretReadVerb], via: [AccessPath], verbsByPath: [[SecretReadVerb]],
                expectation: ExpectedHolder? = nil, breadth: ReaderBreadth? = nil, severity: Severity? = nil) {
        self.identity = identity
        self.verbs = verbs
        self.via = via
        self.verbsByPath = verbsByPath
        self.expectation = expectation
        self.breadth = breadth
        self.severity = severity
    }

    /// True when one of its paths is a ClusterRoleBinding: it reads in every namespace.
    public var isClusterWide: Bool {
        via.contains { path in
            if case .rbac(let access) = path { return access.binding.kind == "ClusterRoleBinding" }
            return false
        }
    }
}

/// A pod, or a controller's pod template, that runs as a reader of a key with
/// the ServiceAccount token mounted: compromise it and you hold the key.
public struct ExposedWorkload: Sendable, Hashable, Comparable {
    /// `Pod`, or the controller kind (`Deployment`, `StatefulSet`, `DaemonSet`,
    /// `ReplicaSet`, `Job`, `CronJob`) for a pod template.
    public var kind: String
    public var namespace: String
    public var name: String
    public var serviceAccount: String
    /// For a pod: its owners in the dump, nearest first (ReplicaSet, then Deployment).
    public var owners: [ObjectRef]
    /// For a pod template: how many pods of the dump it owns (directly or through a ReplicaSet or Job).
    public var podCount: Int

    public init(kind: String, namespace: String, name: String, serviceAccount: String,
                owners: [ObjectRef] = [], podCount: Int = 0) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.serviceAccount = serviceAccount
        self.owners = owners
        self.podCount = podCount
    }

    public var isPod: Bool { kind == "Pod" }

    /// The outermost owner of a pod (the Deployment, not its ReplicaSet); `nil` for a bare pod or a template.
    public var controller: ObjectRef? { owners.last }

    public static func < (a: ExposedWorkload, b: ExposedWorkload) -> Bool {
        (a.isPod ? 0 : 1, a.namespace, a.name, a.kind) < (b.isPod ? 0 : 1, b.namespace, b.name, b.kind)
    }
}

/// Joins the private-key inventory with the engine's who-can answers: for each
/// key, its readers over get/list/watch, split into expected holders and
/// findings, the workloads behind the findings, and a severity.
///
/// Built once per snapshot (pods and workloads indexed by ServiceAccount);
/// each key then costs three ``WhoCan`` lookups and work linear in its readers.
public struct ExposureAnalysis: Sendable {
    public let whoCan: WhoCan
    public let expectedHolders: ExpectedHolders
    private let workloads: ServiceAccountWorkloads

    public init(snapshot: ClusterSnapshot, whoCan: WhoCan, expectedHolders: ExpectedHolders) {
        self.whoCan = whoCan
        self.expectedHolders = expectedHolders
        workloads = ServiceAccountWorkloads(snapshot)
    }

    /// Every private-key secret of the snapshot (in `namespace` only, when given),
    /// analysed, sorted by namespace then name. ClusterIssuer keys are looked for
    /// in `expectedHolders.clusterResourceNamespace`.
    public static func analyze(snapshot: ClusterSnapshot, whoCan: WhoCan, expectedHolders: ExpectedHolders,
                               namespace: String? = nil) -> [KeyExposure] {
        let analysis = ExposureAnalysis(snapshot: snapshot, whoCan: whoCan, expectedHolders: expectedHolders)
        let keys = PrivateKeyInventory.classify(snapshot, clusterResourceNamespace: expectedHolders.clusterResourceNamespace)
        return keys.filter { namespace == nil || $0.secret.namespace == namespace }.map(analysis.exposure(of:))
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
            let running = reader.identity.serviceAccount.map { workloads.runningAs(namespace: $0.namespace, name: $0.name) } ?? []
            if !running.isEmpty {
                exposedWorkloads += running
                accountsWithWorkloads += 1
            }
            let judged = UnexpectedReader(reader: reader.identity, hasWorkloads: !running.isEmpty,
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

    /// The union over get, list and watch of who can read the secret by name,
    /// each identity with its verbs and its paths (a path granting several verbs once).
    /// The three answers are sorted alike, so they merge in one pass without hashing identities.
    func readers(of secret: ObjectRef) -> [KeyReader] {
        let answers = SecretReadVerb.allCases.map { verb in
            (verb, whoCan.subjects(verb: verb, namespace: secret.namespace, secretName: secret.name)
                .sorted { Self.identityOrder($0.identity, $1.identity) })
        }
        var cursors = Array(repeating: 0, count: answers.count)
        var readers: [KeyReader] = []
        while true {
            var next: KnownIdentity?
            for (i, (_, subjects)) in answers.enumerated() where cursors[i] < subjects.count {
                let candidate = subjects[cursors[i]].identity
                if next.map({ Self.identityOrder(candidate, $0) }) ?? true { next = candidate }
            }
            guard let identity = next else { return readers }
            var verbs: [SecretReadVerb] = []
            var via: [AccessPath] = []
            var verbsByPath: [[SecretReadVerb]] = []
            for (i, (verb, subjects)) in answers.enumerated() where cursors[i] < subjects.count {
                let subject = subjects[cursors[i]]
                guard Self.isSameIdentity(subject.identity, identity) else { continue }
                cursors[i] += 1
                verbs.append(verb)
                for path in subject.via {
                    if let j = via.firstIndex(of: path) {
                        verbsByPath[j].append(verb)
                    } else {
                        via.append(path)
                        verbsByPath.append([verb])
                    }
                }
            }
            let order = via.indices.sorted { via[$0] < via[$1] }
            readers.append(KeyReader(identity: identity, verbs: verbs, via: order.map { via[$0] },
                                     verbsByPath: order.map { verbsByPath[$0] }))
        }
    }

    /// Identities are told apart by kind, namespace and name (as the engine's are).
    static func isSameIdentity(_ a: KnownIdentity, _ b: KnownIdentity) -> Bool {
        a.name == b.name && a.namespace == b.namespace && a.kind == b.kind
    }

    /// Kind, namespace, name: the order who-can lists subjects in.
    static func identityOrder(_ a: KnownIdentity, _ b: KnownIdentity) -> Bool {
        (a.kind, a.namespace, a.name) < (b.kind, b.namespace, b.name)
    }

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

/// Pods and pod templates indexed once by the ServiceAccount they run as,
/// keeping only those with the token mounted.
struct ServiceAccountWorkloads: Sendable {
    private struct AccountKey: Hashable {
        var namespace: String
        var name: String
    }

    private struct OwnerKey: Hashable {
        var kind: String
        var namespace: String
        var name: String
    }

    private let byAccount: [AccountKey: [ExposedWorkload]]

    init(_ snapshot: ClusterSnapshot) {
        let automountByAccount = Dictionary(
            snapshot.serviceAccounts.map { (AccountKey(namespace: $0.meta.namespace, name: $0.meta.name), $0.automountServiceAccountToken) },
            uniquingKeysWith: { first, _ in first })
        func mountsToken(_ spec: PodSpec, namespace: String) -> Bool {
            Self.mountsToken(pod: spec.automountServiceAccountToken,
                             serviceAccount: automountByAccount[AccountKey(namespace: namespace, name: spec.serviceAccountName)] ?? nil)
        }
        let workloadsByKey = Dictionary(
            snapshot.workloads.map { (OwnerKey(kind: $0.kind, namespace: $0.meta.namespace, name: $0.meta.name), $0) },
            uniquingKeysWith: { first, _ in first })
        func owners(of meta: ObjectMeta) -> [ObjectRef] {
            var chain: [ObjectRef] = []
            var current = meta
            // ownerReferences form a short chain (Pod → ReplicaSet → Deployment, Pod → Job → CronJob);
            // the bound guards against a cycle in a hand-written dump.
            while chain.count < 4, let owner = current.ownerReferences.first(where: \.controller) ?? current.ownerReferences.first {
                chain.append(ObjectRef(kind: owner.kind, namespace: meta.namespace, name: owner.name))
                guard let next = workloadsByKey[OwnerKey(kind: owner.kind, namespace: meta.namespace, name: owner.name)] else { break }
                current = next.meta
            }
            return chain
        }

        var byAccount: [AccountKey: [ExposedWorkload]] = [:]
        var podsByController: [OwnerKey: Int] = [:]
        for pod in snapshot.pods where mountsToken(pod.spec, namespace: pod.meta.namespace) {
            let chain = owners(of: pod.meta)
            for owner in chain { podsByController[OwnerKey(kind: owner.kind, namespace: owner.namespace, name: owner.name), default: 0] += 1 }
            byAccount[AccountKey(namespace: pod.meta.namespace, name: pod.spec.serviceAccountName), default: []].append(
                ExposedWorkload(kind: "Pod", namespace: pod.meta.namespace, name: pod.meta.name,
                                serviceAccount: pod.spec.serviceAccountName, owners: chain))
        }
        // Templates: only the outermost controller in the dump (a Deployment, not its
        // ReplicaSets; a CronJob, not its Jobs), so each workload is named once.
        for workload in snapshot.workloads where mountsToken(workload.template, namespace: workload.meta.namespace) {
            let ownedByWorkload = workload.meta.ownerReferences.contains { owner in
                workloadsByKey[OwnerKey(kind: owner.kind, namespace: workload.meta.namespace, name: owner.name)] != nil
            }
            guard !ownedByWorkload else { continue }
            let key = OwnerKey(kind: workload.kind, namespace: workload.meta.namespace, name: workload.meta.name)
            byAccount[AccountKey(namespace: workload.meta.namespace, name: workload.template.serviceAccountName), default: []].append(
                ExposedWorkload(kind: workload.kind, namespace: workload.meta.namespace, name: workload.meta.name,
                                serviceAccount: workload.template.serviceAccountName, podCount: podsByController[key] ?? 0))
        }
        self.byAccount = byAccount.mapValues { $0.sorted() }
    }

    /// Pods and templates running as the ServiceAccount `namespace/name` with its token mounted.
    func runningAs(namespace: String, name: String) -> [ExposedWorkload] {
        byAccount[AccountKey(namespace: namespace, name: name)] ?? []
    }

    /// The pod's `automountServiceAccountToken` wins, then the ServiceAccount's, else
    /// the token is mounted (plugin/pkg/admission/serviceaccount: shouldAutomount).
    static func mountsToken(pod: Bool?, serviceAccount: Bool?) -> Bool {
        pod ?? serviceAccount ?? true
    }
}
