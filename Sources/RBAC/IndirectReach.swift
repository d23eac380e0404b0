import KubeModel

/// Where a forward reach starts: a known identity (as who-can lists it), or
/// a pod, which holds its ServiceAccount's token when it is mounted and sees
/// the secrets its containers mount.
public enum ReachStart: Sendable, Hashable {
    case identity(KnownIdentity)
    case pod(namespace: String, name: String)
}

/// How the start of a forward reach reads one secret: the shortest chain of
/// "can become" steps (empty: the start reads it itself), then the direct
/// read at its end.
///
/// Exactly one of these ends a chain: ``reader`` (an identity reached reads
/// the secret by ``via``: a binding's rule, the node authorizer, or
/// `system:masters`), ``mountedBy`` (a pod reached mounts it), or the last
/// step itself (`createPods`, `workloadController`, `bind`, `escalate` in
/// the secret's namespace, whose target is the secret).
public struct SecretReach: Sendable, Hashable {
    /// From the start, each step with the rule that allows it; the last one
    /// lands on ``reader``, on the pod that mounts the secret, or on the secret.
    public var chain: [ChainStep]
    /// The identity that reads the secret directly at the end of the chain
    /// (the start itself when the chain is empty and the start is an identity).
    public var reader: KnownIdentity?
    /// ``reader``'s direct paths to the secret, sorted (empty without a reader).
    public var via: [AccessPath]
    /// The pod whose containers mount the secret, when that is the read.
    public var mountedBy: ObjectRef?

    public init(chain: [ChainStep], reader: KnownIdentity? = nil, via: [AccessPath] = [], mountedBy: ObjectRef? = nil) {
        self.chain = chain
        self.reader = reader
        self.via = via
        self.mountedBy = mountedBy
    }
}

/// Forward reach over ``IndirectPaths``' "can become" graph: from one
/// identity or pod, which secrets it can read directly or by a chain, each
/// with its shortest chain. It is the reverse of `who-can --indirect` and
/// agrees with it by construction: the same graph, the same 0-1 breadth-first
/// search (steps cost one, membership and hubs nothing), the same bound of
/// ``IndirectPaths/maxSteps`` steps, and the direct reads of who-can's tables
/// (``DerivedAccess``: grants by principal, node grants, `system:masters`).
/// For every known identity X and secret S, `reach(from: X).access(S)` is
/// non-nil exactly when X is among who-can's subjects or indirect readers of S.
///
/// ```swift
/// let reach = IndirectReach(paths: IndirectPaths(snapshot: snapshot, whoCan: whoCan), whoCan: whoCan)
/// let from = reach.reach(from: .pod(namespace: "shop", name: "web-0"))
/// from?.access(namespace: "shop", secretName: "shop-tls")?.chain.map(\.step)   // [] when it mounts it
/// ```
public struct IndirectReach: Sendable {
    let paths: IndirectPaths
    let derived: DerivedAccess
    let verbs: Set<SecretReadVerb>
    /// The edges that start at node `n`: `outgoingEdges[outgoingStart[n]..<outgoingStart[n + 1]]`
    /// (one flat array, not one per node: the graph has a node per pod).
    let outgoingStart: [Int32]
    let outgoingEdges: [Int32]
    /// Every node index is below this.
    let nodeCount: Int
    /// Grants of ``verbs`` by where they apply (indexes in `derived.grants`).
    let grantsByScope: [GrantScope: [Int]]
    /// Node-authorizer grants by secret (indexes in `derived.nodeGrants`).
    let nodeGrantsBySecret: [GrantScope: [Int]]
    /// Pod reference by pod node.
    let podOfNode: [Int: ObjectRef]

