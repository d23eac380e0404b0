import Foundation
import KubeModel
import RBAC
import Testing
@testable import Exposure

@Suite("The inventory at the size of a real cluster")
struct InventoryScaleTests {
    /// 11,000 secrets over 100 namespaces: 4,000 TLS secrets with a kept certificate
    /// (each PEM text distinct, so each is parsed; the shared `ca.crt` is parsed once),
    /// 2,000 SSH keys, 5,000 Opaque; 2,000 Certificates (half naming secrets not yet
    /// created) and 1,000 Ingresses.
    static func bigSnapshot() -> ClusterSnapshot {
        var snapshot = ClusterSnapshot()
        for i in 0..<11_000 {
            let namespace = "ns\(i % 100)"
            switch i % 11 {
            case 0..<4:
                snapshot.secrets.append(secret(namespace, "tls-\(i)", type: "kubernetes.io/tls",
                                               certificatesPEM: ["tls.crt": OpenSSLFixtures.leafPEM + "\n\(i)\n",
                                                                 "ca.crt": OpenSSLFixtures.caPEM]))
            case 4, 5:
                snapshot.secrets.append(secret(namespace, "ssh-\(i)", type: "kubernetes.io/ssh-auth"))
            default:
                snapshot.secrets.append(secret(namespace, "opaque-\(i)", keys: [SecretKey(name: "password", size: 8)]))
            }
        }
        // Even Certificates name an existing TLS secret (index j = 11k, in namespace j % 100),
        // odd ones a secret that does not exist yet.
        for i in 0..<2_000 {
            let j = i / 2 * 11
            let (namespace, target) = i % 2 == 0 ? ("ns\(j % 100)", "tls-\(j)") : ("ns\(i % 100)", "pending-\(i)")
            snapshot.certificates.append(Certificate(meta: ObjectMeta(name: "cert-\(i)", namespace: namespace), secretName: target))
        }
        for i in 0..<1_000 {
            let j = i * 11
            snapshot.ingresses.append(Ingress(meta: ObjectMeta(name: "web-\(i)", namespace: "ns\(j % 100)"),
                                              tls: [IngressTLS(secretName: "tls-\(j)")]))
        }
        return snapshot
    }

    @Test("11,000 secrets classify in linear time, each key once")
    func elevenThousandSecrets() {
        let snapshot = Self.bigSnapshot()
        let clock = ContinuousClock()
        var keys: [PrivateKeySecret] = []
        let elapsed = clock.measure { keys = PrivateKeyInventory.classify(snapshot) }
        let existing = keys.filter(\.exists)
        #expect(existing.count == 6_000)  // 4,000 TLS + 2,000 SSH; Opaque ones are not keys
        #expect(keys.count - existing.count == 1_000)  // the odd Certificates' pending secrets
        let served = existing.filter { key in key.reasons.contains { $0.code == "ingress" } }
        #expect(served.count == 1_000)
        #expect(served.allSatisfy { key in key.reasons.contains { $0.code == "certificate" } })
        #expect(existing.filter { $0.type == "kubernetes.io/tls" }.allSatisfy {
            $0.leafCertificate?.subject == "CN=app.example.com" && $0.certificates.map(\.dataKey) == ["tls.crt", "ca.crt"]
        })
        #expect(elapsed < .seconds(30), "classify took \(elapsed)")
        print("classify: \(snapshot.secrets.count) secrets → \(keys.count) keys in \(elapsed)")
    }
}

@Suite("The exposure analysis at the size of a real cluster")
struct ExposureScaleTests {
    /// The inventory's 11,000 secrets, plus per namespace a `default` ServiceAccount
    /// that can get secrets, 20 pods running as it, and a cluster-wide list grant.
    static func bigSnapshot() -> ClusterSnapshot {
        var snapshot = InventoryScaleTests.bigSnapshot()
        snapshot.roles = [secretReaderRole("lister", verbs: ["list"])]
        snapshot.bindings = [binding("dashboard", role: RoleRef(kind: "ClusterRole", name: "lister"),
                                     [serviceAccountSubject("dashboard", "dashboard")])]
        for n in 0..<100 {
            let namespace = "ns\(n)"
            snapshot.serviceAccounts.append(ServiceAccount(meta: ObjectMeta(name: "default", namespace: namespace)))
            snapshot.roles.append(secretReaderRole("getter", verbs: ["get"], namespace: namespace))
            snapshot.bindings.append(binding("get", namespace: namespace, role: RoleRef(kind: "Role", name: "getter"),
                                             [serviceAccountSubject(namespace, "default")]))
            for p in 0..<20 {
                snapshot.pods.append(Pod(meta: ObjectMeta(name: "web-\(p)", namespace: namespace),
                                         spec: PodSpec(nodeName: "node-\(p)")))
            }
        }
        return snapshot
    }

    @Test("11,000 secrets: three who-can lookups per key, pods indexed once")
    func elevenThousandSecrets() throws {
        let snapshot = Self.bigSnapshot()
        let whoCan = WhoCan(derived: AccessIndexer.compute(snapshot))
        let clock = ContinuousClock()
        var exposures: [KeyExposure] = []
        let elapsed = clock.measure {
            exposures = ExposureAnalysis.analyze(snapshot: snapshot, whoCan: whoCan, expectedHolders: ExpectedHolders())
        }
        #expect(exposures.count == 7_000)
        let first = try #require(exposure(exposures, "ns0", "tls-0"))
        #expect(labels(first.readers) == ["ServiceAccount dashboard/dashboard", "ServiceAccount ns0/default"])
        #expect(first.workloads.count == 20)
        #expect(exposures.allSatisfy { $0.severity == .high })
        #expect(elapsed < .seconds(20), "analyze took \(elapsed)")
        print("analyze: \(exposures.count) keys in \(elapsed)")
    }
}
