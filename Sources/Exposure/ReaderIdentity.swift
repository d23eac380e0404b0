import KubeModel

/// An identity that can read a key, as the exposure report judges it. Filled
/// by the caller from the engine's output; this module depends on no RBAC type.
///
/// ```swift
/// ReaderIdentity.serviceAccount(namespace: "production", name: "default")
/// // username "system:serviceaccount:production:default", the three service-account groups
/// ```
public struct ReaderIdentity: Sendable, Hashable {
    /// `User`, `Group`, `ServiceAccount` or `Node`.
    public var kind: String
    /// The ServiceAccount's namespace, `""` otherwise.
    public var namespace: String
    public var name: String
    /// The user name it authenticates as (`""` for a Group checked as itself).
    public var username: String
    /// Every group it authenticates with.
    public var groups: [String]

    public init(kind: String, namespace: String = "", name: String, username: String = "", groups: [String] = []) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.username = username
        self.groups = groups
    }

    public static func serviceAccount(namespace: String, name: String) -> ReaderIdentity {
        ReaderIdentity(kind: "ServiceAccount", namespace: namespace, name: name,
                       username: WellKnown.serviceAccountUsername(namespace: namespace, name: name),
                       groups: WellKnown.serviceAccountGroups(namespace: namespace))
    }

    public static func user(_ name: String, groups: [String] = [WellKnown.authenticatedGroup]) -> ReaderIdentity {
        ReaderIdentity(kind: "User", name: name, username: name, groups: groups)
    }

    public static func group(_ name: String) -> ReaderIdentity {
        ReaderIdentity(kind: "Group", name: name)
    }

    public static func node(_ name: String) -> ReaderIdentity {
        ReaderIdentity(kind: "Node", name: name, username: WellKnown.nodeUserPrefix + name, groups: [WellKnown.nodesGroup])
    }

    /// The ServiceAccount it is, by kind or by a `system:serviceaccount:NS:NAME` user name.
    public var serviceAccount: (namespace: String, name: String)? {
        if kind == "ServiceAccount" { return (namespace, name) }
        return WellKnown.splitServiceAccountUsername(username)
    }

    /// True when it is the Group `group` or authenticates with it.
    public func isInGroup(_ group: String) -> Bool {
        (kind == "Group" && name == group) || groups.contains(group)
    }
}

/// How one reader reaches one key: the identity plus the evidence the
/// expected-holder rules look at.
public struct ReaderAccess: Sendable, Hashable {
    public var reader: ReaderIdentity
    /// Names of the Roles/ClusterRoles whose bindings grant this reader the read.
    public var roleNames: [String]
    /// For a Node reading through the node authorizer: the pods bound to it that reference the key.
    public var podsOnNode: [ObjectRef]

    public init(reader: ReaderIdentity, roleNames: [String] = [], podsOnNode: [ObjectRef] = []) {
        self.reader = reader
        self.roleNames = roleNames
        self.podsOnNode = podsOnNode
    }
}
