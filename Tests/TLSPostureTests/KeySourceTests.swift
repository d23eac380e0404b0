import Exposure
import KubeModel
import RBAC
import Testing

/// The key sources beside cert-manager (fixtures/tls/key-sources.yaml): each
/// names a private-key secret, and the controller that serves or writes it is
/// its expected holder, not a finding.
@Suite struct KeySourceTests {
    static func exposures() throws -> [KeyExposure] {
        let snapshot = try fixture("tls/key-sources.yaml")
        return ExposureAnalysis.analyze(snapshot: snapshot, whoCan: WhoCan(derived: AccessIndexer.compute(snapshot)),
                                        expectedHolders: ExpectedHolders())
    }

    static func exposure(_ namespace: String, _ name: String) throws -> KeyExposure {
        try #require(try exposures().first { $0.key.secret.namespace == namespace && $0.key.secret.name == name })
    }

    /// `kind namespace/name rule` of every expected holder but system:masters.
    static func holders(_ exposure: KeyExposure) -> [String] {
        exposure.expected.filter { $0.identity.name != "system:masters" }.map { reader in
            "\(reader.identity.kind) \(reader.identity.namespace)/\(reader.identity.name) \(reader.expectation?.rule.rawValue ?? "-")"
        }
    }

    @Test func istioGatewayCredentialIsReadByTheGatewayWorkload() throws {
        let key = try Self.exposure("istio-system", "public-cred")
        #expect(key.key.reasons.contains(.istioGatewayCredential(
            gateway: ObjectRef(kind: "Gateway", namespace: "istio-system", name: "public"), server: "https")))
        #expect(key.key.reasons.map(\.description).contains("Istio Gateway istio-system/public server https"))
        #expect(Self.holders(key) == ["ServiceAccount istio-system/istio-ingressgateway ingressController"])
    }

    @Test func theCredentialLivesWhereTheGatewayPodsRun() {
        var snapshot = ClusterSnapshot()
        let gateway = IstioGateway(meta: ObjectMeta(name: "public", namespace: "shop"), selector: ["istio": "ingressgateway"],
                                   servers: [IstioServer(portName: "https", credentialName: "cred")])
        snapshot.serving.istioGateways = [gateway]
        #expect(PrivateKeyInventory.istioGatewayWorkloadNamespaces(gateway, pods: []) == ["shop"])
        snapshot.pods = [Pod(meta: ObjectMeta(name: "gw", namespace: "istio-ingress", labels: ["istio": "ingressgateway"]), spec: PodSpec())]
        #expect(PrivateKeyInventory.classify(snapshot).map { "\($0.secret.namespace)/\($0.secret.name)" } == ["istio-ingress/cred"])
    }

    @Test func traefikIngressRouteSecretIsReadByTraefik() throws {
        let key = try Self.exposure("web", "site-tls")
        #expect(key.key.reasons.map(\.code).contains("traefikIngressRoute"))
        #expect(Self.holders(key).contains("ServiceAccount traefik/traefik ingressController"))
    }

    @Test func externalSecretTargetIsAKeyBeforeItExistsAndItsWriterIsExpected() throws {
        let key = try Self.exposure("web", "edge-tls")
        #expect(key.key.exists == false)
        #expect(key.key.reasons == [.externalSecretTarget(externalSecret: ObjectRef(kind: "ExternalSecret", namespace: "web", name: "edge"))])
        #expect(Self.holders(key) == ["ServiceAccount external-secrets/external-secrets secretsController"])
        #expect(key.readers.map(\.identity.name) == ["traefik"], "Traefik reads every secret: a finding for a key it does not serve")
    }

    @Test func anExternalSecretOfAPasswordIsNoKey() throws {
        #expect(try Self.exposures().contains { $0.key.secret.name == "db" } == false)
    }
}
