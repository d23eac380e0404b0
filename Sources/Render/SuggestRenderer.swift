import Advisor
import Exposure
import KubeModel
import RBAC

/// Renders `keyreach suggest`: the table an admin reads (one block per
/// finding, worst first), the manifest `kubectl apply -f` takes (`-o yaml`:
/// the objects, then the deletions as commented `kubectl delete` lines), and
/// the JSON scripts read:
///
/// ```json
/// {"findings": [{"id", "severity", "grant": {"binding", "role", "rule", "subject"}, "rule": {...}, "verbs",
///                "keys": [{"namespace", "name", "keyKind", "severity", "impact"}],
///                "reach": {"keys", "identities", "workloads": [{"namespace", "controller", "serviceAccount", "pods"}]},
///                "change": {"kind", "summary", "costs", "notes", "objects", "leftForReview", "draft"?}}],
///  "apply": [Kubernetes objects], "delete": [{"kind", "namespace", "name"}]}
/// ```
public enum SuggestRenderer {
    public static func render(_ suggestion: Suggestion, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table, .csv, .sarif, .dot: return Array(table(suggestion).utf8)
        case .json:
            var w = JSONWriter(capacity: 1 << 20)
            describe(suggestion, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml: return Array(manifest(suggestion).utf8)
        }
    }

    // MARK: - Manifest (-o yaml)

    /// The objects to apply as a multi-document manifest, then the deletions
    /// as commented `kubectl delete` lines (run them once the new bindings are in).
    public static func manifest(_ suggestion: Suggestion) -> String {
        var out = "# keyreach suggest: \(findingCount(suggestion)); apply with `kubectl apply -f`, then run the deletions at the end.\n"
        for object in suggestion.apply {
            var w = YAMLWriter()
            describe(object, &w)
            out += "---\n" + w.text
        }
        for finding in suggestion.findings where finding.change.kind == .review {
            out += "---\n# Left for review, not applied: \(finding.id)\n# \(finding.change.summary)\n"
            for note in finding.change.notes { out += "# \(note)\n" }
            guard let draft = finding.change.draft else { continue }
            var w = YAMLWriter()
            w.object { o in o.field("rules") { a in a.array { a in for rule in draft { describe(rule, &a) } } } }
            out += "# drafted rules of \(finding.grant.role.kind) \(name(finding.grant.role)):\n"
            for line in w.text.split(separator: "\n") { out += "#   \(line)\n" }
        }
        out += indirectComments(suggestion.indirectFindings ?? [])
        if !suggestion.delete.isEmpty {
            out += "---\n# Then delete what the objects above replace (a binding's roleRef cannot change: it is re-created under a new name):\n"
            for ref in suggestion.delete { out += "# \(deleteCommand(ref))\n" }
        }
        return out
    }

    /// `kubectl delete rolebinding NAME -n NS`.
    public static func deleteCommand(_ ref: ObjectRef) -> String {
        "kubectl delete \(ref.kind.lowercased()) \(ref.name)" + (ref.namespace.isEmpty ? "" : " -n \(ref.namespace)")
    }

    // MARK: - Structured

    public static func describe<W: StructuredWriter>(_ suggestion: Suggestion, _ w: inout W) {
        w.object { o in
            o.field("findings") { a in a.array { a in for finding in suggestion.findings { describe(finding, &a) } } }
            o.field("apply") { a in a.array { a in for object in suggestion.apply { describe(object, &a) } } }
            o.field("delete") { a in a.array { a in for ref in suggestion.delete { WhoCanRenderer.ref(ref, &a) } } }
            if let indirect = suggestion.indirectFindings {
                o.field("indirectFindings") { a in a.array { a in for finding in indirect { describe(finding, &a) } } }
            }
        }
    }

