import Dispatch
import KubeModel
import RBAC
import Synchronization

/// What a person reads first about a cluster's keys: how many keys of each
/// kind stand at each severity, and the grants that expose the most keys.
/// Computed from the same ``KeyExposure`` values every output format renders.
///
/// ```swift
/// let summary = ExposureSummary(exposures)
/// summary.count(.critical)            // keys whose worst unexpected reader is critical
/// summary.topGrants.first?.keys       // how many keys the worst grant exposes
/// ```
public struct ExposureSummary: Sendable, Hashable {
    /// Keys per severity and kind.
    public var counts: [Severity: [KeyKind: Int]]
    /// Every key.
    public var keys: Int
    /// The grants that expose the most keys to an unexpected reader, most first
    /// (then worst severity first, then by binding), at most ``topGrantCount``.
    public var topGrants: [GrantExposure]

    public static let topGrantCount = 5

    public init(_ exposures: [KeyExposure], topGrantCount: Int = ExposureSummary.topGrantCount) {
        // Counted in blocks on every core, then merged: this runs between the
        // (parallel) analysis and the (parallel) rendering, with nothing beside it.
        let block = 256
        let blocks = (exposures.count + block - 1) / block
        let partials = Mutex([Tally](repeating: Tally(), count: blocks))
        DispatchQueue.concurrentPerform(iterations: blocks) { index in
            var tally = Tally()
            for position in (index * block)..<min(exposures.count, (index + 1) * block) { tally.add(exposures[position]) }
            partials.withLock { $0[index] = tally }
        }
        var total = Tally()
        for partial in partials.withLock({ $0 }) { total.merge(partial) }
        counts = total.counts
        keys = exposures.count
        topGrants = Self.top(topGrantCount, of: total.grants.values)
    }

    /// The `count` grants that expose the most keys, in one pass (a cluster
    /// has thousands of grants; the table shows five).
    static func top(_ count: Int, of grants: some Sequence<GrantExposure>) -> [GrantExposure] {
        guard count > 0 else { return [] }
        var top: [GrantExposure] = []
        for grant in grants where top.count < count || exposesMore(grant, than: top[top.count - 1]) {
            top.insert(grant, at: top.firstIndex { exposesMore(grant, than: $0) } ?? top.count)
            if top.count > count { top.removeLast() }
        }
        return top
    }

    /// More keys first, then the worst severity, then by binding, role and subject (bytes).
    static func exposesMore(_ a: GrantExposure, than b: GrantExposure) -> Bool {
        if a.keys != b.keys { return a.keys > b.keys }
        if a.worst != b.worst { return a.worst > b.worst }
        return compareBytes(a.binding, b.binding).then(compareBytes(a.role, b.role))
            .then(compareBytes(a.subject.kind, b.subject.kind)).then(compareBytes(a.subject.namespace, b.subject.namespace))
            .then(compareBytes(a.subject.name, b.subject.name)) == .before
    }

    /// Keys per severity and kind, and keys per grant, over some exposures.
    private struct Tally: Sendable {
        var counts: [Severity: [KeyKind: Int]] = [:]
        var grants: [GrantKey: GrantExposure] = [:]

        /// One key: its cell, and each grant that lets an unexpected reader read it (once per grant).
        mutating func add(_ exposure: KeyExposure) {
            counts[exposure.severity, default: [:]][exposure.key.keyKind, default: 0] += 1
            // A grant names one subject, so it stands under one reader only; it
            // repeats there for each of its rules that reads secrets.
            var readerGrants: [GrantKey] = []
            for reader in exposure.readers {
                readerGrants.removeAll(keepingCapacity: true)
                for path in reader.via {
                    guard case .rbac(let access) = path else { continue }
                    let key = GrantKey(binding: access.binding, role: access.role, subject: access.subject)
                    guard !readerGrants.contains(key) else { continue }
                    readerGrants.append(key)
                    count(key, keys: 1, worst: reader.severity ?? .info)
                }
            }
        }

        mutating func merge(_ other: Tally) {
            for (severity, kinds) in other.counts {
                for (kind, count) in kinds { counts[severity, default: [:]][kind, default: 0] += count }
            }
            for (key, grant) in other.grants { count(key, keys: grant.keys, worst: grant.worst) }
        }

        private mutating func count(_ key: GrantKey, keys: Int, worst: Severity) {
            grants[key, default: GrantExposure(binding: key.binding, role: key.role, subject: key.subject, keys: 0, worst: worst)]
                .add(keys: keys, worst: worst)
        }
    }

    /// Keys at `severity`, of every kind.
    public func count(_ severity: Severity) -> Int { counts[severity]?.values.reduce(0, +) ?? 0 }

    /// Keys at `severity` of `kind`.
    public func count(_ severity: Severity, _ kind: KeyKind) -> Int { counts[severity]?[kind] ?? 0 }

    /// A grant told apart by bytes, as the API server tells names apart
    /// (and hashed on bytes: Swift's String hashing normalises every name first).
    private struct GrantKey: Hashable {
        var binding: ObjectRef
        var role: ObjectRef
        var subject: Subject

        static func == (a: GrantKey, b: GrantKey) -> Bool {
            sameRef(a.binding, b.binding) && sameRef(a.role, b.role) && sameBytes(a.subject.kind, b.subject.kind)
                && sameBytes(a.subject.namespace, b.subject.namespace) && sameBytes(a.subject.name, b.subject.name)
        }

        func hash(into hasher: inout Hasher) {
            hashBytes(binding.namespace, into: &hasher)
            hashBytes(binding.name, into: &hasher)
            hashBytes(role.name, into: &hasher)
            hashBytes(subject.namespace, into: &hasher)
            hashBytes(subject.name, into: &hasher)
        }

        private static func sameRef(_ a: ObjectRef, _ b: ObjectRef) -> Bool {
            sameBytes(a.kind, b.kind) && sameBytes(a.namespace, b.namespace) && sameBytes(a.name, b.name)
        }
    }
}

/// One grant (binding → role → subject) and how many keys it lets an
/// unexpected reader read.
public struct GrantExposure: Sendable, Hashable {
    public var binding: ObjectRef
    public var role: ObjectRef
    public var subject: Subject
    /// Keys this grant exposes (each counted once, whatever the verbs and rules).
    public var keys: Int
    /// The worst severity it gives one of its readers.
    public var worst: Severity

    mutating func add(keys more: Int, worst severity: Severity) {
        keys += more
        worst = max(worst, severity)
    }
}
