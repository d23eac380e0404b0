import KubeModel
import Testing
@testable import Exposure

/// Small builders so each test reads like the rule it pins.
func secret(_ namespace: String, _ name: String, type: String = "Opaque", keys: [SecretKey] = [],
            labels: ByteKeyedMap = [:], annotations: ByteKeyedMap = [:],
            certificatesPEM: ByteKeyedMap = [:]) -> Secret {
    Secret(meta: ObjectMeta(name: name, namespace: namespace, labels: labels, annotations: annotations),
           type: type, keys: keys, certificatesPEM: certificatesPEM)
}

func snapshot(secrets: [Secret] = [], certificates: [Certificate] = [], issuers: [Issuer] = [],
              ingresses: [Ingress] = [], gateways: [Gateway] = []) -> ClusterSnapshot {
    var snapshot = ClusterSnapshot()
    snapshot.secrets = secrets
    snapshot.certificates = certificates
    snapshot.issuers = issuers
    snapshot.ingresses = ingresses
    snapshot.gateways = gateways
    return snapshot
}

func reasons(_ keys: [PrivateKeySecret], _ namespace: String, _ name: String) -> [String] {
    keys.first { $0.secret.namespace == namespace && $0.secret.name == name }?.reasons.map(\.description) ?? []
}

@Suite("Which secrets hold a private key, and why")
struct PrivateKeyInventoryTests {
    @Test("type kubernetes.io/tls and kubernetes.io/ssh-auth are keys; Opaque and token secrets are not")
    func secretTypes() {
        let keys = PrivateKeyInventory.classify(snapshot(secrets: [
            secret("production", "app-tls", type: "kubernetes.io/tls"),
            secret("ci", "deploy-key", type: "kubernetes.io/ssh-auth"),
            secret("production", "db-password", keys: [SecretKey(name: "password", size: 12)]),
            secret("production", "sa-token", type: "kubernetes.io/service-account-token",
                   keys: [SecretKey(name: "ca.crt", size: 1000, pemBlockTypes: ["CERTIFICATE"]), SecretKey(name: "token", size: 900)]),
        ]))
        #expect(keys.map(\.secret.name) == ["deploy-key", "app-tls"])
        #expect(reasons(keys, "production", "app-tls") == ["type kubernetes.io/tls"])
        #expect(reasons(keys, "ci", "deploy-key") == ["type kubernetes.io/ssh-auth"])
        #expect(keys.allSatisfy { $0.exists && $0.secret.kind == "Secret" })
        #expect(keys.first?.type == "kubernetes.io/ssh-auth")
    }

    @Test("data keys tls.key, ca.key and *.key (any case) are keys; tls.crt and keyring are not")
    func dataKeys() {
        let keys = PrivateKeyInventory.classify(snapshot(secrets: [
            secret("a", "s", keys: ["tls.key", "ca.key", "Server.KEY", "tls.crt", "keyring", "key"].map { SecretKey(name: $0, size: 1) }),
        ]))
        #expect(reasons(keys, "a", "s") == ["data key Server.KEY", "data key ca.key", "data key tls.key"])
    }

    @Test("a PEM block type naming a PRIVATE KEY makes a key, whatever the data key is called")
    func pemBlocks() {
        let blockTypes = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY"]
        let keys = PrivateKeyInventory.classify(snapshot(secrets: [
            secret("a", "s", keys: blockTypes.enumerated().map { SecretKey(name: "v\($0.offset)", size: 100, pemBlockTypes: [$0.element]) }),
            secret("a", "public", keys: [SecretKey(name: "pub.pem", size: 100, pemBlockTypes: ["PUBLIC KEY", "CERTIFICATE"])]),
            secret("a", "mixed", keys: [SecretKey(name: "key.pem", size: 100, pemBlockTypes: ["CERTIFICATE", "RSA PRIVATE KEY"])]),
        ]))
        #expect(reasons(keys, "a", "s") == blockTypes.enumerated().map { "PEM block \($0.element) in v\($0.offset)" }.sorted())
        #expect(reasons(keys, "a", "mixed") == ["PEM block RSA PRIVATE KEY in key.pem"])
        #expect(!keys.contains { $0.secret.name == "public" })
    }

