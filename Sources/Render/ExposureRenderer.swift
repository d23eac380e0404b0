import Advisor
import Exposure
import KubeModel
import RBAC
import Store

/// Which keys the exposure table lists in full (JSON and YAML always list every key).
public enum KeyLimit: Sendable, Hashable {
    /// Every critical and high key, then a count of the rest: the default.
    case criticalAndHigh
    /// The first N keys, worst first.
    case first(Int)
    /// Every key, and those read by expected holders only.
    case all
}

/// Renders `keyreach exposure`: the JSON/YAML contract DESIGN.md promises
/// scripts (an array, one object per private-key secret, sorted by namespace
/// and name) and the table a security engineer reads first (a summary by
/// severity and kind, the grants that expose the most keys, then the worst
/// keys). Every format renders the same ``KeyExposure`` values, in one pass.
///
/// ```json
/// {"secret": {"namespace": "production", "name": "app-tls", "exists": true, "type": "kubernetes.io/tls"},
///  "reasons": ["type kubernetes.io/tls", "cert-manager Certificate production/app", "Ingress production/web"],
///  "certificate": {"subject": "CN=app.example.com", "dnsNames": [...], "issuer": "CN=internal-ca",
///                  "notAfter": "2027-03-01T00:00:00Z", "isCA": false, "sha256": "...", ...},
///  "certificates": [...], "impact": "a holder of this key can impersonate ...", "keyKind": "leaf",
///  "severity": "high",
///  "readers": [{"kind", "namespace"?, "name", "verbs": ["get"], "via": [...], "severity", "breadth", "findings": [suggest ids],
///               "memberCount"?, "members"?, "workloadCount"?}],
///  "expected": [{"kind", "namespace"?, "name", "verbs", "via", "why", "rule", "memberCount"?}],
///  "workloads": [{"kind": "Deployment", "namespace", "name", "serviceAccount", "pods": 3}]}
/// ```
public enum ExposureRenderer {
    public static func render(_ exposures: [KeyExposure], as format: OutputFormat,
                              limit: KeyLimit = .criticalAndHigh) -> [UInt8] {
        switch format {
        case .table, .csv, .sarif, .dot: return Array(table(exposures, limit: limit).utf8)
        case .json:
            // Compact, like who-can -A: a big cluster has thousands of keys.
            var w = JSONWriter(capacity: 1 << 20)
            w.array { a in for exposure in exposures { describe(exposure, &a) } }
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml:
            var w = YAMLWriter()
            w.array { a in for exposure in exposures { describe(exposure, &a) } }
            return w.bytes
        }
    }

    // MARK: - Structured (json, yaml)

    public static func describe<W: StructuredWriter>(_ exposure: KeyExposure, _ w: inout W) {
        let key = exposure.key
        w.object { o in
            o.field("secret") { s in
                s.object { s in
                    s.field("namespace", key.secret.namespace)
                    s.field("name", key.secret.name)
                    s.field("exists", key.exists)
                    if let type = key.type { s.field("type", type) }
                    if key.willBeCreated { s.field("willBeCreated", true) }
                }
            }
            o.field("reasons", strings: key.reasons.map(\.description))
            o.field("certificate") { c in
                if let leaf = key.leafCertificate { describe(leaf, &c) } else { c.null() }
            }
            o.field("certificates") { a in a.array { a in for certificate in key.certificates { describe(certificate, &a) } } }
            o.field("impact", key.impact)
            o.field("keyKind", key.keyKind.rawValue)
            if let issued = key.issuedCertificates {
                o.field("issuedCertificates") { describe(issued, &$0) }
            }
            if !key.suspicious.isEmpty { o.field("suspicious", strings: key.suspicious) }
            o.field("severity", exposure.severity.rawValue)
            o.field("readers") { a in a.array { a in for reader in exposure.readers { describe(reader, &a) } } }
            o.field("expected") { a in a.array { a in for reader in exposure.expected { describe(reader, &a) } } }
            o.field("workloads") { a in a.array { a in for workload in exposure.workloads { describe(workload, &a) } } }
            // Issue 17: the other secrets holding the same key, and the copies that widen its readers.
            o.field("copies") { a in a.array { a in for copy in exposure.copies { describe(copy, &a) } } }
            if !exposure.broaderCopies.isEmpty {
                o.field("broaderCopies") { a in a.array { a in for broader in exposure.broaderCopies { describe(broader, &a) } } }
            }
            if let indirect = exposure.indirect {
                o.field("indirect") { a in a.array { a in for reader in indirect { describe(reader, &a) } } }
                o.field("indirectExpected") { a in a.array { a in for reader in exposure.indirectExpected { describe(reader, &a) } } }
            }
        }
    }

