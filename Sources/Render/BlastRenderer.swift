import Blast
import Exposure
import KubeModel
import RBAC

/// Renders `keyreach blast`'s ``BlastReport``: a table for people, one JSON
/// object (or YAML document) for scripts, described once for both:
///
/// ```json
/// {"start": {"kind": "Pod", "namespace": "production", "name": "web-0"},
///  "authenticatesAs": [{"kind": "ServiceAccount", "namespace": "production", "name": "default"}],
///  "node": "node-1",
///  "keys": [{"secret": {...}, "keyKind": "leaf", "reasons": [...], "certificate": {...} | null,
///            "impersonates": {"kind": "domains", "names": ["app.example.com"]},
///            "chain": [], "reader": {"kind", "namespace"?, "name", "via": [...]} | null, "mountedBy": {...} | null,
///            "rotationOrder": 1, "remediation": {"by": "cert-manager", "certificate": {...}, "commands": [...], "text": "..."}}],
///  "impersonates": {"domains": [{"name": "app.example.com", "keys": [{"namespace", "name"}]}],
///                   "certificateAuthorities": [...], "acmeAccounts": [...], "other": [...]},
///  "rotation": [{"order": 1, "secret": {"namespace", "name"}, "why": "ca" | "signedBy" | "reached",
///                "signedBy"?: {...}, "certificate"?: {...}, "reached": true, "remediation": {...}}]}
/// ```
public enum BlastRenderer {
    public static func render(_ report: BlastReport, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table, .csv, .sarif, .dot: return Array(table(report).utf8)
        case .json:
            var w = JSONWriter(pretty: true)
            describe(report, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml:
            var w = YAMLWriter()
            describe(report, &w)
            return w.bytes
        }
    }

    // MARK: JSON and YAML

    public static func describe<W: StructuredWriter>(_ report: BlastReport, _ w: inout W) {
        w.object { o in
            o.field("start") { WhoCanRenderer.ref(report.start, &$0) }
            o.field("authenticatesAs") { a in
                a.array { a in for identity in report.authenticatesAs { a.object { WhoCanRenderer.describeIdentity(identity, &$0) } } }
            }
            if let node = report.node { o.field("node", node) }
            o.field("keys") { a in a.array { a in for key in report.keys { describe(key, &a) } } }
            o.field("impersonates") { describe(report.groups, &$0) }
            o.field("rotation") { a in a.array { a in for step in report.rotation { describe(step, &a) } } }
        }
    }

    static func describe<W: StructuredWriter>(_ key: BlastKey, _ w: inout W) {
        w.object { o in
            o.field("secret") { s in
                s.object { s in
                    s.field("namespace", key.key.secret.namespace)
                    s.field("name", key.key.secret.name)
                    s.field("exists", key.key.exists)
                }
            }
            o.field("keyKind", key.key.keyKind.rawValue)
            o.field("reasons", strings: key.key.reasons.map(\.description))
            o.field("certificate") { c in
                if let leaf = key.key.leafCertificate { ExposureRenderer.describe(leaf, &c) } else { c.null() }
            }
            o.field("impersonates") { describe(key.target, &$0) }
            o.field("chain") { describeChain(key.access.chain, &$0) }
            o.field("reader") { r in
                guard let reader = key.access.reader else { return r.null() }
                r.object { r in
                    WhoCanRenderer.describeIdentity(reader, &r)
                    r.field("via") { a in a.array { a in for path in key.access.via { WhoCanRenderer.describe(path, &a) } } }
                }
            }
            o.field("mountedBy") { m in
                if let pod = key.access.mountedBy { WhoCanRenderer.ref(pod, &m) } else { m.null() }
            }
            o.field("rotationOrder", key.rotationOrder)
            o.field("remediation") { describe(key.remediation, &$0) }
        }
    }

