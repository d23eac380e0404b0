import Dispatch
import Foundation
import Synchronization
import KubeModel

/// Answers "who can VERB this secret?" from a snapshot's ``DerivedAccess`` in
/// memory: every known identity the authorizer chain would allow, each with
/// every path that allows it. Build once per snapshot; each query touches only
/// the grants of the secret's namespace and name. Every table is keyed by
/// bytes (``ByteString``, ``PrincipalKey``): names that differ in bytes are
/// different names, as in the API server.
///
/// ```swift
/// let whoCan = WhoCan(derived: AccessIndexer.compute(snapshot))
/// for subject in whoCan.subjects(verb: .list, namespace: "shop", secretName: "shop-tls") {
///     print(subject.identity.kind, subject.identity.name, subject.via.map(\.explanation))
/// }
/// ```
public struct WhoCan: Sendable {
    private struct NamespacedSecret: Hashable {
        var namespace: ByteString
        var secretName: ByteString

        init(namespace: String, secretName: String) {
            self.namespace = ByteString(namespace)
            self.secretName = ByteString(secretName)
        }
    }

    public let derived: DerivedAccess
    /// Per verb (`SecretReadVerb.allCases` order), grants by scope.
    private let rbacReach: [[GrantScope: [Reach]]]
    /// Node edges by secret, each reaching its node's identity.
    private let nodeReach: [NamespacedSecret: [Reached]]
    /// Per verb, the part of every answer: superusers and the grants of
    /// every name in every namespace.
    private let clusterWide: [Answer]
    /// The last namespace's part of every answer there, per verb: callers
    /// answer the secrets of one namespace after another.
    private let namespaceWide: NamespaceAnswerCache
    /// Per verb, the secret names that named grants or node edges reach, by
    /// namespace (`""`: names granted cluster-wide, in every namespace).
    private let namesByNamespace: [[ByteString: Set<ByteString>]]
    /// The identities in `system:masters` (indexes in `derived.identities`).
    private let superuserIndexes: [Int]

    public init(derived: DerivedAccess) {
        self.derived = derived
        let isSuperuser = derived.identities.map { $0.groups.containsBytes(WellKnown.mastersGroup) }
        let superusers = isSuperuser.indices.filter { isSuperuser[$0] }
        superuserIndexes = superusers
        // The node edges do not need the grants: indexed on another core meanwhile
        // (this index sits alone between the derived tables and the answers).
        let nodeIndex = Mutex<NodeIndex?>(nil)
        let indexed = DispatchGroup()
        DispatchQueue.global().async(group: indexed) {
            let index = NodeIndex(derived, isSuperuser: isSuperuser)
            nodeIndex.withLock { $0 = index }
        }
        // Superusers are reported by their superuser path only, so no grant reaches them.
        var identitiesByPrincipal: [PrincipalKey: [Int]] = [:]
        for (index, identity) in derived.identities.enumerated() where !isSuperuser[index] {
            for principal in Set(identity.principals.map(PrincipalKey.init)) {
                identitiesByPrincipal[principal, default: []].append(index)
            }
        }
        var rbacReach = Array(repeating: [GrantScope: [Reach]](), count: SecretReadVerb.allCases.count)
        for (index, grant) in derived.grants.enumerated() {
            guard let verb = SecretReadVerb(bytes: grant.verb),
                  let identities = identitiesByPrincipal[PrincipalKey(grant.principal)] else { continue }
            let path = AccessPath.rbac(RBACAccess(grant))
            rbacReach[verb.index][GrantScope(namespace: grant.namespace, secretName: grant.secretName), default: []]
                .append(Reach(path: path, identities: identities, grant: index))
        }
        self.rbacReach = rbacReach
        let superuserAnswer = Answer(indexes: superusers, subjects: superusers.map {
            SubjectAccess(identity: derived.identities[$0], via: [.superuser(group: WellKnown.mastersGroup)])
        })
        clusterWide = rbacReach.map { byScope in
            superuserAnswer.adding(reached(byScope[GrantScope(namespace: nil, secretName: nil)]), identities: derived.identities)
        }
        namespaceWide = NamespaceAnswerCache(verbs: SecretReadVerb.allCases.count)
        indexed.wait()
        let nodes = nodeIndex.withLock { $0! }
        nodeReach = nodes.reach
        namesByNamespace = rbacReach.map { byScope in
            var names = nodes.namesByNamespace
            for scope in byScope.keys {
                guard let name = scope.secretName else { continue }
                names[scope.namespace ?? ByteString(""), default: []].insert(name)
            }
            return names
        }
    }

