import KubeModel

/// Whether pods sit in a service mesh, from what the dump shows: the proxy
/// container itself (`istio-proxy`, `linkerd-proxy`), else the injection
/// labels and annotations of the pod and its namespace, as the injectors read them:
///
/// - Istio (istio/pkg/kube/inject/webhook.go `injectRequired`): pod label or annotation
///   `sidecar.istio.io/inject` `"true"`/`"false"` decides; else namespace label
///   `istio-injection=enabled` or `istio.io/rev`.
/// - Linkerd (linkerd2 pkg/inject): pod annotation `linkerd.io/inject` `enabled`/`disabled`
///   decides; else the namespace annotation.
///
/// Istio's mTLS mode is the most specific PeerAuthentication (workload selector, then
/// namespace-wide, then mesh-wide in `istio-system`); `PERMISSIVE` when none applies.
public struct MeshDetection: Sendable {
    /// By name as bytes: twin namespaces keep their own labels.
    let namespaces: [ByteString: ObjectMeta]
    let peerAuthentications: [PeerAuthentication]
    /// Istio's root namespace, where a PeerAuthentication without selector is mesh-wide.
    public var rootNamespace = "istio-system"

    public init(snapshot: ClusterSnapshot) {
        namespaces = Dictionary(snapshot.namespaces.map { (ByteString($0.meta.name), $0.meta) }, uniquingKeysWith: { first, _ in first })
        peerAuthentications = snapshot.serving.peerAuthentications
    }

    /// The mesh of `pods` in `namespace` (the first pod that says, or the namespace when there is no pod).
    public func membership(pods: [Pod], namespace: String) -> MeshMembership? {
        let found = pods.lazy.compactMap { podMesh($0) }.first ?? (pods.isEmpty ? namespaceMesh(namespace) : nil)
        guard var found else { return nil }
        if found.mesh == "istio" {
            let (mode, policy) = istioMode(pods: pods, namespace: namespace)
            found.mode = mode
            found.policy = policy
        }
        return found
    }

    func podMesh(_ pod: Pod) -> MeshMembership? {
        let names = Set(pod.spec.containers.map(\.name))
        if names.contains("istio-proxy") { return MeshMembership(mesh: "istio", evidence: "container istio-proxy in pod \(pod.meta.name)") }
        if names.contains("linkerd-proxy") { return MeshMembership(mesh: "linkerd", evidence: "container linkerd-proxy in pod \(pod.meta.name)") }
        let istioInject = pod.meta.labels["sidecar.istio.io/inject"] ?? pod.meta.annotations["sidecar.istio.io/inject"]
        let linkerdInject = pod.meta.annotations["linkerd.io/inject"]
        if istioInject == "true" { return MeshMembership(mesh: "istio", evidence: "pod \(pod.meta.name) sidecar.istio.io/inject=true") }
        if linkerdInject == "enabled" { return MeshMembership(mesh: "linkerd", evidence: "pod \(pod.meta.name) linkerd.io/inject=enabled") }
        guard var namespaceMesh = namespaceMesh(pod.meta.namespace) else { return nil }
        if namespaceMesh.mesh == "istio", istioInject == "false" { return nil }
        if namespaceMesh.mesh == "linkerd", linkerdInject == "disabled" { return nil }
        // Containers listed but no proxy among them: the pod started before injection was on.
        if !pod.spec.containers.isEmpty { return nil }
        namespaceMesh.evidence += " (pod \(pod.meta.name))"
        return namespaceMesh
    }

    func namespaceMesh(_ namespace: String) -> MeshMembership? {
        guard let meta = namespaces[ByteString(namespace)] else { return nil }
        if meta.labels["istio-injection"] == "enabled" {
            return MeshMembership(mesh: "istio", evidence: "namespace \(namespace) istio-injection=enabled")
        }
        if let revision = meta.labels["istio.io/rev"], meta.labels["istio-injection"] != "disabled" {
            return MeshMembership(mesh: "istio", evidence: "namespace \(namespace) istio.io/rev=\(revision)")
        }
        if meta.annotations["linkerd.io/inject"] == "enabled" {
            return MeshMembership(mesh: "linkerd", evidence: "namespace \(namespace) linkerd.io/inject=enabled")
        }
        return nil
    }

    /// The PeerAuthentication mode for these pods and the policy it comes from.
    func istioMode(pods: [Pod], namespace: String) -> (String, String?) {
        func selects(_ policy: PeerAuthentication) -> Bool {
            pods.contains { pod in policy.selector.isContained(in: pod.meta.labels) }
        }
        let candidates = [
            peerAuthentications.first { sameBytes($0.meta.namespace, namespace) && !$0.selector.isEmpty && selects($0) },
            peerAuthentications.first { sameBytes($0.meta.namespace, namespace) && $0.selector.isEmpty },
            peerAuthentications.first { sameBytes($0.meta.namespace, rootNamespace) && $0.selector.isEmpty },
        ]
        for case let policy? in candidates where !policy.mode.isEmpty && policy.mode != "UNSET" {
            return (policy.mode, "PeerAuthentication \(policy.meta.namespace)/\(policy.meta.name)")
        }
        return ("PERMISSIVE", nil)
    }
}
