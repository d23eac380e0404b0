import Testing
import KubeModel
@testable import Store

extension Fixtures {
    /// One object of every `v4-tls-kinds` table, every field set, and a
    /// container on the first pod and the first workload.
    static func addServingObjects(to snapshot: inout ClusterSnapshot) {
        snapshot.serving.services = [
            Service(meta: ObjectMeta(name: "web", namespace: "production", labels: ["app": "web"]), type: "ClusterIP",
                    selector: ["app": "web"],
                    ports: [ServicePort(name: "https", port: 443, targetPort: "8443", appProtocol: "https"),
                            ServicePort(port: 80, targetPort: "http", protocol: "TCP")]),
            Service(meta: ObjectMeta(name: "external", namespace: "production"), type: "ExternalName"),
        ]
        snapshot.serving.gatewayRoutes = [
            GatewayRoute(kind: "HTTPRoute", meta: ObjectMeta(name: "web", namespace: "production"),
                         parentRefs: [RouteParentRef(namespace: "infra", name: "edge", sectionName: "https")],
                         hostnames: ["app.example.com"],
                         backendRefs: [RouteBackendRef(namespace: "production", name: "web", port: 443)]),
        ]
        snapshot.serving.istioGateways = [
            IstioGateway(meta: ObjectMeta(name: "public", namespace: "istio-system"), selector: ["istio": "ingressgateway"],
                         servers: [IstioServer(portName: "https", portNumber: 443, protocol: "HTTPS", hosts: ["*/shop.example.org"],
                                               tlsMode: "SIMPLE", credentialName: "shop-cred", minProtocolVersion: "TLSV1_2")]),
        ]
        snapshot.serving.peerAuthentications = [
            PeerAuthentication(meta: ObjectMeta(name: "default", namespace: "istio-system"), mode: "STRICT",
                               portModes: ["8080": "DISABLE"]),
        ]
        snapshot.serving.ingressRoutes = [
            TraefikIngressRoute(kind: "IngressRoute", meta: ObjectMeta(name: "shop", namespace: "production"),
                                entryPoints: ["websecure"],
                                routes: [TraefikRoute(match: "Host(`shop.example.org`)",
                                                      services: [TraefikService(name: "web", namespace: "production", port: "443",
                                                                                scheme: "https", serversTransport: "verify")])],
                                tlsSecretName: "shop-tls", hasTLS: true, tlsPassthrough: false),
        ]
        snapshot.serving.externalSecrets = [
            ExternalSecret(meta: ObjectMeta(name: "vault-tls", namespace: "production"), targetName: "edge-tls",
                           targetType: "kubernetes.io/tls", creationPolicy: "Owner", storeKind: "ClusterSecretStore",
                           storeName: "vault", secretKeys: ["tls.crt", "tls.key"]),
        ]
        if !snapshot.pods.isEmpty {
            snapshot.pods[0].spec.containers = [ContainerSummary(name: "app", image: "shop:1", flags: ["--port=8080", "--verbose"]),
                                                ContainerSummary(name: "istio-proxy", image: "istio/proxyv2:1.20")]
        }
        if !snapshot.workloads.isEmpty {
            snapshot.workloads[0].template.containers = [ContainerSummary(name: "controller", image: "ingress-nginx/controller:v1.7.0",
                                                                          flags: ["--enable-ssl-passthrough"])]
        }
    }
}

/// The `v4-tls-kinds` tables: what `keyreach tls` reads survives import and load.
@Suite struct ServingStoreTests {
    @Test func servingObjectsAndContainersRoundTrip() throws {
        let store = try SnapshotStore.inMemory()
        let snapshot = Fixtures.rich()
        try store.replaceSnapshot(named: "default", with: snapshot, source: "")
        let loaded = try #require(try store.loadSnapshot(named: "default"))
        #expect(loaded.serving == snapshot.serving)
        #expect(loaded.pods.map(\.spec.containers) == snapshot.pods.map(\.spec.containers))
        #expect(loaded.workloads.map(\.template.containers) == snapshot.workloads.map(\.template.containers))
        #expect(loaded.pods[0].spec.containers.map(\.name) == ["app", "istio-proxy"])
    }

    @Test func theMigrationIsNamedAndSetsTheVersion() throws {
        let store = try SnapshotStore.inMemory()
        let migrations = try store.query(sql: "SELECT identifier FROM grdb_migrations WHERE identifier = 'v4-tls-kinds'", arguments: [:])
        #expect(migrations.rows.count == 1)
        #expect(try store.schemaVersion() == Schema.version)
    }

    @Test func externalSecretTargetsAreQueryable() throws {
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "")
        let rows = try store.query(sql: "SELECT namespace, target_name, target_type FROM external_secret", arguments: [:]).rows
        #expect(rows == [["production", "edge-tls", "kubernetes.io/tls"]])
    }
}
