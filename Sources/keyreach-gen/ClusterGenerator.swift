import SeededRandom

/// The kinds the generator writes, in the order the summary lists them.
enum GeneratedKind: Int, CaseIterable {
    case namespace, node, serviceAccount, secret, configMap, service
    case deployment, replicaSet, pod, ingress
    case role, roleBinding, clusterRole, clusterRoleBinding
    case certificate, clusterIssuer

    var name: String {
        switch self {
        case .namespace: "Namespace"
        case .node: "Node"
        case .serviceAccount: "ServiceAccount"
        case .secret: "Secret"
        case .configMap: "ConfigMap"
        case .service: "Service"
        case .deployment: "Deployment"
        case .replicaSet: "ReplicaSet"
        case .pod: "Pod"
        case .ingress: "Ingress"
        case .role: "Role"
        case .roleBinding: "RoleBinding"
        case .clusterRole: "ClusterRole"
        case .clusterRoleBinding: "ClusterRoleBinding"
        case .certificate: "Certificate"
        case .clusterIssuer: "ClusterIssuer"
        }
    }
}

/// How much of a live pod spec to write. Both keep every field keyreach
/// reads (service account, node, secret/projected/configMap volumes, env and
/// envFrom secret references, image pull secrets, owner references, the
/// token volume).
enum PodDetail: String, CaseIterable {
    /// About 1.5 KB per pod in JSON: what keyreach reads plus images,
    /// resources and a short status. 2,000 namespaces give about 120 MB of
    /// JSON, the size issue 5's targets are set for.
    case compact
    /// About 4.5 KB per pod in JSON, everything a live cluster returns
    /// (probes, security contexts, tolerations, conditions, container
    /// statuses, sidecars' args): 2,000 namespaces give about 305 MB.
    case full
}

/// What one run wrote: objects and bytes per kind.
struct GenerationTally {
    var objects = [Int](repeating: 0, count: GeneratedKind.allCases.count)
    var bytes = [Int](repeating: 0, count: GeneratedKind.allCases.count)

    var totalObjects: Int { objects.reduce(0, +) }
}

/// A `ownerReferences` entry.
struct OwnerReference {
    var apiVersion: StaticString
    var kind: StaticString
    var name: String
    var uid: String
}

/// Writes a whole synthetic cluster through a `StructuredWriter`, object by
/// object: cluster-scoped objects and system namespaces first, then
/// `namespaceCount` application namespaces. Every choice is drawn from one
/// seeded `SplitMix64`, so a seed always gives the same dump.
struct ClusterGenerator<W: StructuredWriter> {
    var out: W
    var rng: SplitMix64
    let namespaceCount: Int
    let podDetail: PodDetail
    /// Extra shapes of big clusters (none by default).
    var shapes = Shapes()
    private(set) var tally = GenerationTally()
    /// Node names; pods are spread over them (about one node per 20
    /// namespaces, plus 3).
    let nodes: [String]
    /// The creation time of the next object, seconds since 1970.
    var clock = 1_735_689_600  // 2025-01-01T00:00:00Z
    var resourceVersion = 1000
    /// The namespaces the wildcard key's `replicate-to` names (``WildcardCopies``).
    var replicatedNamespaces: [String] = []

    private var currentKind = GeneratedKind.namespace
    private var objectStart = 0

    init(writer: W, seed: UInt64, namespaceCount: Int, podDetail: PodDetail = .compact) {
        out = writer
        rng = SplitMix64(seed: seed)
        self.namespaceCount = namespaceCount
        self.podDetail = podDetail
        let nodeCount = namespaceCount / 20 + 3
        var names: [String] = []
        var nameRNG = SplitMix64(seed: seed ^ 0x6E6F_6465)
        for index in 0..<nodeCount {
            let zone = ["a", "b", "c"][index % 3]
            names.append("ip-10-\(nameRNG.int(in: 0...63))-\(index / 250)-\(index % 250)-eu-west-1\(zone)")
        }
        nodes = names
    }

    /// Writes the dump and flushes it; returns what was written.
    mutating func generate() throws(GeneratorError) -> GenerationTally {
        for index in nodes.indices {
            try node(index: index)
        }
        try clusterRoles()
        try clusterRoleBindings()
        try clusterIssuers()
        try systemNamespaces()
        for index in 0..<namespaceCount {
            try applicationNamespace(index: index)
        }
        try wildcardSource()
        out.finish()
        try out.sink.close()
        return tally
    }

    // MARK: - Object framing

