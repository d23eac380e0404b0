import Exposure
import Foundation
import KubeModel
import RBAC

/// One finding of `keyreach check`: an unexpected reader of a private key,
/// as `keyreach exposure` reports it, at the reader's severity.
public struct CheckFinding: Sendable, Hashable {
    public var secret: ObjectRef
    public var keyKind: KeyKind
    public var reader: KnownIdentity
    public var verbs: [SecretReadVerb]
    /// The grants that let the reader read the key (bindings, node, superuser).
    public var via: [AccessPath]
    public var severity: Severity
    public var breadth: ReaderBreadth
    /// What a holder of the key can do, when a certificate says it.
    public var impact: String?
    /// Where the first binding or role that grants it is written, when the dump came from files.
    public var location: ManifestLocation?

    /// Stable across runs and snapshots: one rule per reader breadth (`private-key-reader/defaultServiceAccount`).
    public var ruleID: String { CheckRule.id(breadth) }

    /// Stable across runs: the key and the reader, nothing that moves (no line, no order).
    public var fingerprint: String {
        [secret.namespace, secret.name, reader.kind, reader.namespace, reader.name].joined(separator: "/")
    }

    /// The binding of the first RBAC path, else the first path's object.
    public var grantingObject: ObjectRef? {
        for path in via { if case .rbac(let access) = path { return access.binding } }
        for path in via { if case .node(let access) = path { return access.pod } }
        return nil
    }

    /// One sentence for a table row, a SARIF message, a CI log.
    public var message: String {
        var text = "\(reader.ref.kindAndName) can \(verbs.map(\.rawValue).joined(separator: "/")) private key secret \(secret.namespace)/\(secret.name)"
        if let path = via.first { text += " (\(path.explanation))" }
        if let impact { text += ": \(impact)" }
        return text
    }
}

/// A file and line of a dump: where a manifest is written.
public struct ManifestLocation: Sendable, Hashable {
    public var file: String
    /// 1-based; nil when only the file is known.
    public var line: Int?

    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }
}

/// The rules of `check`, one per reader breadth: what SARIF lists under `tool.driver.rules`.
public enum CheckRule {
    public static func id(_ breadth: ReaderBreadth) -> String { "private-key-reader/" + breadth.rawValue }

    public static func summary(_ breadth: ReaderBreadth) -> String {
        switch breadth {
        case .everyone: "A private key is readable by every authenticated or anonymous caller"
        case .wholeGroupOfWorkloads: "A private key is readable by every service account of a namespace, or every node"
        case .defaultServiceAccount: "A private key is readable by a namespace's default service account"
        case .serviceAccountWithWorkloads: "A private key is readable by a service account whose token running pods hold"
        case .clusterWide: "A private key is readable through a cluster-wide grant"
        case .narrow: "A private key is readable by an identity that is not an expected holder"
        }
    }
}

/// `keyreach check`: the CI gate over exposure's findings.
public struct CheckReport: Sendable {
    /// Every finding of the snapshot, worst first.
    public var findings: [CheckFinding]
    /// The findings that count: at or above ``failOn`` and, with a baseline, new since it.
    public var failing: [CheckFinding]
    public var failOn: Severity
    /// The baseline snapshot's name, when one was given.
    public var baseline: String?
    /// Findings of the snapshot that the baseline already had (at the same or a worse severity).
    public var inBaseline: Int

    /// Exit status: 1 when a finding counts, 0 otherwise.
    public var fails: Bool { !failing.isEmpty }

    /// Gates `exposures`: a finding counts when its severity reaches `failOn`
    /// and, given the baseline's exposures, it is new (its key and reader were
    /// not a finding there, or were one of lower severity).
    public static func gate(_ exposures: [KeyExposure], failOn: Severity, baseline: (name: String, exposures: [KeyExposure])? = nil,
                            locate: (ObjectRef) -> ManifestLocation? = { _ in nil }) -> CheckReport {
        let findings = Self.findings(exposures, locate: locate)
        var known: [String: Severity] = [:]
        if let baseline {
            for finding in Self.findings(baseline.exposures, locate: { _ in nil }) {
                known[finding.fingerprint] = max(known[finding.fingerprint] ?? .info, finding.severity)
            }
        }
        let new = findings.filter { finding in known[finding.fingerprint].map { finding.severity > $0 } ?? true }
        return CheckReport(findings: findings, failing: new.filter { $0.severity >= failOn }, failOn: failOn,
                           baseline: baseline?.name, inBaseline: findings.count - new.count)
    }

    /// Exposure's findings, one per key and unexpected reader, worst first.
    public static func findings(_ exposures: [KeyExposure], locate: (ObjectRef) -> ManifestLocation?) -> [CheckFinding] {
        exposures.flatMap { exposure in
            exposure.readers.map { reader in
                var finding = CheckFinding(
                    secret: exposure.key.secret, keyKind: exposure.key.keyKind, reader: reader.identity, verbs: reader.verbs,
                    via: reader.via, severity: reader.severity ?? exposure.severity, breadth: reader.breadth ?? .narrow,
                    impact: exposure.key.impact)
                finding.location = finding.grantingObject.flatMap(locate)
                return finding
            }
        }.sorted { a, b in
            (b.severity, a.secret.namespace, a.secret.name, a.fingerprint) < (a.severity, b.secret.namespace, b.secret.name, b.fingerprint)
        }
    }
}
