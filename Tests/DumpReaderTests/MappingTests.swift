import Foundation
import Testing
import KubeModel
@testable import DumpReader

/// Each kind's fields, read from the fixture in both formats.
@Suite struct MappingTests {
    static func snapshots() throws -> [ClusterSnapshot] {
        let list: [String: Any] = ["apiVersion": "v1", "kind": "List", "items": Fixture.objects]
        return [try read(json(list), name: "fixture.json").snapshot,
                try read(yamlStream(Fixture.objects), name: "fixture.yaml").snapshot]
    }

    @Test func jsonAndYAMLGiveEqualSnapshots() throws {
        let both = try Self.snapshots()
        #expect(both[0] == both[1])
        #expect(both[0].countsByKind == [
            "Namespace": 1, "Node": 1, "ServiceAccount": 1, "Role": 1, "ClusterRole": 1, "RoleBinding": 1,
            "ClusterRoleBinding": 1, "Pod": 1, "Deployment": 1, "CronJob": 1, "ReplicationController": 1,
            "Ingress": 2, "Gateway": 1, "Certificate": 2, "ClusterIssuer": 1, "Issuer": 3, "Secret": 1,
            "Gateway.networking.istio.io": 1,
        ])
    }

    @Test func istioGatewayIsToldFromGatewayAPIByGroupAndConfigMapIsSkipped() throws {
        let result = try read(yamlStream(Fixture.objects))
        #expect(result.skipped == ["ConfigMap": 1])
        #expect(result.snapshot.gateways.map(\.meta.name) == ["gw"])
        #expect(result.snapshot.serving.istioGateways.count == 1)
    }

    @Test func podSecretReferencesOfEverySource() throws {
        for snapshot in try Self.snapshots() {
            let pod = try #require(snapshot.pods.first)
            #expect(pod.spec.serviceAccountName == "web-sa")
            #expect(pod.spec.nodeName == "node-1")
            #expect(pod.spec.automountServiceAccountToken == false)
            let refs = pod.spec.secretReferences
            #expect(Set(refs.map(\.source)) == Set(PodSecretReference.Source.allCases))
            #expect(Set(refs) == [
                PodSecretReference(name: "pull", source: .imagePullSecret),
                PodSecretReference(name: "env-secret", source: .env, detail: "app"),
                PodSecretReference(name: "envfrom-secret", source: .envFrom, detail: "app"),
                PodSecretReference(name: "init-secret", source: .envFrom, detail: "init"),
                PodSecretReference(name: "debug-secret", source: .env, detail: "debug"),
                PodSecretReference(name: "vol-secret", source: .volume, detail: "v-secret"),
                PodSecretReference(name: "proj-secret", source: .projectedVolume, detail: "v-projected"),
                PodSecretReference(name: "csi-secret", source: .csiVolume, detail: "v-csi"),
                PodSecretReference(name: "azure-secret", source: .otherVolume, detail: "v-azure"),
                PodSecretReference(name: "cephfs-secret", source: .otherVolume, detail: "v-cephfs"),
                PodSecretReference(name: "cinder-secret", source: .otherVolume, detail: "v-cinder"),
                PodSecretReference(name: "flex-secret", source: .otherVolume, detail: "v-flex"),
                PodSecretReference(name: "rbd-secret", source: .otherVolume, detail: "v-rbd"),
                PodSecretReference(name: "scaleio-secret", source: .otherVolume, detail: "v-scaleio"),
                PodSecretReference(name: "iscsi-secret", source: .otherVolume, detail: "v-iscsi"),
                PodSecretReference(name: "storageos-secret", source: .otherVolume, detail: "v-storageos"),
            ])
            #expect(refs.count == 16)
        }
    }

    @Test func metadataKeepsScalarTextAndOwners() throws {
        for snapshot in try Self.snapshots() {
            let pod = try #require(snapshot.pods.first)
            #expect(pod.meta == ObjectMeta(name: "web-0", namespace: "shop", uid: "u-1",
                                           labels: ["app": "web", "enabled": "true"],
                                           ownerReferences: [OwnerReference(apiVersion: "apps/v1", kind: "StatefulSet",
                                                                            name: "web", uid: "u-2", controller: true)]))
            #expect(snapshot.nodes.first?.meta.labels == ["zone": "a"])
        }
    }

    @Test func workloadTemplatesIncludingCronJob() throws {
        for snapshot in try Self.snapshots() {
            let byKind = Dictionary(uniqueKeysWithValues: snapshot.workloads.map { ($0.kind, $0) })
            #expect(byKind["Deployment"]?.template.serviceAccountName == "legacy-sa")
            #expect(byKind["Deployment"]?.template.secretReferences == [PodSecretReference(name: "dep-secret", source: .envFrom, detail: "c")])
            #expect(byKind["CronJob"]?.template.secretReferences == [PodSecretReference(name: "cron-secret", source: .volume, detail: "v")])
            var bare = PodSpec(serviceAccountName: "default")
            bare.containers = [ContainerSummary(name: "c")]
            #expect(byKind["ReplicationController"]?.template == bare)
        }
    }

    @Test func rbacObjects() throws {
        for snapshot in try Self.snapshots() {
            let role = try #require(snapshot.roles.first { !$0.isClusterRole })
            #expect(role.rules == [PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["secrets"], resourceNames: ["a", "b"])])
            #expect(role.aggregationRule == nil)
            let cluster = try #require(snapshot.roles.first { $0.isClusterRole })
            #expect(cluster.meta.labels == ["rbac.example.com/aggregate": "true"])
            #expect(cluster.rules == [PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz"])])
            #expect(cluster.aggregationRule == AggregationRule(clusterRoleSelectors: [
                LabelSelector(matchLabels: ["x": "y"]),
                LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "tier", operator: "NotIn", values: ["db"]),
                                                 LabelSelectorRequirement(key: "k", operator: "Exists")]),
            ]))
            let rb = try #require(snapshot.bindings.first { !$0.isClusterRoleBinding })
            #expect(rb.meta.namespace == "shop")
            #expect(rb.roleRef == RoleRef(kind: "Role", name: "reader"))
            #expect(rb.subjects == [Subject(kind: "ServiceAccount", name: "web-sa"),
                                    Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice")])
            let crb = try #require(snapshot.bindings.first { $0.isClusterRoleBinding })
            #expect(crb.subjects.isEmpty)
            let sa = try #require(snapshot.serviceAccounts.first)
            #expect(sa == ServiceAccount(meta: ObjectMeta(name: "web-sa", namespace: "shop"), automountServiceAccountToken: true,
                                         secretNames: ["web-sa-token"], imagePullSecretNames: ["pull"]))
        }
    }

    @Test func ingressesOfBothAPIVersions() throws {
        for snapshot in try Self.snapshots() {
            let v1 = try #require(snapshot.ingresses.first { $0.meta.name == "web" })
            #expect(v1.ingressClassName == "nginx")
            #expect(v1.tls == [IngressTLS(hosts: ["shop.example.org"], secretName: "shop-tls")])
            #expect(v1.rules == [IngressRule(host: "shop.example.org", backends: [
                IngressBackend(path: "/", serviceName: "web", port: "80"),
                IngressBackend(path: "/api", serviceName: "api", port: "http"),
            ])])
            let legacy = try #require(snapshot.ingresses.first { $0.meta.name == "legacy" })
            #expect(legacy.rules == [
                IngressRule(host: "", backends: [IngressBackend(path: "", serviceName: "default-web", port: "8080")]),
                IngressRule(host: "old.example.org", backends: [IngressBackend(path: "/", serviceName: "old", port: "http")]),
            ])
        }
    }

    @Test func gatewayDefaultsCertificateRefs() throws {
        for snapshot in try Self.snapshots() {
            let gateway = try #require(snapshot.gateways.first)
            #expect(gateway.gatewayClassName == "istio")
            #expect(gateway.listeners == [
                GatewayListener(name: "https", hostname: "shop.example.org", port: 443, protocol: "HTTPS", tlsMode: "Terminate",
                                certificateRefs: [GatewayCertificateRef(namespace: "shop", name: "gw-tls"),
                                                  GatewayCertificateRef(namespace: "certs", name: "other-tls")]),
                GatewayListener(name: "tls-pass", port: 8443, protocol: "TLS", tlsMode: "Passthrough"),
                GatewayListener(name: "http", port: 80, protocol: "HTTP"),
            ])
        }
    }

    @Test func certManagerObjects() throws {
        for snapshot in try Self.snapshots() {
            let shop = try #require(snapshot.certificates.first { $0.meta.name == "shop" })
            #expect(shop == Certificate(meta: ObjectMeta(name: "shop", namespace: "shop"), secretName: "shop-tls",
                                        commonName: "shop.example.org", dnsNames: ["shop.example.org", "www.example.org"],
                                        issuerRef: IssuerRef(name: "ca-issuer", kind: "ClusterIssuer"), isCA: false))
            let old = try #require(snapshot.certificates.first { $0.meta.name == "old-cert" })
            #expect(old.issuerRef == IssuerRef(name: "local", kind: "Issuer", group: "certmanager.k8s.io"))
            #expect(old.isCA)
            let issuers = Dictionary(uniqueKeysWithValues: snapshot.issuers.map { ($0.meta.name, $0) })
            #expect(issuers["ca-issuer"]?.isClusterIssuer == true)
            #expect(issuers["ca-issuer"]?.meta.namespace == "")
            #expect(issuers["ca-issuer"]?.caSecretName == "ca-key-pair")
            #expect(issuers["acme"]?.acmePrivateKeySecretName == "acme-account")
            #expect(issuers["acme"]?.otherSecretRefs == ["spec.acme.solvers[0].dns01.cloudflare.apiTokenSecretRef": "cf-token"])
            #expect(issuers["vault"]?.otherSecretRefs == [
                "spec.vault.auth.tokenSecretRef": "vault-token",
                "spec.vault.auth.appRole.secretRef": "vault-approle",
                "spec.vault.auth.kubernetes.secretRef": "vault-k8s",
            ])
            #expect(issuers["venafi"]?.otherSecretRefs == [
                "spec.venafi.tpp.credentialsRef": "tpp-creds",
                "spec.venafi.cloud.apiTokenSecretRef": "venafi-cloud",
            ])
        }
    }

    @Test func namespacedObjectWithoutNamespaceGoesToDefaultWithOneWarning() throws {
        let result = try read("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: a}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: b}
            """, name: "nons.yaml")
        #expect(result.snapshot.roles.first?.meta.namespace == "default")
        #expect(result.snapshot.roles.first?.isClusterRole == false)
        #expect(result.snapshot.secrets.first?.meta.namespace == "default")
        #expect(result.warnings == ["nons.yaml: 2 namespaced objects without metadata.namespace placed in namespace \"default\", as kubectl would"])
    }

    @Test func clusterScopedKindsIgnoreANamespace() throws {
        let result = try read(#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"x","namespace":"oops"}}"#)
        #expect(result.snapshot.roles.first?.isClusterRole == true)
    }

    @Test func duplicateObjectsLastWinsWithWarningAcrossFiles() throws {
        let first = Data("""
            apiVersion: v1
            kind: Secret
            metadata: {name: app-tls, namespace: production}
            type: Opaque
            """.utf8)
        let second = Data("""
            # a comment
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: app-tls, namespace: production}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: app-tls, namespace: production}
            type: kubernetes.io/tls
            """.utf8)
        let result = try DumpReader().read([.data(first, name: "a.yaml"), .data(second, name: "prod.yaml")])
        #expect(result.snapshot.secrets.count == 1)
        #expect(result.snapshot.secrets.first?.type == "kubernetes.io/tls")
        #expect(result.snapshot.serviceAccounts.count == 1)
        #expect(result.warnings == ["prod.yaml:6: Secret production/app-tls appears twice; the last one wins"])
    }

    @Test func duplicateInJSONListNamesTheLine() throws {
        let text = """
            {"kind": "List", "apiVersion": "v1", "items": [
              {"kind": "ClusterRole", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": {"name": "r"}, "rules": []},
              {"kind": "ClusterRole", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": {"name": "r"},
               "rules": [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}]}
            ]}
            """
        let result = try read(text, name: "dump.json")
        #expect(result.snapshot.roles.count == 1)
        #expect(result.snapshot.roles.first?.rules.count == 1)
        #expect(result.warnings == ["dump.json:3: ClusterRole r appears twice; the last one wins"])
    }
}