    /// - Parameter verbs: the reads that count (all three by default: list and
    ///   watch return contents as get does); one verb answers as `who-can VERB`.
    public init(paths: IndirectPaths, whoCan: WhoCan, verbs: Set<SecretReadVerb> = Set(SecretReadVerb.allCases)) {
        self.paths = paths
        derived = whoCan.derived
        self.verbs = verbs
        // Endpoints only, read in place: copying each edge would retain its strings.
        let (ends, starts) = paths.edges.withUnsafeBufferPointer { edges in
            (edges.map { max($0.from, $0.to) }, edges.map(\.from))
        }
        let nodeCount = max(paths.identities.count, (ends.max() ?? -1) + 1, (paths.podNodes.values.max() ?? -1) + 1)
        var start = Array(repeating: Int32(0), count: nodeCount + 1)
        for from in starts { start[from + 1] += 1 }
        for node in 0..<nodeCount { start[node + 1] += start[node] }
        var next = start
        var outgoingEdges = Array(repeating: Int32(0), count: starts.count)
        for (index, from) in starts.enumerated() {
            outgoingEdges[Int(next[from])] = Int32(index)
            next[from] += 1
        }
        outgoingStart = start
        self.outgoingEdges = outgoingEdges
        self.nodeCount = nodeCount
        var grantsByScope: [GrantScope: [Int]] = [:]
        for (index, grant) in derived.grants.enumerated() {
            guard let verb = SecretReadVerb(bytes: grant.verb), verbs.contains(verb) else { continue }
            grantsByScope[GrantScope(namespace: grant.namespace, secretName: grant.secretName), default: []].append(index)
        }
        self.grantsByScope = grantsByScope
        var nodeGrantsBySecret: [GrantScope: [Int]] = [:]
        for (index, grant) in derived.nodeGrants.enumerated() {
            nodeGrantsBySecret[GrantScope(namespace: grant.namespace, secretName: grant.secretName), default: []].append(index)
        }
        self.nodeGrantsBySecret = nodeGrantsBySecret
        var podOfNode: [Int: ObjectRef] = [:]
        for (name, node) in paths.podNodes { podOfNode[node] = ObjectRef(kind: "Pod", namespace: name.namespace, name: name.name) }
        self.podOfNode = podOfNode
    }

    /// The node of an identity as who-can knows it (kind, namespace, name as bytes).
    public func knows(_ identity: KnownIdentity) -> KnownIdentity? {
        paths.identityIndex[IdentityKey(identity)].map { paths.identities[$0] }
    }

    /// Everything `start` can reach; `nil` when it is not in the graph (an
    /// identity who-can does not know, a pod not in the snapshot).
    public func reach(from start: ReachStart) -> ReachFrom? {
        let node: Int?
        switch start {
        case .identity(let identity): node = paths.identityIndex[IdentityKey(identity)]
        case .pod(let namespace, let name): node = paths.podNodes[NamespacedName(namespace: namespace, name: name)]
        }
        guard let node else { return nil }
        return ReachFrom(reach: self, start: node)
    }
}

/// One forward search from one start: the distance and the edge that first
/// reached each node, and who among the identities reached reads what.
public struct ReachFrom: Sendable {
    let reach: IndirectReach
    let start: Int
    /// Per node: the steps from the start (-1: not reached within the bound).
    let distance: [Int32]
    /// Per node: the edge that reached it first (-1: the start, or not reached).
    let parent: [Int32]
    /// Per principal, the nearest identity reached that authenticates with it
    /// (superusers apart: who-can gives them their superuser path only).
    let identityByPrincipal: [PrincipalKey: Int]
    /// Per node name, the reached kubelet identity.
    let nodeIdentityByName: [ByteString: Int]
    /// The nearest superuser reached.
    let superuser: Int?

    init(reach: IndirectReach, start: Int) {
        self.reach = reach
        self.start = start
        let (distance, parent) = Self.search(reach, from: start)
        self.distance = distance
        self.parent = parent
        var identityByPrincipal: [PrincipalKey: Int] = [:]
        var nodeIdentityByName: [ByteString: Int] = [:]
        var superuser: Int?
        let identities = reach.paths.identities
        // Nearest first, so the first identity seen for a principal is the nearest.
        let reached = identities.indices.filter { distance[$0] >= 0 }.sorted { (distance[$0], $0) < (distance[$1], $1) }
        for index in reached {
            if reach.paths.superusers.contains(index) {
                if superuser == nil { superuser = index }
                continue
            }
            let identity = identities[index]
            for principal in identity.principals where identityByPrincipal[PrincipalKey(principal)] == nil {
                identityByPrincipal[PrincipalKey(principal)] = index
            }
            if sameBytes(identity.kind, "Node"), nodeIdentityByName[ByteString(identity.name)] == nil {
                nodeIdentityByName[ByteString(identity.name)] = index
            }
        }
        self.identityByPrincipal = identityByPrincipal
        self.nodeIdentityByName = nodeIdentityByName
        self.superuser = superuser
    }

