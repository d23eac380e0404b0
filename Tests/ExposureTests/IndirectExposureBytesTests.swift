import KubeModel
import RBAC
import Testing
@testable import Exposure

// exposure --indirect searches each namespace once for all its keys: the keys
// are grouped by namespace as bytes, so a key of "Kube-a" never takes the
// indirect readers of its KELVIN SIGN twin (which Swift's `==` calls equal).

private let asciiK = "Kube-a"
private let kelvinK = "\u{212A}ube-a"

@Suite("exposure --indirect groups keys by namespace bytes")
struct IndirectExposureBytesTests {
    @Test("create pods in the KELVIN namespace is a finding on its key, not on Kube-a's")
    func findingOnOneTwinOnly() throws {
        var dump = ClusterSnapshot()
        dump.roles = [Role(meta: ObjectMeta(name: "pod-creator"),
                           rules: [PolicyRule(verbs: ["create"], apiGroups: [""], resources: ["pods"])])]
        dump.bindings = [binding("dev-pods", namespace: kelvinK, role: RoleRef(kind: "ClusterRole", name: "pod-creator"),
                                 [Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "dev")])]
        dump.secrets = [secret(asciiK, "tls", type: "kubernetes.io/tls"), secret(kelvinK, "tls", type: "kubernetes.io/tls")]
        let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
        let analysis = ExposureAnalysis(snapshot: dump, whoCan: whoCan, expectedHolders: ExpectedHolders())
        // The keys as given (the inventory is not asked), in both orders: the
        // first key of a group must not decide the other key's namespace.
        for namespaces in [[asciiK, kelvinK], [kelvinK, asciiK]] {
            let exposures = analysis.addingIndirect(namespaces.map { analysis.exposure(of: key($0, "tls")) },
                                                    paths: IndirectPaths(snapshot: dump, whoCan: whoCan))
            let exposure = { (namespace: String) in exposures.first { sameBytes($0.key.secret.namespace, namespace) } }
            let finding = try #require(exposure(kelvinK)?.indirect?.first)
            #expect(exposure(kelvinK)?.indirect?.count == 1 && finding.identity.name == "dev")
            #expect(finding.chain.map { Array($0.target.namespace.utf8) } == [Array(kelvinK.utf8)])
            #expect(exposure(asciiK)?.indirect?.isEmpty == true)
            #expect(exposure(asciiK)?.severity == .info)
        }
    }
}
