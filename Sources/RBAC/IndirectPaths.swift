import KubeModel

/// One kind of "can become" step: an RBAC permission that lets its holder act
/// as another identity or read a secret without a rule on `secrets`. The raw
/// values are the `step` strings of `who-can --indirect -o json`.
public enum IndirectStep: String, Sendable, Hashable, Codable, CaseIterable {
    /// create `pods` in a namespace: mount any of its secrets, run as any of its ServiceAccounts.
    case createPods
    /// create/update/patch a workload controller: the controller creates the pods.
    case workloadController
    /// `pods/exec`, `pods/attach` or `pods/ephemeralcontainers` on a pod: its token and mounted secrets.
    case exec
    /// `impersonate` users, groups or serviceaccounts.
    case impersonate
    /// create `serviceaccounts/token`: a token of that ServiceAccount.
    case tokenRequest
    /// get/list a `kubernetes.io/service-account-token` secret: the token inside.
    case readToken
    /// `bind` roles plus create rolebindings: grant oneself any role in scope.
    case bind
    /// `escalate` plus update/patch on a role bound to oneself: rewrite it with any rule.
    case escalate
    /// create `nodes/proxy`: the kubelet API, which execs in every pod of the node.
    case nodeProxy
}

/// One step of an indirect chain: what the identity does (`step`), what it
/// becomes or reads (`target`: an identity, a Secret, or a Namespace for
/// "every secret of it"), where (`through`: the namespace pods are created
/// in, the pod exec'd into, the token secret read), and the permission that
/// allows it (`via`, an RBAC path or the node authorizer).
public struct ChainStep: Sendable, Hashable {
    public var step: IndirectStep
    public var target: ObjectRef
    public var through: ObjectRef?
    public var via: AccessPath

    public init(step: IndirectStep, target: ObjectRef, through: ObjectRef? = nil, via: AccessPath) {
        self.step = step
        self.target = target
        self.through = through
        self.via = via
    }
}

/// An identity that is not a direct reader but can become one (or read the
/// secret without a rule on secrets), with its shortest chain.
public struct IndirectReader: Sendable, Hashable {
    public var identity: KnownIdentity
    /// The first step starts at ``identity``; the last lands on a direct
    /// reader or on the secret itself.
    public var chain: [ChainStep]

    public init(identity: KnownIdentity, chain: [ChainStep]) {
        self.identity = identity
        self.chain = chain
    }
}

/// Where a search for indirect readers starts: the direct readers of the
/// question as bound, the principals their RBAC grants name (every identity
/// that authenticates as one is a direct reader) and the identities that read
/// by another path (a kubelet through the node authorizer).
public struct IndirectSeeds: Sendable, Hashable {
    public var principals: [Principal]
    public var identities: [KnownIdentity]

    public init(principals: [Principal] = [], identities: [KnownIdentity] = []) {
        self.principals = principals
        self.identities = identities
    }
}

/// One search of ``IndirectPaths``: every identity that can reach the
/// question's readers, with its shortest chain, and the identities that read
/// directly (no step). Two searches merge into the answer of the question
/// whose readers are both's: a key's, from its namespace's and its own.
public struct IndirectSearch: Sendable {
    /// By identity (its index in the graph), the shortest chain of at least one step.
    let chains: [Int: IndirectReader]
    /// Identities reached without a step: direct readers.
    let direct: Set<Int>

    /// The indirect readers, sorted like identities.
    public var readers: [IndirectReader] {
        chains.values.sorted { identityPrecedes($0.identity, $1.identity) }
    }

    /// The indirect readers of a question whose seeds are this search's and
    /// `other`'s: the distance to a union of seeds is the smaller of the two,
    /// so each identity keeps its shorter chain (this one's on a tie); an
    /// identity either finds direct is a direct reader, never indirect. A last
    /// step that lands on "every secret of the namespace" lands on `target`.
    public func merged(with other: IndirectSearch?, target: ObjectRef) -> [IndirectReader] {
        var chains = self.chains
        if let other {
            for index in other.direct { chains[index] = nil }
            for (index, reader) in other.chains where !direct.contains(index) {
                if let known = chains[index], known.chain.count <= reader.chain.count { continue }
                chains[index] = reader
            }
        }
        return chains.values.sorted { identityPrecedes($0.identity, $1.identity) }.map { reader in
            var reader = reader
            if let last = reader.chain.indices.last, sameBytes(reader.chain[last].target.kind, "Namespace") {
                reader.chain[last].target = target
            }
            return reader
        }
    }
}

/// The "can become" graph of one snapshot and the fix-point over it: who can
/// reach a secret through pods, exec, impersonation, tokens and bindings.
///
/// Every edge comes from an RBAC decision the engine already makes
/// (``ruleAllows(_:_:)`` on the rules of each binding, as ``Authorizer``
/// evaluates them, and ``WhoCan/boundPaths(verb:namespace:secretName:)`` for
/// token secrets). "Any pod of a namespace", "any ServiceAccount" and the
/// like are hub nodes, so the graph stays linear in bindings, rules,
/// identities and pods; a query is one breadth-first search backwards from
/// the direct readers, shortest chain first, each node visited once (no
/// loops), at most ``maxSteps`` steps.
///
/// ```swift
/// let paths = IndirectPaths(snapshot: snapshot, whoCan: whoCan)
/// let direct = whoCan.subjects(verb: .get, namespace: "shop", secretName: "shop-tls")
/// for reader in paths.indirectReaders(namespace: "shop", secretName: "shop-tls", direct: direct) {
///     print(reader.identity.name, reader.chain.map(\.step))
/// }
/// ```
public struct IndirectPaths: Sendable {
    /// Chains longer than this are not followed (bounded work on odd graphs).
    public static let maxSteps = 16