    static func describe<W: StructuredWriter>(_ target: KeyTarget, _ w: inout W) {
        w.object { o in
            o.field("kind", target.code)
            switch target {
            case .certificateAuthority(let subject, let issuers, let mesh):
                o.field("subject", subject)
                o.field("issuers") { a in a.array { a in for issuer in issuers { WhoCanRenderer.ref(issuer, &a) } } }
                if let mesh { o.field("mesh", mesh) }
            case .domains(let names): o.field("names", strings: names)
            case .acmeAccount(let issuers):
                o.field("issuers") { a in a.array { a in for issuer in issuers { WhoCanRenderer.ref(issuer, &a) } } }
            case .other: break
            }
        }
    }

    /// The steps of who-can's `indirect` chains: `step`, `target`, `through`?, `via`.
    static func describeChain<W: StructuredWriter>(_ chain: [ChainStep], _ w: inout W) {
        w.array { c in
            for step in chain {
                c.object { s in
                    s.field("step", step.step.rawValue)
                    s.field("target") { WhoCanRenderer.ref(step.target, &$0) }
                    if let through = step.through { s.field("through") { WhoCanRenderer.ref(through, &$0) } }
                    s.field("via") { WhoCanRenderer.describe(step.via, &$0) }
                }
            }
        }
    }

    static func describe<W: StructuredWriter>(_ groups: ImpersonationGroups, _ w: inout W) {
        w.object { o in
            o.field("domains") { a in
                a.array { a in
                    for (name, keys) in groups.domains {
                        a.object { d in
                            d.field("name", name)
                            d.field("keys") { describeNames(keys, &$0) }
                        }
                    }
                }
            }
            o.field("certificateAuthorities") { describeNames(groups.certificateAuthorities, &$0) }
            o.field("acmeAccounts") { describeNames(groups.acmeAccounts, &$0) }
            o.field("other") { describeNames(groups.other, &$0) }
        }
    }

    static func describeNames<W: StructuredWriter>(_ secrets: [ObjectRef], _ w: inout W) {
        w.array { a in
            for secret in secrets {
                a.object { s in
                    s.field("namespace", secret.namespace)
                    s.field("name", secret.name)
                }
            }
        }
    }

    static func describe<W: StructuredWriter>(_ step: RotationStep, _ w: inout W) {
        w.object { o in
            o.field("order", step.order)
            o.field("secret") { s in
                s.object { s in
                    s.field("namespace", step.secret.namespace)
                    s.field("name", step.secret.name)
                }
            }
            o.field("why", step.why.code)
            if case .signedBy(let ca, let certificate) = step.why {
                o.field("signedBy") { s in
                    s.object { s in
                        s.field("namespace", ca.namespace)
                        s.field("name", ca.name)
                    }
                }
                if let certificate { o.field("certificate") { WhoCanRenderer.ref(certificate, &$0) } }
            }
            o.field("reached", step.reached)
            o.field("remediation") { describe(step.remediation, &$0) }
        }
    }

    static func describe<W: StructuredWriter>(_ remediation: Remediation, _ w: inout W) {
        w.object { o in
            o.field("by", remediation.manager.code)
            switch remediation.manager {
            case .certManager(let certificate):
                if let certificate { o.field("certificate") { WhoCanRenderer.ref(certificate, &$0) } }
            case .owner(let owner): o.field("owner") { WhoCanRenderer.ref(owner, &$0) }
            case .managedBy(let tool): o.field("managedBy", tool)
            case .unknown: break
            }
            o.field("commands", strings: remediation.commands)
            o.field("text", remediation.text)
        }
    }

    // MARK: Table

    static func table(_ report: BlastReport) -> String {
        var out = headline(report)
        guard !report.keys.isEmpty else { return out }
        out += "\nWhat a holder can impersonate:\n" + impersonationTable(report)
        out += "\nRotate in this order (CA keys first, then what they signed, then the other keys):\n" + rotationTable(report)
        out += "\nHow each key is reached, and how to replace it:\n"
        for key in report.keys { out += reachText(key) }
        return out
    }

