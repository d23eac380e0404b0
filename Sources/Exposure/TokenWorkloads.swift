import KubeModel

/// The workloads behind a reader, summarised: one entry per controller (the
/// outermost owner: the Deployment, not its ReplicaSet; the CronJob, not its
/// Jobs) with the number of its pods that run with the ServiceAccount token
/// mounted, and one entry per bare pod. Compromise one and you hold the key.
///
/// A controller with no pod in the dump is listed with `podCount` 0: its
/// template mounts the token, so its next pod will.
public struct ExposedWorkload: Sendable, Hashable, Comparable {
    /// The controller kind (`Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet`,
    /// `Job`, `CronJob`, or an owner kind the dump does not hold), or `Pod` for a bare pod.
    public var kind: String
    public var namespace: String
    public var name: String
    public var serviceAccount: String
    /// Kept for source compatibility: a summary names no owner chain (always empty).
    public var owners: [ObjectRef]
    /// How many pods of the dump run as ``serviceAccount`` with the token mounted
    /// under this controller (1 for a bare pod).
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

    /// A pod without controller.
    public var isPod: Bool { kind == "Pod" }

    /// Always `nil` in a summary (a controller entry is its own controller).
    public var controller: ObjectRef? { owners.last }

    /// Every field as bytes: the workloads of twin ServiceAccounts or namespaces
    /// stay two when a key's copies merge their workloads in a set.
    public static func == (a: ExposedWorkload, b: ExposedWorkload) -> Bool {
        sameBytes(a.name, b.name) && sameBytes(a.namespace, b.namespace) && sameBytes(a.kind, b.kind)
            && sameBytes(a.serviceAccount, b.serviceAccount) && a.podCount == b.podCount
            && a.owners.count == b.owners.count && zip(a.owners, b.owners).allSatisfy { compareBytes($0, $1) == .same }
    }

    public func hash(into hasher: inout Hasher) {
        hashBytes(kind, into: &hasher)
        hashBytes(namespace, into: &hasher)
        hashBytes(name, into: &hasher)
        hashBytes(serviceAccount, into: &hasher)
        hasher.combine(podCount)
    }

    /// Bare pods first, then by namespace, name, kind, as bytes.
    public static func < (a: ExposedWorkload, b: ExposedWorkload) -> Bool {
        if a.isPod != b.isPod { return a.isPod }
        return compareBytes(a.namespace, b.namespace).then(compareBytes(a.name, b.name))
            .then(compareBytes(a.kind, b.kind)) == .before
    }
}

/// How many workloads run behind a reader with a token mounted: for a
/// ServiceAccount its own, for a Group those of every ServiceAccount in it.
public struct WorkloadCount: Sendable, Hashable {
    /// Pods with the token mounted.
    public var pods: Int
    /// Controllers (bare pods not counted).
    public var controllers: Int
    /// Namespaces they run in.
    public var namespaces: Int

    public init(pods: Int = 0, controllers: Int = 0, namespaces: Int = 0) {
        self.pods = pods
        self.controllers = controllers
        self.namespaces = namespaces
    }

    public var isEmpty: Bool { pods == 0 && controllers == 0 }
}

/// Pods and pod templates indexed once by the ServiceAccount they run as,
/// keeping only those with the token mounted, summarised per controller; and
/// the same counted per service-account group (`system:serviceaccounts`,
/// `system:serviceaccounts:NS`, `system:authenticated`). It reads the
/// snapshot only (not the grants), so a caller may build it while the
/// who-can index is built and hand it to ``ExposureAnalysis``.
public struct ServiceAccountWorkloads: Sendable {
    // Keys compare and hash by bytes: twin ServiceAccounts (KELVIN SIGN, NFC/NFD)
    // run their own workloads, as the API server keeps them apart.
    private struct AccountKey: Hashable {
        var namespace: String
        var name: String

        static func == (a: AccountKey, b: AccountKey) -> Bool { sameBytes(a.name, b.name) && sameBytes(a.namespace, b.namespace) }

        func hash(into hasher: inout Hasher) {
            hashBytes(namespace, into: &hasher)
            hashBytes(name, into: &hasher)
        }
    }

    private struct OwnerKey: Hashable {
        var kind: String
        var namespace: String
        var name: String

        static func == (a: OwnerKey, b: OwnerKey) -> Bool {
            sameBytes(a.name, b.name) && sameBytes(a.namespace, b.namespace) && sameBytes(a.kind, b.kind)
        }

        func hash(into hasher: inout Hasher) {
            hashBytes(kind, into: &hasher)
            hashBytes(namespace, into: &hasher)
            hashBytes(name, into: &hasher)
        }
    }

    private let byAccount: [AccountKey: [ExposedWorkload]]
    private let byGroup: [ByteString: WorkloadCount]

