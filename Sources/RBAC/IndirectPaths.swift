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
    /// `escalate` roles plus create rolebindings: the same, with a role of one's making.
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
    let mountNode: [String: Int]
    let bindNode: [String: Int]
    /// Pod nodes by the secrets their containers mount (volumes, env).
    let podsMounting: [NamespacedName: [Int]]
    let superusers: Set<Int>
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
        graph.finish()
        identities = graph.identities
        identityIndex = graph.identityIndex
        edges = graph.edges
        var incoming = Array(repeating: [Int32](), count: graph.nodeCount)
        for (index, edge) in graph.edges.enumerated() { incoming[edge.to].append(Int32(index)) }
        self.incoming = incoming
        var mountNode: [String: Int] = [:]
        var bindNode: [String: Int] = [:]
        for (key, node) in graph.nodes {
            switch key {
            case .mount(let namespace) where !namespace.isEmpty: mountNode[namespace] = node
            case .bind(let namespace) where !namespace.isEmpty: bindNode[namespace] = node
            default: break
            }
        }
        self.mountNode = mountNode
        self.bindNode = bindNode
        podsMounting = graph.podsMounting
        superusers = graph.superusers
        podNodes = Dictionary(graph.podRefs.map { (NamespacedName(namespace: $0.value.namespace, name: $0.value.name), $0.key) },
                              uniquingKeysWith: min)
    }

    /// Every known identity that is not among `direct` (the direct readers of
    /// the question) but can read the secrets of `namespace` named
    /// `secretName` (`nil`: every secret of the namespace, the collection
    /// question) through a chain of "can become" steps; sorted like
    /// identities, each with its shortest chain.
    public func indirectReaders(namespace: String, secretName: String?, direct: [SubjectAccess]) -> [IndirectReader] {
        var visited: [Int: Int32] = [:]  // node → edge towards the target (-1: a seed)
        var level: [Int] = []
        func seed(_ node: Int?) {
            guard let node, visited[node] == nil else { return }
            visited[node] = -1
            level.append(node)
        }
        for subject in direct { seed(identityIndex[IdentityKey(subject.identity)]) }
        for index in superusers { seed(index) }
        seed(mountNode[namespace])
        seed(bindNode[namespace])
        if let secretName {
            for pod in podsMounting[NamespacedName(namespace: namespace, name: secretName)] ?? [] { seed(pod) }
        }
        // 0-1 breadth-first search backwards: edges without a step (membership,
        // hubs) cost nothing, so each level is every node at that many steps.
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
        let finalTarget = secretName.map { ObjectRef(kind: "Secret", namespace: namespace, name: $0) }
            ?? ObjectRef(kind: "Namespace", name: namespace)
        var readers: [IndirectReader] = []
        for (node, edge) in visited where node < identities.count && edge >= 0 {
            readers.append(IndirectReader(identity: identities[node], chain: chain(from: node, visited: visited, finalTarget: finalTarget)))
        }
        return readers.sorted { identityPrecedes($0.identity, $1.identity) }
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
                landed.target = ObjectRef(kind: identity.kind, namespace: identity.namespace, name: identity.name)
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
}

/// The order of ``DerivedAccess/identities``: kind, namespace, name.
private func identityPrecedes(_ a: KnownIdentity, _ b: KnownIdentity) -> Bool {
    (a.kind, a.namespace, a.name) < (b.kind, b.namespace, b.name)
}

/// An edge "`from` can become or reach `to`". With a `step`, it is one
/// permission (`via`); without, it is structure: an identity has its
/// principals, a hub ("any pod of the namespace") leads to each member.
struct Edge: Sendable {
    var from: Int
    var to: Int
    var step: IndirectStep?
    var via: AccessPath?
    /// The namespace, pod or secret the step goes through.
    var through: ObjectRef?
}

/// The nodes besides identities (which are nodes `0..<identities.count`).
/// A `""` namespace or name is the hub of every one.
private enum NodeKey: Hashable {
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
}