    @Test("cert-manager annotations (new and old group) and labels mark keys; the first annotation present is reported")
    func certManagerMetadata() {
        let keys = PrivateKeyInventory.classify(snapshot(secrets: [
            secret("p", "new", annotations: ["cert-manager.io/issuer-name": "ca", "cert-manager.io/certificate-name": "app"]),
            secret("p", "old", annotations: ["certmanager.k8s.io/issuer-name": "letsencrypt"]),
            secret("p", "fao", labels: ["controller.cert-manager.io/fao": "true"]),
            secret("p", "next", labels: ["cert-manager.io/next-private-key": "true"]),
            secret("p", "not-next", labels: ["cert-manager.io/next-private-key": "false"]),
            secret("p", "injectable", annotations: ["cert-manager.io/allow-direct-injection": "true"]),
        ]))
        #expect(reasons(keys, "p", "new") == ["cert-manager annotation cert-manager.io/certificate-name=app"])
        #expect(reasons(keys, "p", "old") == ["cert-manager annotation certmanager.k8s.io/issuer-name=letsencrypt"])
        #expect(reasons(keys, "p", "fao") == ["label controller.cert-manager.io/fao"])
        #expect(reasons(keys, "p", "next") == ["temporary private key (cert-manager.io/next-private-key)"])
        #expect(keys.map(\.secret.name) == ["fao", "new", "next", "old"])
    }

    @Test("a Certificate's spec.secretName is a key in its namespace, also before the secret exists")
    func certificateSecretName() throws {
        let keys = PrivateKeyInventory.classify(snapshot(
            secrets: [secret("production", "app-tls", type: "kubernetes.io/tls")],
            certificates: [
                Certificate(meta: ObjectMeta(name: "app", namespace: "production"), secretName: "app-tls"),
                Certificate(meta: ObjectMeta(name: "api", namespace: "staging"), secretName: "api-tls"),
            ]))
        #expect(reasons(keys, "production", "app-tls") == ["type kubernetes.io/tls", "cert-manager Certificate production/app"])
        let pending = try #require(keys.first { $0.secret.name == "api-tls" })
        #expect(pending.secret.namespace == "staging")
        #expect(!pending.exists && pending.type == nil && pending.willBeCreated)
        #expect(pending.reasons.map(\.description) == ["cert-manager Certificate staging/api"])
    }

    @Test("Issuer CA keys live in the Issuer's namespace, ClusterIssuer ones in the cluster resource namespace")
    func issuerCA() throws {
        let issuers = [
            Issuer(meta: ObjectMeta(name: "x", namespace: "production"), kind: "Issuer", caSecretName: "x-ca"),
            Issuer(meta: ObjectMeta(name: "internal-ca"), kind: "ClusterIssuer", caSecretName: "root-ca"),
        ]
        let keys = PrivateKeyInventory.classify(snapshot(issuers: issuers))
        #expect(reasons(keys, "production", "x-ca") == ["CA of Issuer production/x"])
        #expect(reasons(keys, "cert-manager", "root-ca") == ["CA of ClusterIssuer internal-ca"])
        #expect(keys.allSatisfy { $0.keyKind == .certificateAuthority && !$0.exists && !$0.willBeCreated })

        let moved = PrivateKeyInventory.classify(snapshot(issuers: issuers), clusterResourceNamespace: "security")
        #expect(reasons(moved, "security", "root-ca") == ["CA of ClusterIssuer internal-ca"])
        #expect(reasons(moved, "cert-manager", "root-ca").isEmpty)
    }

    @Test("a CA key counts the Certificates its issuers signed, by issuerRef kind and group")
    func issuedCertificates() throws {
        func certificate(_ namespace: String, _ name: String, _ ref: IssuerRef) -> Certificate {
            Certificate(meta: ObjectMeta(name: name, namespace: namespace), secretName: name + "-tls", issuerRef: ref)
        }
        let keys = PrivateKeyInventory.classify(snapshot(
            certificates: [
                certificate("a", "one", IssuerRef(name: "internal-ca", kind: "ClusterIssuer")),
                certificate("b", "two", IssuerRef(name: "internal-ca", kind: "ClusterIssuer", group: "certmanager.k8s.io")),
                certificate("b", "three", IssuerRef(name: "internal-ca", kind: "ClusterIssuer")),
                certificate("c", "external", IssuerRef(name: "internal-ca", kind: "ClusterIssuer", group: "awspca.cert-manager.io")),
                certificate("c", "namespaced", IssuerRef(name: "internal-ca")),  // an Issuer in c, not the ClusterIssuer
            ],
            issuers: [Issuer(meta: ObjectMeta(name: "internal-ca"), kind: "ClusterIssuer", caSecretName: "root-ca")]))
        let root = try #require(keys.first { $0.secret.name == "root-ca" })
        let issued = try #require(root.issuedCertificates)
        #expect(issued.issuers == [ObjectRef(kind: "ClusterIssuer", name: "internal-ca")])
        #expect(issued.count == 3)
        #expect(issued.namespaces == ["a", "b"])
        #expect(root.impact == "a holder of this key can mint certificates trusted by every Certificate issued by ClusterIssuer internal-ca (3 certificates in 2 namespaces)")
        #expect(keys.first { $0.secret.name == "one-tls" }?.issuedCertificates == nil)
    }

