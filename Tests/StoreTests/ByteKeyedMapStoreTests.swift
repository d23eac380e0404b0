import Foundation
import KubeModel
import Testing
@testable import Store

/// Labels, annotations, selectors and certificate keys that only Swift calls
/// equal ("café" precomposed and decomposed) are two keys in the API server:
/// the store writes and loads them as two.
@Suite struct ByteKeyedMapStoreTests {
    @Test func canonicallyEqualKeysSurviveStoreAndLoad() throws {
        let (nfc, nfd) = ("caf\u{E9}", "cafe\u{301}")
        var snapshot = ClusterSnapshot()
        let meta = ObjectMeta(name: "web", namespace: "shop", labels: [nfc: "1", nfd: "2"], annotations: [nfc: "a", nfd: "b"])
        snapshot.namespaces = [Namespace(meta: ObjectMeta(name: "shop"))]
        snapshot.secrets = [Secret(meta: meta, type: "kubernetes.io/tls",
                                   certificatesPEM: [nfc + ".crt": "-----BEGIN CERTIFICATE-----\nRkFLRQ==\n-----END CERTIFICATE-----\n",
                                                     nfd + ".crt": "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n"])]
        snapshot.roles = [Role(meta: ObjectMeta(name: "agg"), rules: [],
                               aggregationRule: AggregationRule(clusterRoleSelectors: [LabelSelector(matchLabels: [nfc: "1", nfd: "2"])]))]
        snapshot.serving.services = [Service(meta: meta, selector: [nfc: "x", nfd: "y"])]
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: snapshot, source: "")
        let loaded = try #require(try store.loadSnapshot(named: "default"))
        let secret = try #require(loaded.secrets.first)
        #expect(secret.meta.labels.count == 2 && secret.meta.labels[nfd] == "2")
        #expect(secret.meta.annotations.count == 2 && secret.meta.annotations[nfc] == "a")
        #expect(secret.certificatesPEM == snapshot.secrets[0].certificatesPEM && secret.certificatesPEM.count == 2)
        #expect(loaded.roles.first?.aggregationRule?.clusterRoleSelectors.first?.matchLabels.count == 2)
        #expect(loaded.serving.services.first?.selector == [nfc: "x", nfd: "y"])
    }
}
