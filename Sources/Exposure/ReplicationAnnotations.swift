import KubeModel
import RBAC

/// How a secret came to hold the same private key as another one.
public enum CopyVia: String, Sendable, Hashable, CaseIterable {
    /// Its `tls.crt` certifies the same public key (SubjectPublicKeyInfo): a copy made by hand, by CI, by a store sync.
    case samePublicKey = "same public key"
    /// kubernetes-replicator (`replicator.v1.mittwald.de/...`).
    case replicator = "replicator annotation"
    /// emberstack reflector (`reflector.v1.k8s.emberstack.com/...`).
    case reflector = "reflector annotation"
    /// kubed / config-syncer (`kubed.appscode.com/sync`).
    case kubed = "kubed annotation"
}

/// One copy a replication controller keeps or will make: the controller
/// copies `source`'s data into `target` (which may not exist yet: a push
/// into a namespace that exists makes it).
public struct ReplicationCopy: Sendable, Hashable {
    public var source: ObjectRef
    public var target: ObjectRef
    public var via: CopyVia
    /// The annotation that says so, as `key=value`.
    public var annotation: String
}

/// The copies that replication annotations on secrets make, as each
/// controller reads them. Only what the dump shows counts: a source that is
/// not in the dump copies nothing we can see, and pushes go to the namespaces
/// of the dump (its Namespace objects, or the namespaces its objects live in
/// when it has none), never onto the source itself.
///
/// - kubernetes-replicator (mittwald, `replicate/common`): `replicate-to` is a
///   comma list of patterns, each trimmed and anchored (`^…$` added when
///   missing) and matched as a Go regexp against namespace names;
///   `replicate-to-matching` is a namespace label selector; `replicate-from:
///   NS/NAME` on the target copies only when the source says
///   `replication-allowed` (Go `ParseBool` true) and one pattern of its
///   `replication-allowed-namespaces` matches the target's namespace. A
///   secret with `replicate-from` pushes nothing.
/// - reflector (emberstack, `ReflectionStatusExtensions.PatternListMatch`):
///   `reflection-allowed-namespaces` and `reflection-auto-namespaces` are comma
///   lists of regexes, trimmed, where the first match must span the whole name;
///   an empty list allows every namespace. `reflects: NS/NAME` on a mirror copies
///   when the source is `reflection-allowed: true` for the mirror's namespace;
///   `reflection-auto-enabled: true` makes mirrors of the same name in every
///   allowed and auto namespace.
/// - kubed (config-syncer): `kubed.appscode.com/sync` with an empty value copies
///   into every namespace, otherwise into the namespaces its label selector matches.
/// - External Secrets: an ExternalSecret or ClusterExternalSecret syncing one
///   store entry into many namespaces is not recognised: the model keeps no
///   `remoteRef`, so two targets cannot be known to hold the same entry
///   (each still counts as a key of its own, ``PrivateKeyReason/externalSecretTarget(externalSecret:)``).
public enum ReplicationAnnotations {
    public static let replicatorReplicateTo = "replicator.v1.mittwald.de/replicate-to"
    public static let replicatorReplicateToMatching = "replicator.v1.mittwald.de/replicate-to-matching"
    public static let replicatorReplicateFrom = "replicator.v1.mittwald.de/replicate-from"
    public static let replicatorAllowed = "replicator.v1.mittwald.de/replication-allowed"
    public static let replicatorAllowedNamespaces = "replicator.v1.mittwald.de/replication-allowed-namespaces"
    public static let reflectorAllowed = "reflector.v1.k8s.emberstack.com/reflection-allowed"
    public static let reflectorAllowedNamespaces = "reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces"
    public static let reflectorAutoEnabled = "reflector.v1.k8s.emberstack.com/reflection-auto-enabled"
    public static let reflectorAutoNamespaces = "reflector.v1.k8s.emberstack.com/reflection-auto-namespaces"
    public static let reflectorReflects = "reflector.v1.k8s.emberstack.com/reflects"
    public static let kubedSync = "kubed.appscode.com/sync"

    /// Every copy the annotations of the snapshot's secrets make, sorted by target, then source.
    public static func copies(_ snapshot: ClusterSnapshot) -> [ReplicationCopy] {
        let namespaces = existingNamespaces(snapshot)
        var secrets: [SecretName: ObjectMeta] = [:]
        for secret in snapshot.secrets { secrets[SecretName(secret.meta)] = secret.meta }
        var copies: [ReplicationCopy] = []
        for secret in snapshot.secrets {
            let meta = secret.meta
            copies += replicatorCopies(meta, secrets: secrets, namespaces: namespaces)
            copies += reflectorCopies(meta, secrets: secrets, namespaces: namespaces)
            copies += kubedCopies(meta, namespaces: namespaces)
        }
        // Sorted and deduplicated by bytes (`ReplicationCopy`'s `==` compares
        // Swift strings, and a `Set` would make twin targets one copy).
        let sorted = copies.sorted { compare($0, $1) == .before }
        return sorted.indices.filter { $0 == 0 || compare(sorted[$0 - 1], sorted[$0]) != .same }.map { sorted[$0] }
    }