    /// The node authorizer's edges by secret, each reaching its node's
    /// identity, and the secret names they reach per namespace.
    private struct NodeIndex: Sendable {
        var reach: [NamespacedSecret: [Reached]] = [:]
        var namesByNamespace: [ByteString: Set<ByteString>] = [:]

        init(_ derived: DerivedAccess, isSuperuser: [Bool]) {
            var nodeIdentityByName: [ByteString: Int] = [:]
            for (index, identity) in derived.identities.enumerated()
            where sameBytes(identity.kind, "Node") && !isSuperuser[index] {
                nodeIdentityByName[ByteString(identity.name)] = index
            }
            for grant in derived.nodeGrants {
                guard let identity = nodeIdentityByName[ByteString(grant.node)] else { continue }
                reach[NamespacedSecret(namespace: grant.namespace, secretName: grant.secretName), default: []]
                    .append((identity, .node(NodeAccess(node: grant.node, pod: grant.pod, source: grant.source))))
            }
            for secret in reach.keys { namesByNamespace[secret.namespace, default: []].insert(secret.secretName) }
        }
    }

    /// Every namespace that a grant of `verb` names (RoleBindings) or a node
    /// edge reaches: with the namespaces that hold secrets, what `-A` answers for.
    /// Two spellings of a name are two namespaces, sorted by bytes.
    public func namespacesWithGrants(verb: SecretReadVerb) -> [String] {
        var namespaces = Set(namesByNamespace[verb.index].keys)
        for scope in rbacReach[verb.index].keys { if let namespace = scope.namespace { namespaces.insert(namespace) } }
        namespaces.remove(ByteString(""))
        return namespaces.sorted().map(\.string)
    }

    /// Every known identity allowed to `verb` secrets in `namespace` (`""`:
    /// cluster-wide, as `-A` asks) named `secretName` (`nil`: a request
    /// without a name, a plain list or watch), sorted by kind, namespace, name.
    ///
    /// A list/watch with `resourceNames` grants exactly those names (a client
    /// asks with `fieldSelector=metadata.name=X`), so a named query counts
    /// grants of that name and grants of every name. Superusers are listed
    /// with their superuser path only. Whether the secret exists does not
    /// matter, as it does not to RBAC.
    public func subjects(verb: SecretReadVerb, namespace: String, secretName: String?) -> [SubjectAccess] {
        let base = namespace.isEmpty ? clusterWide[verb.index]
            : namespaceWide.answer(verb: verb.index, namespace: namespace) { everyName(verb: verb, namespace: namespace) }
        return named(verb: verb, namespace: namespace, secretName: secretName, base: base)
    }

    /// The same answer as bound, not expanded: every grant, node edge and the
    /// superuser path that allows `verb` on the secret `namespace/secretName`,
    /// each once with the identities it reaches (indexes in
    /// `derived.identities`). A grant to a Group reaches the group itself and
    /// every known identity that authenticates with it; a grant that reaches
    /// no known identity (a ServiceAccount subject without namespace in a
    /// ClusterRoleBinding) is left out. `exposure` reads keys this way, so its
    /// report grows with grants, not with identities.
    public func boundPaths(verb: SecretReadVerb, namespace: String, secretName: String) -> [BoundPath] {
        sharedBoundPaths(verb: verb) + ownBoundPaths(verb: verb, namespace: namespace, secretName: secretName)
    }