    static func headline(_ report: BlastReport) -> String {
        var out = name(report.start)
        if report.start.kind == "Pod" {
            out += report.authenticatesAs.isEmpty ? " holds no ServiceAccount token (not mounted, or its ServiceAccount is not in the dump)"
                : " runs as " + report.authenticatesAs.map(name).joined(separator: ", ")
        }
        let keys = report.keys.count
        out += ": it can read \(keys) private key\(keys == 1 ? "" : "s")"
        if keys > 0 {
            let groups = report.groups
            out += " (\(groups.certificateAuthorities.count) CA, \(groups.domains.count) domain name\(groups.domains.count == 1 ? "" : "s"), "
                + "\(groups.acmeAccounts.count) ACME account, \(groups.other.count) other)"
        }
        out += ".\n"
        if let node = report.node, !node.isEmpty {
            out += "Not counted: the kubelet credentials of node \(node), which a privileged or host-mounting pod can take "
                + "(keyreach blast node/\(node) shows what they reach).\n"
        }
        return out
    }

    static func impersonationTable(_ report: BlastReport) -> String {
        var table = TextTable(columns: ["WHAT", "NAME", "KEY"])
        for key in report.keys {
            switch key.target {
            case .certificateAuthority(let subject, let issuers, let mesh):
                let what = mesh.map { "\($0) mesh CA" } ?? "CA"
                let label = subject.isEmpty ? issuers.map { "\($0.kind) \(ref($0))" }.joined(separator: ", ") : subject
                table.append([what, label.isEmpty ? "-" : label, ref(key.key.secret)])
            case .acmeAccount(let issuers):
                table.append(["ACME account", issuers.map { "\($0.kind) \(ref($0))" }.joined(separator: ", "), ref(key.key.secret)])
            case .other: table.append(["other", "-", ref(key.key.secret)])
            case .domains: break
            }
        }
        for (domain, keys) in report.groups.domains {
            table.append(["domain", domain, keys.map(ref).joined(separator: ", ")])
        }
        return table.render()
    }

    static func rotationTable(_ report: BlastReport) -> String {
        var table = TextTable(columns: ["#", "SECRET", "WHY", "READ", "DO"])
        for step in report.rotation {
            let why: String = switch step.why {
            case .certificateAuthority: "CA key"
            case .signedBy(let ca, _): "signed by \(ref(ca))"
            case .reached: "key"
            }
            let action = step.remediation.commands.first ?? shortOwner(step.remediation.manager)
            table.append([String(step.order), ref(step.secret), why, step.reached ? "yes" : "no", action])
        }
        return table.render()
    }

    static func shortOwner(_ manager: Remediation.Manager) -> String {
        switch manager {
        case .owner(let owner): "ask \(owner.kind) \(ref(owner))"
        case .managedBy(let tool): "ask \(tool)"
        case .certManager: "cert-manager"
        case .unknown: "unknown owner"
        }
    }

    static func reachText(_ key: BlastKey) -> String {
        var out = "\n\(key.rotationOrder). \(ref(key.key.secret))\(key.key.exists ? "" : " (not in the dump yet)")\n"
        for (index, step) in key.access.chain.enumerated() {
            let through = step.through.map { " through \(name($0))" } ?? ""
            out += "   step \(index + 1): \(step.step.rawValue) → \(name(step.target))\(through)\n"
            out += "           \(step.via.explanation)\n"
        }
        if let reader = key.access.reader {
            let who = name(ObjectRef(kind: reader.kind, namespace: reader.namespace, name: reader.name))
            out += "   \(who) reads it:\n"
            for path in key.access.via { out += "     \(path.explanation)\n" }
        } else if let pod = key.access.mountedBy {
            out += "   \(name(pod)) mounts it\n"
        }
        out += "   to do: \(key.remediation.text)\n"
        for command in key.remediation.commands { out += "     \(command)\n" }
        return out
    }

    static func ref(_ ref: ObjectRef) -> String { ref.qualifiedName }

    static func name(_ ref: ObjectRef) -> String { "\(ref.kind) \(Self.ref(ref))" }

    static func name(_ identity: KnownIdentity) -> String {
        name(identity.ref)
    }
}