    /// Starts an object: document separator, `apiVersion`, `kind`.
    mutating func begin(_ kind: GeneratedKind, _ apiVersion: StaticString, _ kindName: StaticString) {
        currentKind = kind
        objectStart = out.sink.totalBytes + out.sink.buffer.count
        out.beginDocument()
        out.beginMap()
        out.field("apiVersion", apiVersion)
        out.field("kind", kindName)
    }

    /// Ends the object begun last, counts it, and flushes about every MB.
    mutating func end() throws(GeneratorError) {
        out.endMap()
        out.endDocument()
        tally.objects[currentKind.rawValue] += 1
        tally.bytes[currentKind.rawValue] += out.sink.totalBytes + out.sink.buffer.count - objectStart
        try out.sink.flushIfFull()
    }

    /// `metadata`, keys in the order `kubectl get -o yaml` prints them.
    /// Advances the clock: later objects are created later.
    mutating func metadata(
        name: String,
        namespace: String? = nil,
        labels: [(String, String)] = [],
        annotations: [(String, String)] = [],
        generateName: String? = nil,
        owner: OwnerReference? = nil,
        uid: String? = nil,
        generation: Int? = nil
    ) {
        clock += rng.int(in: 1...40)
        resourceVersion += rng.int(in: 1...9)
        out.key("metadata")
        out.beginMap()
        if !annotations.isEmpty {
            out.stringMap("annotations", annotations)
        }
        out.field("creationTimestamp", FakeData.timestamp(clock))
        if let generateName {
            out.field("generateName", generateName)
        }
        if let generation {
            out.field("generation", generation)
        }
        if !labels.isEmpty {
            out.stringMap("labels", labels)
        }
        out.field("name", name)
        if let namespace {
            out.field("namespace", namespace)
        }
        if let owner {
            out.key("ownerReferences")
            out.beginList()
            out.beginMap()
            out.field("apiVersion", owner.apiVersion)
            out.field("blockOwnerDeletion", true)
            out.field("controller", true)
            out.field("kind", owner.kind)
            out.field("name", owner.name)
            out.field("uid", owner.uid)
            out.endMap()
            out.endList()
        }
        out.field("resourceVersion", String(resourceVersion))
        out.field("uid", uid ?? FakeData.uid(&rng))
        out.endMap()
    }

    // MARK: - RBAC building blocks

    /// One `rules` entry.
    struct Rule {
        var apiGroups: [String] = [""]
        var resources: [String]
        var resourceNames: [String] = []
        var verbs: [String]
    }

    /// One binding subject. `namespace` nil for users and groups.
    struct Subject {
        var kind: StaticString
        var name: String
        var namespace: String?

        static func user(_ name: String) -> Subject { Subject(kind: "User", name: name) }
        static func group(_ name: String) -> Subject { Subject(kind: "Group", name: name) }
        static func serviceAccount(_ namespace: String, _ name: String) -> Subject {
            Subject(kind: "ServiceAccount", name: name, namespace: namespace)
        }
    }

    mutating func rules(_ rules: [Rule]) {
        out.key("rules")
        out.beginList()
        for rule in rules {
            out.beginMap()
            out.stringList("apiGroups", rule.apiGroups)
            if !rule.resourceNames.isEmpty {
                out.stringList("resourceNames", rule.resourceNames)
            }
            out.stringList("resources", rule.resources)
            out.stringList("verbs", rule.verbs)
            out.endMap()
        }
        out.endList()
    }

    mutating func roleRef(kind: StaticString, name: String) {
        out.key("roleRef")
        out.beginMap()
        out.field("apiGroup", "rbac.authorization.k8s.io")
        out.field("kind", kind)
        out.field("name", name)
        out.endMap()
    }

    /// `subjects`; a ServiceAccount subject is written without `apiGroup`
    /// (as kubectl shows it), and may lack a namespace.
    mutating func subjects(_ subjects: [Subject]) {
        out.key("subjects")
        out.beginList()
        for subject in subjects {
            out.beginMap()
            if subject.kind.description != "ServiceAccount" {
                out.field("apiGroup", "rbac.authorization.k8s.io")
            }
            out.field("kind", subject.kind)
            out.field("name", subject.name)
            if let namespace = subject.namespace {
                out.field("namespace", namespace)
            }
            out.endMap()
        }
        out.endList()
    }

    // MARK: - Cluster-scoped objects

