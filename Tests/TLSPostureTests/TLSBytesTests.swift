import Foundation
import KubeModel
import Testing
import TLSPosture

// TLS posture indexes pods, services and secrets by bytes, as the API server
// keys them: the backends of an Ingress in "\u{212A}ube-a" (KELVIN SIGN) are
// that namespace's pods, never those of its twin "Kube-a" (Swift's `==`
// calls the two names equal).

private let asciiK = "Kube-a"
private let kelvinK = "\u{212A}ube-a"

private func web(_ namespace: String, pods: [String]) -> (Ingress, Service, [Pod]) {
    let ingress = Ingress(meta: ObjectMeta(name: "web", namespace: namespace),
                          rules: [IngressRule(host: "a.example", backends: [IngressBackend(serviceName: "web", port: "80")])])
    let service = Service(meta: ObjectMeta(name: "web", namespace: namespace), selector: ["app": "web"])
    let pods = pods.map { Pod(meta: ObjectMeta(name: $0, namespace: namespace, labels: ["app": "web"]), spec: PodSpec()) }
    return (ingress, service, pods)
}

@Suite("TLS posture keeps twin namespaces apart (bytes)")
struct TLSBytesTests {
    static let twins: ClusterSnapshot = {
        var dump = ClusterSnapshot()
        // Twin pod names in the KELVIN namespace: NFC sorts after NFD as bytes.
        for (ingress, service, pods) in [web(asciiK, pods: ["k-pod"]), web(kelvinK, pods: ["caf\u{E9}", "cafe\u{301}"])] {
            dump.ingresses.append(ingress)
            dump.serving.services.append(service)
            dump.pods += pods
        }
        return dump
    }()

    @Test("an Ingress's backend pods are its own namespace's, sorted by bytes")
    func backendsOfOwnTwin() throws {
        let report = TLSPosture.analyze(Self.twins, now: Date(timeIntervalSince1970: 0))
        #expect(report.routes.map { Array($0.frontend.namespace.utf8) } == [Array(asciiK.utf8), Array(kelvinK.utf8)])
        let kelvin = try #require(report.routes.first { $0.frontend.namespace.utf8.elementsEqual(kelvinK.utf8) })
        #expect(kelvin.backends.first?.pods.map { Array($0.utf8) } == [Array("cafe\u{301}".utf8), Array("caf\u{E9}".utf8)])
        let ascii = try #require(report.routes.first { $0.frontend.namespace.utf8.elementsEqual(asciiK.utf8) })
        #expect(ascii.backends.first?.pods == ["k-pod"])
    }

    @Test("tls -n keeps only its own twin", arguments: [asciiK, kelvinK])
    func namespaceFilter(_ namespace: String) {
        let report = TLSPosture.analyze(Self.twins, namespace: namespace, now: Date(timeIntervalSince1970: 0))
        #expect(report.routes.map { Array($0.frontend.namespace.utf8) } == [Array(namespace.utf8)])
    }
}
