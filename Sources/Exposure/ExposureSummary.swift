import KubeModel
import RBAC

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
        var counts: [Severity: [KeyKind: Int]] = [:]
        var grants: [GrantKey: GrantExposure] = [:]
        for exposure in exposures {
            counts[exposure.severity, default: [:]][exposure.key.keyKind, default: 0] += 1
            var seen = Set<GrantKey>()
            for reader in exposure.readers {
                for path in reader.via {
                    guard case .rbac(let access) = path else { continue }
                    let key = GrantKey(binding: access.binding, role: access.role, subject: access.subject)
                    guard seen.insert(key).inserted else { continue }
                    let severity = reader.severity ?? .info
                    if var grant = grants[key] {
                        grant.keys += 1
                        grant.worst = max(grant.worst, severity)
                        grants[key] = grant
                    } else {
                        grants[key] = GrantExposure(binding: access.binding, role: access.role, subject: access.subject,
                                                    keys: 1, worst: severity)
                    }
                }
            }
        }
        self.counts = counts
        keys = exposures.count
        topGrants = Array(grants.values.sorted { a, b in
            if a.keys != b.keys { return a.keys > b.keys }
            if a.worst != b.worst { return a.worst > b.worst }
            return (a.binding, a.role, a.subject.kind, a.subject.namespace, a.subject.name)
                < (b.binding, b.role, b.subject.kind, b.subject.namespace, b.subject.name)
        }.prefix(topGrantCount))
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
            for text in [binding.namespace, binding.name, role.name, subject.namespace, subject.name] {
                hashBytes(text, into: &hasher)
            }
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
}