    @Test("ACME account keys of Issuers and ClusterIssuers")
    func acmeAccountKeys() throws {
        let keys = PrivateKeyInventory.classify(snapshot(issuers: [
            Issuer(meta: ObjectMeta(name: "letsencrypt"), kind: "ClusterIssuer", acmePrivateKeySecretName: "letsencrypt-account"),
            Issuer(meta: ObjectMeta(name: "le", namespace: "shop"), kind: "Issuer", acmePrivateKeySecretName: "le-account"),
        ]))
        #expect(reasons(keys, "cert-manager", "letsencrypt-account") == ["ACME account key of ClusterIssuer letsencrypt"])
        #expect(reasons(keys, "shop", "le-account") == ["ACME account key of Issuer shop/le"])
        #expect(keys.allSatisfy { $0.keyKind == .acmeAccount && $0.willBeCreated })
    }

    @Test("Ingress spec.tls secrets and ingress-nginx secret annotations (namespace/name or name)")
    func ingresses() {
        let ingress = Ingress(
            meta: ObjectMeta(name: "web", namespace: "production", annotations: [
                "nginx.ingress.kubernetes.io/proxy-ssl-secret": "backend/upstream-client",
                "nginx.ingress.kubernetes.io/auth-tls-secret": "client-ca",
            ]),
            ingressClassName: "nginx",
            tls: [IngressTLS(hosts: ["app.example.com"], secretName: "app-tls"), IngressTLS(hosts: ["default.example.com"])])
        let broken = Ingress(meta: ObjectMeta(name: "odd", namespace: "production",
                                              annotations: ["nginx.ingress.kubernetes.io/proxy-ssl-secret": "a/b/c"]))
        let keys = PrivateKeyInventory.classify(snapshot(ingresses: [ingress, broken]))
        #expect(reasons(keys, "production", "app-tls") == ["Ingress production/web"])
        #expect(reasons(keys, "backend", "upstream-client") == ["nginx.ingress.kubernetes.io/proxy-ssl-secret of Ingress production/web"])
        #expect(reasons(keys, "production", "client-ca") == ["nginx.ingress.kubernetes.io/auth-tls-secret of Ingress production/web"])
        #expect(keys.count == 3)  // the empty secretName and "a/b/c" name nothing
    }

    @Test("Gateway listener certificateRefs of kind Secret in the core group, namespace as given")
    func gateways() {
        let gateway = Gateway(meta: ObjectMeta(name: "gw", namespace: "production"), gatewayClassName: "istio", listeners: [
            GatewayListener(name: "https", port: 443, protocol: "HTTPS", tlsMode: "Terminate", certificateRefs: [
                GatewayCertificateRef(namespace: "production", name: "gw-tls"),
                GatewayCertificateRef(namespace: "shared-certs", name: "wildcard-tls"),
                GatewayCertificateRef(group: "cert-manager.io", kind: "Certificate", namespace: "production", name: "not-a-secret"),
            ]),
        ])
        let keys = PrivateKeyInventory.classify(snapshot(gateways: [gateway]))
        #expect(reasons(keys, "production", "gw-tls") == ["Gateway production/gw listener https"])
        #expect(reasons(keys, "shared-certs", "wildcard-tls") == ["Gateway production/gw listener https"])
        #expect(keys.count == 2)
    }

    @Test("mesh CA secrets at their install locations are mesh CA keys; the same names elsewhere are not")
    func meshCAs() {
        let keys = PrivateKeyInventory.classify(snapshot(secrets: [
            secret("istio-system", "cacerts", keys: [SecretKey(name: "ca-key.pem", size: 1)]),
            secret("istio-system", "istio-ca-secret"),
            secret("linkerd", "linkerd-identity-issuer"),
            secret("default", "cacerts"),
        ]))
        #expect(reasons(keys, "istio-system", "cacerts") == ["Istio mesh CA"])
        #expect(reasons(keys, "istio-system", "istio-ca-secret") == ["Istio mesh CA"])
        #expect(reasons(keys, "linkerd", "linkerd-identity-issuer") == ["Linkerd mesh CA"])
        #expect(keys.count == 3)
        #expect(keys.allSatisfy { $0.keyKind == .meshCA })
        #expect(keys.first?.impact == "a holder of this key can impersonate every workload of the Istio mesh")
    }

