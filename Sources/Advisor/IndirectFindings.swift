import Exposure
import KubeModel
import RBAC

/// A grant behind indirect chains (`suggest --indirect`): a permission such
/// as create pods, exec, impersonate, bind/escalate, a token request or the
/// read of a token secret, that lets identities beyond the expected holders
/// become a reader of private keys. Not rewritten: creating pods or exec is
/// often the very job of its holder, so the finding says what it exposes and
/// by which chain, and a human decides. Its id is the grant's
/// (``Grant/findingID``), stable across runs.
public struct IndirectFinding: Sendable, Hashable {
    public var grant: Grant
    /// The steps this grant allows in the chains (most grants allow one).
    public var steps: [IndirectStep]
    /// The keys it lets unexpected identities become readers of, worst first,
    /// each with the worst severity of those readers.
    public var keys: [ExposedKey]
    /// The indirect readers (as bound) whose chains go through it.
    public var readerCount: Int
    /// The shortest chain through it, and whose it is: what the finding exposes, by example.
    public var example: IndirectKeyReader
    /// The key that example chain lands on.
    public var exampleKey: ObjectRef
    /// The worst of ``keys``.
    public var severity: Severity

    public var id: String { grant.findingID }

    /// Every grant of the unexpected indirect readers' chains, worst first
    /// (then most keys, then by id); the expected holders' chains are no findings.
    public static func collect(_ exposures: [KeyExposure]) -> [IndirectFinding] {
        var byGrant: [Grant: Accumulator] = [:]
        for exposure in exposures {
            for reader in exposure.indirect ?? [] {
                let severity = reader.severity ?? .info
                for step in reader.chain {
                    guard case .rbac(let access) = step.via else { continue }
                    byGrant[Grant(access), default: Accumulator()].add(step: step.step, key: exposure.key, severity: severity, reader: reader)
                }
            }
        }
        let findings = byGrant.map { grant, found in
            let keys = found.keys.values.sorted { ($1.severity, $0.secret) < ($0.severity, $1.secret) }
            return IndirectFinding(grant: grant, steps: IndirectStep.allCases.filter(found.steps.contains), keys: keys,
                                   readerCount: found.readers.count, example: found.example!.reader,
                                   exampleKey: found.example!.key, severity: keys.first?.severity ?? .info)
        }
        return findings.sorted { a, b in (b.severity, a.keys.count, b.id) < (a.severity, b.keys.count, a.id) }
    }

    /// What the chains through one grant reach.
    private struct Accumulator {
        var steps: Set<IndirectStep> = []
        var keys: [ObjectRef: ExposedKey] = [:]
        var readers: Set<String> = []
        var example: (reader: IndirectKeyReader, key: ObjectRef)?

        mutating func add(step: IndirectStep, key: PrivateKeySecret, severity: Severity, reader: IndirectKeyReader) {
            steps.insert(step)
            if let known = keys[key.secret], known.severity >= severity {} else {
                keys[key.secret] = ExposedKey(secret: key.secret, keyKind: key.keyKind, severity: severity, impact: key.impact)
            }
            readers.insert("\(reader.identity.kind)/\(reader.identity.namespace)/\(reader.identity.name)")
            // The shortest chain, then the worst, then the first key in order: stable across runs.
            if let current = example {
                let shorter = reader.chain.count < current.reader.chain.count
                let sameLength = reader.chain.count == current.reader.chain.count
                let worse = (reader.severity ?? .info) > (current.reader.severity ?? .info)
                let earlier = (reader.severity ?? .info) == (current.reader.severity ?? .info) && key.secret < current.key
                guard shorter || (sameLength && (worse || earlier)) else { return }
            }
            example = (reader, key.secret)
        }
    }
}