    /// The part of ``boundPaths(verb:namespace:secretName:)`` every secret
    /// shares: the superuser path and the grants of every name in every
    /// namespace. A caller reading many secrets gathers it once.
    public func sharedBoundPaths(verb: SecretReadVerb) -> [BoundPath] {
        var paths: [BoundPath] = []
        if !superuserIndexes.isEmpty {
            paths.append(BoundPath(path: .superuser(group: WellKnown.mastersGroup), identities: superuserIndexes))
        }
        for reach in rbacReach[verb.index][GrantScope(namespace: nil, secretName: nil)] ?? [] where !reach.identities.isEmpty {
            paths.append(BoundPath(path: reach.path, identities: reach.identities, grant: reach.grant))
        }
        return paths
    }

    /// The rest of ``boundPaths(verb:namespace:secretName:)``: the grants of
    /// the secret's name in every namespace, of every name and of its name in
    /// its namespace, and the node edges to it.
    public func ownBoundPaths(verb: SecretReadVerb, namespace: String, secretName: String) -> [BoundPath] {
        var paths: [BoundPath] = []
        let byScope = rbacReach[verb.index]
        let scopes = [GrantScope(namespace: nil, secretName: secretName), GrantScope(namespace: namespace, secretName: nil),
                      GrantScope(namespace: namespace, secretName: secretName)]
        for scope in scopes {
            for reach in byScope[scope] ?? [] where !reach.identities.isEmpty {
                paths.append(BoundPath(path: reach.path, identities: reach.identities, grant: reach.grant))
            }
        }
        if !secretName.isEmpty {
            for edge in nodeReach[NamespacedSecret(namespace: namespace, secretName: secretName)] ?? [] {
                paths.append(BoundPath(path: edge.path, identities: [edge.index]))
            }
        }
        return paths
    }

    /// ``subjects(verb:namespace:secretName:)`` for many secrets of one
    /// namespace (`-A`, exposure): the grants of every name are gathered once,
    /// then each secret adds only the grants and node edges of its name.
    public func subjectsForSecrets(verb: SecretReadVerb, namespace: String, names: [String]) -> [[SubjectAccess]] {
        let base = everyName(verb: verb, namespace: namespace)
        return names.map { named(verb: verb, namespace: namespace, secretName: $0, base: base) }
    }

    /// Superusers and the grants of every name, cluster-wide and (for a
    /// namespace) in the namespace: what a request without a name gets.
    private func everyName(verb: SecretReadVerb, namespace: String) -> Answer {
        guard !namespace.isEmpty else { return clusterWide[verb.index] }
        return clusterWide[verb.index].adding(reached(rbacReach[verb.index][GrantScope(namespace: namespace, secretName: nil)]),
                                              identities: derived.identities)
    }

    /// The collection question, as `kubectl auth can-i VERB secrets -n NS`
    /// asks it (a request without a name): who can `verb` every secret of
    /// `namespace`, whether or not the dump holds any there; and, per secret
    /// name, the identities allowed only by that name (resourceNames grants,
    /// the node authorizer), each with the paths of that name.
    ///
    /// A secret's readers are ``NamespaceReaders/subjects`` plus its
    /// ``NamespaceReaders/byName`` entry. A rule that names `""` in
    /// `resourceNames` matches the request without a name (`ResourceNameMatches`
    /// compares strings) but no named secret: its identities stand under the
    /// name `""`, so `can-i` without a name is `subjects` plus `byName[""]`.
    public func namespaceReaders(verb: SecretReadVerb, namespace: String) -> NamespaceReaders {
        let base = everyName(verb: verb, namespace: namespace)
        let names = namesByNamespace[verb.index][ByteString(namespace), default: []]
            .union(namesByNamespace[verb.index][ByteString("")] ?? []).sorted().map(\.string)
        var byName: [(name: String, subjects: [SubjectAccess])] = []
        if !names.isEmpty {
            let everyone = Set(base.indexes)
            for name in names {
                let onlyByName = named(verb: verb, namespace: namespace, secretName: name, base: base, excluding: everyone)
                if !onlyByName.isEmpty { byName.append((name, onlyByName)) }
            }
        }
        return NamespaceReaders(verb: verb, namespace: namespace, subjects: base.subjects, byName: byName)
    }