    /// By target, source, controller, then annotation, as bytes.
    static func compare(_ a: ReplicationCopy, _ b: ReplicationCopy) -> ByteOrdering {
        compareBytes(a.target, b.target).then(compareBytes(a.source, b.source))
            .then(compareBytes(a.via.rawValue, b.via.rawValue)).then(compareBytes(a.annotation, b.annotation))
    }

    /// A namespace that exists, with its labels (what `-to-matching` and kubed select on).
    struct ExistingNamespace {
        var name: String
        var labels: ByteKeyedMap
    }

    static func existingNamespaces(_ snapshot: ClusterSnapshot) -> [ExistingNamespace] {
        if !snapshot.namespaces.isEmpty {
            return snapshot.namespaces.map { ExistingNamespace(name: $0.meta.name, labels: $0.meta.labels) }
                .sorted { bytesPrecede($0.name, $1.name) }
        }
        let seen = Set((snapshot.secrets.map(\.meta.namespace) + snapshot.serviceAccounts.map(\.meta.namespace)
            + snapshot.pods.map(\.meta.namespace)).map(ByteString.init)).subtracting([ByteString("")])
        return seen.sorted().map { ExistingNamespace(name: $0.string, labels: ["kubernetes.io/metadata.name": $0.string]) }
    }

    // MARK: kubernetes-replicator

    static func replicatorCopies(_ meta: ObjectMeta, secrets: [SecretName: ObjectMeta],
                                 namespaces: [ExistingNamespace]) -> [ReplicationCopy] {
        let annotations = meta.annotations
        if let from = annotations[replicatorReplicateFrom] {
            // A pull: the target copies when the source allows its namespace.
            guard let source = sourceName(from), let sourceMeta = secrets[source],
                  replicatorPermits(sourceMeta, targetNamespace: meta.namespace) else { return [] }
            return [copy(from: source, to: SecretName(meta), .replicator, replicatorReplicateFrom, from)]
        }
        var copies: [ReplicationCopy] = []
        if let patterns = annotations[replicatorReplicateTo] {
            let compiled = NamespacePatterns(goStrictList: patterns)
            for namespace in namespaces where !sameBytes(namespace.name, meta.namespace) && compiled.matchesAny(namespace.name) {
                copies.append(copy(from: SecretName(meta), to: SecretName(namespace: namespace.name, name: meta.name),
                                   .replicator, replicatorReplicateTo, patterns))
            }
        }
        if let text = annotations[replicatorReplicateToMatching], let selector = LabelSelectorText.parse(text) {
            for namespace in namespaces where !sameBytes(namespace.name, meta.namespace) && selector.matches(namespace.labels) {
                copies.append(copy(from: SecretName(meta), to: SecretName(namespace: namespace.name, name: meta.name),
                                   .replicator, replicatorReplicateToMatching, text))
            }
        }
        return copies
    }

    /// `IsReplicationPermitted`: `replication-allowed` parses as true and
    /// `replication-allowed-namespaces` (required) has a pattern for the namespace.
    static func replicatorPermits(_ source: ObjectMeta, targetNamespace: String) -> Bool {
        guard let allowed = source.annotations[replicatorAllowed], goParseBool(allowed) == true,
              let namespaces = source.annotations[replicatorAllowedNamespaces] else { return false }
        return NamespacePatterns(goStrictList: namespaces).matchesAny(targetNamespace)
    }

