import Exposure
import KubeModel
import RBAC

/// What changed in key exposure between two snapshots (`keyreach diff`):
/// keys added and removed, unexpected readers gained and lost on keys both
/// snapshots hold (each with the grants behind it), and severity changes.
/// Expected holders are not findings and are not compared.
///
/// ```swift
/// let diff = ExposureDiff(from: try before.exposures(...), to: try after.exposures(...))
/// diff.readersGained.map(\.reader.identity.name)   // ["default"]
/// ```
public struct ExposureDiff: Sendable {
    /// A reader of one key that one side has and the other has not.
    public struct ReaderChange: Sendable {
        public var secret: ObjectRef
        /// The reader as the side that has it reports it: verbs, grants, severity.
        public var reader: KeyReader
    }

    /// A key whose severity differs.
    public struct SeverityChange: Sendable {
        public var secret: ObjectRef
        public var from: Severity
        public var to: Severity
    }

    public var keysAdded: [KeyExposure]
    public var keysRemoved: [KeyExposure]
    public var readersGained: [ReaderChange]
    public var readersLost: [ReaderChange]
    public var severityChanges: [SeverityChange]

    /// True when nothing changed.
    public var isEmpty: Bool {
        keysAdded.isEmpty && keysRemoved.isEmpty && readersGained.isEmpty && readersLost.isEmpty && severityChanges.isEmpty
    }

    /// Compares two exposure answers (each sorted by namespace and name, as ``ExposureAnalysis`` returns them).
    public init(from old: [KeyExposure], to new: [KeyExposure]) {
        let before = Dictionary(old.map { ($0.key.secret, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.map { ($0.key.secret, $0) }, uniquingKeysWith: { a, _ in a })
        keysAdded = new.filter { before[$0.key.secret] == nil }
        keysRemoved = old.filter { after[$0.key.secret] == nil }
        readersGained = []
        readersLost = []
        severityChanges = []
        for exposure in new {
            guard let previous = before[exposure.key.secret] else { continue }
            let secret = exposure.key.secret
            readersGained += Self.missing(exposure.readers, from: previous.readers).map { ReaderChange(secret: secret, reader: $0) }
            readersLost += Self.missing(previous.readers, from: exposure.readers).map { ReaderChange(secret: secret, reader: $0) }
            if previous.severity != exposure.severity {
                severityChanges.append(SeverityChange(secret: secret, from: previous.severity, to: exposure.severity))
            }
        }
    }

    /// The readers of `readers` whose identity `other` does not hold.
    static func missing(_ readers: [KeyReader], from other: [KeyReader]) -> [KeyReader] {
        let known = Set(other.map { IdentityKey($0.identity) })
        return readers.filter { !known.contains(IdentityKey($0.identity)) }
    }
}