    // Internal, not private: IndirectReach.swift walks the same graph forwards.
    let identities: [KnownIdentity]
    let identityIndex: [IdentityKey: Int]
    let edges: [Edge]
    /// Per node, the edges that end there.
    private let incoming: [[Int32]]
    /// Per namespace, the node of "runs a pod of one's choosing there" and of
    /// "binds itself any role there": both read every secret of the namespace.
    /// Keyed by bytes: a namespace's canonically equal twin is another namespace.
    let mountNode: [ByteString: Int]
    let bindNode: [ByteString: Int]
    /// The node of each principal some bound rule names.
    private let principalNodes: [Principal: Int]
    /// Pod nodes by the secrets their containers mount (volumes, env).
    let podsMounting: [NamespacedName: [Int]]
    /// Roles one can bind by name that read a secret by name: by the name
    /// (namespace `""`: in every namespace), the nodes of those holdings.
    let namedReads: [NamespacedName: [Int]]
    let superusers: [Int]
    /// What each node besides the identities is (the store's `indirect_node` rows).
    private let labels: [IndirectNodeRecord]
    /// Each pod's node, by the pod's namespace and name (a compromised pod starts a blast there).
    let podNodes: [NamespacedName: Int]

    public init(snapshot: ClusterSnapshot, whoCan: WhoCan) {
        self.init(snapshot: snapshot, whoCan: whoCan, roles: EffectiveRoles(snapshot.roles))
    }

    public init(snapshot: ClusterSnapshot, whoCan: WhoCan, roles: EffectiveRoles) {
        var graph = GraphBuilder(identities: whoCan.derived.identities)
        graph.addPods(snapshot)
        graph.addRules(boundSubjects(snapshot.bindings, roles: roles))
        graph.addTokenSecrets(snapshot.secrets, whoCan: whoCan)
        graph.finish(roles: roles)
        var labels = Array(repeating: IndirectNodeRecord(kind: ""), count: graph.nodeCount - graph.identities.count)
        for (key, node) in graph.nodes { labels[node - graph.identities.count] = graph.label(key, node: node) }
        self.init(identities: graph.identities, edges: graph.edges, labels: labels,
                  podsMounting: graph.podsMounting, namedReads: graph.namedReads)
    }

    /// The graph as the store keeps it (``IndirectGraphRecord``), read back
    /// over the same identities (`whoCan.derived.identities`, which the record's
    /// first `identityCount` nodes are): searches answer as on the graph built.
    public init(record: IndirectGraphRecord, whoCan: WhoCan) {
        var podsMounting: [NamespacedName: [Int]] = [:]
        var namedReads: [NamespacedName: [Int]] = [:]
        for seed in record.seeds {
            let key = NamespacedName(namespace: seed.namespace, name: seed.secretName)
            if seed.kind == "mounts" { podsMounting[key, default: []].append(seed.node) } else { namedReads[key, default: []].append(seed.node) }
        }
        let edges = record.edges.map { edge in
            Edge(from: edge.from, to: edge.to, step: edge.step.flatMap(IndirectStep.init(rawValue:)),
                 via: edge.via.map(AccessPath.init(record:)), through: edge.through)
        }
        self.init(identities: whoCan.derived.identities, edges: edges, labels: record.nodes,
                  podsMounting: podsMounting, namedReads: namedReads)
    }

    private init(identities: [KnownIdentity], edges: [Edge], labels: [IndirectNodeRecord],
                 podsMounting: [NamespacedName: [Int]], namedReads: [NamespacedName: [Int]]) {
        self.identities = identities
        var identityIndex: [IdentityKey: Int] = [:]
        for (index, identity) in identities.enumerated() { identityIndex[IdentityKey(identity)] = index }
        self.identityIndex = identityIndex
        self.edges = edges
        self.labels = labels
        var incoming = Array(repeating: [Int32](), count: identities.count + labels.count)
        for (index, edge) in edges.enumerated() { incoming[edge.to].append(Int32(index)) }
        self.incoming = incoming
        var mountNode: [ByteString: Int] = [:]
        var bindNode: [ByteString: Int] = [:]
        var principalNodes: [Principal: Int] = [:]
        for (offset, label) in labels.enumerated() {
            let node = identities.count + offset
            switch label.kind {
            case "principal": if let principal = Principal(key: label.name) { principalNodes[principal] = node }
            case "mount" where !label.namespace.isEmpty: mountNode[ByteString(label.namespace)] = node
            case "bind" where !label.namespace.isEmpty: bindNode[ByteString(label.namespace)] = node
            default: break
            }
        }
        self.mountNode = mountNode
        self.bindNode = bindNode
        self.principalNodes = principalNodes
        self.podsMounting = podsMounting
        self.namedReads = namedReads
        var podNodes: [NamespacedName: Int] = [:]
        for (offset, label) in labels.enumerated() where label.kind == "pod" {
            let pod = NamespacedName(namespace: label.namespace, name: label.name)
            if podNodes[pod] == nil { podNodes[pod] = identities.count + offset }  // the first of a pod listed twice
        }
        self.podNodes = podNodes
        // Sorted: the order of seeds decides between chains of one length, in every process alike.
        superusers = identities.indices.filter { identities[$0].groups.containsBytes(WellKnown.mastersGroup) }
    }

    /// The graph as rows for the store (``IndirectGraphRecord``).
    public var record: IndirectGraphRecord {
        var seeds: [IndirectSeedRecord] = []
        for (kind, map) in [("mounts", podsMounting), ("readsByName", namedReads)] {
            for (key, nodes) in map.sorted(by: { NamespacedName.precedes($0.key, $1.key) }) {
                seeds += nodes.map { IndirectSeedRecord(kind: kind, namespace: key.namespace, secretName: key.name, node: $0) }
            }
        }
        return IndirectGraphRecord(identityCount: identities.count, nodes: labels, edges: edges.map { edge in
            IndirectEdgeRecord(from: edge.from, to: edge.to, step: edge.step?.rawValue, through: edge.through, via: edge.via?.record)
        }, seeds: seeds)
    }

    /// Every known identity that is not among `direct` (the direct readers of
    /// the question) but can read the secrets of `namespace` named
    /// `secretName` (`nil`: every secret of the namespace, the collection
    /// question) through a chain of "can become" steps; sorted like
    /// identities, each with its shortest chain.
    public func indirectReaders(namespace: String, secretName: String?, direct: [SubjectAccess]) -> [IndirectReader] {
        var seeds = direct.compactMap { identityIndex[IdentityKey($0.identity)] }
        seeds += superusers
        seeds += namespaceSeeds(namespace)
        if let secretName { seeds += ownSeeds(namespace: namespace, secretName: secretName) }
        let finalTarget = secretName.map { ObjectRef(kind: "Secret", namespace: namespace, name: $0) }
            ?? ObjectRef(kind: "Namespace", name: namespace)
        return search(from: seeds, finalTarget: finalTarget).readers
    }