    public static func describe<W: StructuredWriter>(_ finding: Finding, _ w: inout W) {
        w.object { o in
            o.field("id", finding.id)
            o.field("severity", finding.severity.rawValue)
            o.field("grant") { g in
                g.object { g in
                    g.field("binding") { WhoCanRenderer.ref(finding.grant.binding, &$0) }
                    g.field("role") { WhoCanRenderer.ref(finding.grant.role, &$0) }
                    g.field("rule", finding.grant.ruleIndex)
                    g.field("subject") { describe(finding.grant.subject, &$0) }
                }
            }
            o.field("rule") { describe(finding.rule, &$0) }
            o.field("verbs", strings: finding.verbs.map(\.rawValue))
            o.field("keys") { SuggestRenderer.describe(finding.keys, &$0) }
            o.field("reach") { r in
                r.object { r in
                    r.field("keys", finding.keys.count)
                    r.field("identities", finding.identityCount)
                    r.field("workloads") { a in
                        a.array { a in
                            for workload in finding.workloads {
                                a.object { c in
                                    c.field("namespace", workload.namespace)
                                    c.field("controller") { c in
                                        if let controller = workload.controller {
                                            c.object { c in
                                                c.field("kind", controller.kind)
                                                c.field("name", controller.name)
                                            }
                                        } else {
                                            c.null()
                                        }
                                    }
                                    c.field("serviceAccount", workload.serviceAccount)
                                    c.field("pods", workload.pods)
                                }
                            }
                        }
                    }
                }
            }
            o.field("change") { c in
                c.object { c in
                    let change = finding.change
                    c.field("kind", change.kind.rawValue)
                    c.field("summary", change.summary)
                    c.field("costs", strings: change.costs)
                    c.field("notes", strings: change.notes)
                    c.field("objects") { a in a.array { a in for ref in change.objects { WhoCanRenderer.ref(ref, &a) } } }
                    c.field("leftForReview", change.leftForReview)
                    if let draft = change.draft {
                        c.field("draft") { a in a.array { a in for rule in draft { describe(rule, &a) } } }
                    }
                }
            }
        }
    }

    /// A Kubernetes object as `kubectl apply -f` reads it.
    public static func describe<W: StructuredWriter>(_ object: ManifestObject, _ w: inout W) {
        w.object { o in
            o.field("apiVersion", "rbac.authorization.k8s.io/v1")
            o.field("kind", object.ref.kind)
            o.field("metadata") { m in
                m.object { m in
                    let meta = object.meta
                    m.field("name", meta.name)
                    if !meta.namespace.isEmpty { m.field("namespace", meta.namespace) }
                    if !meta.labels.isEmpty { m.field("labels") { stringMap(meta.labels, &$0) } }
                    if !meta.annotations.isEmpty { m.field("annotations") { stringMap(meta.annotations, &$0) } }
                }
            }
            switch object {
            case .role(let role):
                o.field("rules") { a in a.array { a in for rule in role.rules { describe(rule, &a) } } }
            case .binding(let binding):
                o.field("roleRef") { r in
                    r.object { r in
                        r.field("apiGroup", binding.roleRef.apiGroup)
                        r.field("kind", binding.roleRef.kind)
                        r.field("name", binding.roleRef.name)
                    }
                }
                o.field("subjects") { a in a.array { a in for subject in binding.subjects { describe(subject, &a) } } }
            }
        }
    }

    /// A policy rule in kubectl's field order, empty lists left out (verbs always written).
    public static func describe<W: StructuredWriter>(_ rule: PolicyRule, _ w: inout W) {
        w.object { r in
            if !rule.apiGroups.isEmpty { r.field("apiGroups", strings: rule.apiGroups) }
            if !rule.resources.isEmpty { r.field("resources", strings: rule.resources) }
            if !rule.resourceNames.isEmpty { r.field("resourceNames", strings: rule.resourceNames) }
            if !rule.nonResourceURLs.isEmpty { r.field("nonResourceURLs", strings: rule.nonResourceURLs) }
            r.field("verbs", strings: rule.verbs)
        }
    }

    public static func describe<W: StructuredWriter>(_ subject: Subject, _ w: inout W) {
        w.object { s in
            s.field("kind", subject.kind)
            if !subject.apiGroup.isEmpty { s.field("apiGroup", subject.apiGroup) }
            s.field("name", subject.name)
            if !subject.namespace.isEmpty { s.field("namespace", subject.namespace) }
        }
    }

    static func stringMap<W: StructuredWriter>(_ map: ByteKeyedMap, _ w: inout W) {
        w.object { o in for (key, value) in map.sortedByKey { o.field(key, value) } }
    }

