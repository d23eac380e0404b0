import KubeModel

/// Who is asking: an authenticated user name and its groups, as the API
/// server's `user.Info` carries them after authentication or impersonation.
///
/// An empty `name` is keyreach's stand-in for "a Group checked as itself":
/// the API server never authenticates a request without a user name, so an
/// empty name matches no `User` subject.
public struct UserInfo: Sendable, Hashable, Codable {
    public var name: String
    public var groups: [String]

    public init(name: String, groups: [String] = []) {
        self.name = name
        self.groups = groups
    }

    /// The user a ``KnownIdentity`` authenticates as.
    public init(_ identity: KnownIdentity) {
        self.init(name: identity.username, groups: identity.groups)
    }

    /// The principals RBAC subjects can match: the user name (when there is
    /// one) and every group.
    public var principals: [Principal] {
        (name.isEmpty ? [] : [.user(name)]) + groups.map { .group($0) }
    }
}

/// The authorizer's attributes of one request (k8s.io/apiserver
/// `authorizer.Attributes`): who, which verb, and either a resource
/// (group, resource, subresource, namespace, name) or a non-resource URL.
///
/// ```swift
/// let alice = UserInfo(name: "alice", groups: ["system:authenticated"])
/// let request = ResourceRequest(user: alice, verb: "get", resource: "secrets",
///                               namespace: "shop", name: "shop-tls")
/// ```
public struct ResourceRequest: Sendable, Hashable {
    public var user: UserInfo
    public var verb: String
    public var apiGroup: String
    public var resource: String
    public var subresource: String
    /// `""` for a cluster-scoped request (or one across all namespaces).
    public var namespace: String
    /// `""` when the request names no object (create, a plain list). A list
    /// or watch with `fieldSelector=metadata.name=X` carries the name `X`.
    public var name: String
    /// Set for a non-resource request (`/healthz`, `/metrics`); the resource
    /// fields are then ignored.
    public var nonResourceURL: String?

    public init(user: UserInfo, verb: String, apiGroup: String = "", resource: String, subresource: String = "",
                namespace: String = "", name: String = "") {
        self.user = user
        self.verb = verb
        self.apiGroup = apiGroup
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
        self.nonResourceURL = nil
    }

    /// A non-resource request such as `get /healthz`.
    public init(user: UserInfo, verb: String, nonResourceURL: String) {
        self.init(user: user, verb: verb, resource: "")
        self.nonResourceURL = nonResourceURL
    }

    public var isResourceRequest: Bool { nonResourceURL == nil }

    /// A request on core-group `secrets`, the resource keyreach is about.
    public static func secret(_ verb: String, namespace: String, name: String = "", user: UserInfo) -> ResourceRequest {
        ResourceRequest(user: user, verb: verb, apiGroup: "", resource: SecretResource.resource,
                        namespace: namespace, name: name)
    }
}

/// Core-group `secrets` and the verbs that return a secret's contents.
public enum SecretResource {
    public static let apiGroup = ""
    public static let resource = "secrets"
}

/// The verbs that return a secret's bytes: `get` by name, and `list`/`watch`
/// (whole collections, or one name with `fieldSelector=metadata.name`).
public enum SecretReadVerb: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case get, list, watch

    public static func < (a: SecretReadVerb, b: SecretReadVerb) -> Bool { a.index < b.index }

    /// The verb spelled with exactly these bytes; `init(rawValue:)` compares
    /// `String`s, which a canonically equal spelling would pass.
    public init?(bytes verb: String) {
        guard let match = Self.allCases.first(where: { sameBytes($0.rawValue, verb) }) else { return nil }
        self = match
    }

    /// Position in `allCases`.
    var index: Int {
        switch self {
        case .get: 0
        case .list: 1
        case .watch: 2
        }
    }
}
