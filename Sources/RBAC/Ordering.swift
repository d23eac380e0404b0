import KubeModel

// How the engine's records compare when it sorts, removes repeats and keys
// tables: field after field, as bytes (KubeModel's Bytes.swift), as the API
// server compares them. The model types' own `==`, `hash` and `<` compare
// `String`s, which call canonically equivalent names equal, so the engine
// never decides with them. Byte order equals `String`'s `<` for ASCII and NFC
// names, and orders the rest deterministically.

/// Sorts by a key of fields computed once per element. The fields are joined
/// with NUL, which sorts below every other byte, so the order is that of
/// comparing the fields one after another, in byte order; sorting indexes by
/// one string each (rather than moving large records and comparing tuples)
/// keeps tens of thousands of identities sorting in milliseconds.
func sortedByFields<T>(_ items: some Sequence<T>, _ fields: (T) -> [String]) -> [T] {
    let items = Array(items)
    let keys = items.map { fields($0).joined(separator: "\u{0}") }
    return keys.indices.sorted { bytesPrecede(keys[$0], keys[$1]) }.map { items[$0] }
}

// The comparisons that sorts run most return early rather than chain
// `then`: its closures cost a third of the derived tables' time.

func compareBytes(_ a: ObjectRef, _ b: ObjectRef) -> ByteOrdering {
    let kind = compareBytes(a.kind, b.kind)
    if kind != .same { return kind }
    let namespace = compareBytes(a.namespace, b.namespace)
    if namespace != .same { return namespace }
    return compareBytes(a.name, b.name)
}

func hashBytes(_ ref: ObjectRef, into hasher: inout Hasher) {
    hashBytes(ref.kind, into: &hasher)
    hashBytes(ref.namespace, into: &hasher)
    hashBytes(ref.name, into: &hasher)
}

/// Subjects by kind, namespace, name, then API group.
func compareBytes(_ a: Subject, _ b: Subject) -> ByteOrdering {
    let kind = compareBytes(a.kind, b.kind)
    if kind != .same { return kind }
    let namespace = compareBytes(a.namespace, b.namespace)
    if namespace != .same { return namespace }
    let name = compareBytes(a.name, b.name)
    if name != .same { return name }
    return compareBytes(a.apiGroup, b.apiGroup)
}

func hashBytes(_ subject: Subject, into hasher: inout Hasher) {
    hashBytes(subject.kind, into: &hasher)
    hashBytes(subject.namespace, into: &hasher)
    hashBytes(subject.name, into: &hasher)
    hashBytes(subject.apiGroup, into: &hasher)
}

/// Principals in the order of their `key` (`group:…` before `user:…`).
func compareBytes(_ a: Principal, _ b: Principal) -> ByteOrdering {
    compareBytes(a.kind.rawValue, b.kind.rawValue).then(compareBytes(a.name, b.name))
}

/// A principal as a table key: kind and name bytes.
struct PrincipalKey: Hashable, Sendable {
    var kind: Principal.Kind
    var name: ByteString

    init(_ principal: Principal) {
        kind = principal.kind
        name = ByteString(principal.name)
    }
}

/// Grants by binding, role, rule, subject, principal, verb, then name (every
/// name first), compared field by field: no key is built, as this runs for
/// every pair of rows a sort compares.
func compareBytes(_ a: SecretGrant, _ b: SecretGrant) -> ByteOrdering {
    let origin = compareOrigins(a.binding, a.role, a.ruleIndex, a.subject, a.principal,
                                b.binding, b.role, b.ruleIndex, b.subject, b.principal)
    if origin != .same { return origin }
    let verb = compareBytes(a.verb, b.verb)
    if verb != .same { return verb }
    let name = compareBytes(a.secretName, b.secretName)
    if name != .same { return name }
    return compareBytes(a.namespace, b.namespace)
}

/// Where a grant or an RBAC path comes from: binding, role, rule, subject,
/// then principal. Fields, not records, so that sorting copies nothing.
func compareOrigins(_ bindingA: ObjectRef, _ roleA: ObjectRef, _ ruleA: Int, _ subjectA: Subject, _ principalA: Principal,
                    _ bindingB: ObjectRef, _ roleB: ObjectRef, _ ruleB: Int, _ subjectB: Subject, _ principalB: Principal)
    -> ByteOrdering {
    let binding = compareBytes(bindingA, bindingB)
    if binding != .same { return binding }
    let role = compareBytes(roleA, roleB)
    if role != .same { return role }
    if ruleA != ruleB { return ruleA < ruleB ? .before : .after }
    let subject = compareBytes(subjectA, subjectB)
    if subject != .same { return subject }
    return compareBytes(principalA, principalB)
}

func grantPrecedes(_ a: SecretGrant, _ b: SecretGrant) -> Bool { compareBytes(a, b) == .before }

/// Optional names, `nil` (every name, every namespace) first.
func compareBytes(_ a: String?, _ b: String?) -> ByteOrdering {
    switch (a, b) {
    case let (x?, y?): compareBytes(x, y)
    case (nil, nil): .same
    case (nil, _?): .before
    case (_?, nil): .after
    }
}

/// Node grants by node, namespace, secret, pod, then reference kind.
func compareBytes(_ a: NodeSecretGrant, _ b: NodeSecretGrant) -> ByteOrdering {
    compareBytes(a.node, b.node).then(compareBytes(a.namespace, b.namespace))
        .then(compareBytes(a.secretName, b.secretName)).then(compareBytes(a.pod, b.pod))
        .then(compareBytes(a.source.rawValue, b.source.rawValue))
}

/// Whether two node grants are the same, as bytes; cheaper than ordering
/// them, as names of other lengths differ at once.
func sameBytes(_ a: NodeSecretGrant, _ b: NodeSecretGrant) -> Bool {
    a.source == b.source && sameBytes(a.secretName, b.secretName) && sameBytes(a.pod.name, b.pod.name)
        && sameBytes(a.node, b.node) && sameBytes(a.namespace, b.namespace)
        && sameBytes(a.pod.namespace, b.pod.namespace) && sameBytes(a.pod.kind, b.pod.kind)
}

/// Identities by kind, namespace, name.
func identitySortFields(_ identity: KnownIdentity) -> [String] { [identity.kind, identity.namespace, identity.name] }

/// Identities by kind, namespace, name, then what they authenticate as.
func compareBytes(_ a: KnownIdentity, _ b: KnownIdentity) -> ByteOrdering {
    compareBytes(a.kind, b.kind).then(compareBytes(a.namespace, b.namespace)).then(compareBytes(a.name, b.name))
        .then(compareBytes(a.username, b.username)).then(compareBytes(a.groups, b.groups))
}

func hashBytes(_ identity: KnownIdentity, into hasher: inout Hasher) {
    hashBytes(identity.kind, into: &hasher)
    hashBytes(identity.namespace, into: &hasher)
    hashBytes(identity.name, into: &hasher)
}

/// Lists of names, entry by entry, a shorter prefix first.
func compareBytes(_ a: [String], _ b: [String]) -> ByteOrdering {
    for (x, y) in zip(a, b) {
        let ordering = compareBytes(x, y)
        if ordering != .same { return ordering }
    }
    return a.count == b.count ? .same : (a.count < b.count ? .before : .after)
}