    /// The 0-1 breadth-first search forwards: a level is every node at that
    /// many steps, edges without a step (an identity's principals, a hub's
    /// members) stay on the level; at most ``IndirectPaths/maxSteps`` steps,
    /// each node once.
    static func search(_ reach: IndirectReach, from start: Int) -> (distance: [Int32], parent: [Int32]) {
        var distance = Array(repeating: Int32(-1), count: reach.nodeCount)
        var parent = Array(repeating: Int32(-1), count: reach.nodeCount)
        let edges = reach.paths.edges
        distance[start] = 0
        var level = [start]
        var steps: Int32 = 0
        while !level.isEmpty {
            var next: [(node: Int, edge: Int32)] = []
            var position = 0
            while position < level.count {
                let node = level[position]
                position += 1
                for slot in Int(reach.outgoingStart[node])..<Int(reach.outgoingStart[node + 1]) {
                    let edgeIndex = reach.outgoingEdges[slot]
                    let to = edges[Int(edgeIndex)].to
                    guard distance[to] < 0 else { continue }
                    if edges[Int(edgeIndex)].step == nil {
                        distance[to] = steps
                        parent[to] = edgeIndex
                        level.append(to)
                    } else {
                        next.append((to, edgeIndex))
                    }
                }
            }
            steps += 1
            guard steps <= IndirectPaths.maxSteps else { break }
            level = []
            for (node, edge) in next where distance[node] < 0 {
                distance[node] = steps
                parent[node] = edge
                level.append(node)
            }
        }
        return (distance, parent)
    }

    /// The identities reached (the start's own identities included), nearest first.
    public var identities: [KnownIdentity] {
        reach.paths.identities.indices.filter { distance[$0] >= 0 }
            .sorted { (distance[$0], $0) < (distance[$1], $1) }.map { reach.paths.identities[$0] }
    }

    /// Who the start is without a step: itself for an identity, a pod's
    /// ServiceAccount when the pod mounts its token (none otherwise).
    public var startIdentities: [KnownIdentity] {
        reach.paths.identities.indices.filter { distance[$0] == 0 }.map { reach.paths.identities[$0] }
    }

    /// How the start reads `namespace/secretName`, by its shortest chain;
    /// `nil` when it cannot. Whether the secret exists does not matter, as
    /// it does not to RBAC.
    public func access(namespace: String, secretName: String) -> SecretReach? {
        guard let end = nearestEnd(namespace: namespace, secretName: secretName) else { return nil }
        let target = ObjectRef(kind: "Secret", namespace: namespace, name: secretName)
        let chain = chain(to: end.node, target: target)
        switch end.kind {
        case .identity:
            let identity = reach.paths.identities[end.node]
            return SecretReach(chain: chain, reader: identity, via: directPaths(of: end.node, namespace: namespace, secretName: secretName))
        case .pod:
            return SecretReach(chain: chain, mountedBy: reach.podOfNode[end.node])
        case .namespace:
            return SecretReach(chain: chain)
        }
    }

    private enum EndKind { case identity, pod, namespace }

