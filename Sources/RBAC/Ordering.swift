import KubeModel

/// Sorts by a key of fields computed once per element. The fields are joined
/// with NUL, which sorts below every other character, so the order is that of
/// comparing the fields one after another; sorting indexes by one string each
/// (rather than moving large records and comparing tuples) keeps tens of
/// thousands of identities sorting in milliseconds.
func sortedByFields<T>(_ items: some Sequence<T>, _ fields: (T) -> [String]) -> [T] {
    let items = Array(items)
    let keys = items.map { fields($0).joined(separator: "\u{0}") }
    return keys.indices.sorted { keys[$0] < keys[$1] }.map { items[$0] }
}

/// Grants by binding, role, rule, subject, verb, then name (every name
/// first), compared field by field: no key is built, as this runs for every
/// pair of rows a sort compares.
func grantPrecedes(_ a: SecretGrant, _ b: SecretGrant) -> Bool {
    if a.binding != b.binding { return a.binding < b.binding }
    if a.role != b.role { return a.role < b.role }
    if a.ruleIndex != b.ruleIndex { return a.ruleIndex < b.ruleIndex }
    if a.subject != b.subject {
        return (a.subject.kind, a.subject.namespace, a.subject.name, a.subject.apiGroup)
            < (b.subject.kind, b.subject.namespace, b.subject.name, b.subject.apiGroup)
    }
    if a.principal != b.principal { return a.principal < b.principal }
    if a.verb != b.verb { return a.verb < b.verb }
    switch (a.secretName, b.secretName) {
    case let (x?, y?): return x < y
    case (nil, _?): return true
    default: return false
    }
}

/// Identities by kind, namespace, name.
func identitySortFields(_ identity: KnownIdentity) -> [String] { [identity.kind, identity.namespace, identity.name] }