    /// Who can become a reader of every secret of `namespace`, starting from
    /// its direct readers as bound (`seeds`: the principals of the grants that
    /// read every name there, superusers added here) and from "runs a pod" and
    /// "binds a role" there. `exposure --indirect` asks this once per
    /// namespace, then ``secretSearch(namespace:secretName:seeds:)`` per key.
    public func collectionSearch(namespace: String, seeds: IndirectSeeds) -> IndirectSearch {
        let nodes = seedNodes(seeds) + superusers + namespaceSeeds(namespace)
        return search(from: nodes, finalTarget: ObjectRef(kind: "Namespace", name: namespace))
    }

    /// What one secret adds to its namespace's ``collectionSearch(namespace:seeds:)``:
    /// the search from its own direct readers (`seeds`: grants by name, the
    /// node authorizer) and the pods that mount it. `nil` when it has none.
    public func secretSearch(namespace: String, secretName: String, seeds: IndirectSeeds) -> IndirectSearch? {
        let nodes = seedNodes(seeds) + ownSeeds(namespace: namespace, secretName: secretName)
        guard !nodes.isEmpty else { return nil }
        return search(from: nodes, finalTarget: ObjectRef(kind: "Secret", namespace: namespace, name: secretName))
    }

    /// "Runs a pod" and "binds a role" in `namespace`, the nodes that read every secret there.
    private func namespaceSeeds(_ namespace: String) -> [Int] {
        [mountNode[ByteString(namespace)], bindNode[ByteString(namespace)]].compactMap { $0 }
    }

    /// The nodes that read one secret by its name without a grant of their
    /// own: the pods that mount it, and the roles one can bind that read it by name.
    private func ownSeeds(namespace: String, secretName: String) -> [Int] {
        (podsMounting[NamespacedName(namespace: namespace, name: secretName)] ?? [])
            + (namedReads[NamespacedName(namespace: namespace, name: secretName)] ?? [])
            + (namedReads[NamespacedName(namespace: "", name: secretName)] ?? [])
    }

    /// Graph nodes of the seeds: a principal that no bound rule names has no
    /// node, and no identity reaches the question through it.
    private func seedNodes(_ seeds: IndirectSeeds) -> [Int] {
        seeds.principals.compactMap { principalNodes[$0] } + seeds.identities.compactMap { identityIndex[IdentityKey($0)] }
    }

    /// The 0-1 breadth-first search backwards from `seeds`: edges without a
    /// step (membership, hubs) cost nothing, so each level is every node at
    /// that many steps; each node is visited once (no loops), at most
    /// ``maxSteps`` steps deep.
    private func search(from seeds: [Int], finalTarget: ObjectRef) -> IndirectSearch {
        var visited: [Int: Int32] = [:]  // node → edge towards the target (-1: a seed)
        var level: [Int] = []
        for node in seeds where visited[node] == nil {
            visited[node] = -1
            level.append(node)
        }
        var steps = 0
        while !level.isEmpty {
            var next: [(node: Int, edge: Int32)] = []
            var position = 0
            while position < level.count {
                let node = level[position]
                position += 1
                for edgeIndex in incoming[node] {
                    let from = edges[Int(edgeIndex)].from
                    guard visited[from] == nil else { continue }
                    if edges[Int(edgeIndex)].step == nil {
                        visited[from] = edgeIndex
                        level.append(from)
                    } else {
                        next.append((from, edgeIndex))
                    }
                }
            }
            steps += 1
            guard steps <= Self.maxSteps else { break }
            level = []
            for (node, edge) in next where visited[node] == nil {
                visited[node] = edge
                level.append(node)
            }
        }
        var chains: [Int: IndirectReader] = [:]
        var direct: Set<Int> = []
        for (node, edge) in visited where node < identities.count {
            let chain = edge < 0 ? [] : chain(from: node, visited: visited, finalTarget: finalTarget)
            // No step: a seed, or a member of a seeded principal, so a direct reader.
            if chain.isEmpty { direct.insert(node) } else { chains[node] = IndirectReader(identity: identities[node], chain: chain) }
        }
        return IndirectSearch(chains: chains, direct: direct)
    }

    /// The steps from `start` along the search's edges to a seed: each edge
    /// with a step opens one, which lands on the next identity reached (or,
    /// at the end, on the secret).
    func chain(from start: Int, visited: [Int: Int32], finalTarget: ObjectRef) -> [ChainStep] {
        var steps: [ChainStep] = []
        var open: ChainStep?
        var node = start
        while let edgeIndex = visited[node], edgeIndex >= 0 {
            let edge = edges[Int(edgeIndex)]
            if let step = edge.step, let via = edge.via {
                if let open { steps.append(open) }
                open = ChainStep(step: step, target: finalTarget, through: edge.through, via: via)
            } else if let through = edge.through {
                open?.through = through
            }
            node = edge.to
            if node < identities.count, var landed = open {
                let identity = identities[node]
                landed.target = identity.ref
                steps.append(landed)
                open = nil
            }
        }
        if let open { steps.append(open) }
        return steps
    }
}

struct NamespacedName: Hashable {
    var namespace: String
    var name: String

    /// By bytes, as the API server tells names apart.
    static func == (a: NamespacedName, b: NamespacedName) -> Bool {
        sameBytes(a.namespace, b.namespace) && sameBytes(a.name, b.name)
    }

    func hash(into hasher: inout Hasher) {
        hashBytes(namespace, into: &hasher)
        hashBytes(name, into: &hasher)
    }

    /// Namespace, then name, in byte order (the store's rows, in every process alike).
    static func precedes(_ a: NamespacedName, _ b: NamespacedName) -> Bool {
        compareBytes(a.namespace, b.namespace).then(compareBytes(a.name, b.name)) == .before
    }
}

/// The order of ``DerivedAccess/identities``: kind, namespace, name.
private func identityPrecedes(_ a: KnownIdentity, _ b: KnownIdentity) -> Bool { a.ref < b.ref }

