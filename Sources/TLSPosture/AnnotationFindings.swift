import Exposure
import KubeModel

/// The annotation traps of an Ingress, one function per rule, each finding
/// with its fix. Values are judged by ``KnownAnnotations`` (how the controller
/// parses them); secrets by whether the dump holds them.
///
/// ```swift
/// let findings = AnnotationFindings.check(ingress, secretExists: { _, _ in true }, passthroughFlag: .enabled)
/// findings.first?.fix   // "write \"true\" (ingress-nginx reads it with strconv.ParseBool)"
/// ```
public enum AnnotationFindings {
    /// Whether the controller serving an Ingress runs with `--enable-ssl-passthrough`.
    public enum PassthroughFlag: Sendable {
        case enabled, disabled, unknown
    }

    /// Every annotation finding of `ingress`, in annotation order.
    public static func check(_ ingress: Ingress, secretExists: (String, String) -> Bool,
                             passthroughFlag: PassthroughFlag) -> [TLSFinding] {
        var findings: [TLSFinding] = []
        let annotations = ingress.meta.annotations
        for key in annotations.keys.sorted() {
            guard let table = KnownAnnotations.table(for: key), let value = annotations[key] else { continue }
            let name = String(key.dropFirst(table.prefix.count))
            guard let kind = table.values[name] else {
                findings += unknownKey(key, value: value, name: name, table: table)
                continue
            }
            findings += valueShape(key, value: value, kind: kind, table: table)
            if kind == .secret {
                findings += missingSecret(key, value: value, namespace: ingress.meta.namespace, secretExists: secretExists)
            }
        }
        findings += weakProtocols(annotations) + weakCiphers(annotations)
        findings += encryptionWithoutAuthentication(annotations) + verificationWithoutName(annotations)
        findings += passthroughWithoutFlag(annotations, flag: passthroughFlag)
        return findings
    }

    static let nginx = KnownAnnotations.ingressNginx.prefix

    // MARK: One function per rule

    /// A key under a controller's prefix that it does not know: ignored. Close to a
    /// known key (edit distance ≤ 2), it is a typo.
    static func unknownKey(_ key: String, value: String, name: String, table: KnownAnnotations) -> [TLSFinding] {
        if table.controller == "Traefik", KnownAnnotations.isIndexedTraefikKey(name) { return [] }
        let closest = table.values.keys.map { ($0, editDistance(name, $0)) }.min { ($0.1, $0.0) < ($1.1, $1.0) }
        if let (known, distance) = closest, distance <= 2 {
            return [TLSFinding(annotation: key, value: value, severity: .medium,
                               problem: "\(table.controller) \(table.version) has no annotation \(name): it is ignored (a typo of \(known)?)",
                               fix: "rename it to \(table.prefix)\(known)")]
        }
        return [TLSFinding(annotation: key, value: value, severity: .low,
                           problem: "not an annotation of \(table.controller) \(table.version): it is ignored",
                           fix: "remove it, or check the controller's annotation reference")]
    }