    public init(_ snapshot: ClusterSnapshot) {
        let automountByAccount = Dictionary(
            snapshot.serviceAccounts.map { (AccountKey(namespace: $0.meta.namespace, name: $0.meta.name), $0.automountServiceAccountToken) },
            uniquingKeysWith: { first, _ in first })
        func mountsToken(_ spec: PodSpec, namespace: String) -> Bool {
            Self.mountsToken(pod: spec.automountServiceAccountToken,
                             serviceAccount: automountByAccount[AccountKey(namespace: namespace, name: spec.serviceAccountName)] ?? nil)
        }
        let workloads = snapshot.workloads
        var workloadIndex: [OwnerKey: Int] = [:]
        workloadIndex.reserveCapacity(workloads.count)
        for (index, workload) in workloads.enumerated() {
            let key = OwnerKey(kind: workload.kind, namespace: workload.meta.namespace, name: workload.meta.name)
            if workloadIndex[key] == nil { workloadIndex[key] = index }
        }
        /// The controlling (else first) owner reference of an object.
        func owner(_ references: [OwnerReference]) -> OwnerReference? {
            references.first(where: \.controller) ?? references.first
        }
        /// The outermost owner of an object, following controller references
        /// through the workloads of the dump; `nil` when it has no owner.
        func outermostOwner(namespace: String, references: [OwnerReference]) -> OwnerKey? {
            guard let first = owner(references) else { return nil }
            var outermost = OwnerKey(kind: first.kind, namespace: namespace, name: first.name)
            // ownerReferences form a short chain (Pod → ReplicaSet → Deployment, Pod → Job → CronJob);
            // the bound guards against a cycle in a hand-written dump.
            for _ in 0..<3 {
                guard let index = workloadIndex[outermost], let next = owner(workloads[index].meta.ownerReferences) else { break }
                outermost = OwnerKey(kind: next.kind, namespace: namespace, name: next.name)
            }
            return outermost
        }

        var entries: [AccountKey: [OwnerKey: Int]] = [:]
        for index in snapshot.pods.indices {
            let namespace = snapshot.pods[index].meta.namespace
            guard mountsToken(snapshot.pods[index].spec, namespace: namespace) else { continue }
            let account = AccountKey(namespace: namespace, name: snapshot.pods[index].spec.serviceAccountName)
            let key = outermostOwner(namespace: namespace, references: snapshot.pods[index].meta.ownerReferences)
                ?? OwnerKey(kind: "Pod", namespace: namespace, name: snapshot.pods[index].meta.name)
            entries[account, default: [:]][key, default: 0] += 1
        }
        // Templates count under their outermost owner too, so each workload is named once
        // (a Deployment, not its ReplicaSets), with its pods or, when none is in the dump, with 0.
        for index in workloads.indices {
            let namespace = workloads[index].meta.namespace
            guard mountsToken(workloads[index].template, namespace: namespace) else { continue }
            let account = AccountKey(namespace: namespace, name: workloads[index].template.serviceAccountName)
            let key = outermostOwner(namespace: namespace, references: workloads[index].meta.ownerReferences)
                ?? OwnerKey(kind: workloads[index].kind, namespace: namespace, name: workloads[index].meta.name)
            entries[account, default: [:]][key, default: 0] += 0
        }

        var byAccount: [AccountKey: [ExposedWorkload]] = [:]
        var byGroup: [ByteString: WorkloadCount] = [:]
        var namespacesByGroup: [ByteString: Set<ByteString>] = [:]
        for (account, owners) in entries {
            byAccount[account] = owners.map { key, pods in
                ExposedWorkload(kind: key.kind, namespace: key.namespace, name: key.name, serviceAccount: account.name,
                                podCount: key.kind == "Pod" ? 1 : pods)
            }.sorted()
            let pods = owners.values.reduce(0, +)
            let controllers = owners.keys.filter { $0.kind != "Pod" }.count
            for group in WellKnown.serviceAccountGroups(namespace: account.namespace).map(ByteString.init) {
                byGroup[group, default: WorkloadCount()].pods += pods
                byGroup[group, default: WorkloadCount()].controllers += controllers
                namespacesByGroup[group, default: []].insert(ByteString(account.namespace))
            }
        }
        for (group, namespaces) in namespacesByGroup { byGroup[group]?.namespaces = namespaces.count }
        self.byAccount = byAccount
        self.byGroup = byGroup
    }

    /// The controllers and bare pods running as the ServiceAccount `namespace/name` with its token mounted.
    func runningAs(namespace: String, name: String) -> [ExposedWorkload] {
        byAccount[AccountKey(namespace: namespace, name: name)] ?? []
    }

    /// The workloads of one ServiceAccount, counted.
    func count(namespace: String, name: String) -> WorkloadCount {
        let running = runningAs(namespace: namespace, name: name)
        guard !running.isEmpty else { return WorkloadCount() }
        return WorkloadCount(pods: running.reduce(0) { $0 + $1.podCount },
                             controllers: running.filter { !$0.isPod }.count, namespaces: 1)
    }

    /// The workloads of every ServiceAccount that authenticates with `group`, counted.
    func count(group: String) -> WorkloadCount { byGroup[ByteString(group)] ?? WorkloadCount() }

    /// The pod's `automountServiceAccountToken` wins, then the ServiceAccount's, else
    /// the token is mounted (plugin/pkg/admission/serviceaccount: shouldAutomount).
    static func mountsToken(pod: Bool?, serviceAccount: Bool?) -> Bool {
        pod ?? serviceAccount ?? true
    }
}