    /// `{"namespace", "name", "via", "exists", "source": {"namespace", "name"}}`.
    public static func describe<W: StructuredWriter>(_ copy: KeyCopy, _ w: inout W) {
        w.object { o in
            o.field("namespace", copy.secret.namespace)
            o.field("name", copy.secret.name)
            o.field("via", copy.via.rawValue)
            o.field("exists", copy.exists)
            o.field("source") { s in
                s.object { s in
                    s.field("namespace", copy.source.namespace)
                    s.field("name", copy.source.name)
                }
            }
        }
    }

    /// `{"copy": {...}, "severity", "newReaders": [who-can subjects], "message"}`.
    public static func describe<W: StructuredWriter>(_ broader: BroaderCopy, _ w: inout W) {
        w.object { o in
            o.field("copy") { describe(broader.copy, &$0) }
            o.field("severity", broader.severity.rawValue)
            o.field("newReaders") { a in
                a.array { a in for reader in broader.newReaders { a.object { WhoCanRenderer.describeIdentity(reader, &$0) } } }
            }
            o.field("message", broaderPhrase(broader))
        }
    }

    /// `{"pods", "controllers", "namespaces"}`: the workloads behind a reader, counted.
    static func describe<W: StructuredWriter>(_ count: Exposure.WorkloadCount, _ w: inout W) {
        w.object { c in
            c.field("pods", count.pods)
            c.field("controllers", count.controllers)
            c.field("namespaces", count.namespaces)
        }
    }

    /// An indirect reader: the identity (as bound), its `chain` (who-can's
    /// shape), then as a direct reader: a finding's `severity`, `breadth`,
    /// `findings` (the suggest ids of the chain's grants) and `workloadCount`;
    /// an expected holder's `why` and `rule`.
    public static func describe<W: StructuredWriter>(_ reader: IndirectKeyReader, _ w: inout W) {
        w.object { o in
            WhoCanRenderer.describeIdentity(reader.identity, &o)
            WhoCanRenderer.describeChain(reader.chain, &o)
            if let expectation = reader.expectation {
                o.field("why", expectation.why)
                o.field("rule", expectation.rule.rawValue)
            }
            if let severity = reader.severity { o.field("severity", severity.rawValue) }
            if let breadth = reader.breadth { o.field("breadth", breadth.rawValue) }
            if reader.expectation == nil { o.field("findings", strings: reader.chain.compactMap { findingID(for: $0.via) }) }
            if !reader.workloadCount.isEmpty {
                o.field("workloadCount") { describe(reader.workloadCount, &$0) }
            }
        }
    }

    /// A who-can subject object (``WhoCanRenderer``'s fields) plus `verbs`; a finding adds
    /// `severity`, `breadth` and `workloadCount` (when it has workloads), an expected
    /// holder `why` and `rule`; a Group `memberCount`, and `members` when listed.
    public static func describe<W: StructuredWriter>(_ reader: KeyReader, _ w: inout W) {
        w.object { o in
            WhoCanRenderer.describeIdentity(reader.identity, &o)
            o.field("verbs", strings: reader.verbs.map(\.rawValue))
            o.field("via") { a in a.array { a in for path in reader.via { WhoCanRenderer.describe(path, &a) } } }
            if let expectation = reader.expectation {
                o.field("why", expectation.why)
                o.field("rule", expectation.rule.rawValue)
            }
            if let severity = reader.severity { o.field("severity", severity.rawValue) }
            if let breadth = reader.breadth { o.field("breadth", breadth.rawValue) }
            // A finding names the `keyreach suggest` findings (grants) it comes from.
            if reader.expectation == nil { o.field("findings", strings: reader.via.compactMap(findingID(for:))) }
            if !reader.copies.isEmpty {
                o.field("copies") { a in
                    a.array { a in
                        for copy in reader.copies {
                            a.object { c in
                                c.field("namespace", copy.namespace)
                                c.field("name", copy.name)
                            }
                        }
                    }
                }
            }
            if let memberCount = reader.memberCount { o.field("memberCount", memberCount) }
            if !reader.members.isEmpty {
                o.field("members") { a in
                    a.array { a in for member in reader.members { a.object { WhoCanRenderer.describeIdentity(member, &$0) } } }
                }
            }
            if !reader.workloadCount.isEmpty {
                o.field("workloadCount") { describe(reader.workloadCount, &$0) }
            }
        }
    }