/// An edge "`from` can become or reach `to`". With a `step`, it is one
/// permission (`via`); without, it is structure: an identity has its
/// principals, a hub ("any pod of the namespace") leads to each member.
struct Edge: Sendable {
    var from: Int
    var to: Int
    var step: IndirectStep?
    /// The namespace, pod or secret the step goes through.
    var through: ObjectRef?
    /// Boxed: four edges in five have no permission behind them, and an
    /// inline `AccessPath?` would make each of the graph's million edges
    /// (at 8,000 namespaces) as large as one that has.
    private let boxedVia: BoxedPath?

    init(from: Int, to: Int, step: IndirectStep? = nil, via: AccessPath? = nil, through: ObjectRef? = nil) {
        self.from = from
        self.to = to
        self.step = step
        self.through = through
        boxedVia = via.map(BoxedPath.path)
    }

    var via: AccessPath? {
        guard case .path(let path) = boxedVia else { return nil }
        return path
    }

    private indirect enum BoxedPath: Sendable {
        case path(AccessPath)
    }
}

/// The nodes besides identities (which are nodes `0..<identities.count`).
/// A `""` namespace or name is the hub of every one.
enum NodeKey: Hashable {
    case principal(Principal)
    /// Runs a pod of its choosing in the namespace.
    case mount(String)
    /// Binds itself any role in the namespace.
    case bind(String)
    case pod(Int)
    /// Execs into any pod of the namespace.
    case execAny(String)
    /// The kubelet API of a node.
    case nodeProxy(String)
    case impersonateUsers
    case impersonateGroups
    case impersonateServiceAccounts(String)
    case tokenAny(String)
    /// Holds the rules of a role one can bind by name (`bind` with
    /// resourceNames): kind, namespace and name of the role, and the scope
    /// of the binding one would create (`""`: a ClusterRoleBinding).
    case heldRole(kind: String, namespace: String, name: String, scope: String)
}

extension NodeKey {
    /// By bytes: `.mount("Kube-a")` and `.mount("\u{212A}ube-a")` (KELVIN SIGN)
    /// are two namespaces' nodes, which the synthesized `==` on `String` would merge.
    static func == (a: NodeKey, b: NodeKey) -> Bool {
        switch (a, b) {
        case let (.principal(x), .principal(y)): x == y
        case let (.pod(x), .pod(y)): x == y
        case let (.mount(x), .mount(y)), let (.bind(x), .bind(y)), let (.execAny(x), .execAny(y)),
             let (.nodeProxy(x), .nodeProxy(y)), let (.impersonateServiceAccounts(x), .impersonateServiceAccounts(y)),
             let (.tokenAny(x), .tokenAny(y)):
            sameBytes(x, y)
        case (.impersonateUsers, .impersonateUsers), (.impersonateGroups, .impersonateGroups): true
        case let (.heldRole(kind1, namespace1, name1, scope1), .heldRole(kind2, namespace2, name2, scope2)):
            sameBytes(kind1, kind2) && sameBytes(namespace1, namespace2) && sameBytes(name1, name2) && sameBytes(scope1, scope2)
        default: false
        }
    }

    func hash(into hasher: inout Hasher) {
        switch self {
        case .principal(let principal): hasher.combine(0); hasher.combine(principal)
        case .pod(let index): hasher.combine(1); hasher.combine(index)
        case .mount(let namespace): hasher.combine(2); hashBytes(namespace, into: &hasher)
        case .bind(let namespace): hasher.combine(3); hashBytes(namespace, into: &hasher)
        case .execAny(let namespace): hasher.combine(4); hashBytes(namespace, into: &hasher)
        case .nodeProxy(let name): hasher.combine(5); hashBytes(name, into: &hasher)
        case .impersonateUsers: hasher.combine(6)
        case .impersonateGroups: hasher.combine(7)
        case .impersonateServiceAccounts(let namespace): hasher.combine(8); hashBytes(namespace, into: &hasher)
        case .tokenAny(let namespace): hasher.combine(9); hashBytes(namespace, into: &hasher)
        case let .heldRole(kind, namespace, name, scope):
            hasher.combine(10)
            hashBytes(kind, into: &hasher)
            hashBytes(namespace, into: &hasher)
            hashBytes(name, into: &hasher)
            hashBytes(scope, into: &hasher)
        }
    }
}

/// A write one may make to roles: `escalate`, `update`, `patch` or `create`
/// on `Role`s or `ClusterRole`s of a scope (`""`: every namespace, or the
/// cluster-scoped ClusterRoles), for these names (`""`: every name).
struct RoleWrite {
    var verb: String
    var namespace: String
    var kind: String
    var names: [String]
    var via: AccessPath

    /// Whether it applies to the role `kind namespace/name`.
    func covers(kind: String, namespace: String, name: String) -> Bool {
        guard sameBytes(self.kind, kind) else { return false }
        let inScope = sameBytes(kind, "ClusterRole") ? self.namespace.isEmpty : self.namespace.isEmpty || sameBytes(self.namespace, namespace)
        return inScope && names.contains { $0.isEmpty || sameBytes($0, name) }
    }
}

/// The core-group resources, API groups and verbs of the steps, as the API
/// server's authorizer sees the requests (kubectl exec is `create pods/exec`).
enum StepRequests {
    static let rbacGroup = "rbac.authorization.k8s.io"
    static let workloads: [(group: String, resource: String)] = [
        ("apps", "deployments"), ("apps", "statefulsets"), ("apps", "daemonsets"), ("apps", "replicasets"),
        ("batch", "jobs"), ("batch", "cronjobs"), ("", "replicationcontrollers"),
    ]
    static let workloadVerbs = ["create", "update", "patch"]
    static let podEntries: [(verb: String, subresource: String)] = [
        ("create", "exec"), ("create", "attach"), ("update", "ephemeralcontainers"), ("patch", "ephemeralcontainers"),
    ]
    /// Where a container sees a secret's bytes (image pull and CSI secrets stay with the kubelet).
    static let mountedSources: Set<PodSecretReference.Source> = [.volume, .projectedVolume, .env, .envFrom]
    static let tokenSecretType = "kubernetes.io/service-account-token"
    static let tokenSecretAnnotation = "kubernetes.io/service-account.name"
}

