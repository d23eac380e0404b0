import KubeModel
import RBAC

/// The exposure report judges the engine's own identities (``KnownIdentity``):
/// these helpers name them in tests and read the facts the expected-holder and
/// severity rules look at. The constructors are RBAC's, so an identity built
/// here is the one `WhoCan` returns.
///
/// ```swift
/// KnownIdentity.serviceAccount(namespace: "production", name: "default")
/// // username "system:serviceaccount:production:default", the three service-account groups
/// ```
extension KnownIdentity {
    public static func serviceAccount(namespace: String, name: String) -> KnownIdentity {
        AccessIndexer.serviceAccountIdentity(namespace: namespace, name: name)
    }

    /// A user in `system:authenticated`; a `system:serviceaccount:NS:NAME` name is that ServiceAccount.
    public static func user(_ name: String) -> KnownIdentity { AccessIndexer.userIdentity(name) }

    /// A user with exactly these groups (a `kubectl --as-group` caller).
    public static func user(_ name: String, groups: [String]) -> KnownIdentity {
        KnownIdentity(kind: "User", name: name, username: name, groups: groups)
    }

    public static func group(_ name: String) -> KnownIdentity { AccessIndexer.groupIdentity(name) }

    public static func node(_ name: String) -> KnownIdentity { AccessIndexer.nodeIdentity(name) }

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
    public var reader: KnownIdentity
    /// Names of the Roles/ClusterRoles whose bindings grant this reader the read.
    public var roleNames: [String]
    /// For a Node reading through the node authorizer: the pods bound to it that reference the key.
    public var podsOnNode: [ObjectRef]

    public init(reader: KnownIdentity, roleNames: [String] = [], podsOnNode: [ObjectRef] = []) {
        self.reader = reader
        self.roleNames = roleNames
        self.podsOnNode = podsOnNode
    }
}