/// The core-group resources, API groups and verbs of the steps, as the API
/// server's authorizer sees the requests (kubectl exec is `create pods/exec`).
private enum StepRequests {
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
private struct GraphBuilder {
    let identities: [KnownIdentity]
    var identityIndex: [IdentityKey: Int] = [:]
    var nodes: [NodeKey: Int] = [:]
    var nodeCount: Int
    var edges: [Edge] = []
    var podsMounting: [NamespacedName: [Int]] = [:]
    var superusers: Set<Int> = []
    private var serviceAccountsByNamespace: [String: [Int]] = [:]
    private var identitiesByUsername: [String: [Int]] = [:]
    private var groupIdentity: [String: Int] = [:]
    private var namespaces: Set<String> = []
    private var podsByNamespace: [String: [(name: String, node: Int)]] = [:]
    private var podsByNodeName: [String: [Int]] = [:]
    private(set) var podRefs: [Int: ObjectRef] = [:]
    /// Per principal, where it may bind/escalate and where create rolebindings.
    private var bindScopes: [Principal: [(namespace: String, step: IndirectStep, via: AccessPath)]] = [:]
    private var bindingCreateScopes: [Principal: Set<String>] = [:]

    init(identities: [KnownIdentity]) {
        self.identities = identities
        nodeCount = identities.count
        for (index, identity) in identities.enumerated() {
            identityIndex[IdentityKey(identity)] = index
            if identity.groups.contains(WellKnown.mastersGroup) { superusers.insert(index) }
            switch identity.kind {
            case "ServiceAccount":
                serviceAccountsByNamespace[identity.namespace, default: []].append(index)
                namespaces.insert(identity.namespace)
            case "Group": groupIdentity[identity.name] = index
            default: break
            }
            if !identity.username.isEmpty { identitiesByUsername[identity.username, default: []].append(index) }
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
        for namespace in snapshot.namespaces { namespaces.insert(namespace.meta.name) }
        for secret in snapshot.secrets { namespaces.insert(secret.meta.namespace) }
        var automount: [NamespacedName: Bool] = [:]
        for account in snapshot.serviceAccounts {
            if let value = account.automountServiceAccountToken {
                automount[NamespacedName(namespace: account.meta.namespace, name: account.meta.name)] = value
            }
        }
        for (index, pod) in snapshot.pods.enumerated() {
            let namespace = pod.meta.namespace
            namespaces.insert(namespace)
            let podNode = node(.pod(index))
            podRefs[podNode] = ObjectRef(kind: "Pod", namespace: namespace, name: pod.meta.name)
            podsByNamespace[namespace, default: []].append((pod.meta.name, podNode))
            if !pod.spec.nodeName.isEmpty { podsByNodeName[pod.spec.nodeName, default: []].append(podNode) }
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
                if allowedNames("create", "pods") == [""] {
                    edge(from, node(.mount(namespace)), .createPods, via: via, through: namespaceRef)
                } else if StepRequests.workloads.contains(where: { workload in
                    StepRequests.workloadVerbs.contains { !allowedNames($0, group: workload.group, workload.resource).isEmpty }
                }) {
                    edge(from, node(.mount(namespace)), .workloadController, via: via, through: namespaceRef)
                }
                var execPods: Set<String> = []
                for entry in StepRequests.podEntries {
                    execPods.formUnion(allowedNames(entry.verb, "pods", entry.subresource))
                }
                if execPods.contains("") {
                    edge(from, node(.execAny(namespace)), .exec, via: via, through: namespaceRef)
                } else {
                    for pod in execPods.sorted() { addPodEdges(from: from, namespace: namespace, podName: pod, step: .exec, via: via) }
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
                for verb in ["bind", "escalate"] {
                    if ["roles", "clusterroles"].contains(where: { allowedNames(verb, group: StepRequests.rbacGroup, $0) == [""] }) {
                        bindScopes[subject.principal, default: []].append((namespace, verb == "bind" ? .bind : .escalate, via))
                    }
                }
                if ["create", "update"].contains(where: { allowedNames($0, group: StepRequests.rbacGroup, "rolebindings") == [""] }) {
                    bindingCreateScopes[subject.principal, default: []].insert(namespace)
                }
                // Cluster-scoped resources: only a ClusterRoleBinding grants them.
                guard isCluster else { continue }
                if ["create", "update"].contains(where: { allowedNames($0, group: StepRequests.rbacGroup, "clusterrolebindings") == [""] }) {
                    bindingCreateScopes[subject.principal, default: []].insert("")
                }
                for name in allowedNames("impersonate", "users") {
                    if name.isEmpty {
                        edge(from, node(.impersonateUsers), .impersonate, via: via)
                    } else {
                        for identity in identitiesByUsername[name] ?? [] { edge(from, identity, .impersonate, via: via) }
                    }
                }
                for name in allowedNames("impersonate", "groups") {
                    if name.isEmpty {
                        edge(from, node(.impersonateGroups), .impersonate, via: via)
                    } else if let group = groupIdentity[name] {
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
        return namespaces.sorted().compactMap { serviceAccount(namespace: $0, name: name) }
    }

    private mutating func addPodEdges(from: Int, namespace: String, podName: String, step: IndirectStep, via: AccessPath) {
        let scopes = namespace.isEmpty ? Array(podsByNamespace.keys) : [namespace]
        for scope in scopes {
            for pod in podsByNamespace[scope] ?? [] where pod.name == podName {
                edge(from, pod.node, step, via: via, through: podRefs[pod.node])
            }
        }
    }

    /// A token secret's readers (every path that allows get or list of it,
    /// as who-can finds them) become its ServiceAccount.
    mutating func addTokenSecrets(_ secrets: [Secret], whoCan: WhoCan) {
        for secret in secrets where secret.type == StepRequests.tokenSecretType {
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

    /// The structure: identities to their principals, bind and create
    /// rolebindings joined per scope, and the hubs to their members.
    mutating func finish() {
        for (principal, scopes) in bindScopes {
            let creates = bindingCreateScopes[principal] ?? []
            for scope in scopes {
                // Binding in a namespace needs both there; "" is every namespace.
                let targets: [String] = scope.namespace.isEmpty
                    ? (creates.contains("") ? [""] : creates.sorted())
                    : (creates.contains("") || creates.contains(scope.namespace) ? [scope.namespace] : [])
                for target in targets {
                    edge(node(.principal(principal)), node(.bind(target)), scope.step, via: scope.via,
                         through: target.isEmpty ? nil : ObjectRef(kind: "Namespace", name: target))
                }
            }
        }
        for (index, identity) in identities.enumerated() where !superusers.contains(index) {
            for principal in Set(identity.principals) {
                if let principalNode = nodes[.principal(principal)] { edge(index, principalNode) }
            }
        }
        let allNamespaces = namespaces.sorted()
        let hubs = Array(nodes)
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
                for nodeName in podsByNodeName.keys.sorted() {
                    edge(hub, node(.nodeProxy(nodeName)), through: ObjectRef(kind: "Node", name: nodeName))
                }
            default: break
            }
        }
        for (key, hub) in Array(nodes) {
            switch key {
            case .mount(let namespace), .impersonateServiceAccounts(let namespace), .tokenAny(let namespace):
                guard !namespace.isEmpty else { continue }
                for account in serviceAccountsByNamespace[namespace] ?? [] { edge(hub, account) }
            case .execAny(let namespace):
                guard !namespace.isEmpty else { continue }
                for pod in podsByNamespace[namespace] ?? [] { edge(hub, pod.node, through: podRefs[pod.node]) }
            case .nodeProxy(let name):
                guard !name.isEmpty else { continue }
                for pod in podsByNodeName[name] ?? [] { edge(hub, pod, through: podRefs[pod]) }
            case .impersonateUsers:
                for (index, identity) in identities.enumerated() where !identity.username.isEmpty { edge(hub, index) }
            case .impersonateGroups:
                for index in groupIdentity.values.sorted() { edge(hub, index) }
            default: break
            }
        }
    }
}
