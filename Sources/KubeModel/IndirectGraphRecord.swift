/// The "can become" graph of one snapshot as the store keeps it: RBAC's
/// `IndirectPaths` computes it at import, the store writes it as rows
/// (`indirect_node`, `indirect_edge`, `indirect_seed`), and `who-can
/// --indirect` and `exposure --indirect` on a database search it as read,
/// without the snapshot. It grows with the cluster (bindings × rules, pods,
/// identities), never with secrets × identities: chains are paths in it.
///
/// Nodes `0..<identityCount` are the snapshot's identities in the order of
/// ``DerivedAccess/identities``; ``nodes`` are the others, numbered after them.
public struct IndirectGraphRecord: Sendable, Hashable {
    /// Bumped whenever the graph's meaning changes: a stored graph of another version is recomputed.
    public static let currentVersion = 2

    public var version: Int
    public var identityCount: Int
    public var nodes: [IndirectNodeRecord]
    public var edges: [IndirectEdgeRecord]
    /// Nodes that read one secret by name without a grant of their own.
    public var seeds: [IndirectSeedRecord]

    public init(version: Int = IndirectGraphRecord.currentVersion, identityCount: Int, nodes: [IndirectNodeRecord],
                edges: [IndirectEdgeRecord], seeds: [IndirectSeedRecord]) {
        self.version = version
        self.identityCount = identityCount
        self.nodes = nodes
        self.edges = edges
        self.seeds = seeds
    }
}

/// A node besides the identities: `principal` (name `user:NAME`/`group:NAME`),
/// `mount` (runs a pod in `namespace`), `bind` (binds itself any role there),
/// `pod`, `execAny`, `nodeProxy` (name: the node), `impersonateUsers`,
/// `impersonateGroups`, `impersonateServiceAccounts`, `tokenAny`, `heldRole`
/// (a role one can bind by name: namespace/name of the role, `scope` where).
/// A `""` namespace on a hub is the hub of every namespace.
public struct IndirectNodeRecord: Sendable, Hashable {
    public var kind: String
    public var namespace: String
    public var name: String
    public var scope: String

    public init(kind: String, namespace: String = "", name: String = "", scope: String = "") {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.scope = scope
    }
}

/// An edge "`from` can become or reach `to`": with a `step` (the raw value
/// of RBAC's `IndirectStep`) one permission, named by `via`; without, structure.
public struct IndirectEdgeRecord: Sendable, Hashable {
    public var from: Int
    public var to: Int
    public var step: String?
    public var through: ObjectRef?
    public var via: IndirectViaRecord?

    public init(from: Int, to: Int, step: String? = nil, through: ObjectRef? = nil, via: IndirectViaRecord? = nil) {
        self.from = from
        self.to = to
        self.step = step
        self.through = through
        self.via = via
    }
}

/// The permission behind a step: an RBAC rule of a binding, or the node
/// authorizer (a kubelet reading a token secret).
/// `indirect`: most edges have no permission behind them, and an edge holding
/// the record inline would be as large as one that has (a fifth of import's
/// peak memory on a big cluster); boxed, an edge without one holds a nil pointer.
public indirect enum IndirectViaRecord: Sendable, Hashable {
    case rbac(binding: ObjectRef, role: ObjectRef, ruleIndex: Int, subject: Subject, principal: Principal)
    case node(node: String, pod: ObjectRef, source: PodSecretReference.Source)
}

/// `kind` `mounts` (a pod mounting the secret) or `readsByName` (a role one
/// can bind reads it by name; namespace `""`: in every namespace).
public struct IndirectSeedRecord: Sendable, Hashable {
    public var kind: String
    public var namespace: String
    public var secretName: String
    public var node: Int

    public init(kind: String, namespace: String, secretName: String, node: Int) {
        self.kind = kind
        self.namespace = namespace
        self.secretName = secretName
        self.node = node
    }
}
