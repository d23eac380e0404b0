/// One entry of a Role's or ClusterRole's `rules`, exactly as written:
/// no normalisation (case, wildcards) happens here — the RBAC module decides.
public struct PolicyRule: Sendable, Hashable, Codable {
    public var verbs: [String]
    public var apiGroups: [String]
    public var resources: [String]
    public var resourceNames: [String]
    public var nonResourceURLs: [String]

    public init(verbs: [String], apiGroups: [String] = [], resources: [String] = [],
                resourceNames: [String] = [], nonResourceURLs: [String] = []) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }
}

/// A binding subject as written (`kind` is case-sensitive; `namespace` may be
/// empty, which means different things in a RoleBinding and a
/// ClusterRoleBinding).
public struct Subject: Sendable, Hashable, Codable {
    public var kind: String
    public var apiGroup: String
    public var name: String
    public var namespace: String

    public init(kind: String, apiGroup: String = "", name: String, namespace: String = "") {
        self.kind = kind
        self.apiGroup = apiGroup
        self.name = name
        self.namespace = namespace
    }
}

/// `roleRef` of a binding.
public struct RoleRef: Sendable, Hashable, Codable {
    public var apiGroup: String
    public var kind: String
    public var name: String

    public init(apiGroup: String = "rbac.authorization.k8s.io", kind: String, name: String) {
        self.apiGroup = apiGroup
        self.kind = kind
        self.name = name
    }
}

/// A Role (namespaced) or ClusterRole (`meta.namespace == ""`).
public struct Role: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    public var rules: [PolicyRule]
    /// Only ClusterRoles have one; `nil` means not aggregated.
    public var aggregationRule: AggregationRule?

    public var isClusterRole: Bool { meta.namespace.isEmpty }

    public init(meta: ObjectMeta, rules: [PolicyRule], aggregationRule: AggregationRule? = nil) {
        self.meta = meta
        self.rules = rules
        self.aggregationRule = aggregationRule
    }
}

/// `aggregationRule` of a ClusterRole.
public struct AggregationRule: Sendable, Hashable, Codable {
    public var clusterRoleSelectors: [LabelSelector]
    public init(clusterRoleSelectors: [LabelSelector]) { self.clusterRoleSelectors = clusterRoleSelectors }
}

/// A Kubernetes label selector (`matchLabels` and `matchExpressions`, ANDed).
public struct LabelSelector: Sendable, Hashable, Codable {
    /// Keyed by bytes (two canonically equal keys are two requirements, as in Go).
    public var matchLabels: ByteKeyedMap
    public var matchExpressions: [LabelSelectorRequirement]

    public init(matchLabels: ByteKeyedMap = [:], matchExpressions: [LabelSelectorRequirement] = []) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }
}

/// One `matchExpressions` entry; `operator` is kept as written
/// (`In`, `NotIn`, `Exists`, `DoesNotExist`; anything else is invalid).
public struct LabelSelectorRequirement: Sendable, Hashable, Codable {
    public var key: String
    public var `operator`: String
    public var values: [String]

    public init(key: String, operator: String, values: [String] = []) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }
}

/// A RoleBinding (namespaced) or ClusterRoleBinding (`meta.namespace == ""`).
public struct RoleBinding: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    public var roleRef: RoleRef
    public var subjects: [Subject]

    public var isClusterRoleBinding: Bool { meta.namespace.isEmpty }

    public init(meta: ObjectMeta, roleRef: RoleRef, subjects: [Subject]) {
        self.meta = meta
        self.roleRef = roleRef
        self.subjects = subjects
    }
}

/// A ServiceAccount object.
public struct ServiceAccount: Sendable, Hashable, Codable {
    public var meta: ObjectMeta
    public var automountServiceAccountToken: Bool?
    /// `secrets[].name` and `imagePullSecrets[].name`.
    public var secretNames: [String]
    public var imagePullSecretNames: [String]

    public init(meta: ObjectMeta, automountServiceAccountToken: Bool? = nil,
                secretNames: [String] = [], imagePullSecretNames: [String] = []) {
        self.meta = meta
        self.automountServiceAccountToken = automountServiceAccountToken
        self.secretNames = secretNames
        self.imagePullSecretNames = imagePullSecretNames
    }
}