    /// A value the controller cannot parse (ignored, the default applies), or one it
    /// accepts in a form other than the documented one (`"True"`).
    static func valueShape(_ key: String, value: String, kind: KnownAnnotations.Value, table: KnownAnnotations) -> [TLSFinding] {
        switch kind {
        case .bool:
            if value == "true" || value == "false" { return [] }
            if goParseBool(value) != nil {
                return [TLSFinding(annotation: key, value: value, severity: .low,
                                   problem: "\"\(value)\" is not the documented \"true\"/\"false\"; \(table.controller) accepts it only through Go's strconv.ParseBool, other tools and controllers do not",
                                   fix: "write \"\(goParseBool(value)! ? "true" : "false")\"")]
            }
            return [TLSFinding(annotation: key, value: value, severity: .medium,
                               problem: "\"\(value)\" is not a boolean to \(table.controller) (strconv.ParseBool): the annotation is ignored and the default applies",
                               fix: "write \"true\" or \"false\"")]
        case .onOff:
            if value == "on" || value == "off" { return [] }
            let meant = ["true", "yes", "enabled", "1", "on"].contains(value.lowercased()) ? "on" : "off"
            return [TLSFinding(annotation: key, value: value, severity: .medium,
                               problem: "\(table.controller) accepts only \"on\" or \"off\" here (^(on|off)$): \"\(value)\" is silently replaced by the default",
                               fix: "write \"\(meant)\"")]
        case .integer:
            if Int(value) != nil { return [] }
            return [TLSFinding(annotation: key, value: value, severity: .medium,
                               problem: "\"\(value)\" is not an integer: the annotation is ignored",
                               fix: "write a whole number, e.g. \"1\"")]
        case .choice(let words, let caseSensitive):
            if words.contains(value) { return [] }
            if let word = words.first(where: { $0.lowercased() == value.lowercased() }) {
                if !caseSensitive { return [] }
                return [TLSFinding(annotation: key, value: value, severity: .medium,
                                   problem: "\"\(value)\" is in the wrong case: \(table.controller) compares it exactly and ignores it",
                                   fix: "write \"\(word)\"")]
            }
            return [TLSFinding(annotation: key, value: value, severity: .medium,
                               problem: "\"\(value)\" is none of \(words.joined(separator: ", ")): the annotation is ignored",
                               fix: "write one of \(words.joined(separator: ", "))")]
        case .secret, .text:
            return []
        }
    }

    /// `proxy-ssl-secret`, `auth-tls-secret`, `auth-secret` naming a secret the dump does not hold.
    static func missingSecret(_ key: String, value: String, namespace: String,
                              secretExists: (String, String) -> Bool) -> [TLSFinding] {
        let (secretNamespace, name) = secretReference(value, namespace: namespace)
        guard !name.isEmpty, !secretExists(secretNamespace, name) else { return [] }
        let what = key.hasSuffix("proxy-ssl-secret")
            ? "the controller cannot load the backend CA and client certificate, so the whole proxy-ssl configuration is dropped"
            : key.hasSuffix("auth-tls-secret")
            ? "client-certificate authentication is not configured, so the location is served without it"
            : "the authentication it configures is not applied"
        return [TLSFinding(annotation: key, value: value, severity: .high,
                           problem: "secret \(secretNamespace)/\(name) is not in the dump: \(what)",
                           fix: "create secret \(secretNamespace)/\(name) (ca.crt, and tls.crt/tls.key for proxy-ssl), or point the annotation at the right one as namespace/name")]
    }

    /// Protocols below TLS 1.2 (`proxy-ssl-protocols`).
    static func weakProtocols(_ annotations: ByteKeyedMap) -> [TLSFinding] {
        let key = nginx + "proxy-ssl-protocols"
        guard let value = annotations[key] else { return [] }
        let weak = value.split(separator: " ").map(String.init).filter(isBelowTLS12)
        guard !weak.isEmpty else { return [] }
        return [TLSFinding(annotation: key, value: value, severity: .high,
                           problem: "allows \(weak.joined(separator: ", ")), below TLS 1.2",
                           fix: "write \"TLSv1.2 TLSv1.3\"")]
    }

