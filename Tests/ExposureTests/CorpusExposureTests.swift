import DumpReader
import Foundation
import KubeModel
import Testing
import TestSupport
@testable import Exposure

/// The analysis on the real manifests of ../shared/corpus, read by DumpReader,
/// plus one TLS key served by an Ingress of the corpus's `nginx` IngressClass.
@Suite("Expected holders of the corpus are not findings", SharedData.corpus.required)
struct CorpusExposureTests {
    static let snapshot: ClusterSnapshot = {
        // Empty when unreadable: the suite is skipped when the corpus is absent,
        // and CorpusExpectedHoldersTests reads the same files with an error.
        var snapshot = (try? DumpReader().read([.path(Corpus.directory)]).snapshot) ?? ClusterSnapshot()
        snapshot.namespaces.append(Namespace(meta: ObjectMeta(name: "production")))
        snapshot.secrets.append(secret("production", "app-tls", type: "kubernetes.io/tls",
                                       keys: [SecretKey(name: "tls.crt", size: 1200), SecretKey(name: "tls.key", size: 1700)]))
        snapshot.ingresses.append(Ingress(meta: ObjectMeta(name: "web", namespace: "production"), ingressClassName: "nginx",
                                          tls: [IngressTLS(hosts: ["app.example.com"], secretName: "app-tls")]))
        return snapshot
    }()

    @Test("cert-manager, ingress-nginx, kube-controller-manager, controllers and masters are expected; nothing else reads the key")
    func appTLS() throws {
        let app = try #require(exposure(analyze(Self.snapshot), "production", "app-tls"))
        let rules = Dictionary(app.expected.map { (label($0.identity), $0.expectation?.rule) }, uniquingKeysWith: { a, _ in a })
        #expect(rules["Group system:masters"] == .superuser)
        #expect(rules["User system:kube-controller-manager"] == .controlPlane)
        #expect(rules["ServiceAccount cert-manager/cert-manager"] == .certManager)
        #expect(rules["ServiceAccount ingress-nginx/ingress-nginx"] == .ingressController)
        for controller in ["generic-garbage-collector", "namespace-controller", "resourcequota-controller"] {
            #expect(rules["ServiceAccount kube-system/\(controller)"] == .kubeController, "\(controller)")
        }
        #expect(labels(app.readers) == [], "unexpected readers: \(labels(app.readers))")
        #expect(app.severity == .info)
    }
}