/// Builds the graph: nodes, then edges from pods, rules and token secrets.
struct GraphBuilder {
    let identities: [KnownIdentity]
    var identityIndex: [IdentityKey: Int] = [:]
    var nodes: [NodeKey: Int] = [:]
    var nodeCount: Int
    var edges: [Edge] = []
    var podsMounting: [NamespacedName: [Int]] = [:]
    var superusers: Set<Int> = []
    // Names key these maps as bytes (a KELVIN SIGN or NFD twin is another
    // namespace, pod or node), and walks over them go in byte order.
    private var serviceAccountsByNamespace: [ByteString: [Int]] = [:]
    private var identitiesByUsername: [ByteString: [Int]] = [:]
    private var groupIdentity: [ByteString: Int] = [:]
    private var namespaces: Set<ByteString> = []
    private var podsByNamespace: [ByteString: [(name: String, node: Int)]] = [:]
    private var podsByNodeName: [ByteString: [Int]] = [:]
    private(set) var podRefs: [Int: ObjectRef] = [:]
    /// Per principal, where it may bind any role and where create rolebindings.
    private var bindScopes: [Principal: [(namespace: String, step: IndirectStep, via: AccessPath)]] = [:]
    private var bindingCreateScopes: [Principal: Set<ByteString>] = [:]
    /// Per principal, the roles it may bind by name, and where.
    private var namedBinds: [Principal: [(namespace: String, kind: String, name: String, via: AccessPath)]] = [:]
    /// Per principal, its escalate, update, patch and create rights on roles.
    private var roleWrites: [Principal: [RoleWrite]] = [:]
    /// Per principal, the roles bound to it and where (`""`: every namespace).
    private var boundRoles: [Principal: [(role: ObjectRef, scope: String)]] = [:]
    var namedReads: [NamespacedName: [Int]] = [:]

    init(identities: [KnownIdentity]) {
        self.identities = identities
        nodeCount = identities.count
        for (index, identity) in identities.enumerated() {
            identityIndex[IdentityKey(identity)] = index
            if identity.groups.containsBytes(WellKnown.mastersGroup) { superusers.insert(index) }
            switch identity.kind {
            case "ServiceAccount":
                serviceAccountsByNamespace[ByteString(identity.namespace), default: []].append(index)
                namespaces.insert(ByteString(identity.namespace))
            case "Group": groupIdentity[ByteString(identity.name)] = index
            default: break
            }
            if !identity.username.isEmpty { identitiesByUsername[ByteString(identity.username), default: []].append(index) }
        }
    }

    mutating func node(_ key: NodeKey) -> Int {
        if let node = nodes[key] { return node }
        nodes[key] = nodeCount
        nodeCount += 1
        return nodeCount - 1
    }

    mutating func edge(_ from: Int, _ to: Int, _ step: IndirectStep? = nil, via: AccessPath? = nil, through: ObjectRef? = nil) {
        edges.append(Edge(from: from, to: to, step: step, via: via, through: through))
    }

    func serviceAccount(namespace: String, name: String) -> Int? {
        identityIndex[IdentityKey(KnownIdentity(kind: "ServiceAccount", namespace: namespace, name: name, username: "", groups: []))]
    }

    /// Each pod: the ServiceAccount whose token it mounts (pod's
    /// automountServiceAccountToken, else the ServiceAccount's, default
    /// true) and the secrets its containers see.
    mutating func addPods(_ snapshot: ClusterSnapshot) {
        for namespace in snapshot.namespaces { namespaces.insert(ByteString(namespace.meta.name)) }
        for secret in snapshot.secrets { namespaces.insert(ByteString(secret.meta.namespace)) }
        var automount: [NamespacedName: Bool] = [:]
        for account in snapshot.serviceAccounts {
            if let value = account.automountServiceAccountToken {
                automount[NamespacedName(namespace: account.meta.namespace, name: account.meta.name)] = value
            }
        }
        for (index, pod) in snapshot.pods.enumerated() {
            let namespace = pod.meta.namespace
            namespaces.insert(ByteString(namespace))
            let podNode = node(.pod(index))
            podRefs[podNode] = ObjectRef(kind: "Pod", namespace: namespace, name: pod.meta.name)
            podsByNamespace[ByteString(namespace), default: []].append((pod.meta.name, podNode))
            if !pod.spec.nodeName.isEmpty { podsByNodeName[ByteString(pod.spec.nodeName), default: []].append(podNode) }
            let account = pod.spec.serviceAccountName
            let mountsToken = pod.spec.automountServiceAccountToken
                ?? automount[NamespacedName(namespace: namespace, name: account)] ?? true
            if mountsToken, let identity = serviceAccount(namespace: namespace, name: account) {
                edge(podNode, identity)
            }
            for reference in pod.spec.secretReferences where StepRequests.mountedSources.contains(reference.source) {
                podsMounting[NamespacedName(namespace: namespace, name: reference.name), default: []].append(podNode)
            }
        }
        for (key, pods) in podsMounting { podsMounting[key] = Array(Set(pods)).sorted() }
    }

