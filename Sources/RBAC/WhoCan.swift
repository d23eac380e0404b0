import KubeModel
import Store

/// Answers "who can VERB this secret?" from a snapshot's ``DerivedAccess`` in
/// memory: every known identity the authorizer chain would allow, each with
/// every path that allows it. Build once per snapshot; each query touches only
/// the grants of the secret's namespace and name.
///
/// ```swift
/// let whoCan = WhoCan(derived: AccessIndexer.compute(snapshot))
/// for subject in whoCan.subjects(verb: .list, namespace: "shop", secretName: "shop-tls") {
///     print(subject.identity.kind, subject.identity.name, subject.via.map(\.explanation))
/// }
/// ```
public struct WhoCan: Sendable {
    /// Where a grant applies: a namespace (`nil`: every namespace) and a
    /// secret name (`nil`: every name).
    private struct Scope: Hashable {
        var namespace: String?
        var secretName: String?
    }

    private struct NamespacedSecret: Hashable {
        var namespace: String
        var secretName: String
    }

    /// A grant prepared at init: its path, and the identities it reaches.
    private struct Reach: Sendable {
        var path: AccessPath
        var identities: [Int]
    }

    public let derived: DerivedAccess
    /// Per verb (`SecretReadVerb.allCases` order), grants by scope.
    private let rbacReach: [[Scope: [Reach]]]
    private let nodeReach: [NamespacedSecret: [Reach]]
    private let superusers: [Int]

    public init(derived: DerivedAccess) {
        self.derived = derived
        let isSuperuser = derived.identities.map { $0.groups.contains(WellKnown.mastersGroup) }
        superusers = isSuperuser.indices.filter { isSuperuser[$0] }
        // Superusers are reported by their superuser path only, so no grant reaches them.
        var identitiesByPrincipal: [Principal: [Int]] = [:]
        for (index, identity) in derived.identities.enumerated() where !isSuperuser[index] {
            for principal in Set(identity.principals) { identitiesByPrincipal[principal, default: []].append(index) }
        }
        var rbacReach = Array(repeating: [Scope: [Reach]](), count: SecretReadVerb.allCases.count)
        for grant in derived.grants {
            guard let verb = SecretReadVerb(rawValue: grant.verb),
                  let identities = identitiesByPrincipal[grant.principal] else { continue }
            let path = AccessPath.rbac(RBACAccess(binding: grant.binding, role: grant.role, ruleIndex: grant.ruleIndex,
                                                  subject: grant.subject, principal: grant.principal))
            rbacReach[verb.index][Scope(namespace: grant.namespace, secretName: grant.secretName), default: []]
                .append(Reach(path: path, identities: identities))
        }
        self.rbacReach = rbacReach
        var nodeIdentityByName: [String: Int] = [:]
        for (index, identity) in derived.identities.enumerated() where identity.kind == "Node" && !isSuperuser[index] {
            nodeIdentityByName[identity.name] = index
        }
        var nodeReach: [NamespacedSecret: [Reach]] = [:]
        for grant in derived.nodeGrants {
            guard let identity = nodeIdentityByName[grant.node] else { continue }
            nodeReach[NamespacedSecret(namespace: grant.namespace, secretName: grant.secretName), default: []]
                .append(Reach(path: .node(NodeAccess(node: grant.node, pod: grant.pod, source: grant.source)),
                              identities: [identity]))
        }
        self.nodeReach = nodeReach
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
        let name = secretName ?? ""
        var paths: [Int: [AccessPath]] = [:]
        for index in superusers { paths[index] = [.superuser(group: WellKnown.mastersGroup)] }
        func add(_ reaches: [Reach]?) {
            for reach in reaches ?? [] {
                for index in reach.identities { paths[index, default: []].append(reach.path) }
            }
        }
        // Grants cluster-wide or in the namespace, for every name or exactly this one
        // (`resourceNames: [""]` even matches a request without a name, as
        // `ResourceNameMatches` compares strings).
        let byScope = rbacReach[verb.index]
        for scope in namespace.isEmpty ? [nil] : [nil, namespace] as [String?] {
            add(byScope[Scope(namespace: scope, secretName: nil)])
            add(byScope[Scope(namespace: scope, secretName: name)])
        }
        // node_authorizer.go: namespaced, named reads only.
        if !namespace.isEmpty, !name.isEmpty {
            add(nodeReach[NamespacedSecret(namespace: namespace, secretName: name)])
        }
        // Each grant and node edge is one distinct path, so no path repeats.
        return paths.keys.sorted().map { index in
            let via = paths[index]!
            return SubjectAccess(identity: derived.identities[index], via: via.count > 1 ? via.sorted() : via)
        }
    }
}

/// One identity in a who-can answer and every path that allows it.
///
/// Render writes it as `{"kind", "namespace"?, "name", "via": [...]}`.
public struct SubjectAccess: Sendable, Hashable {
    public var identity: KnownIdentity
    /// Sorted: superuser, node paths, then RBAC paths by binding.
    public var via: [AccessPath]

    public init(identity: KnownIdentity, via: [AccessPath]) {
        self.identity = identity
        self.via = via
    }
}