    /// `base` (the grants of every name) and the grants of exactly this name
    /// (`resourceNames: [""]` even matches a request without a name, as
    /// `ResourceNameMatches` compares strings), cluster-wide or in the
    /// namespace, and the node authorizer's edges (node_authorizer.go:
    /// namespaced, named reads only). With `excluding`, only the identities
    /// this name adds that are not in it.
    private func named(verb: SecretReadVerb, namespace: String, secretName: String?, base: Answer,
                       excluding: Set<Int>? = nil) -> [SubjectAccess] {
        let name = secretName ?? ""
        let byScope = rbacReach[verb.index]
        let clusterWideGrants = byScope[GrantScope(namespace: nil, secretName: name)]
        let namespaceGrants = namespace.isEmpty ? nil : byScope[GrantScope(namespace: namespace, secretName: name)]
        let nodeEdges = namespace.isEmpty || name.isEmpty ? nil : nodeReach[NamespacedSecret(namespace: namespace, secretName: name)]
        let added = reached(clusterWideGrants) + reached(namespaceGrants) + (nodeEdges ?? [])
        if let excluding {
            return Answer(indexes: [], subjects: []).adding(added.filter { !excluding.contains($0.index) },
                                                             identities: derived.identities).subjects
        }
        guard !added.isEmpty else { return base.subjects }
        return base.adding(added, identities: derived.identities).subjects
    }
}

/// A grant or node edge prepared by ``WhoCan``'s init: its path, and the
/// identities it reaches.
private struct Reach: Sendable {
    var path: AccessPath
    var identities: [Int]
    /// Its index in `derived.grants`.
    var grant: Int
}

/// One identity (its index) reached by one path.
private typealias Reached = (index: Int, path: AccessPath)

/// Each identity each grant reaches, with the grant's path.
private func reached(_ reaches: [Reach]?) -> [Reached] {
    guard let reaches else { return [] }
    var reached: [Reached] = []
    for reach in reaches {
        for index in reach.identities { reached.append((index, reach.path)) }
    }
    return reached
}

/// An answer being built: subjects in identity order (the identities are
/// sorted by kind, namespace, name), each with its paths sorted, and the
/// index of each subject's identity.
private struct Answer: Sendable {
    var indexes: [Int]
    var subjects: [SubjectAccess]

    /// This answer with the `reached` identities and paths added, merged in
    /// one pass over the answer. Each grant and node edge is one distinct
    /// path, so no path repeats.
    func adding(_ reached: [Reached], identities: [KnownIdentity]) -> Answer {
        guard !reached.isEmpty else { return self }
        var reached = reached
        // Paths are sorted per identity below, so the order among equal indexes does not matter.
        reached.sort { $0.index < $1.index }
        var merged = Answer(indexes: [], subjects: [])
        merged.indexes.reserveCapacity(indexes.count + reached.count)
        merged.subjects.reserveCapacity(indexes.count + reached.count)
        var position = 0
        var next = 0
        while next < reached.count {
            let index = reached[next].index
            var end = next + 1
            while end < reached.count, reached[end].index == index { end += 1 }
            let paths = reached[next..<end].map(\.path)
            next = end
            let copyEnd = indexes[position...].firstIndex { $0 >= index } ?? indexes.count
            merged.indexes += indexes[position..<copyEnd]
            merged.subjects += subjects[position..<copyEnd]
            position = copyEnd
            merged.indexes.append(index)
            if position < indexes.count, indexes[position] == index {
                merged.subjects.append(SubjectAccess(identity: subjects[position].identity,
                                                     via: (subjects[position].via + paths).sorted()))
                position += 1
            } else {
                merged.subjects.append(SubjectAccess(identity: identities[index], via: paths.count > 1 ? paths.sorted() : paths))
            }
        }
        merged.indexes += indexes[position...]
        merged.subjects += subjects[position...]
        return merged
    }
}

/// The namespace-wide part of the answers (``WhoCan``'s every-name grants)
/// for the namespace asked last, one per verb: callers answer the secrets of
/// one namespace after another, so each namespace's part is gathered about
/// once. The mutex keeps ``WhoCan`` safe to share between tasks.
private final class NamespaceAnswerCache: Sendable {
    private let latest: Mutex<[(namespace: String, answer: Answer)?]>

