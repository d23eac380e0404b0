import KubeModel
import RBAC
import Testing
@testable import Exposure

// The inventory, the exposure analysis and the workload index tell names apart
// by bytes, as the API server does. Each name below has a twin that Swift's
// `==` calls equal: KELVIN SIGN against K, NFC "café" against NFD "café".
// Two twin secrets are two private keys, each listed and judged on its own.

private let asciiK = "Kube-a"
private let kelvinK = "\u{212A}ube-a"
private let nfc = "caf\u{E9}"
private let nfd = "cafe\u{301}"

/// The four twin namespaces in byte order: K (4b), NFD (63 61 66 65), NFC (63 61 66 c3), KELVIN (e2).
private let namespacesInByteOrder = [asciiK, nfd, nfc, kelvinK]

/// Every key's namespace in byte order: `shop` (73) sorts before KELVIN SIGN (e2).
private let keyNamespacesInByteOrder = [asciiK, nfd, nfc, "shop", "shop", kelvinK]

/// A TLS secret `tls` in every twin namespace, and twin-named TLS secrets in `shop`.
private let twins: ClusterSnapshot = {
    var dump = ClusterSnapshot()
    dump.secrets = [kelvinK, nfc, asciiK, nfd].map { secret($0, "tls", type: "kubernetes.io/tls") }
        + [secret("shop", nfc, type: "kubernetes.io/tls"), secret("shop", nfd, type: "kubernetes.io/tls")]
    return dump
}()

private func bytes(_ strings: [String]) -> [[UInt8]] { strings.map { Array($0.utf8) } }

private func pod(_ namespace: String, _ name: String, serviceAccount: String) -> Pod {
    Pod(meta: ObjectMeta(name: name, namespace: namespace), spec: PodSpec(serviceAccountName: serviceAccount))
}

@Suite("Private keys and their exposure keep twin names apart (bytes)")
struct ExposureBytesTests {
    @Test("twin namespaces and twin names are six keys in classify, sorted by bytes")
    func classifyKeepsTwins() {
        let keys = PrivateKeyInventory.classify(twins)
        #expect(keys.count == 6)
        #expect(bytes(keys.map(\.secret.namespace)) == bytes(keyNamespacesInByteOrder))
        #expect(bytes(keys.filter { $0.secret.namespace == "shop" }.map(\.secret.name)) == bytes([nfd, nfc]))
        #expect(keys.allSatisfy { $0.exists && $0.reasons.map(\.description) == ["type kubernetes.io/tls"] })
    }

    @Test("two Certificates with twin names writing one secret are two reasons")
    func twinReasonsStayTwo() {
        let certificates = [nfc, nfd].map {
            Certificate(meta: ObjectMeta(name: $0, namespace: "shop"), secretName: "web-tls")
        }
        let keys = PrivateKeyInventory.classify(snapshot(certificates: certificates))
        #expect(keys.count == 1)
        let described = keys.first?.reasons.map(\.description) ?? []
        #expect(bytes(described) == bytes(["cert-manager Certificate shop/\(nfd)", "cert-manager Certificate shop/\(nfc)"]))
    }

    @Test("analyzeByKey lists every twin as its own key, sorted by bytes")
    func analyzeByKeyKeepsTwins() {
        let keys = PrivateKeyInventory.classify(twins)
        let exposures = ExposureAnalysis.analyzeByKey(keys: keys, snapshot: twins, whoCan: WhoCan(derived: AccessIndexer.compute(twins)),
                                                      expectedHolders: ExpectedHolders())
        #expect(bytes(exposures.map(\.key.secret.namespace)) == bytes(keyNamespacesInByteOrder))
        #expect(exposures.allSatisfy { $0.copies.isEmpty })
    }

    @Test("exposure -n keeps only its own twin", arguments: namespacesInByteOrder)
    func namespaceFilterKeepsOneTwin(_ namespace: String) {
        let keys = PrivateKeyInventory.classify(twins)
        let whoCan = WhoCan(derived: AccessIndexer.compute(twins))
        let byKey = ExposureAnalysis.analyzeByKey(keys: keys, snapshot: twins, whoCan: whoCan,
                                                  expectedHolders: ExpectedHolders(), namespace: namespace)
        let perSecret = ExposureAnalysis.analyze(keys: keys, snapshot: twins, whoCan: whoCan,
                                                 expectedHolders: ExpectedHolders(), namespace: namespace)
        for exposures in [byKey, perSecret] {
            #expect(bytes(exposures.map(\.key.secret.namespace)) == bytes([namespace]))
        }
    }

