/// The engine's answer for one snapshot, as stored in the derived tables.
/// RBAC computes it (`AccessIndexer`), Store persists and loads it, the
/// query layer and the CLI read it. Computed once per snapshot.
///
/// It never holds a group × member × secret cross product: a grant to a group
/// stays one ``SecretGrant`` row, and its members are found by joining
/// ``KnownIdentity/principals`` to ``SecretGrant/principal``.
public struct DerivedAccess: Sendable, Hashable, Codable {
    /// Bumped whenever the engine's semantics change, so stored derived
    /// tables computed by an older engine are recomputed, never trusted.
    /// 2: names compare as bytes (Bytes.swift), so tables stored by engine 1
    /// may merge names that only Swift's `==` calls equal.
    public static let currentEngineVersion = 2

    public var engineVersion: Int
    public var identities: [KnownIdentity]
    public var grants: [SecretGrant]
    public var nodeGrants: [NodeSecretGrant]

    public init(engineVersion: Int = DerivedAccess.currentEngineVersion, identities: [KnownIdentity] = [],
                grants: [SecretGrant] = [], nodeGrants: [NodeSecretGrant] = []) {
        self.engineVersion = engineVersion
        self.identities = identities
        self.grants = grants
        self.nodeGrants = nodeGrants
    }
}

/// What an RBAC subject or an identity is known by when matching: a user
/// name or a group name. `user:system:serviceaccount:ns:sa`, `group:system:masters`.
public struct Principal: Sendable, Hashable, Codable, Comparable {
    public enum Kind: String, Sendable, Hashable, Codable { case user, group }
    public var kind: Kind
    public var name: String

    public init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    public static func user(_ name: String) -> Principal { Principal(.user, name) }
    public static func group(_ name: String) -> Principal { Principal(.group, name) }

    /// `user:NAME` / `group:NAME`, the form stored in SQL.
    public var key: String { kind.rawValue + ":" + name }

    /// By bytes, as the API server compares names: canonically equal but
    /// differently spelled user or group names are two principals.
    public static func < (a: Principal, b: Principal) -> Bool { bytesPrecede(a.key, b.key) }

    public static func == (a: Principal, b: Principal) -> Bool { a.kind == b.kind && sameBytes(a.name, b.name) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hashBytes(name, into: &hasher)
    }
}

/// An identity the API server could see, evaluated as itself: every User and
/// Group named in a binding, every ServiceAccount named in a binding or
/// present as an object, every Node, and `system:masters`.
public struct KnownIdentity: Sendable, Hashable, Codable {
    /// `User`, `Group`, `ServiceAccount` or `Node`.
    public var kind: String
    /// The ServiceAccount's namespace, `""` otherwise.
    public var namespace: String
    public var name: String
    /// The user name it authenticates as (`""` for a Group checked as itself).
    public var username: String
    /// Every group it authenticates with.
    public var groups: [String]

    public init(kind: String, namespace: String = "", name: String, username: String, groups: [String]) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.username = username
        self.groups = groups
    }

    /// The principals RBAC subjects can match it by.
    public var principals: [Principal] {
        (username.isEmpty ? [] : [.user(username)]) + groups.map { .group($0) }
    }

    /// Every field as bytes: twin names (KELVIN SIGN, NFC/NFD) are two identities.
    public static func == (a: KnownIdentity, b: KnownIdentity) -> Bool {
        sameBytes(a.name, b.name) && sameBytes(a.namespace, b.namespace) && sameBytes(a.kind, b.kind)
            && sameBytes(a.username, b.username) && a.groups.count == b.groups.count
            && zip(a.groups, b.groups).allSatisfy { sameBytes($0, $1) }
    }

    public func hash(into hasher: inout Hasher) {
        hashBytes(kind, into: &hasher)
        hashBytes(namespace, into: &hasher)
        hashBytes(name, into: &hasher)
        hashBytes(username, into: &hasher)
    }
}

/// One binding subject granted one secret-reading verb (`get`, `list` or
/// `watch`) by one rule. `namespace == nil` means every namespace (a
/// ClusterRoleBinding); `secretName == nil` means every name (no
/// `resourceNames`).
public struct SecretGrant: Sendable, Hashable, Codable {
    public var verb: String
    public var namespace: String?
    public var secretName: String?
    /// What the subject matches: a user name (User and ServiceAccount
    /// subjects) or a group name.
    public var principal: Principal
    /// The subject as written in the binding, ServiceAccount namespace
    /// defaulted to the RoleBinding's.
    public var subject: Subject
    /// `RoleBinding` or `ClusterRoleBinding`.
    public var binding: ObjectRef
    /// `Role` or `ClusterRole`.
    public var role: ObjectRef
    /// Index of the rule in the role's rules (after aggregation).
    public var ruleIndex: Int

    public init(verb: String, namespace: String?, secretName: String?, principal: Principal, subject: Subject,
                binding: ObjectRef, role: ObjectRef, ruleIndex: Int) {
        self.verb = verb
        self.namespace = namespace
        self.secretName = secretName
        self.principal = principal
        self.subject = subject
        self.binding = binding
        self.role = role
        self.ruleIndex = ruleIndex
    }
}

/// The node authorizer's grant: the kubelet of `node` may get/list/watch
/// `namespace/secretName` because a non-mirror `pod` bound to it references
/// it through `source`.
public struct NodeSecretGrant: Sendable, Hashable, Codable {
    public var node: String
    public var namespace: String
    public var secretName: String
    public var pod: ObjectRef
    public var source: PodSecretReference.Source

    public init(node: String, namespace: String, secretName: String, pod: ObjectRef, source: PodSecretReference.Source) {
        self.node = node
        self.namespace = namespace
        self.secretName = secretName
        self.pod = pod
        self.source = source
    }
}

/// How identities are told apart: kind, namespace, name, as bytes (as the
/// API server tells names apart; a Swift String key would merge canonically
/// equal spellings). The engine, exposure per key and diff key on it.
public struct IdentityKey: Hashable, Sendable {
    public var kind: ByteString
    public var namespace: ByteString
    public var name: ByteString

    public init(_ identity: KnownIdentity) {
        kind = ByteString(identity.kind)
        namespace = ByteString(identity.namespace)
        name = ByteString(identity.name)
    }

    /// Namespace and name only: kinds are few, and `==` still compares them.
    public func hash(into hasher: inout Hasher) {
        namespace.hash(into: &hasher)
        name.hash(into: &hasher)
    }
}

extension KnownIdentity {
    /// The identity as an object reference (kind, namespace, name): what
    /// output names it by and orders it by (``ObjectRef``'s `<`, by bytes).
    public var ref: ObjectRef { ObjectRef(kind: kind, namespace: namespace, name: name) }
}

extension Subject {
    /// `Kind namespace/name` of a binding subject.
    public var kindAndName: String { KubeModel.kindAndName(kind: kind, namespace: namespace, name: name) }
}