    // MARK: - Table

    static func findingCount(_ suggestion: Suggestion) -> String {
        let count = suggestion.findings.count
        let review = suggestion.leftForReview
        return (count == 1 ? "1 finding" : "\(count) findings") + (review > 0 ? " (\(review) left for review)" : "")
    }

    /// A summary line, then one block per finding, worst first.
    static func table(_ suggestion: Suggestion) -> String {
        guard !suggestion.findings.isEmpty else {
            return "No findings: no identity beyond the expected holders can read a private key.\n"
                + indirectTable(suggestion.indirectFindings)
        }
        let keys = Set(suggestion.findings.flatMap { $0.keys.map(\.secret) }).count
        var out = "\(findingCount(suggestion)) exposing \(keys) private key\(keys == 1 ? "" : "s"); "
            + "the fix applies \(suggestion.apply.count) object\(suggestion.apply.count == 1 ? "" : "s") "
            + "and deletes \(suggestion.delete.count) (keyreach suggest -o yaml).\n"
        for finding in suggestion.findings { out += "\n" + block(finding) }
        return out + indirectTable(suggestion.indirectFindings)
    }

    /// `--indirect`: a headline, then one block per grant behind indirect chains.
    static func indirectTable(_ findings: [IndirectFinding]?) -> String {
        guard let findings else { return "" }
        guard !findings.isEmpty else { return "\nNo grant lets an unexpected identity become a reader of a private key (indirect).\n" }
        var out = "\n\(findings.count) grant\(findings.count == 1 ? "" : "s") behind indirect chains (not rewritten):\n"
        for finding in findings { out += "\n" + indirectBlock(finding) }
        return out
    }

    static func block(_ finding: Finding) -> String {
        let grant = finding.grant
        var out = "\(finding.severity.rawValue.uppercased()) \(finding.id)\n"
        out += "  grant: \(grant.binding.kind) \(name(grant.binding)) → \(grant.role.kind) \(name(grant.role)), rule \(grant.ruleIndex), "
            + "to \(grant.subject.kind) \(name(ObjectRef(kind: "", namespace: grant.subject.namespace, name: grant.subject.name)))\n"
        out += "  rule: \(ruleText(finding.rule))\n"
        let shown = finding.keys.prefix(5)
        out += "  exposes \(finding.keys.count) private key\(finding.keys.count == 1 ? "" : "s") to "
            + "\(finding.identityCount) identit\(finding.identityCount == 1 ? "y" : "ies"):\n"
        for key in shown {
            out += "    \(key.severity.rawValue) \(name(key.secret))" + (key.impact.map { " — \($0)" } ?? "") + "\n"
        }
        if finding.keys.count > shown.count { out += "    and \(finding.keys.count - shown.count) more\n" }
        if !finding.workloads.isEmpty {
            let shownWorkloads = finding.workloads.prefix(5)
            let pods = finding.workloads.reduce(0) { $0 + $1.pods }
            out += "  workloads running as its readers with a token mounted: \(pods) pod\(pods == 1 ? "" : "s") in the dump\n"
            for workload in shownWorkloads {
                let controller = workload.controller.map { "\($0.kind) \($0.name)" } ?? "bare pods"
                let count = workload.pods == 0 ? "no pod in the dump" : "\(workload.pods) pod\(workload.pods == 1 ? "" : "s")"
                out += "    \(workload.namespace): \(controller) as ServiceAccount \(workload.serviceAccount), \(count)\n"
            }
            if finding.workloads.count > shownWorkloads.count { out += "    and \(finding.workloads.count - shownWorkloads.count) more\n" }
        }
        out += "  change (\(finding.change.kind.rawValue)): \(finding.change.summary)\n"
        for cost in finding.change.costs { out += "  costs: \(cost)\n" }
        for note in finding.change.notes { out += "  note: \(note)\n" }
        if let draft = finding.change.draft {
            out += "  draft role (not applied):\n"
            for rule in draft { out += "    \(ruleText(rule))\n" }
        }
        return out
    }