    /// DESIGN.md's certificate fields first (`subject`, `dnsNames`, `issuer`, `notAfter`, `isCA`,
    /// `sha256`), then the added ones; dates as ISO 8601 in UTC. An unreadable certificate
    /// is `{"dataKey", "index", "parseError"}`.
    public static func describe<W: StructuredWriter>(_ certificate: CertificateFacts, _ w: inout W) {
        w.object { o in
            guard certificate.isParsed else {
                o.field("dataKey", certificate.dataKey)
                o.field("index", certificate.index)
                o.field("parseError", certificate.parseError)
                return
            }
            o.field("subject", certificate.subject)
            o.field("dnsNames", strings: certificate.dnsNames)
            o.field("issuer", certificate.issuer)
            o.field("notAfter", certificate.notAfterISO)
            o.field("isCA", certificate.isCA)
            o.field("sha256", certificate.sha256)
            o.field("ipAddresses", strings: certificate.ipAddresses)
            o.field("notBefore", certificate.notBeforeISO)
            o.field("dataKey", certificate.dataKey)
            o.field("index", certificate.index)
        }
    }

    public static func describe<W: StructuredWriter>(_ issued: IssuedCertificates, _ w: inout W) {
        w.object { o in
            o.field("issuers") { a in a.array { a in for issuer in issued.issuers { WhoCanRenderer.ref(issuer, &a) } } }
            o.field("count", issued.count)
            o.field("namespaces", strings: issued.namespaces)
        }
    }

    /// `{"kind", "namespace", "name", "serviceAccount", "pods"}`: a controller with the
    /// number of its pods running with the token mounted, or a bare pod (`"kind": "Pod"`, 1).
    public static func describe<W: StructuredWriter>(_ workload: ExposedWorkload, _ w: inout W) {
        w.object { o in
            o.field("kind", workload.kind)
            o.field("namespace", workload.namespace)
            o.field("name", workload.name)
            o.field("serviceAccount", workload.serviceAccount)
            o.field("pods", workload.podCount)
        }
    }

    // MARK: - Table

    /// The summary by severity and kind, the grants that expose the most keys,
    /// then the keys with findings worst first (then by name), as many as
    /// `limit` says, and a count of the rest. `.all` lists every key with
    /// findings and then, one line each, the keys read by expected holders only.
    static func table(_ exposures: [KeyExposure], limit: KeyLimit = .criticalAndHigh) -> String {
        let parts = tableParts(exposures, limit: limit)
        return parts.keys.reduce(into: parts.head) { $0 += "\n" + keySection($1) } + parts.tail
    }