    /// Every rule of every bound subject, asked the requests of each step
    /// with ``ruleAllows(_:_:)`` in the binding's scope (a RoleBinding's
    /// namespace; a ClusterRoleBinding's every namespace and cluster-scoped
    /// resources). A rule with `resourceNames` is asked each of its names.
    mutating func addRules(_ bound: [BoundSubject]) {
        for subject in bound {
            let namespace = subject.binding.namespace
            let isCluster = namespace.isEmpty
            boundRoles[subject.principal, default: []].append((subject.role.ref, namespace))
            for (ruleIndex, rule) in subject.role.rules.enumerated() {
                let via = AccessPath.rbac(RBACAccess(binding: subject.binding, role: subject.role.ref, ruleIndex: ruleIndex,
                                                     subject: subject.subject, principal: subject.principal))
                let user = UserInfo(name: "")
                /// The names this rule allows `verb` on: `[""]` for every name, else those of its names it allows.
                func allowedNames(_ verb: String, group: String = "", _ resource: String, _ subresource: String = "") -> [String] {
                    let request = ResourceRequest(user: user, verb: verb, apiGroup: group, resource: resource,
                                                  subresource: subresource, namespace: namespace)
                    if rule.resourceNames.isEmpty { return ruleAllows(rule, request) ? [""] : [] }
                    return rule.resourceNames.filter { name in
                        var named = request
                        named.name = name
                        return !name.isEmpty && ruleAllows(rule, named)
                    }
                }
                let from = node(.principal(subject.principal))
                let namespaceRef = isCluster ? nil : ObjectRef(kind: "Namespace", name: namespace)
                if allowsEveryName(allowedNames("create", "pods")) {
                    edge(from, node(.mount(namespace)), .createPods, via: via, through: namespaceRef)
                } else if StepRequests.workloads.contains(where: { workload in
                    StepRequests.workloadVerbs.contains { !allowedNames($0, group: workload.group, workload.resource).isEmpty }
                }) {
                    edge(from, node(.mount(namespace)), .workloadController, via: via, through: namespaceRef)
                }
                var execPods: Set<ByteString> = []
                for entry in StepRequests.podEntries {
                    for name in allowedNames(entry.verb, "pods", entry.subresource) { execPods.insert(ByteString(name)) }
                }
                if execPods.contains(ByteString("")) {
                    edge(from, node(.execAny(namespace)), .exec, via: via, through: namespaceRef)
                } else {
                    for pod in execPods.sorted() {
                        addPodEdges(from: from, namespace: namespace, podName: pod.string, step: .exec, via: via)
                    }
                }
                for name in allowedNames("create", "serviceaccounts", "token") {
                    if name.isEmpty {
                        edge(from, node(.tokenAny(namespace)), .tokenRequest, via: via)
                    } else {
                        for account in serviceAccounts(named: name, namespace: namespace) { edge(from, account, .tokenRequest, via: via) }
                    }
                }
                for name in allowedNames("impersonate", "serviceaccounts") {
                    if name.isEmpty {
                        edge(from, node(.impersonateServiceAccounts(namespace)), .impersonate, via: via)
                    } else {
                        for account in serviceAccounts(named: name, namespace: namespace) { edge(from, account, .impersonate, via: via) }
                    }
                }
                // bind: the API server checks `bind` on the roleRef's kind and name in the
                // binding's namespace (rbac BindingAuthorized), so resourceNames limit
                // which roles; a ClusterRole is bound in a namespace by a RoleBinding's rule.
                for (resource, kind) in [("roles", "Role"), ("clusterroles", "ClusterRole")] {
                    for name in allowedNames("bind", group: StepRequests.rbacGroup, resource) {
                        if name.isEmpty {
                            bindScopes[subject.principal, default: []].append((namespace, .bind, via))
                        } else {
                            namedBinds[subject.principal, default: []].append((namespace, kind, name, via))
                        }
                    }
                    // Writes to ClusterRoles are cluster-scoped requests: only a ClusterRoleBinding grants them.
                    guard kind == "Role" || isCluster else { continue }
                    for verb in ["escalate", "update", "patch", "create"] {
                        // A create request carries no name: resourceNames never allow it.
                        let names = verb == "create" && !rule.resourceNames.isEmpty
                            ? [] : allowedNames(verb, group: StepRequests.rbacGroup, resource)
                        if !names.isEmpty {
                            roleWrites[subject.principal, default: []].append(
                                RoleWrite(verb: verb, namespace: namespace, kind: kind, names: names, via: via))
                        }
                    }
                }
                if ["create", "update"].contains(where: { allowsEveryName(allowedNames($0, group: StepRequests.rbacGroup, "rolebindings")) }) {
                    bindingCreateScopes[subject.principal, default: []].insert(ByteString(namespace))
                }
                // Cluster-scoped resources: only a ClusterRoleBinding grants them.
                guard isCluster else { continue }
                if ["create", "update"].contains(where: { allowsEveryName(allowedNames($0, group: StepRequests.rbacGroup, "clusterrolebindings")) }) {
                    bindingCreateScopes[subject.principal, default: []].insert(ByteString(""))
                }
                for name in allowedNames("impersonate", "users") {
                    if name.isEmpty {
                        edge(from, node(.impersonateUsers), .impersonate, via: via)
                    } else {
                        for identity in identitiesByUsername[ByteString(name)] ?? [] { edge(from, identity, .impersonate, via: via) }
                    }
                }
                for name in allowedNames("impersonate", "groups") {
                    if name.isEmpty {
                        edge(from, node(.impersonateGroups), .impersonate, via: via)
                    } else if let group = groupIdentity[ByteString(name)] {
                        edge(from, group, .impersonate, via: via)
                    }
                }
                for name in allowedNames("create", "nodes", "proxy") {
                    edge(from, node(.nodeProxy(name)), .nodeProxy, via: via, through: name.isEmpty ? nil : ObjectRef(kind: "Node", name: name))
                }
            }
        }
    }

    private func serviceAccounts(named name: String, namespace: String) -> [Int] {
        if !namespace.isEmpty { return serviceAccount(namespace: namespace, name: name).map { [$0] } ?? [] }
        return namespaces.sorted().compactMap { serviceAccount(namespace: $0.string, name: name) }
    }

    private mutating func addPodEdges(from: Int, namespace: String, podName: String, step: IndirectStep, via: AccessPath) {
        let scopes = namespace.isEmpty ? podsByNamespace.keys.sorted() : [ByteString(namespace)]
        for scope in scopes {
            for pod in podsByNamespace[scope] ?? [] where sameBytes(pod.name, podName) {
                edge(from, pod.node, step, via: via, through: podRefs[pod.node])
            }
        }
    }

