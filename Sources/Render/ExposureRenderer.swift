import Exposure
import KubeModel
import RBAC
import Store

/// Renders `keyreach exposure`: the JSON/YAML contract DESIGN.md promises
/// scripts (an array, one object per private-key secret, sorted by namespace
/// and name) and the table a security engineer pastes into a ticket (worst
/// keys first).
///
/// ```json
/// {"secret": {"namespace": "production", "name": "app-tls", "exists": true, "type": "kubernetes.io/tls"},
///  "reasons": ["type kubernetes.io/tls", "cert-manager Certificate production/app", "Ingress production/web"],
///  "certificate": {"subject": "CN=app.example.com", "dnsNames": [...], "issuer": "CN=internal-ca",
///                  "notAfter": "2027-03-01T00:00:00Z", "isCA": false, "sha256": "...", ...},
///  "certificates": [...], "impact": "a holder of this key can impersonate ...", "keyKind": "leaf",
///  "severity": "high",
///  "readers": [{"kind", "namespace"?, "name", "verbs": ["get"], "via": [...], "severity", "breadth"}],
///  "expected": [{"kind", "namespace"?, "name", "verbs", "via", "why", "rule"}],
///  "workloads": [{"kind": "Pod", "namespace", "name", "serviceAccount", "controller"?, "owners"}]}
/// ```
public enum ExposureRenderer {
    public static func render(_ exposures: [KeyExposure], as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table: return Array(table(exposures).utf8)
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
        }
    }

    /// A who-can subject object (``WhoCanRenderer``'s fields) plus `verbs`; a finding adds
    /// `severity` and `breadth`, an expected holder `why` and `rule`.
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

    /// `{"kind", "namespace", "name", "serviceAccount"}`; a pod adds `controller` (its
    /// outermost owner) and `owners` (nearest first), a pod template `pods` (how many are in the dump).
    public static func describe<W: StructuredWriter>(_ workload: ExposedWorkload, _ w: inout W) {
        w.object { o in
            o.field("kind", workload.kind)
            o.field("namespace", workload.namespace)
            o.field("name", workload.name)
            o.field("serviceAccount", workload.serviceAccount)
            if workload.isPod {
                if let controller = workload.controller { o.field("controller") { WhoCanRenderer.ref(controller, &$0) } }
                o.field("owners") { a in a.array { a in for owner in workload.owners { WhoCanRenderer.ref(owner, &a) } } }
            } else {
                o.field("pods", workload.podCount)
            }
        }
    }

    // MARK: - Table

    /// Summary line, then keys with findings worst first (then by name), then one
    /// line per key read by expected holders only.
    static func table(_ exposures: [KeyExposure]) -> String {
        guard !exposures.isEmpty else { return "No private-key secrets in scope.\n" }
        let findings = exposures.filter { !$0.readers.isEmpty }
            .sorted { ($1.severity, $0.key.secret) < ($0.severity, $1.key.secret) }
        let quiet = exposures.filter { $0.readers.isEmpty }
        var out = summary(exposures) + "\n"
        for exposure in findings { out += "\n" + keySection(exposure) }
        if !quiet.isEmpty {
            out += "\nRead by expected holders only:\n"
            for exposure in quiet { out += "  \(name(exposure.key.secret)) — expected: \(expectedLine(exposure.expected))\n" }
        }
        return out
    }

    /// "6 private keys: 1 critical, 1 high, 0 medium, 0 low; 4 read by expected holders only".
    static func summary(_ exposures: [KeyExposure]) -> String {
        let graded: [Severity] = [.critical, .high, .medium, .low]
        let counts = graded.map { severity in "\(exposures.filter { $0.severity == severity }.count) \(severity.rawValue)" }
        let quiet = exposures.filter { $0.readers.isEmpty }.count
        let keys = exposures.count == 1 ? "1 private key" : "\(exposures.count) private keys"
        return "\(keys): \(counts.joined(separator: ", ")); \(quiet) read by expected holders only"
    }

    static func keySection(_ exposure: KeyExposure) -> String {
        let key = exposure.key
        var out = "\(exposure.severity.rawValue.uppercased()) \(name(key.secret)) — \(headline(key))\n"
        out += "  reasons: \(key.reasons.map(\.description).joined(separator: "; "))\n"
        if key.willBeCreated {
            out += "  not created yet: cert-manager will write it, and RBAC on its name applies already\n"
        } else if !key.exists {
            out += "  not in the dump: RBAC on its name applies all the same\n"
        }
        for sentence in key.suspicious { out += "  suspicious: \(sentence)\n" }
        out += "  read by:\n"
        for reader in worstFirst(exposure.readers) {
            let judged = [reader.severity?.rawValue, reader.breadth.map(breadthPhrase)].compactMap { $0 }
            out += "    \(identityName(reader.identity)): \(verbList(reader.verbs))"
            out += judged.isEmpty ? "\n" : " (\(judged.joined(separator: ": ")))\n"
            for (path, verbs) in zip(reader.via, reader.verbsByPath) {
                out += "      via \(pathPhrase(path, reader: reader.identity)): \(verbList(verbs))\n"
            }
            for workload in workloads(runningAs: reader.identity, in: exposure.workloads) {
                out += "      \(workloadPhrase(workload))\n"
            }
        }
        if !exposure.expected.isEmpty { out += "  expected: \(expectedLine(exposure.expected))\n" }
        return out
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

    static func name(_ ref: ObjectRef) -> String { ref.namespace.isEmpty ? ref.name : "\(ref.namespace)/\(ref.name)" }

    static func identityName(_ identity: KnownIdentity) -> String {
        "\(identity.kind) \(identity.namespace.isEmpty ? identity.name : identity.namespace + "/" + identity.name)"
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
                phrase += " to \(subject.kind) \(subject.namespace.isEmpty ? subject.name : subject.namespace + "/" + subject.name)"
            }
            return phrase
        }
    }

    /// The pods, and the pod templates with no pod in the dump, that run as `identity`.
    static func workloads(runningAs identity: KnownIdentity, in workloads: [ExposedWorkload]) -> [ExposedWorkload] {
        guard let account = identity.serviceAccount else { return [] }
        let mine = workloads.filter { $0.namespace == account.namespace && $0.serviceAccount == account.name }
        return mine.filter { $0.isPod || $0.podCount == 0 }
    }

    static func workloadPhrase(_ workload: ExposedWorkload) -> String {
        let what = "\(workload.kind == "Pod" ? "pod" : workload.kind) \(workload.namespace)/\(workload.name)"
        guard workload.isPod else { return "\(what) runs pods as it with a token mounted (none in the dump)" }
        let owners = workload.owners.map { "\($0.kind) \($0.name)" }.joined(separator: " of ")
        return "\(what) runs as it with a token mounted" + (owners.isEmpty ? "" : " (\(owners))")
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