    /// The table in three parts, so the key sections between can be rendered
    /// on every core: the summary, the keys to list in full (each rendered by
    /// ``keySection(_:)`` after an empty line), and what follows them.
    public static func tableParts(_ exposures: [KeyExposure], limit: KeyLimit) -> (head: String, keys: [KeyExposure], tail: String) {
        guard !exposures.isEmpty else { return ("No private-key secrets in scope.\n", [], "") }
        let summary = ExposureSummary(exposures)
        // Worst first, then by secret; positions are sorted, not the (large) exposures.
        let findings = exposures.indices.filter { exposures[$0].hasFindings }.sorted { a, b in
            exposures[a].severity != exposures[b].severity
                ? exposures[a].severity > exposures[b].severity : exposures[a].key.secret < exposures[b].key.secret
        }.map { exposures[$0] }
        let quiet = exposures.filter { !$0.hasFindings }
        var head = summaryLine(summary, quiet: quiet.count) + "\n\n" + kindTable(summary)
        if !summary.topGrants.isEmpty { head += "\n" + grantsSection(summary.topGrants) }
        let shown: ArraySlice<KeyExposure>
        switch limit {
        case .criticalAndHigh: shown = findings.prefix { $0.severity >= .high }
        case .first(let count): shown = findings.prefix(max(0, count))
        case .all: shown = findings[...]
        }
        var tail = ""
        if limit == .all {
            if !quiet.isEmpty {
                tail += "\nRead by expected holders only:\n"
                for exposure in quiet { tail += "  \(name(exposure.key.secret)) — expected: \(expectedLine(exposure.expected))\n" }
            }
        } else if shown.count < findings.count || !quiet.isEmpty {
            tail += "\n" + restLine(findings.dropFirst(shown.count), quiet: quiet.count) + "\n"
        }
        return (head, Array(shown), tail)
    }