    /// A token secret's readers (every path that allows get or list of it,
    /// as who-can finds them) become its ServiceAccount.
    mutating func addTokenSecrets(_ secrets: [Secret], whoCan: WhoCan) {
        for secret in secrets where sameBytes(secret.type, StepRequests.tokenSecretType) {
            guard let name = secret.meta.annotations[StepRequests.tokenSecretAnnotation],
                  let account = serviceAccount(namespace: secret.meta.namespace, name: name) else { continue }
            let through = ObjectRef(kind: "Secret", namespace: secret.meta.namespace, name: secret.meta.name)
            var seen: Set<Int> = []
            for verb in [SecretReadVerb.get, .list] {
                for bound in whoCan.boundPaths(verb: verb, namespace: secret.meta.namespace, secretName: secret.meta.name) {
                    let from: Int
                    switch bound.path {
                    case .superuser: continue
                    case .node: guard let first = bound.identities.first else { continue }; from = first
                    case .rbac(let access): from = node(.principal(access.principal))
                    }
                    if seen.insert(from).inserted { edge(from, account, .readToken, via: bound.path, through: through) }
                }
            }
        }
    }

    /// What a node is, as the store's `indirect_node` row says it.
    func label(_ key: NodeKey, node: Int) -> IndirectNodeRecord {
        switch key {
        case .principal(let principal): IndirectNodeRecord(kind: "principal", name: principal.key)
        case .mount(let namespace): IndirectNodeRecord(kind: "mount", namespace: namespace)
        case .bind(let namespace): IndirectNodeRecord(kind: "bind", namespace: namespace)
        case .pod: IndirectNodeRecord(kind: "pod", namespace: podRefs[node]?.namespace ?? "", name: podRefs[node]?.name ?? "")
        case .execAny(let namespace): IndirectNodeRecord(kind: "execAny", namespace: namespace)
        case .nodeProxy(let name): IndirectNodeRecord(kind: "nodeProxy", name: name)
        case .impersonateUsers: IndirectNodeRecord(kind: "impersonateUsers")
        case .impersonateGroups: IndirectNodeRecord(kind: "impersonateGroups")
        case .impersonateServiceAccounts(let namespace): IndirectNodeRecord(kind: "impersonateServiceAccounts", namespace: namespace)
        case .tokenAny(let namespace): IndirectNodeRecord(kind: "tokenAny", namespace: namespace)
        case let .heldRole(kind, namespace, name, scope): IndirectNodeRecord(kind: "heldRole", namespace: namespace, name: kind + "/" + name, scope: scope)
        }
    }

    /// Where a principal that may bind in `scope` (`""`: a ClusterRoleBinding's
    /// rule) can create the binding: `""` for a ClusterRoleBinding, else namespaces.
    private func bindingTargets(_ principal: Principal, scope: String) -> [String] {
        let creates = bindingCreateScopes[principal] ?? []
        let everywhere = creates.contains(ByteString(""))
        return scope.isEmpty
            ? (everywhere ? [""] : creates.sorted().map(\.string))
            : (everywhere || creates.contains(ByteString(scope)) ? [scope] : [])
    }

    /// Whether `principal` may rewrite the role with rules of its choosing: the
    /// role storage lets a write exceed the writer's own rules only with
    /// `escalate` on the role (rbac RoleEscalationAuthorized), and the write
    /// itself needs update or patch (create, for a role not in the dump).
    private func canRewrite(_ principal: Principal, kind: String, namespace: String, name: String, exists: Bool) -> RoleWrite? {
        let writes = roleWrites[principal] ?? []
        let verbs = exists ? ["update", "patch"] : ["create"]
        guard let escalate = writes.first(where: { sameBytes($0.verb, "escalate") && $0.covers(kind: kind, namespace: namespace, name: name) }),
              writes.contains(where: { verbs.containsBytes($0.verb) && $0.covers(kind: kind, namespace: namespace, name: name) })
        else { return nil }
        return escalate
    }

    /// `bind` limited by resourceNames (with create rolebindings where the
    /// binding goes): one gains exactly the named role's rules there, so
    /// what it reads and whether it creates pods is asked of its rules; a
    /// role one may also rewrite (escalate) grants anything.
    private mutating func addNamedBinds(roles: EffectiveRoles) {
        // Every walk over a dictionary is sorted: nodes and edges are then made in
        // the same order in every process, and so are the chains chosen between
        // equally short ones (a database's stored graph and a dump's agree).
        for (principal, binds) in namedBinds.sorted(by: { $0.key < $1.key }) {
            let from = node(.principal(principal))
            for bind in binds {
                for target in bindingTargets(principal, scope: bind.namespace) {
                    // A ClusterRoleBinding references ClusterRoles only.
                    if target.isEmpty && bind.kind == "Role" { continue }
                    let roleNamespace = bind.kind == "Role" ? target : ""
                    let resolved = roles.resolve(RoleRef(kind: bind.kind, name: bind.name), bindingNamespace: target)
                    let through = ObjectRef(kind: bind.kind, namespace: roleNamespace, name: bind.name)
                    if canRewrite(principal, kind: bind.kind, namespace: roleNamespace, name: bind.name, exists: resolved != nil) != nil {
                        edge(from, node(.bind(target)), .bind, via: bind.via, through: through)
                        continue
                    }
                    guard let resolved else { continue }
                    let holder = nodes[.heldRole(kind: bind.kind, namespace: roleNamespace, name: bind.name, scope: target)]
                        ?? addHolder(resolved, key: .heldRole(kind: bind.kind, namespace: roleNamespace, name: bind.name, scope: target),
                                     scope: target)
                    edge(from, holder, .bind, via: bind.via, through: through)
                }
            }
        }
        for (key, holders) in namedReads { namedReads[key] = Array(Set(holders)).sorted() }
    }

    /// The node of "holds this role in `scope`": it reads every secret there
    /// (a rule on secrets without names) or the named ones, and runs pods
    /// there (create pods, a workload controller), as a bound subject would.
    private mutating func addHolder(_ role: ResolvedRole, key: NodeKey, scope: String) -> Int {
        let holder = node(key)
        let user = UserInfo(name: "")
        for rule in role.rules {
            func allows(_ verb: String, group: String = "", _ resource: String, name: String = "") -> Bool {
                var request = ResourceRequest(user: user, verb: verb, apiGroup: group, resource: resource, namespace: scope)
                request.name = name
                return ruleAllows(rule, request)
            }
            for verb in SecretReadVerb.allCases.map(\.rawValue) {
                if rule.resourceNames.isEmpty {
                    if allows(verb, "secrets") { edge(holder, node(.bind(scope))) }
                } else {
                    for name in rule.resourceNames where !name.isEmpty && allows(verb, "secrets", name: name) {
                        namedReads[NamespacedName(namespace: scope, name: name), default: []].append(holder)
                    }
                }
            }
            let runsPods = rule.resourceNames.isEmpty && (allows("create", "pods") || StepRequests.workloads.contains { workload in
                StepRequests.workloadVerbs.contains { allows($0, group: workload.group, workload.resource) }
            })
            if runsPods { edge(holder, node(.mount(scope))) }
        }
        return holder
    }

