import Advisor
import Exposure
import KubeModel
import RBAC

/// `suggest --indirect`: the grants behind indirect chains, rendered beside
/// the findings they are not (nothing is rewritten for them).
///
/// ```json
/// {"id": "RoleBinding/shop/dev-pods#0/User/dev", "severity": "medium", "steps": ["createPods"],
///  "grant": {"binding", "role", "rule", "subject"},
///  "keys": [{"namespace", "name", "keyKind", "severity", "impact"}], "reach": {"keys": 1, "readers": 2},
///  "example": {"kind", "namespace"?, "name", "chain": [who-can's chain steps], "key": {"namespace", "name"}},
///  "change": {"kind": "none", "summary": "..."}}
/// ```
extension SuggestRenderer {
    /// Why nothing is applied for an indirect finding.
    static let indirectSummary = "not rewritten: the permission is often its holder's job (creating pods, exec, impersonation); "
        + "review who holds it, narrow it with resourceNames or move it to a namespace without private keys"

    public static func describe<W: StructuredWriter>(_ finding: IndirectFinding, _ w: inout W) {
        w.object { o in
            o.field("id", finding.id)
            o.field("severity", finding.severity.rawValue)
            o.field("steps", strings: finding.steps.map(\.rawValue))
            o.field("grant") { g in
                g.object { g in
                    g.field("binding") { WhoCanRenderer.ref(finding.grant.binding, &$0) }
                    g.field("role") { WhoCanRenderer.ref(finding.grant.role, &$0) }
                    g.field("rule", finding.grant.ruleIndex)
                    g.field("subject") { describe(finding.grant.subject, &$0) }
                }
            }
            o.field("keys") { SuggestRenderer.describe(finding.keys, &$0) }
            o.field("reach") { r in
                r.object { r in
                    r.field("keys", finding.keys.count)
                    r.field("readers", finding.readerCount)
                }
            }
            o.field("example") { e in
                e.object { e in
                    WhoCanRenderer.describeIdentity(finding.example.identity, &e)
                    WhoCanRenderer.describeChain(finding.example.chain, &e)
                    e.field("key") { k in
                        k.object { k in
                            k.field("namespace", finding.exampleKey.namespace)
                            k.field("name", finding.exampleKey.name)
                        }
                    }
                }
            }
            o.field("change") { c in
                c.object { c in
                    c.field("kind", "none")
                    c.field("summary", indirectSummary)
                }
            }
        }
    }

    /// One block per indirect finding: the grant, the keys it exposes, one chain through it.
    static func indirectBlock(_ finding: IndirectFinding) -> String {
        let grant = finding.grant
        var out = "\(finding.severity.rawValue.uppercased()) \(finding.id) (indirect: \(finding.steps.map(\.rawValue).joined(separator: ", ")))\n"
        out += "  grant: \(grant.binding.kind) \(name(grant.binding)) → \(grant.role.kind) \(name(grant.role)), rule \(grant.ruleIndex), "
            + "to \(grant.subject.kind) \(name(ObjectRef(kind: "", namespace: grant.subject.namespace, name: grant.subject.name)))\n"
        out += "  lets \(finding.readerCount) reader\(finding.readerCount == 1 ? "" : "s") as bound become a reader of "
            + "\(finding.keys.count) private key\(finding.keys.count == 1 ? "" : "s"):\n"
        let shown = finding.keys.prefix(5)
        for key in shown {
            out += "    \(key.severity.rawValue) \(name(key.secret))" + (key.impact.map { " — \($0)" } ?? "") + "\n"
        }
        if finding.keys.count > shown.count { out += "    and \(finding.keys.count - shown.count) more\n" }
        let example = finding.example
        out += "  e.g. \(example.identity.ref.kindAndName): "
        out += example.chain.map { "\($0.step.rawValue) → \($0.target.kind) \(name($0.target))" }.joined(separator: ", ") + "\n"
        out += "  change: none (\(indirectSummary))\n"
        return out
    }

    /// The indirect findings as comments of the manifest: nothing to apply for them.
    static func indirectComments(_ findings: [IndirectFinding]) -> String {
        guard !findings.isEmpty else { return "" }
        var out = "---\n# Grants behind indirect chains, not rewritten (\(findings.count)); review who holds them:\n"
        for finding in findings {
            out += "# \(finding.severity.rawValue) \(finding.id) (\(finding.steps.map(\.rawValue).joined(separator: ", "))): "
                + "\(finding.keys.count) private key\(finding.keys.count == 1 ? "" : "s")\n"
        }
        return out
    }
}