    /// One key of a list (`-o json`: an array element; `-o yaml`: a sequence
    /// item), rendered alone; ``WhoCanRenderer/listFraming(_:)`` frames the list.
    public static func renderElement(_ exposure: KeyExposure, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table, .csv, .sarif, .dot: return Array(("\n" + keySection(exposure)).utf8)
        case .json:
            var w = JSONWriter(capacity: 1 << 13)
            describe(exposure, &w)
            return w.bytes
        case .yaml:
            var w = YAMLWriter()
            w.array { describe(exposure, &$0) }
            return w.bytes
        }
    }

    /// "6 private keys: 1 critical, 1 high, 0 medium, 0 low; 4 read by expected holders only".
    static func summaryLine(_ summary: ExposureSummary, quiet: Int) -> String {
        let graded: [Severity] = [.critical, .high, .medium, .low]
        let counts = graded.map { "\(summary.count($0)) \($0.rawValue)" }
        let keys = summary.keys == 1 ? "1 private key" : "\(summary.keys) private keys"
        return "\(keys): \(counts.joined(separator: ", ")); \(quiet) read by expected holders only"
    }

    /// Keys by kind (rows, for the kinds present) and severity (columns).
    static func kindTable(_ summary: ExposureSummary) -> String {
        let graded: [Severity] = [.critical, .high, .medium, .low, .info]
        var table = TextTable(columns: ["KEYS"] + graded.map { $0 == .info ? "EXPECTED ONLY" : $0.rawValue.uppercased() })
        for kind in [KeyKind.certificateAuthority, .meshCA, .leaf, .acmeAccount] {
            let row = graded.map { summary.count($0, kind) }
            guard row.contains(where: { $0 > 0 }) else { continue }
            table.append([kindName(kind)] + row.map(String.init))
        }
        return table.render()
    }

    static func kindName(_ kind: KeyKind) -> String {
        switch kind {
        case .certificateAuthority: "CA"
        case .meshCA: "mesh CA"
        case .leaf: "leaf"
        case .acmeAccount: "ACME account"
        }
    }

    /// "Grants that expose the most keys:", then binding → role → subject with its key count.
    static func grantsSection(_ grants: [GrantExposure]) -> String {
        var table = TextTable(columns: ["KEYS", "WORST", "GRANT (BINDING → ROLE → SUBJECT)"])
        for grant in grants {
            let subject = grant.subject.kindAndName
            table.append([String(grant.keys), grant.worst.rawValue,
                          "\(grant.binding.kind) \(name(grant.binding)) → \(grant.role.kind) \(name(grant.role)) → \(subject)"])
        }
        return "Grants that expose the most keys:\n" + table.render()
    }

    /// "… and 40 more keys with findings (3 medium, 37 low), 24 read by expected holders only: --all lists them."
    static func restLine(_ rest: ArraySlice<KeyExposure>, quiet: Int) -> String {
        "… and " + restParts(rest, quiet: quiet).joined(separator: ", ") + ": --limit N or --all lists them."
    }

    /// "40 more keys with findings (3 medium, 37 low)", "24 read by expected holders only".
    static func restParts(_ rest: ArraySlice<KeyExposure>, quiet: Int) -> [String] {
        var parts: [String] = []
        if !rest.isEmpty {
            let bySeverity = Severity.allCases.reversed().compactMap { severity -> String? in
                let count = rest.filter { $0.severity == severity }.count
                return count == 0 ? nil : "\(count) \(severity.rawValue)"
            }
            parts.append("\(rest.count) more \(rest.count == 1 ? "key" : "keys") with findings (\(bySeverity.joined(separator: ", ")))")
        }
        if quiet > 0 { parts.append("\(quiet) read by expected holders only") }
        return parts
    }

    /// One key with findings: its headline, reasons, readers (paths, members, workloads), expected holders.
    public static func keySection(_ exposure: KeyExposure) -> String {
        let key = exposure.key
        var out = "\(exposure.severity.rawValue.uppercased()) \(name(key.secret)) — \(headline(key))\n"
        out += "  reasons: \(key.reasons.map(\.description).joined(separator: "; "))\n"
        if key.willBeCreated {
            out += "  not created yet: cert-manager will write it, and RBAC on its name applies already\n"
        } else if !key.exists {
            out += "  not in the dump: RBAC on its name applies all the same\n"
        }
        for sentence in key.suspicious { out += "  suspicious: \(sentence)\n" }
        if !exposure.copies.isEmpty { out += "  \(copiesLine(exposure.copies))\n" }
        for broader in exposure.broaderCopies.prefix(copiesShown) { out += "  finding: \(broaderPhrase(broader))\n" }
        if exposure.broaderCopies.count > copiesShown {
            out += "  … and \(exposure.broaderCopies.count - copiesShown) more copies reaching broader readers (-o json lists them)\n"
        }
        out += "  read by:\n"
        for reader in worstFirst(exposure.readers) {
            let judged = [reader.severity?.rawValue, reader.breadth.map(breadthPhrase)].compactMap { $0 }
            out += "    \(identityName(reader.identity)): \(verbList(reader.verbs))"
            out += judged.isEmpty ? "\n" : " (\(judged.joined(separator: ": ")))\n"
            if let line = groupLine(reader) { out += "      \(line)\n" }
            if !reader.copies.isEmpty { out += "      \(readsCopiesLine(reader.copies, of: exposure.copies.count + 1))\n" }
            for member in reader.members { out += "      member \(identityName(member))\n" }
            for (path, verbs) in zip(reader.via, reader.verbsByPath) {
                out += "      via \(pathPhrase(path, reader: reader.identity)): \(verbList(verbs))\n"
                if let finding = findingID(for: path) { out += "        suggest finding \(finding)\n" }
            }
            for workload in reader.workloads { out += "      \(workloadPhrase(workload))\n" }
        }
        if !exposure.expected.isEmpty { out += "  expected: \(expectedLine(exposure.expected))\n" }
        out += indirectSection(exposure)
        return out
    }

    /// `--indirect`: who can become a reader, worst first, each step on a line
    /// with the permission behind it; expected holders on one line.
    static func indirectSection(_ exposure: KeyExposure) -> String {
        guard let indirect = exposure.indirect, !indirect.isEmpty || !exposure.indirectExpected.isEmpty else { return "" }
        var out = ""
        if !indirect.isEmpty { out += "  can become a reader (indirect):\n" }
        let ordered = indirect.enumerated().sorted { a, b in
            ((a.element.severity ?? .info), b.offset) > ((b.element.severity ?? .info), a.offset)
        }.map(\.element)
        for reader in ordered {
            let judged = [reader.severity?.rawValue, reader.breadth.map(breadthPhrase)].compactMap { $0 }
            out += "    \(identityName(reader.identity))"
            out += judged.isEmpty ? "\n" : " (\(judged.joined(separator: ": ")))\n"
            for step in reader.chain {
                let through = step.through.map { " through \(WhoCanRenderer.describeRef($0))" } ?? ""
                out += "      \(step.step.rawValue) → \(WhoCanRenderer.describeRef(step.target))\(through)\n"
                out += "        via \(pathPhrase(step.via, reader: reader.identity))\n"
                if let finding = findingID(for: step.via) { out += "        suggest finding \(finding)\n" }
            }
        }
        if !exposure.indirectExpected.isEmpty {
            let names = exposure.indirectExpected.map { reader in
                let who = reader.identity.kind == "Group" || reader.identity.kind == "User"
                    ? reader.identity.name : identityName(reader.identity)
                return reader.expectation.flatMap(shortWhy).map { "\(who) (\($0))" } ?? who
            }
            out += "  expected (indirect): \(names.joined(separator: ", "))\n"
        }
        return out
    }

    /// How many secrets the table names before "… and N more".
    static let copiesShown = 5

    /// "copies: 500 (250 replicator annotation, 250 same public key): a/x (replicator annotation), … and 495 more".
    static func copiesLine(_ copies: [KeyCopy]) -> String {
        let counts = CopyVia.allCases.compactMap { via -> String? in
            let count = copies.filter { $0.via == via }.count
            return count == 0 ? nil : "\(count) \(via.rawValue)"
        }
        var line = "copies: \(copies.count) (\(counts.joined(separator: ", "))): "
        line += copies.prefix(copiesShown).map(copyPhrase).joined(separator: ", ")
        if copies.count > copiesShown { line += ", … and \(copies.count - copiesShown) more (-o json lists them)" }
        return line
    }

    /// "team-a/wildcard-tls (replicator annotation from shared/wildcard-tls, not created yet)".
    public static func copyPhrase(_ copy: KeyCopy) -> String {
        var how = copy.via.rawValue
        if copy.via != .samePublicKey { how += " from \(name(copy.source))" }
        if !copy.exists { how += ", not created yet" }
        return "\(name(copy.secret)) (\(how))"
    }

    /// "reads 2 of 501 copies: a/x, b/y".
    static func readsCopiesLine(_ copies: [ObjectRef], of total: Int) -> String {
        var line = "reads \(copies.count) of \(total) copies: " + copies.prefix(copiesShown).map(name).joined(separator: ", ")
        if copies.count > copiesShown { line += ", … and \(copies.count - copiesShown) more" }
        return line
    }

    /// "replicator annotation copies shared/wildcard-tls into team-a/wildcard-tls, where 2 readers the source
    /// does not have can read it (high): Group system:authenticated, ServiceAccount team-a/default".
    public static func broaderPhrase(_ broader: BroaderCopy) -> String {
        let readers = broader.newReaders.count == 1 ? "1 reader" : "\(broader.newReaders.count) readers"
        var line = "\(broader.copy.via.rawValue) copies \(name(broader.copy.source)) into \(name(broader.copy.secret)), "
        line += "where \(readers) the source does not have can read it (\(broader.severity.rawValue)): "
        line += broader.newReaders.prefix(copiesShown).map(identityName).joined(separator: ", ")
        if broader.newReaders.count > copiesShown { line += ", … and \(broader.newReaders.count - copiesShown) more" }
        return line
    }

    /// A Group's known members and the workloads behind them:
    /// "1204 known members; tokens mounted in 3400 pods of 800 controllers in 200 namespaces".
    static func groupLine(_ reader: KeyReader) -> String? {
        guard let members = reader.memberCount else { return nil }
        var line = members == 1 ? "1 known member" : "\(members) known members"
        let count = reader.workloadCount
        if !count.isEmpty {
            line += "; tokens mounted in \(count.pods) \(count.pods == 1 ? "pod" : "pods")"
            line += " of \(count.controllers) \(count.controllers == 1 ? "controller" : "controllers")"
            line += " in \(count.namespaces) \(count.namespaces == 1 ? "namespace" : "namespaces")"
        }
        return line
    }

    /// Findings by severity, then broadest first (``ReaderBreadth``'s order), then as listed.
    static func worstFirst(_ readers: [KeyReader]) -> [KeyReader] {
        func breadthRank(_ reader: KeyReader) -> Int {
            reader.breadth.flatMap { ReaderBreadth.allCases.firstIndex(of: $0) } ?? ReaderBreadth.allCases.count
        }
        return readers.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.severity != y.severity { return (x.severity ?? .info) > (y.severity ?? .info) }
            return (breadthRank(x), a.offset) < (breadthRank(y), b.offset)
        }.map(\.element)
    }

    /// The reason that says most about what the key is, then what a holder can do.
    static func headline(_ key: PrivateKeySecret) -> String {
        let codes = ["meshCA", "issuerCA", "acmeAccountKey", "certificate", "ingress", "gateway", "ingressNginxAnnotation"]
        let main = codes.lazy.compactMap { code in key.reasons.first { $0.code == code } }.first ?? key.reasons.first
        let prefix = "a holder of this key "
        let impact = key.impact.map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
        return [main?.description, impact].compactMap { $0 }.joined(separator: "; ")
    }

    static func name(_ ref: ObjectRef) -> String { ref.qualifiedName }

    static func identityName(_ identity: KnownIdentity) -> String {
        identity.ref.kindAndName
    }

    static func verbList(_ verbs: [SecretReadVerb]) -> String { verbs.map(\.rawValue).joined(separator: ", ") }

    static func breadthPhrase(_ breadth: ReaderBreadth) -> String {
        switch breadth {
        case .everyone: "everyone who can reach the API server"
        case .wholeGroupOfWorkloads: "a whole group of workloads"
        case .defaultServiceAccount: "the namespace's default ServiceAccount"
        case .serviceAccountWithWorkloads: "its token is mounted in workloads"
        case .clusterWide: "granted in every namespace"
        case .narrow: "one identity"
        }
    }

    /// `RoleBinding production/read-secrets → Role secret-reader, rule 0`, plus the binding
    /// subject when the reader matched it through a group.
    static func pathPhrase(_ path: AccessPath, reader: KnownIdentity) -> String {
        switch path {
        case .superuser(let group):
            return "superuser group \(group)"
        case .node(let access):
            return "node authorizer: pod \(name(access.pod)) on node \(access.node) references it (\(access.source.rawValue))"
        case .rbac(let access):
            var phrase = "\(access.binding.kind) \(name(access.binding)) → \(access.role.kind) \(name(access.role)), rule \(access.ruleIndex)"
            let subject = access.subject
            let isSelf = subject.kind == reader.kind && subject.name == reader.name
                && (subject.namespace.isEmpty || subject.namespace == reader.namespace)
            if !isSelf {
                phrase += " to " + subject.kindAndName
            }
            return phrase
        }
    }

    /// `Deployment shop/web: 3 pods`, `pod shop/debug (no controller)`, or a controller
    /// whose pods are not in the dump.
    static func workloadPhrase(_ workload: ExposedWorkload) -> String {
        let what = "\(workload.isPod ? "pod" : workload.kind) \(workload.namespace)/\(workload.name)"
        if workload.isPod { return "\(what) (no controller) runs as it with a token mounted" }
        if workload.podCount == 0 { return "\(what): no pod in the dump; its template mounts the token" }
        return "\(what): \(workload.podCount) \(workload.podCount == 1 ? "pod" : "pods") with a token mounted"
    }

    /// "system:masters, ServiceAccount cert-manager/cert-manager (cert-manager), ...".
    static func expectedLine(_ expected: [KeyReader]) -> String {
        expected.map { reader in
            let who = reader.identity.kind == "Group" || reader.identity.kind == "User"
                ? reader.identity.name : identityName(reader.identity)
            guard let expectation = reader.expectation, let note = shortWhy(expectation) else { return who }
            return "\(who) (\(note))"
        }.joined(separator: ", ")
    }

    static func shortWhy(_ expectation: ExpectedHolder) -> String? {
        switch expectation.rule {
        case .superuser: nil
        case .controlPlane: "control plane"
        case .kubeController: "Kubernetes controller"
        case .certManager: "cert-manager"
        case .ingressController, .secretsController, .nodeMountingPod, .allowList: expectation.why
        }
    }
}
