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
    private struct GrantKey: Hashable {
        var verb: String
        var namespace: String?
        var secretName: String?
    }

    private struct NodeGrantKey: Hashable {
        var namespace: String
        var secretName: String
    }

    public let derived: DerivedAccess
    private let grantsByKey: [GrantKey: [SecretGrant]]
    private let identitiesByPrincipal: [Principal: [Int]]
    private let superusers: [Int]
    private let isSuperuser: [Bool]
    private let nodeGrantsBySecret: [NodeGrantKey: [NodeSecretGrant]]
    private let nodeIdentityByName: [String: Int]

    public init(derived: DerivedAccess) {
        self.derived = derived
        grantsByKey = Dictionary(grouping: derived.grants) {
            GrantKey(verb: $0.verb, namespace: $0.namespace, secretName: $0.secretName)
        }
        var identitiesByPrincipal: [Principal: [Int]] = [:]
        for (index, identity) in derived.identities.enumerated() {
            for principal in Set(identity.principals) { identitiesByPrincipal[principal, default: []].append(index) }
        }
        self.identitiesByPrincipal = identitiesByPrincipal
        let isSuperuser = derived.identities.map { $0.groups.contains(WellKnown.mastersGroup) }
        self.isSuperuser = isSuperuser
        superusers = isSuperuser.indices.filter { isSuperuser[$0] }
        nodeGrantsBySecret = Dictionary(grouping: derived.nodeGrants) {
            NodeGrantKey(namespace: $0.namespace, secretName: $0.secretName)
        }
        var nodeIdentityByName: [String: Int] = [:]
        for (index, identity) in derived.identities.enumerated() where identity.kind == "Node" {
            nodeIdentityByName[identity.name] = index
        }
        self.nodeIdentityByName = nodeIdentityByName
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
        for grant in candidateGrants(verb: verb.rawValue, namespace: namespace, name: name) {
            let path = AccessPath.rbac(RBACAccess(binding: grant.binding, role: grant.role, ruleIndex: grant.ruleIndex,
                                                  subject: grant.subject, principal: grant.principal))
            for index in identitiesByPrincipal[grant.principal] ?? [] where !isSuperuser[index] {
                paths[index, default: []].append(path)
            }
        }
        // node_authorizer.go: namespaced, named reads only.
        if !namespace.isEmpty, !name.isEmpty {
            for grant in nodeGrantsBySecret[NodeGrantKey(namespace: namespace, secretName: name)] ?? [] {
                guard let index = nodeIdentityByName[grant.node], !isSuperuser[index] else { continue }
                paths[index, default: []].append(.node(NodeAccess(node: grant.node, pod: grant.pod, source: grant.source)))
            }
        }
        return paths.keys.sorted().map { index in
            SubjectAccess(identity: derived.identities[index], via: Array(Set(paths[index]!)).sorted())
        }
    }

    /// Grants that reach the request: cluster-wide or in its namespace, for
    /// every name or for exactly its name (`resourceNames: [""]` even matches
    /// a request without a name, as `ResourceNameMatches` compares strings).
    private func candidateGrants(verb: String, namespace: String, name: String) -> [SecretGrant] {
        var scopes: [String?] = [nil]
        if !namespace.isEmpty { scopes.append(namespace) }
        var result: [SecretGrant] = []
        for scope in scopes {
            for secretName in [nil, name] as [String?] {
                result += grantsByKey[GrantKey(verb: verb, namespace: scope, secretName: secretName)] ?? []
            }
        }
        return result
    }
}

/// One identity in a who-can answer and every path that allows it.
///
/// JSON: `{"kind": "ServiceAccount", "namespace": "shop", "name": "web", "via": [...]}`
/// (namespace left out when empty).
public struct SubjectAccess: Sendable, Hashable, Encodable {
    public var identity: KnownIdentity
    /// Sorted: superuser, node paths, then RBAC paths by binding.
    public var via: [AccessPath]

    public init(identity: KnownIdentity, via: [AccessPath]) {
        self.identity = identity
        self.via = via
    }

    private enum CodingKeys: String, CodingKey { case kind, namespace, name, via }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(identity.kind, forKey: .kind)
        if !identity.namespace.isEmpty { try container.encode(identity.namespace, forKey: .namespace) }
        try container.encode(identity.name, forKey: .name)
        try container.encode(via, forKey: .via)
    }
}
