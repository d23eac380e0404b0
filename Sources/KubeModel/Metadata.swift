/// The parts of `metadata` keyreach keeps for every object.
///
/// `namespace` is `""` for cluster-scoped objects. `annotations` never holds
/// `kubectl.kubernetes.io/last-applied-configuration` (it can carry a whole
/// secret): ``DumpReader`` drops it before an object is built.
public struct ObjectMeta: Sendable, Hashable, Codable {
    public var name: String
    public var namespace: String
    public var uid: String
    /// Keyed by bytes, as the API server keys them (see ``ByteKeyedMap``).
    public var labels: ByteKeyedMap
    public var annotations: ByteKeyedMap
    public var ownerReferences: [OwnerReference]

    public init(name: String, namespace: String = "", uid: String = "",
                labels: ByteKeyedMap = [:], annotations: ByteKeyedMap = [:],
                ownerReferences: [OwnerReference] = []) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
    }
}

/// `metadata.ownerReferences[]`: links a Pod to its ReplicaSet, a ReplicaSet to
/// its Deployment, a Secret to the Certificate that made it.
public struct OwnerReference: Sendable, Hashable, Codable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool

    public init(apiVersion: String = "", kind: String, name: String, uid: String = "", controller: Bool = false) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
    }
}

/// A reference to any object by kind, namespace and name, as output names it.
public struct ObjectRef: Sendable, Hashable, Codable, Comparable {
    public var kind: String
    public var namespace: String
    public var name: String

    public init(kind: String, namespace: String = "", name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// By kind, namespace, name, each as bytes: the order Go's sort gives names.
    public static func < (a: ObjectRef, b: ObjectRef) -> Bool { compareBytes(a, b) == .before }

    /// By bytes, as the API server tells objects apart: `café` spelled NFC and
    /// NFD are two objects (Swift's String `==` would make them one).
    public static func == (a: ObjectRef, b: ObjectRef) -> Bool { compareBytes(a, b) == .same }

    public func hash(into hasher: inout Hasher) {
        hashBytes(kind, into: &hasher)
        hashBytes(namespace, into: &hasher)
        hashBytes(name, into: &hasher)
    }
}

/// ``ObjectRef``'s order as a ``ByteOrdering``, to chain with other fields.
public func compareBytes(_ a: ObjectRef, _ b: ObjectRef) -> ByteOrdering {
    compareBytes(a.kind, b.kind).then(compareBytes(a.namespace, b.namespace)).then(compareBytes(a.name, b.name))
}

/// `namespace/name`, or `name` alone for a cluster-scoped object (empty
/// namespace): how every message and rendering names an object.
public func qualifiedName(namespace: String, name: String) -> String {
    namespace.isEmpty ? name : "\(namespace)/\(name)"
}

extension ObjectRef {
    /// ``qualifiedName(namespace:name:)`` of this object.
    public var qualifiedName: String { KubeModel.qualifiedName(namespace: namespace, name: name) }
}

/// `Kind namespace/name`, or `Kind name` for a cluster-scoped one: how output
/// names an object, a binding subject or an identity together with its kind.
public func kindAndName(kind: String, namespace: String, name: String) -> String {
    "\(kind) " + qualifiedName(namespace: namespace, name: name)
}

extension ObjectRef {
    /// ``kindAndName(kind:namespace:name:)`` of this object.
    public var kindAndName: String { KubeModel.kindAndName(kind: kind, namespace: namespace, name: name) }
}
