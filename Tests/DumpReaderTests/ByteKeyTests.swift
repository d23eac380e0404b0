import Foundation
import KubeModel
import Testing
@testable import DumpReader

/// Maps keyed by bytes, as Go's `map[string]string` keys them: a label,
/// annotation, selector or data key spelled "café" precomposed (U+00E9) and
/// one spelled "cafe" + U+0301 are two keys in the API server, though Swift's
/// `String` calls them equal; so are "K" and KELVIN SIGN (U+212A).
@Suite struct ByteKeyTests {
    static let nfc = "caf\u{E9}"
    static let nfd = "cafe\u{301}"
    static let kelvin = "\u{212A}"

    @Test func labelsAndAnnotationsKeepCanonicallyEqualKeysApart() throws {
        for (text, name) in [
            (#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n", "labels": {"caf\u00e9": "nfc", "cafe\u0301": "nfd", "K": "ascii", "\u212a": "kelvin"}, "annotations": {"caf\u00e9": "1", "cafe\u0301": "2"}}}"#, "n.json"),
            ("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n  labels: {\"caf\\u00e9\": nfc, \"cafe\\u0301\": nfd, K: ascii, \"\\u212a\": kelvin}\n  annotations: {\"caf\\u00e9\": \"1\", \"cafe\\u0301\": \"2\"}\n", "n.yaml"),
        ] {
            let result = try read(text, name: name)
            #expect(result.warnings.isEmpty, "\(name)")
            let meta = try #require(result.snapshot.namespaces.first?.meta)
            #expect(meta.labels.count == 4, "\(name)")
            #expect(meta.labels[Self.nfc] == "nfc" && meta.labels[Self.nfd] == "nfd", "\(name)")
            #expect(meta.labels["K"] == "ascii" && meta.labels[Self.kelvin] == "kelvin", "\(name)")
            #expect(meta.annotations.count == 2 && meta.annotations[Self.nfc] == "1" && meta.annotations[Self.nfd] == "2", "\(name)")
        }
    }

    @Test func aggregationSelectorKeepsBothKeys() throws {
        let result = try read("""
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "agg"},
             "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"caf\\u00e9": "a", "cafe\\u0301": "b"}}]}}
            """, name: "agg.json")
        let selector = try #require(result.snapshot.roles.first?.aggregationRule?.clusterRoleSelectors.first)
        #expect(selector.matchLabels.count == 2)
        #expect(selector.matchLabels[Self.nfc] == "a" && selector.matchLabels[Self.nfd] == "b")
    }

    @Test func secretDataKeysAndCertificatesAreBytes() throws {
        let pem = "-----BEGIN CERTIFICATE-----\nRkFLRQ==\n-----END CERTIFICATE-----\n"
        let value = Data(pem.utf8).base64EncodedString()
        let result = try read("""
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "a"},
             "data": {"caf\\u00e9.crt": "\(value)", "cafe\\u0301.crt": "\(value)", "K.key": "QQ==", "\\u212a.key": "QUJD"}}
            """, name: "s.json")
        let secret = try #require(result.snapshot.secrets.first)
        #expect(secret.keys.count == 4)
        #expect(secret.keys.first { sameBytes($0.name, "K.key") }?.size == 1)
        #expect(secret.keys.first { sameBytes($0.name, Self.kelvin + ".key") }?.size == 3)
        #expect(secret.certificatesPEM.count == 2)
        #expect(secret.certificatesPEM[Self.nfc + ".crt"] == pem && secret.certificatesPEM[Self.nfd + ".crt"] == pem)
    }

    @Test func serviceSelectorKeepsBothKeys() throws {
        let result = try read("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {"caf\\u00e9": a, "cafe\\u0301": b}
            """)
        let service = try #require(result.snapshot.serving.services.first)
        #expect(service.selector.count == 2)
    }

    /// A merged key and an explicit one that Swift calls equal are two keys for go-yaml.
    @Test func mergeKeysCompareAsBytes() throws {
        let result = try read("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: ns1
              labels:
                <<: {"caf\\u00e9": merged}
                "cafe\\u0301": mine
            """)
        let labels = try #require(result.snapshot.namespaces.first?.meta.labels)
        #expect(labels.count == 2)
        #expect(labels[Self.nfc] == "merged" && labels[Self.nfd] == "mine")
    }

    /// YAML anchors are keyed by bytes too, though libyaml (like go-yaml's
    /// port of its scanner) allows only ASCII letters, digits, `-` and `_`
    /// in them: a non-ASCII anchor is invalid YAML, with its line.
    @Test func nonASCIIAnchorsAreInvalidYAML() throws {
        let error = try #require(readError("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n  labels: &\(Self.nfc) {a: b}\n"))
        #expect(error.line == 5 && error.message.contains("while scanning an anchor"))
    }

    /// Two objects whose names differ only in bytes are two objects, not one read twice.
    @Test func objectsNamedAlikeAreTwo() throws {
        let result = try read("""
            {"kind": "List", "apiVersion": "v1", "items": [
              {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "caf\\u00e9"}},
              {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "cafe\\u0301"}}]}
            """, name: "ns.json")
        #expect(result.snapshot.namespaces.count == 2)
        #expect(result.warnings.isEmpty)
    }

    @Test func byteKeyedMapBehavesAsAGoMap() {
        var map: ByteKeyedMap = [Self.nfc: "1"]
        map[Self.nfd] = "2"
        #expect(map.count == 2 && map[Self.nfc] == "1" && map[Self.nfd] == "2")
        map[Self.nfc] = nil
        #expect(map.keys.map { Array($0.utf8) } == [Array(Self.nfd.utf8)])
        // Equality reads bytes, keys and values.
        #expect(ByteKeyedMap(["a": Self.nfc]) != ByteKeyedMap(["a": Self.nfd]))
        #expect(ByteKeyedMap(["K": "x"]).keys == ["K"] && ByteKeyedMap([Self.kelvin: "x"]) != ByteKeyedMap(["K": "x"]))
        // Keys come in byte order: "K" (0x4B) before "caf…" (0x63) before KELVIN SIGN (0xE2…).
        let ordered: ByteKeyedMap = [Self.kelvin: "k", Self.nfc: "c", "K": "a"]
        #expect(ordered.keys.map { Array($0.utf8) } == ["K", Self.nfc, Self.kelvin].map { Array($0.utf8) })
        // A selector as a set (Service, Istio, PeerAuthentication) matches by bytes.
        #expect(ByteKeyedMap([Self.nfc: "x"]).isContained(in: [Self.nfc: "x", "other": "y"]))
        #expect(!ByteKeyedMap([Self.nfc: "x"]).isContained(in: [Self.nfd: "x"]))
        #expect(!ByteKeyedMap(["tier": "K"]).isContained(in: ["tier": Self.kelvin]))
    }

    @Test func byteKeyedMapRoundTripsThroughCodable() throws {
        let map: ByteKeyedMap = [Self.nfc: "1", Self.nfd: "2"]
        let decoded = try JSONDecoder().decode(ByteKeyedMap.self, from: JSONEncoder().encode(map))
        #expect(decoded == map && decoded.count == 2)
    }
}
