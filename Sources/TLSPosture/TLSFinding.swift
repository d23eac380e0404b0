import Exposure

/// One problem with where or how TLS ends for a host, and the change that fixes it.
public struct TLSFinding: Sendable, Hashable {
    /// The annotation at fault, `nil` for a problem of the spec (a host not covered, a missing secret).
    public var annotation: String?
    /// Its value as written.
    public var value: String?
    public var severity: Severity
    public var problem: String
    public var fix: String

    public init(annotation: String? = nil, value: String? = nil, severity: Severity, problem: String, fix: String) {
        self.annotation = annotation
        self.value = value
        self.severity = severity
        self.problem = problem
        self.fix = fix
    }
}

/// Where TLS ends on the way to the pod.
public enum TerminationPattern: String, Sendable, Hashable {
    /// Terminated at the edge (ingress/gateway); the next hop is whatever the backend speaks.
    case edge
    /// Terminated at the edge and encrypted again to the backend.
    case reencrypt
    /// Passed through: the pod terminates the client's TLS itself.
    case passthrough
    /// No TLS at the edge: plain HTTP from the client.
    case none
}

/// The mesh a backend's pods sit in, and Istio's mTLS mode for them.
public struct MeshMembership: Sendable, Hashable {
    /// `istio` or `linkerd`.
    public var mesh: String
    /// Istio PeerAuthentication mode (`STRICT`, `PERMISSIVE`, `DISABLE`) and the policy it comes
    /// from; `PERMISSIVE` (the default) when no policy applies. `""` for Linkerd.
    public var mode: String
    public var policy: String?
    /// Why keyreach thinks so: the label, annotation or proxy container it saw.
    public var evidence: String

    public init(mesh: String, mode: String = "", policy: String? = nil, evidence: String) {
        self.mesh = mesh
        self.mode = mode
        self.policy = policy
        self.evidence = evidence
    }
}

/// A backend of a host: the Service and port traffic goes to, and its pods' mesh.
public struct BackendHop: Sendable, Hashable {
    public var service: String
    public var namespace: String
    public var port: String
    /// The pods the Service selects (by name); empty when the dump holds none.
    public var pods: [String]
    public var mesh: MeshMembership?

    public init(service: String, namespace: String, port: String, pods: [String] = [], mesh: MeshMembership? = nil) {
        self.service = service
        self.namespace = namespace
        self.port = port
        self.pods = pods
        self.mesh = mesh
    }
}