    @Test("a secret gets every reason that applies, once, in a fixed order")
    func combinedReasons() {
        let app = secret("production", "app-tls", type: "kubernetes.io/tls",
                         keys: [SecretKey(name: "tls.key", size: 1, pemBlockTypes: ["EC PRIVATE KEY"]), SecretKey(name: "tls.crt", size: 1)],
                         annotations: ["cert-manager.io/certificate-name": "app"])
        let ingresses = ["web", "api"].map {
            Ingress(meta: ObjectMeta(name: $0, namespace: "production"), tls: [IngressTLS(secretName: "app-tls"), IngressTLS(secretName: "app-tls")])
        }
        let keys = PrivateKeyInventory.classify(snapshot(
            secrets: [app], certificates: [Certificate(meta: ObjectMeta(name: "app", namespace: "production"), secretName: "app-tls")],
            ingresses: ingresses))
        #expect(reasons(keys, "production", "app-tls") == [
            "type kubernetes.io/tls", "data key tls.key", "PEM block EC PRIVATE KEY in tls.key",
            "cert-manager annotation cert-manager.io/certificate-name=app", "cert-manager Certificate production/app",
            "Ingress production/api", "Ingress production/web",
        ])
        #expect(keys.first?.suspicious == [])
    }

    @Test("an annotation naming a Certificate that is not in the dump is suspicious (only when Certificates were dumped)")
    func suspiciousAnnotation() throws {
        let forged = secret("production", "stolen", type: "kubernetes.io/tls", annotations: ["cert-manager.io/certificate-name": "ghost"])
        let real = Certificate(meta: ObjectMeta(name: "app", namespace: "production"), secretName: "app-tls")
        let keys = PrivateKeyInventory.classify(snapshot(secrets: [forged], certificates: [real]))
        let flagged = try #require(keys.first { $0.secret.name == "stolen" })
        #expect(flagged.suspicious.count == 1)
        #expect(flagged.suspicious.first?.contains("names Certificate production/ghost, which is not in the dump") == true)

        let noCRDs = PrivateKeyInventory.classify(snapshot(secrets: [forged]))
        #expect(noCRDs.first?.suspicious == [])

        let sameNameOtherNamespace = Certificate(meta: ObjectMeta(name: "ghost", namespace: "staging"), secretName: "x")
        let elsewhere = PrivateKeyInventory.classify(snapshot(secrets: [forged], certificates: [sameNameOtherNamespace]))
        #expect(elsewhere.first { $0.secret.name == "stolen" }?.suspicious.count == 1)
    }

    @Test("key kind: a CA leaf certificate or an isCA Certificate makes a CA key; a ca.crt beside a leaf does not")
    func keyKinds() {
        let leafWithCA = secret("p", "leaf", type: "kubernetes.io/tls",
                                certificatesPEM: ["tls.crt": TestPKI.ecdsaLeaf.pem, "ca.crt": TestPKI.ca.pem])
        let caPair = secret("p", "ca-pair", type: "kubernetes.io/tls", certificatesPEM: ["tls.crt": TestPKI.ca.pem])
        let isCACertificate = Certificate(meta: ObjectMeta(name: "sub-ca", namespace: "p"), secretName: "sub-ca-tls", isCA: true)
        let keys = PrivateKeyInventory.classify(snapshot(secrets: [leafWithCA, caPair], certificates: [isCACertificate]))
        #expect(keys.first { $0.secret.name == "leaf" }?.keyKind == .leaf)
        #expect(keys.first { $0.secret.name == "ca-pair" }?.keyKind == .certificateAuthority)
        #expect(keys.first { $0.secret.name == "sub-ca-tls" }?.keyKind == .certificateAuthority)
        #expect(keys.first { $0.secret.name == "ca-pair" }?.impact
            == "a holder of this key can mint certificates for any name, trusted by everything that trusts CN=internal-ca,O=Keyreach Test, until 2030-01-01")
    }

    @Test("the certificate a key backs is parsed and its impact sentence built from it")
    func certificateAndImpact() throws {
        let app = secret("production", "app-tls", type: "kubernetes.io/tls",
                         certificatesPEM: ["tls.crt": TestPKI.ecdsaLeaf.pem + TestPKI.ca.pem])
        let key = try #require(PrivateKeyInventory.classify(snapshot(secrets: [app])).first)
        #expect(key.certificates.map(\.subject) == ["CN=app.example.com", "CN=internal-ca,O=Keyreach Test"])
        #expect(key.leafCertificate?.subject == "CN=app.example.com")
        #expect(key.impact == "a holder of this key can impersonate app.example.com, *.example.com, 10.0.0.7 and ::1 until 2027-03-01")
    }

    @Test("output is sorted by namespace then name and does not depend on input order")
    func deterministic() {
        let secrets = [("b", "z"), ("a", "y"), ("b", "a"), ("a", "x")].map { secret($0.0, $0.1, type: "kubernetes.io/tls") }
        let forward = PrivateKeyInventory.classify(snapshot(secrets: secrets))
        let backward = PrivateKeyInventory.classify(snapshot(secrets: secrets.reversed()))
        #expect(forward.map { "\($0.secret.namespace)/\($0.secret.name)" } == ["a/x", "a/y", "b/a", "b/z"])
        #expect(forward == backward)
    }
}