    /// `escalate` (with update or patch) on a role bound to oneself: one
    /// rewrites it with any rule, which its binding then grants in its scope.
    /// `escalate` alone with create rolebindings is no step: binding a role
    /// one does not hold needs `bind` (rbac BindingAuthorized, else
    /// ConfirmNoEscalation refuses it).
    private mutating func addEscalations() {
        for (principal, bound) in boundRoles.sorted(by: { $0.key < $1.key })
        where roleWrites[principal]?.contains(where: { sameBytes($0.verb, "escalate") }) == true {
            var scopes: Set<ByteString> = []
            for (role, scope) in bound where !scopes.contains(ByteString(scope)) {
                guard let escalate = canRewrite(principal, kind: role.kind, namespace: role.namespace, name: role.name, exists: true)
                else { continue }
                scopes.insert(ByteString(scope))
                edge(node(.principal(principal)), node(.bind(scope)), .escalate, via: escalate.via, through: role)
            }
        }
    }

    /// The structure: identities to their principals, bind and create
    /// rolebindings joined per scope, and the hubs to their members.
    mutating func finish(roles: EffectiveRoles) {
        addNamedBinds(roles: roles)
        addEscalations()
        for (principal, scopes) in bindScopes.sorted(by: { $0.key < $1.key }) {
            for scope in scopes {
                // Binding in a namespace needs both there; "" is every namespace.
                for target in bindingTargets(principal, scope: scope.namespace) {
                    edge(node(.principal(principal)), node(.bind(target)), scope.step, via: scope.via,
                         through: target.isEmpty ? nil : ObjectRef(kind: "Namespace", name: target))
                }
            }
        }
        for (index, identity) in identities.enumerated() where !superusers.contains(index) {
            // Each principal once, in the identity's order (a Set's order changes
            // from process to process, and the forward search follows edges in
            // order); an identity has a few, so a scan, no allocation.
            let principals = identity.principals
            for (position, principal) in principals.enumerated() where !principals[..<position].contains(principal) {
                if let principalNode = nodes[.principal(principal)] { edge(index, principalNode) }
            }
        }
        let allNamespaces = namespaces.sorted().map(\.string)
        let hubs = nodes.sorted { $0.value < $1.value }
        for (key, hub) in hubs {
            switch key {
            case .mount(""), .bind(""), .execAny(""), .impersonateServiceAccounts(""), .tokenAny(""):
                for namespace in allNamespaces {
                    let member: NodeKey = switch key {
                    case .mount: .mount(namespace)
                    case .bind: .bind(namespace)
                    case .execAny: .execAny(namespace)
                    case .impersonateServiceAccounts: .impersonateServiceAccounts(namespace)
                    default: .tokenAny(namespace)
                    }
                    edge(hub, node(member), through: ObjectRef(kind: "Namespace", name: namespace))
                }
            case .nodeProxy(""):
                for nodeName in podsByNodeName.keys.sorted().map(\.string) {
                    edge(hub, node(.nodeProxy(nodeName)), through: ObjectRef(kind: "Node", name: nodeName))
                }
            default: break
            }
        }
        for (key, hub) in nodes.sorted(by: { $0.value < $1.value }) {
            switch key {
            case .mount(let namespace), .impersonateServiceAccounts(let namespace), .tokenAny(let namespace):
                guard !namespace.isEmpty else { continue }
                for account in serviceAccountsByNamespace[ByteString(namespace)] ?? [] { edge(hub, account) }
            case .execAny(let namespace):
                guard !namespace.isEmpty else { continue }
                for pod in podsByNamespace[ByteString(namespace)] ?? [] { edge(hub, pod.node, through: podRefs[pod.node]) }
            case .nodeProxy(let name):
                guard !name.isEmpty else { continue }
                for pod in podsByNodeName[ByteString(name)] ?? [] { edge(hub, pod, through: podRefs[pod]) }
            case .impersonateUsers:
                for (index, identity) in identities.enumerated() where !identity.username.isEmpty { edge(hub, index) }
            case .impersonateGroups:
                for index in groupIdentity.values.sorted() { edge(hub, index) }
            default: break
            }
        }
    }
}

/// Whether a rule's allowed names (``GraphBuilder/addRules(_:)``) are every
/// name (`[""]`, a rule without resourceNames) rather than some names.
private func allowsEveryName(_ names: [String]) -> Bool { names.count == 1 && names[0].isEmpty }

extension Principal {
    /// Parses ``key`` (`user:NAME`, `group:NAME`) at its first colon byte, as
    /// Go's `strings.SplitN(key, ":", 2)`: a name may start with a combining
    /// mark, which makes the colon and the mark one `Character` that
    /// `firstIndex(of: ":")` does not find.
    init?(key: String) {
        let parts = splitBytes(key, at: ":", maxSplits: 1)
        guard parts.count == 2, let kind = Kind(rawValue: parts[0]) else { return nil }
        self.init(kind, parts[1])
    }
}

extension AccessPath {
    /// A stored step's permission.
    init(record: IndirectViaRecord) {
        switch record {
        case let .rbac(binding, role, ruleIndex, subject, principal):
            self = .rbac(RBACAccess(binding: binding, role: role, ruleIndex: ruleIndex, subject: subject, principal: principal))
        case let .node(node, pod, source):
            self = .node(NodeAccess(node: node, pod: pod, source: source))
        }
    }

    /// A step's permission as the store keeps it (a superuser is never a step).
    var record: IndirectViaRecord? {
        switch self {
        case .rbac(let access):
            .rbac(binding: access.binding, role: access.role, ruleIndex: access.ruleIndex, subject: access.subject, principal: access.principal)
        case .node(let access): .node(node: access.node, pod: access.pod, source: access.source)
        case .superuser: nil
        }
    }
}