    @Test("the workloads of twin ServiceAccounts and of twin namespaces stay apart")
    func twinServiceAccountsRunTheirOwnWorkloads() {
        var dump = ClusterSnapshot()
        dump.pods = [pod("shop", "nfc-pod", serviceAccount: nfc), pod("shop", "nfd-pod", serviceAccount: nfd),
                     pod(asciiK, "k-pod", serviceAccount: "default"), pod(kelvinK, "kelvin-pod", serviceAccount: "default"),
                     pod(kelvinK, "kelvin-pod-2", serviceAccount: "default")]
        let workloads = ServiceAccountWorkloads(dump)
        #expect(workloads.runningAs(namespace: "shop", name: nfc).map(\.name) == ["nfc-pod"])
        #expect(workloads.runningAs(namespace: "shop", name: nfd).map(\.name) == ["nfd-pod"])
        #expect(workloads.runningAs(namespace: asciiK, name: "default").map(\.name) == ["k-pod"])
        #expect(workloads.runningAs(namespace: kelvinK, name: "default").map(\.name) == ["kelvin-pod", "kelvin-pod-2"])
        #expect(workloads.count(group: "system:serviceaccounts:" + asciiK).pods == 1)
        #expect(workloads.count(group: "system:serviceaccounts:" + kelvinK).pods == 2)
        #expect(workloads.count(group: "system:serviceaccounts").namespaces == 3)
    }

    @Test("twin workloads are two in a set (a key's copies merge their workloads through one)")
    func twinWorkloadsStayTwo() {
        let twins = [nfc, nfd].map { ExposedWorkload(kind: "Pod", namespace: "shop", name: $0, serviceAccount: "sa", podCount: 1) }
            + [asciiK, kelvinK].map { ExposedWorkload(kind: "Deployment", namespace: $0, name: "web", serviceAccount: "sa") }
        #expect(Set(twins + twins).count == 4)
        #expect(bytes(Set(twins).sorted().map { $0.namespace + "/" + $0.name })
            == bytes(["shop/" + nfd, "shop/" + nfc, asciiK + "/web", kelvinK + "/web"]))
    }

    @Test("annotation lists split and trim at bytes, as Go does: a combining mark after `,` or a space stays")
    func annotationListsSplitAtBytes() {
        // `,\u{301}` and ` \u{301}` are one Swift Character each, and `\r\n` is one too.
        #expect(NamespacePatterns(goStrictList: "team-a,\u{301}b").matchesAny("team-a"))
        #expect(NamespacePatterns(dotNetList: "\u{301}b, team-a").matchesAny("team-a"))
        #expect(Array(" \u{301}team-a ".trimmingWhitespace().utf8) == Array("\u{301}team-a".utf8))
        #expect(ReplicationAnnotations.dotNetParseBool("True\r\n") == true)
        #expect(ReplicationAnnotations.sourceName("shared/\u{301}tls").map { Array($0.name.utf8) } == Array("\u{301}tls".utf8))
    }

    @Test("the Certificates a CA key signs are those of its own twin namespace's issuer")
    func twinCAKeysSignTheirOwn() {
        var dump = ClusterSnapshot()
        dump.issuers = [asciiK, kelvinK].map { Issuer(meta: ObjectMeta(name: "ca", namespace: $0), kind: "Issuer", caSecretName: "ca-key") }
        dump.certificates = [asciiK, kelvinK].map {
            Certificate(meta: ObjectMeta(name: "web", namespace: $0), secretName: "web-tls", issuerRef: IssuerRef(name: "ca"))
        }
        let signed = PrivateKeyInventory.certificatesByCAKey(dump)
        for namespace in [asciiK, kelvinK] {
            let certificates = signed[ObjectRef(kind: "Secret", namespace: namespace, name: "ca-key")] ?? []
            #expect(bytes(certificates.map(\.meta.namespace)) == bytes([namespace]))
        }
        let keys = PrivateKeyInventory.classify(dump)
        let issued = keys.compactMap(\.issuedCertificates)
        #expect(issued.map(\.count) == [1, 1])
        #expect(bytes(issued.flatMap(\.namespaces)) == bytes([asciiK, kelvinK]))
    }

    @Test("replication copies into twin namespaces are two copies, each its own key")
    func replicationIntoTwins() {
        var dump = ClusterSnapshot()
        dump.namespaces = ["shared", asciiK, kelvinK].map { Namespace(meta: ObjectMeta(name: $0)) }
        dump.secrets = [secret("shared", "tls", type: "kubernetes.io/tls",
                               annotations: [ReplicationAnnotations.kubedSync: ""])]
        let copies = ReplicationAnnotations.copies(dump)
        #expect(bytes(copies.map(\.target.namespace)) == bytes([asciiK, kelvinK]))
        let keys = PrivateKeyInventory.classify(dump)
        #expect(bytes(keys.map(\.secret.namespace)) == bytes([asciiK, "shared", kelvinK]))
    }
}