    /// The reached node nearest the start that reads the secret: a direct
    /// reader (as who-can's tables say), a pod mounting it, or "runs a pod /
    /// binds a role in its namespace". At the same distance, a read that
    /// needs fewer permissions wins (a pod's mount, then the namespace's
    /// pods, then an identity's grant), then the lowest node, so answers are stable.
    private func nearestEnd(namespace: String, secretName: String) -> (node: Int, kind: EndKind)? {
        var best: (distance: Int32, rank: Int, node: Int, kind: EndKind)?
        func consider(_ node: Int?, _ kind: EndKind) {
            guard let node, distance[node] >= 0 else { return }
            let rank = switch kind {
            case .pod: 0
            case .namespace: 1
            case .identity: 2
            }
            if let current = best, (current.distance, current.rank, current.node) <= (distance[node], rank, node) { return }
            best = (distance[node], rank, node, kind)
        }
        consider(superuser, .identity)
        for index in grantIndexes(namespace: namespace, secretName: secretName) {
            consider(identityByPrincipal[PrincipalKey(reach.derived.grants[index].principal)], .identity)
        }
        for index in nodeGrantIndexes(namespace: namespace, secretName: secretName) {
            consider(nodeIdentityByName[ByteString(reach.derived.nodeGrants[index].node)], .identity)
        }
        consider(reach.paths.mountNode[ByteString(namespace)], .namespace)
        consider(reach.paths.bindNode[ByteString(namespace)], .namespace)
        for pod in reach.paths.podsMounting[NamespacedName(namespace: namespace, name: secretName)] ?? [] {
            consider(pod, .pod)
        }
        // A role one can bind that reads the secret by name (in its namespace, or in every one).
        for scope in [namespace, ""] {
            for node in reach.paths.namedReads[NamespacedName(namespace: scope, name: secretName)] ?? [] {
                consider(node, .namespace)
            }
        }
        return best.map { ($0.node, $0.kind) }
    }

    /// The grants of the secret's name or of every name, in its namespace or
    /// every one: who-can's four scopes.
    private func grantIndexes(namespace: String, secretName: String) -> [Int] {
        [GrantScope(namespace: nil, secretName: nil), GrantScope(namespace: nil, secretName: secretName),
         GrantScope(namespace: namespace, secretName: nil), GrantScope(namespace: namespace, secretName: secretName)]
            .flatMap { reach.grantsByScope[$0] ?? [] }
    }

    /// The node authorizer's grants of this secret (named, namespaced reads only).
    private func nodeGrantIndexes(namespace: String, secretName: String) -> [Int] {
        guard !namespace.isEmpty, !secretName.isEmpty else { return [] }
        return reach.nodeGrantsBySecret[GrantScope(namespace: namespace, secretName: secretName)] ?? []
    }

    /// Every direct path of identity `index` to the secret, as who-can gives them.
    private func directPaths(of index: Int, namespace: String, secretName: String) -> [AccessPath] {
        if reach.paths.superusers.contains(index) { return [.superuser(group: WellKnown.mastersGroup)] }
        let identity = reach.paths.identities[index]
        let principals = Set(identity.principals.map(PrincipalKey.init))
        var via: [AccessPath] = []
        for grantIndex in grantIndexes(namespace: namespace, secretName: secretName) {
            let grant = reach.derived.grants[grantIndex]
            if principals.contains(PrincipalKey(grant.principal)) { via.append(.rbac(RBACAccess(grant))) }
        }
        if sameBytes(identity.kind, "Node") {
            for grantIndex in nodeGrantIndexes(namespace: namespace, secretName: secretName) {
                let grant = reach.derived.nodeGrants[grantIndex]
                if sameBytes(grant.node, identity.name) {
                    via.append(.node(NodeAccess(node: grant.node, pod: grant.pod, source: grant.source)))
                }
            }
        }
        return Decision(paths: via).paths
    }

    /// The steps from the start to `end`, built by ``IndirectPaths``' own
    /// chain builder from the search's edges (so both directions describe a
    /// chain alike).
    private func chain(to end: Int, target: ObjectRef) -> [ChainStep] {
        var towardEnd: [Int: Int32] = [end: -1]
        var node = end
        while node != start {
            let edgeIndex = parent[node]
            guard edgeIndex >= 0 else { return [] }
            let edge = reach.paths.edges[Int(edgeIndex)]
            towardEnd[edge.from] = edgeIndex
            node = edge.from
        }
        return reach.paths.chain(from: start, visited: towardEnd, finalTarget: target)
    }
}
