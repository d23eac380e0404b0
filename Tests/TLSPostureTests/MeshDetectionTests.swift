import KubeModel
import Testing
import TLSPosture

/// The injection labels and annotations, as Istio's and Linkerd's injectors read them.
@Suite struct MeshDetectionTests {
    func snapshot(namespaceLabels: ByteKeyedMap = [:], namespaceAnnotations: ByteKeyedMap = [:],
                  policies: [PeerAuthentication] = []) -> ClusterSnapshot {
        var snapshot = ClusterSnapshot()
        snapshot.namespaces = [Namespace(meta: ObjectMeta(name: "shop", labels: namespaceLabels, annotations: namespaceAnnotations))]
        snapshot.serving.peerAuthentications = policies
        return snapshot
    }

    func pod(labels: ByteKeyedMap = ["app": "web"], annotations: ByteKeyedMap = [:], containers: [String] = []) -> Pod {
        var pod = Pod(meta: ObjectMeta(name: "web-0", namespace: "shop", labels: labels, annotations: annotations), spec: PodSpec())
        pod.spec.containers = containers.map { ContainerSummary(name: $0) }
        return pod
    }

    @Test func namespaceInjectionLabelMeshesPodsWithoutContainerList() {
        let mesh = MeshDetection(snapshot: snapshot(namespaceLabels: ["istio-injection": "enabled"]))
        #expect(mesh.membership(pods: [pod()], namespace: "shop")?.mesh == "istio")
        #expect(mesh.membership(pods: [], namespace: "shop")?.mesh == "istio")
    }

    @Test func revisionLabelMeshesToo() {
        let mesh = MeshDetection(snapshot: snapshot(namespaceLabels: ["istio.io/rev": "1-20"]))
        #expect(mesh.membership(pods: [pod()], namespace: "shop")?.evidence == "namespace shop istio.io/rev=1-20 (pod web-0)")
    }

    @Test func podOptOutWins() {
        let mesh = MeshDetection(snapshot: snapshot(namespaceLabels: ["istio-injection": "enabled"]))
        #expect(mesh.membership(pods: [pod(labels: ["sidecar.istio.io/inject": "false"])], namespace: "shop") == nil)
        let linkerd = MeshDetection(snapshot: snapshot(namespaceAnnotations: ["linkerd.io/inject": "enabled"]))
        #expect(linkerd.membership(pods: [pod(annotations: ["linkerd.io/inject": "disabled"])], namespace: "shop") == nil)
    }

    @Test func aRunningPodWithoutProxyIsNotMeshedWhateverTheNamespaceSays() {
        let mesh = MeshDetection(snapshot: snapshot(namespaceLabels: ["istio-injection": "enabled"]))
        #expect(mesh.membership(pods: [pod(containers: ["app"])], namespace: "shop") == nil)
        #expect(mesh.membership(pods: [pod(containers: ["app", "istio-proxy"])], namespace: "shop")?.mesh == "istio")
    }

    @Test func peerAuthenticationMostSpecificWins() {
        let policies = [
            PeerAuthentication(meta: ObjectMeta(name: "mesh", namespace: "istio-system"), mode: "STRICT"),
            PeerAuthentication(meta: ObjectMeta(name: "ns", namespace: "shop"), mode: "PERMISSIVE"),
            PeerAuthentication(meta: ObjectMeta(name: "web", namespace: "shop"), selector: ["app": "web"], mode: "DISABLE"),
        ]
        let istioPod = pod(containers: ["app", "istio-proxy"])
        #expect(MeshDetection(snapshot: snapshot(policies: policies)).membership(pods: [istioPod], namespace: "shop")?.mode == "DISABLE")
        #expect(MeshDetection(snapshot: snapshot(policies: Array(policies.prefix(2)))).membership(pods: [istioPod], namespace: "shop")?.mode == "PERMISSIVE")
        #expect(MeshDetection(snapshot: snapshot(policies: Array(policies.prefix(1)))).membership(pods: [istioPod], namespace: "shop")?.policy == "PeerAuthentication istio-system/mesh")
        #expect(MeshDetection(snapshot: snapshot()).membership(pods: [istioPod], namespace: "shop")?.mode == "PERMISSIVE")
    }
}