    mutating func node(index: Int) throws(GeneratorError) {
        let name = nodes[index]
        let zone = "eu-west-1" + ["a", "b", "c"][index % 3]
        begin(.node, "v1", "Node")
        metadata(name: name, labels: [
            ("beta.kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("kubernetes.io/hostname", name),
            ("kubernetes.io/os", "linux"),
            ("node.kubernetes.io/instance-type", rng.pick(["m5.xlarge", "m5.2xlarge", "c6i.2xlarge", "r6i.xlarge"])),
            ("topology.kubernetes.io/region", "eu-west-1"),
            ("topology.kubernetes.io/zone", zone),
        ], annotations: [
            ("node.alpha.kubernetes.io/ttl", "0"),
            ("volumes.kubernetes.io/controller-managed-attach-detach", "true"),
        ])
        out.key("spec")
        out.beginMap()
        out.field("podCIDR", "10.\(100 + index / 256).\(index % 256).0/24")
        out.field("providerID", "aws:///\(zone)/i-0\(FakeData.hex(&rng, count: 16))")
        out.endMap()
        out.key("status")
        out.beginMap()
        out.key("addresses")
        out.beginList()
        for (type, address) in [("InternalIP", "10.0.\(index / 250).\(index % 250 + 4)"), ("Hostname", name)] {
            out.beginMap()
            out.field("address", address)
            out.field("type", type)
            out.endMap()
        }
        out.endList()
        out.stringMap("allocatable", [("cpu", "3920m"), ("ephemeral-storage", "95491281146"), ("memory", "15147204Ki"), ("pods", "58")])
        out.stringMap("capacity", [("cpu", "4"), ("ephemeral-storage", "104845292Ki"), ("memory", "16069828Ki"), ("pods", "58")])
        out.key("conditions")
        out.beginList()
        for (type, status, reason, message) in [
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ] {
            out.beginMap()
            out.field("lastHeartbeatTime", FakeData.timestamp(clock + 86_400 * 30))
            out.field("lastTransitionTime", FakeData.timestamp(clock))
            out.field("message", message)
            out.field("reason", reason)
            out.field("status", status)
            out.field("type", type)
            out.endMap()
        }
        out.endList()
        out.key("nodeInfo")
        out.beginMap()
        out.field("architecture", "amd64")
        out.field("bootID", FakeData.uid(&rng))
        out.field("containerRuntimeVersion", "containerd://1.7.22")
        out.field("kernelVersion", "6.1.112-124.190.amzn2023.x86_64")
        out.field("kubeProxyVersion", "v1.31.2")
        out.field("kubeletVersion", "v1.31.2")
        out.field("machineID", FakeData.hex(&rng, count: 32))
        out.field("operatingSystem", "linux")
        out.field("osImage", "Amazon Linux 2023.6.20241010")
        out.field("systemUUID", FakeData.uid(&rng))
        out.endMap()
        out.endMap()
        try end()
    }

    mutating func clusterRole(
        _ name: String,
        labels: [(String, String)] = [],
        aggregateFrom selectors: [[(String, String)]] = [],
        _ ruleList: [Rule]
    ) throws(GeneratorError) {
        begin(.clusterRole, "rbac.authorization.k8s.io/v1", "ClusterRole")
        if !selectors.isEmpty {
            out.key("aggregationRule")
            out.beginMap()
            out.key("clusterRoleSelectors")
            out.beginList()
            for selector in selectors {
                out.beginMap()
                out.stringMap("matchLabels", selector)
                out.endMap()
            }
            out.endList()
            out.endMap()
        }
        let isBootstrap = name.hasPrefix("system:") || ["admin", "edit", "view", "cluster-admin"].contains(name)
        metadata(
            name: name,
            labels: isBootstrap ? [("kubernetes.io/bootstrapping", "rbac-defaults")] + labels : labels,
            annotations: isBootstrap ? [("rbac.authorization.kubernetes.io/autoupdate", "true")] : []
        )
        rules(ruleList)
        try end()
    }

    mutating func clusterRoleBinding(_ name: String, role: String, _ subjectList: [Subject]) throws(GeneratorError) {
        begin(.clusterRoleBinding, "rbac.authorization.k8s.io/v1", "ClusterRoleBinding")
        let isBootstrap = name.hasPrefix("system:") || name == "cluster-admin"
        metadata(
            name: name,
            labels: isBootstrap ? [("kubernetes.io/bootstrapping", "rbac-defaults")] : [],
            annotations: isBootstrap ? [("rbac.authorization.kubernetes.io/autoupdate", "true")] : []
        )
        roleRef(kind: "ClusterRole", name: role)
        // The bootstrap `system:node` binding has no subjects at all: the Node
        // authorizer does the real scoping (see shared/corpus/SOURCES.md).
        if !subjectList.isEmpty {
            subjects(subjectList)
        }
        try end()
    }
}