    /// `get, list secrets (core) named a, b`.
    static func ruleText(_ rule: PolicyRule) -> String {
        var text = rule.verbs.joined(separator: ", ")
        if !rule.resources.isEmpty {
            let resources = rule.resources.count > 6 ? rule.resources.prefix(6).joined(separator: ", ") + ", …" : rule.resources.joined(separator: ", ")
            text += " \(resources) (group \(rule.apiGroups.map { $0.isEmpty ? "core" : $0 }.joined(separator: ", ")))"
        }
        if !rule.resourceNames.isEmpty {
            let names = rule.resourceNames.count > 6 ? rule.resourceNames.prefix(6).joined(separator: ", ") + ", … (\(rule.resourceNames.count))"
                : rule.resourceNames.joined(separator: ", ")
            text += " named \(names)"
        }
        if !rule.nonResourceURLs.isEmpty { text += " \(rule.nonResourceURLs.joined(separator: ", "))" }
        return text
    }

    static func name(_ ref: ObjectRef) -> String { ref.qualifiedName }

    /// The keys a finding exposes: `[{"namespace", "name", "keyKind", "severity", "impact"}]`.
    static func describe<W: StructuredWriter>(_ keys: [ExposedKey], _ w: inout W) {
        w.array { a in
            for key in keys {
                a.object { k in
                    k.field("namespace", key.secret.namespace)
                    k.field("name", key.secret.name)
                    k.field("keyKind", key.keyKind.rawValue)
                    k.field("severity", key.severity.rawValue)
                    k.field("impact", key.impact)
                }
            }
        }
    }

    // MARK: - Verification

    /// `suggest --verify`: keys before and after, and the decisions that changed.
    public static func render(_ verification: Verification, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table, .csv, .sarif, .dot: return Array(table(verification).utf8)
        case .json:
            var w = JSONWriter(pretty: true)
            describe(verification, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml:
            var w = YAMLWriter()
            describe(verification, &w)
            return w.bytes
        }
    }

    public static func describe<W: StructuredWriter>(_ verification: Verification, _ w: inout W) {
        w.object { o in
            o.field("verified", verification.verified)
            o.field("keys") { a in
                a.array { a in
                    for key in verification.keys {
                        a.object { k in
                            k.field("namespace", key.secret.namespace)
                            k.field("name", key.secret.name)
                            k.field("before", key.before)
                            k.field("after", key.after)
                            k.field("afterForReview", key.afterForReview)
                        }
                    }
                }
            }
            o.field("unexpectedReadsLeft", verification.unexpectedReadsLeft)
            o.field("decisionsCompared", verification.decisionsCompared)
            o.field("changedDecisions") { a in
                a.array { a in
                    for change in verification.changedDecisions {
                        a.object { c in
                            c.field("principal", change.principal.key)
                            c.field("verb", change.verb)
                            c.field("apiGroup", change.apiGroup)
                            c.field("resource", change.resource)
                            c.field("namespace", change.namespace)
                            c.field("name", change.name)
                            c.field("before", change.before)
                            c.field("after", change.after)
                        }
                    }
                }
            }
        }
    }

    static func table(_ verification: Verification) -> String {
        var out = verification.verified ? "VERIFIED" : "NOT VERIFIED"
        out += ": the proposal applied in memory, the engine run again.\n\n"
        var keys = TextTable(columns: ["PRIVATE KEY", "UNEXPECTED READERS BEFORE", "AFTER", "LEFT FOR REVIEW"])
        for key in verification.keys {
            keys.append([name(key.secret), String(key.before), String(key.after), String(key.afterForReview)])
        }
        out += keys.isEmpty ? "No key had an unexpected reader.\n" : keys.render()
        out += "\nunexpected reads left outside review: \(verification.unexpectedReadsLeft)\n"
        out += "other named decisions changed: \(verification.changedDecisions.count) "
            + "(of \(verification.decisionsCompared) compared)\n"
        for change in verification.changedDecisions.prefix(20) {
            out += "  \(change.principal.key) \(change.verb) \(change.resource) \(change.namespace)/\(change.name): "
                + "\(change.before ? "allowed" : "denied") → \(change.after ? "allowed" : "denied")\n"
        }
        return out
    }
}