    /// Go's `strconv.ParseBool`: 1, t, T, TRUE, true, True and their false twins; anything else is an error (nil).
    static func goParseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": true
        case "0", "f", "F", "FALSE", "false", "False": false
        default: nil
        }
    }

    // MARK: reflector

    static func reflectorCopies(_ meta: ObjectMeta, secrets: [SecretName: ObjectMeta],
                                namespaces: [ExistingNamespace]) -> [ReplicationCopy] {
        let annotations = meta.annotations
        var copies: [ReplicationCopy] = []
        if let reflects = annotations[reflectorReflects], let source = sourceName(reflects), let sourceMeta = secrets[source],
           reflectorAllows(sourceMeta, namespace: meta.namespace) {
            copies.append(copy(from: source, to: SecretName(meta), .reflector, reflectorReflects, reflects))
        }
        if annotations[reflectorAutoEnabled].flatMap(dotNetParseBool) == true {
            let auto = NamespacePatterns(dotNetList: annotations[reflectorAutoNamespaces] ?? "")
            for namespace in namespaces where !sameBytes(namespace.name, meta.namespace)
                && reflectorAllows(meta, namespace: namespace.name) && auto.matchesAny(namespace.name) {
                copies.append(copy(from: SecretName(meta), to: SecretName(namespace: namespace.name, name: meta.name),
                                   .reflector, reflectorAutoEnabled, "true"))
            }
        }
        return copies
    }

    /// `CanBeReflectedToNamespace`: allowed, and the namespace matches the allowed list (empty: all).
    static func reflectorAllows(_ source: ObjectMeta, namespace: String) -> Bool {
        guard source.annotations[reflectorAllowed].flatMap(dotNetParseBool) == true else { return false }
        return NamespacePatterns(dotNetList: source.annotations[reflectorAllowedNamespaces] ?? "").matchesAny(namespace)
    }

    /// .NET `bool.TryParse`: "true"/"false" in any case, surrounding white space ignored.
    static func dotNetParseBool(_ text: String) -> Bool? {
        switch text.trimmingWhitespace().lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
    }

    // MARK: kubed

    static func kubedCopies(_ meta: ObjectMeta, namespaces: [ExistingNamespace]) -> [ReplicationCopy] {
        guard let value = meta.annotations[kubedSync] else { return [] }
        let selector = value.trimmingWhitespace().isEmpty ? CompiledLabelSelector(LabelSelector()) : LabelSelectorText.parse(value)
        guard let selector else { return [] }
        return namespaces.filter { !sameBytes($0.name, meta.namespace) && selector.matches($0.labels) }.map { namespace in
            copy(from: SecretName(meta), to: SecretName(namespace: namespace.name, name: meta.name), .kubed, kubedSync, value)
        }
    }

    // MARK: Shared

    /// `NS/NAME` as the controllers split it (at the first `/` byte); nil without one.
    static func sourceName(_ text: String) -> SecretName? {
        let parts = splitBytes(text, at: "/", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return SecretName(namespace: parts[0], name: parts[1])
    }

    static func copy(from source: SecretName, to target: SecretName, _ via: CopyVia, _ key: String, _ value: String) -> ReplicationCopy {
        ReplicationCopy(source: ObjectRef(kind: "Secret", namespace: source.namespace, name: source.name),
                        target: ObjectRef(kind: "Secret", namespace: target.namespace, name: target.name),
                        via: via, annotation: "\(key)=\(value)")
    }
}

/// A comma list of namespace patterns as a replication controller reads it.
struct NamespacePatterns {
    private enum Pattern {
        /// Letters, digits and `-` only: the regex matches exactly that name.
        case literal(String)
        case regex(Regex<AnyRegexOutput>)
        /// Matches every name (an empty reflector list).
        case any
    }

    private let patterns: [Pattern]
    /// Whether a match must span the whole name (reflector) or only be found (replicator's anchored `^…$`).
    private let wholeName: Bool

    /// kubernetes-replicator's `StringToPatternList`: split at `,`, trim, add `^` and `$`
    /// when missing, compile as a Go regexp (an invalid one is skipped). Go's
    /// `MatchString` searches, so `^a|b$` keeps its Go meaning.
    init(goStrictList list: String) {
        // Split and anchored at bytes, as Go does (`,\u{301}` is one Swift Character).
        patterns = splitBytes(list, at: ",").compactMap { part in
            var pattern = part.trimmingWhitespace()
            if let literal = Self.literal(pattern) { return .literal(literal) }
            if !hasBytePrefix(pattern, "^") { pattern = "^" + pattern }
            if pattern.utf8.last != UInt8(ascii: "$") { pattern += "$" }
            return (try? Regex(pattern)).map(Pattern.regex)
        }
        wholeName = false
    }

    /// reflector's `PatternListMatch`: an empty list matches everything; otherwise
    /// split at `,`, drop blank parts, trim, and a pattern matches when its first
    /// match is as long as the name.
    init(dotNetList list: String) {
        guard !list.isEmpty else {
            patterns = [.any]
            wholeName = true
            return
        }
        patterns = splitBytes(list, at: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }.compactMap { pattern in
            if let literal = Self.literal(pattern) { return .literal(literal) }
            return (try? Regex(pattern)).map(Pattern.regex)
        }
        wholeName = true
    }

    /// A pattern made of `[A-Za-z0-9-]` only (what namespace names are made of) matches exactly its text.
    private static func literal(_ pattern: String) -> String? {
        let plain = !pattern.isEmpty && pattern.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D
        }
        return plain ? pattern : nil
    }

    func matchesAny(_ name: String) -> Bool {
        patterns.contains { pattern in
            switch pattern {
            case .any: return true
            case .literal(let text): return sameBytes(text, name)
            case .regex(let regex):
                guard let match = try? regex.firstMatch(in: name) else { return false }
                return !wholeName || (match.range.lowerBound == name.startIndex && match.range.upperBound == name.endIndex)
            }
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line breaks (Go's `TrimSpace`, .NET's `Trim`),
    /// trimmed as bytes: `"\r\n"` and a space before a combining mark are single Swift
    /// Characters, which a Character test would keep.
    func trimmingWhitespace() -> String {
        let bytes = Array(utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