    init(verbs: Int) { latest = Mutex(Array(repeating: nil, count: verbs)) }

    func answer(verb: Int, namespace: String, gather: () -> Answer) -> Answer {
        if let cached = latest.withLock({ $0[verb] }), sameBytes(cached.namespace, namespace) { return cached.answer }
        let answer = gather()
        latest.withLock { $0[verb] = (namespace, answer) }
        return answer
    }
}

/// ``WhoCan/namespaceReaders(verb:namespace:)``'s answer: who can `verb`
/// secrets in a namespace, and who can only by name.
public struct NamespaceReaders: Sendable, Hashable {
    public var verb: SecretReadVerb
    public var namespace: String
    /// Every identity allowed the request without a name (every secret of the namespace).
    public var subjects: [SubjectAccess]
    /// Per secret name, sorted by bytes, the identities allowed that name only (not in ``subjects``).
    public var byName: [(name: String, subjects: [SubjectAccess])]

    public init(verb: SecretReadVerb, namespace: String, subjects: [SubjectAccess],
                byName: [(name: String, subjects: [SubjectAccess])]) {
        self.verb = verb
        self.namespace = namespace
        self.subjects = subjects
        self.byName = byName
    }

    /// The readers of one secret of the namespace: ``subjects`` and its by-name readers.
    public func readers(of name: String) -> [SubjectAccess] {
        guard let extra = byName.first(where: { sameBytes($0.name, name) })?.subjects else { return subjects }
        return (subjects + extra).sorted { compareBytes($0.identity, $1.identity) == .before }
    }

    /// Names as bytes; subjects as ``SubjectAccess`` compares them.
    public static func == (a: NamespaceReaders, b: NamespaceReaders) -> Bool {
        a.verb == b.verb && sameBytes(a.namespace, b.namespace) && a.subjects == b.subjects
            && compareBytes(a.byName.map(\.name), b.byName.map(\.name)) == .same
            && a.byName.map(\.subjects) == b.byName.map(\.subjects)
    }

    public func hash(into hasher: inout Hasher) {
        hashBytes(namespace, into: &hasher)
        hasher.combine(subjects)
    }
}

/// One grant, node edge or superuser path of a who-can answer, as bound:
/// ``WhoCan/boundPaths(verb:namespace:secretName:)``.
public struct BoundPath: Sendable, Hashable {
    public var path: AccessPath
    /// The known identities it allows (indexes in `derived.identities`, ascending).
    public var identities: [Int]
    /// For an RBAC path, the index of its grant in `derived.grants` (a caller
    /// can prepare per grant what each key would otherwise recompute).
    public var grant: Int?

    public init(path: AccessPath, identities: [Int], grant: Int? = nil) {
        self.path = path
        self.identities = identities
        self.grant = grant
    }
}

/// One identity in a who-can answer and every path that allows it.
///
/// Render writes it as `{"kind", "namespace"?, "name", "via": [...]}`.
/// Two answers are equal when their identities and paths have the same bytes.
public struct SubjectAccess: Sendable, Hashable {
    public var identity: KnownIdentity
    /// Sorted: superuser, node paths, then RBAC paths by binding.
    public var via: [AccessPath]

    public init(identity: KnownIdentity, via: [AccessPath]) {
        self.identity = identity
        self.via = via
    }

    public static func == (a: SubjectAccess, b: SubjectAccess) -> Bool {
        compareBytes(a.identity, b.identity) == .same && a.via == b.via
    }

    public func hash(into hasher: inout Hasher) {
        hashBytes(identity, into: &hasher)
        hasher.combine(via)
    }
}

/// Where a grant applies, names as bytes: a namespace (`nil`: every one) and
/// a secret name (`nil`: every name). The who-can index and the forward
/// reach (`IndirectReach`) look grants up by it.
struct GrantScope: Hashable {
    var namespace: ByteString?
    var secretName: ByteString?

    init(namespace: String?, secretName: String?) {
        self.namespace = namespace.map(ByteString.init)
        self.secretName = secretName.map(ByteString.init)
    }
}