    /// Weak cipher families in `ssl-ciphers` / `proxy-ssl-ciphers` (not excluded with `!`).
    static func weakCiphers(_ annotations: ByteKeyedMap) -> [TLSFinding] {
        var findings: [TLSFinding] = []
        for name in ["ssl-ciphers", "proxy-ssl-ciphers"] {
            let key = nginx + name
            guard let value = annotations[key] else { continue }
            let allowed = value.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "," })
                .filter { !$0.hasPrefix("!") && !$0.hasPrefix("-") }.map { $0.uppercased() }
            let weak = allowed.filter { cipher in weakCipherWords.contains { cipher.contains($0) } }
            guard !weak.isEmpty else { continue }
            findings.append(TLSFinding(annotation: key, value: value, severity: .high,
                                       problem: "allows weak ciphers \(weak.joined(separator: ", "))",
                                       fix: "use ECDHE AEAD suites only, e.g. \"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305\""))
        }
        return findings
    }

    static let weakCipherWords = ["RC4", "DES", "MD5", "NULL", "EXPORT", "ANULL", "ENULL", "SSLV3"]

    /// `backend-protocol: HTTPS` (or GRPCS) while `proxy-ssl-verify` is not `on`:
    /// the hop is encrypted but the controller accepts any certificate.
    static func encryptionWithoutAuthentication(_ annotations: ByteKeyedMap) -> [TLSFinding] {
        let protocolKey = nginx + "backend-protocol"
        let verifyKey = nginx + "proxy-ssl-verify"
        guard let proto = annotations[protocolKey]?.uppercased(), proto == "HTTPS" || proto == "GRPCS",
              annotations[verifyKey] != "on" else { return [] }
        let value = annotations[verifyKey]
        return [TLSFinding(annotation: value == nil ? protocolKey : verifyKey, value: value ?? annotations[protocolKey],
                           severity: .high,
                           problem: "the hop to the backend is encrypted (backend-protocol \(proto)) but not authenticated: proxy-ssl-verify is \(value.map { "\"\($0)\"" } ?? "off by default"), so anyone who can answer on the backend's address gets the traffic",
                           fix: "set \(verifyKey): \"on\", \(nginx)proxy-ssl-secret: NAMESPACE/SECRET (ca.crt of the backend's CA) and \(nginx)proxy-ssl-name: the name on the backend's certificate")]
    }

    /// `proxy-ssl-verify: "on"` without `proxy-ssl-name`: nginx checks the backend's
    /// certificate against `proxy_ssl_name`, whose default is the upstream's name
    /// (`upstream_balancer` in ingress-nginx), which no backend certificate names.
    static func verificationWithoutName(_ annotations: ByteKeyedMap) -> [TLSFinding] {
        guard annotations[nginx + "proxy-ssl-verify"] == "on", annotations[nginx + "proxy-ssl-name"] == nil else { return [] }
        return [TLSFinding(annotation: nginx + "proxy-ssl-name", severity: .medium,
                           problem: "proxy-ssl-verify is on without proxy-ssl-name: nginx checks the backend certificate against the upstream's name (upstream_balancer), so verification fails",
                           fix: "set \(nginx)proxy-ssl-name to the name on the backend's certificate (e.g. SERVICE.NAMESPACE.svc) and proxy-ssl-server-name: \"on\" for SNI")]
    }

    /// `ssl-passthrough: "true"` works only when the controller runs with `--enable-ssl-passthrough`.
    static func passthroughWithoutFlag(_ annotations: ByteKeyedMap, flag: PassthroughFlag) -> [TLSFinding] {
        let key = nginx + "ssl-passthrough"
        guard let value = annotations[key], goParseBool(value) == true else { return [] }
        switch flag {
        case .enabled: return []
        case .disabled:
            return [TLSFinding(annotation: key, value: value, severity: .high,
                               problem: "the ingress-nginx controller in the dump runs without --enable-ssl-passthrough: the annotation is ignored and TLS ends at the controller",
                               fix: "add --enable-ssl-passthrough to the controller's args, or drop the annotation and terminate or re-encrypt on purpose")]
        case .unknown:
            return [TLSFinding(annotation: key, value: value, severity: .low,
                               problem: "passthrough works only if the controller runs with --enable-ssl-passthrough, and its Deployment is not in the dump",
                               fix: "check the controller's args for --enable-ssl-passthrough (dump its Deployment too)")]
        }
    }

    // MARK: Helpers

    /// A secret annotation's value, `namespace/name` or `name` (in the Ingress's namespace), as ingress-nginx reads it.
    static func secretReference(_ value: String, namespace: String) -> (namespace: String, name: String) {
        let parts = value.split(separator: "/", maxSplits: 1).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : (namespace, value)
    }

    /// Go's `strconv.ParseBool`.
    static func goParseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": true
        case "0", "f", "F", "FALSE", "false", "False": false
        default: nil
        }
    }

    static func isBelowTLS12(_ name: String) -> Bool {
        ["SSLV2", "SSLV3", "TLSV1", "TLSV1.0", "TLSV1.1", "TLSV1_0", "TLSV1_1"].contains(name.uppercased())
    }

    /// Levenshtein distance.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where j <= b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
