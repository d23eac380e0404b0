import DumpReader
import Foundation
import KubeModel
import Render
import TestSupport
import Testing

/// `collect -o FILE`: the snapshot written as a List reads back into the same
/// snapshot, and nothing but the facts keyreach keeps is written.
@Suite struct ManifestWriterTests {
    static func read(_ bytes: [UInt8], name: String) throws -> ClusterSnapshot {
        try DumpReader().read([.data(Data(bytes), name: name)]).snapshot
    }

    static func written(_ snapshot: ClusterSnapshot, _ format: ManifestWriter.Format) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try ManifestWriter.write(snapshot, as: format) { bytes += $0 }
        return bytes
    }

    /// Every fixture that reads without error: read → write → read gives the
    /// same snapshot, in JSON and in YAML.
    static let fixtures = [
        "demo/cluster.yaml", "demo/cluster.json", "rbac-edge-cases.yaml", "raw-api-lists.json", "query-cases.yaml",
        "bytes/cluster.yaml", "indirect/cluster.yaml", "suggest/derive-role.yaml", "suggest/namespaced-bindings.yaml",
        "suggest/remove-names.yaml", "tls/annotation-traps.yaml", "tls/edge.yaml", "tls/key-sources.yaml",
        "tls/mesh.yaml", "tls/passthrough.yaml", "tls/reencrypt.yaml",
    ]

    @Test(arguments: fixtures)
    func aFixtureReadsBackIntoTheSameSnapshot(fixture: String) throws {
        let path = SharedData.packageRoot.appendingPathComponent("fixtures/\(fixture)").path
        let original = try DumpReader().read([.path(path)]).snapshot
        #expect(!original.countsByKind.isEmpty, "\(fixture) holds nothing")
        for format in [ManifestWriter.Format.json, .yaml] {
            let again = try Self.read(try Self.written(original, format), name: "\(fixture) as \(format)")
            let same = again == original  // not in the #expect: it would print both snapshots whole
            #expect(same, "\(fixture) as \(format): \(Self.firstDifference(original, again))")
        }
    }

    /// What kubectl prints for a TLS secret, with fake values in data,
    /// stringData and the last-applied annotation (the collect test's recording).
    static let keyMarker = "KEYREACH-FAKE-9f3b2c-private-key-value"
    static let passwordMarker = "KEYREACH-FAKE-string-data-password"
    static let certificateBody = String(repeating: "MIIBkTCB+wIJAKHHIG...certificatebytes", count: 3)
        .filter { $0 != "." }

    static var recording: String {
        let key = "-----BEGIN PRIVATE KEY-----\n\(keyMarker)\n-----END PRIVATE KEY-----\n"
        let certificate = "-----BEGIN CERTIFICATE-----\n\(certificateBody)\n-----END CERTIFICATE-----\n"
        let encodedKey = Data(key.utf8).base64EncodedString()
        let bundle = Data((certificate + key).utf8).base64EncodedString()
        let lastApplied = #"{\"data\":{\"tls.key\":\"\#(encodedKey)\"},\"stringData\":{\"password\":\"\#(passwordMarker)\"}}"#
        return """
        {"apiVersion": "v1", "kind": "List", "items": [
          {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
           "metadata": {"name": "app-tls", "namespace": "production", "uid": "u-1",
                        "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "\(lastApplied)",
                                        "cert-manager.io/certificate-name": "app"},
                        "ownerReferences": [{"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "name": "app",
                                             "uid": "c-1", "controller": true}]},
           "data": {"tls.key": "\(encodedKey)", "tls.crt": "\(bundle)", "ca.crt": null, "empty": ""},
           "stringData": {"password": "\(passwordMarker)"}}]}
        """
    }

    @Test func aRecordedSecretKeepsItsFactsAndLosesItsValues() throws {
        let original = try Self.read(Array(Self.recording.utf8), name: "recording")
        let secret = try #require(original.secrets.first)
        #expect(secret.keys.map(\.name) == ["tls.key", "tls.crt", "ca.crt", "empty", "password"])
        #expect(secret.certificatesPEM["tls.crt"]?.contains(Self.certificateBody.prefix(64)) == true)
        for format in [ManifestWriter.Format.json, .yaml] {
            let bytes = try Self.written(original, format)
            #expect(try Self.read(bytes, name: "written") == original)
            let data = Data(bytes)
            let key = "-----BEGIN PRIVATE KEY-----\n\(Self.keyMarker)\n-----END PRIVATE KEY-----\n"
            for needle in [Self.keyMarker, Self.passwordMarker, "KEYREACH-FAKE", Data(key.utf8).base64EncodedString(),
                           Data(Self.passwordMarker.utf8).base64EncodedString(), "last-applied-configuration"] {
                #expect(data.range(of: Data(needle.utf8)) == nil, "\(needle) was written (\(format))")
            }
            // The stand-in says what it is once decoded; the certificate is written verbatim.
            let text = String(decoding: bytes, as: UTF8.self)
            let value = try #require(Self.decodedValue(of: "tls.key", in: text, format: format))
            #expect(value.hasPrefix("-----BEGIN PRIVATE KEY-----\n\(ManifestWriter.redactionMarker)\n"), "\(value)")
            #expect(value.hasSuffix("-----END PRIVATE KEY-----\n"), "\(value)")
            let bundle = try #require(Self.decodedValue(of: "tls.crt", in: text, format: format))
            #expect(bundle.contains(Self.certificateBody.prefix(64)))
        }
    }

    /// The base64 value of data key `key` in a written dump, decoded.
    static func decodedValue(of key: String, in text: String, format: ManifestWriter.Format) -> String? {
        let opener = format == .json ? "\"\(key)\":\"" : "\(key): "
        guard let start = text.range(of: opener)?.upperBound else { return nil }
        let rest = text[start...].prefix { $0 != "\"" && $0 != "\n" }
        return Data(base64Encoded: String(rest)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Random keys: whenever the facts fit in the value's size, the stand-in
    /// reads back to exactly the same key (size, PEM types, certificates).
    @Test func syntheticValuesReadBackToTheSameFacts() throws {
        var random = SeededGenerator(seed: 15)
        let names = ["tls.crt", "tls.key", "ca.crt", "bundle.pem", "password", "id_rsa", "x"]
        let types = ["CERTIFICATE", "RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "X509 CRL"]
        var snapshot = ClusterSnapshot()
        var fitting = 0
        for index in 0..<400 {
            let name = names.randomElement(using: &random)!
            let chosen = Array(types.shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random)))
            var certificates: String?
            let keepsCertificates = name.hasSuffix(".crt") || name.hasSuffix(".pem")
            if keepsCertificates, chosen.contains("CERTIFICATE"), Bool.random(using: &random) {
                certificates = (0..<Int.random(in: 1...2, using: &random)).map { _ in
                    Self.certificatePEM(bodyLength: Int.random(in: 4...300, using: &random) / 4 * 4, using: &random)
                }.joined()
            }
            let minimum = chosen.reduce(0) { sum, type in
                sum + (type == "CERTIFICATE" && certificates != nil ? certificates!.utf8.count : "-----BEGIN \(type)-----".utf8.count)
            }
            let size = Int.random(in: 0...2_000, using: &random) + (Bool.random(using: &random) ? minimum : 0)
            let key = SecretKey(name: name, size: size, pemBlockTypes: chosen)
            let value = ManifestWriter.syntheticValue(key, certificates: certificates)
            if size >= minimum {
                #expect(value.count == size, "\(key) \(certificates ?? "")")
                fitting += 1
            }
            var secret = Secret(meta: ObjectMeta(name: "s\(index)", namespace: "n"), keys: [key])
            if let certificates { secret.certificatesPEM[name] = certificates }
            snapshot.secrets.append(secret)
        }
        #expect(fitting > 200, "too few keys whose facts fit: \(fitting)")
        let again = try Self.read(try Self.written(snapshot, .yaml), name: "random keys")
        try #require(again.secrets.count == snapshot.secrets.count)
        for (read, wrote) in zip(again.secrets, snapshot.secrets) {
            let expected = wrote.keys[0], got = read.keys[0]
            #expect(got.pemBlockTypes == expected.pemBlockTypes, "\(expected)")
            #expect(read.certificatesPEM == wrote.certificatesPEM, "\(expected)")
            let minimum = ManifestWriter.syntheticValue(SecretKey(name: expected.name, size: 0, pemBlockTypes: expected.pemBlockTypes),
                                                        certificates: wrote.certificatesPEM[expected.name]).count
            if expected.size >= minimum { #expect(got.size == expected.size, "\(expected)") }
        }
    }

    /// A CERTIFICATE block as keyreach keeps it: base64 in 64-column lines.
    static func certificatePEM(bodyLength: Int, using random: inout SeededGenerator) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let body = String((0..<max(4, bodyLength)).map { _ in alphabet.randomElement(using: &random)! })
        var lines: [Substring] = []
        var rest = Substring(body)
        while !rest.isEmpty {
            lines.append(rest.prefix(64))
            rest = rest.dropFirst(64)
        }
        return "-----BEGIN CERTIFICATE-----\n" + lines.joined(separator: "\n") + "\n-----END CERTIFICATE-----\n"
    }

    @Test func anEmptySnapshotIsAnEmptyList() throws {
        for format in [ManifestWriter.Format.json, .yaml] {
            let bytes = try Self.written(ClusterSnapshot(), format)
            #expect(try Self.read(bytes, name: "empty") == ClusterSnapshot())
            #expect(String(decoding: bytes, as: UTF8.self).contains("List"))
        }
    }

    /// An Issuer's credential references come back under the same field paths,
    /// array positions included.
    @Test func issuerSecretReferencesKeepTheirFieldPaths() throws {
        var snapshot = ClusterSnapshot()
        snapshot.issuers.append(Issuer(
            meta: ObjectMeta(name: "le"), kind: "ClusterIssuer", acmePrivateKeySecretName: "le-account",
            otherSecretRefs: ["spec.acme.solvers[2].dns01.cloudflare.apiTokenSecretRef": "cf-token",
                              "spec.acme.externalAccountBinding.keySecretRef": "eab",
                              "spec.vault.auth.appRole.secretRef": "vault-approle"]))
        snapshot.issuers.append(Issuer(meta: ObjectMeta(name: "ca", namespace: "pki"), kind: "Issuer", caSecretName: "root-ca"))
        for format in [ManifestWriter.Format.json, .yaml] {
            #expect(try Self.read(try Self.written(snapshot, format), name: "issuers") == snapshot)
        }
    }

    /// Every kind and field the fixtures leave out: each controller kind, a
    /// CronJob's nested template, init-container and every volume kind of
    /// secret reference, routes and Traefik kinds, numeric-looking strings.
    static var everyKind: ClusterSnapshot {
        var s = ClusterSnapshot()
        let meta = { (name: String) in
            ObjectMeta(name: name, namespace: "web", uid: "u-\(name)", labels: ["app": "web", "version": "1.0"],
                       annotations: ["yes": "on", "note": "two\nlines: #x"],
                       ownerReferences: [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "1", controller: true)])
        }
        var spec = PodSpec(serviceAccountName: "builder", nodeName: "node-1", automountServiceAccountToken: false, secretReferences: [
            PodSecretReference(name: "pull", source: .imagePullSecret),
            PodSecretReference(name: "env-all", source: .envFrom, detail: "app"),
            PodSecretReference(name: "env-one", source: .env, detail: "app"),
            PodSecretReference(name: "init-env", source: .env, detail: "setup"),
            PodSecretReference(name: "tls", source: .volume, detail: "certs"),
            PodSecretReference(name: "p1", source: .projectedVolume, detail: "bundle"),
            PodSecretReference(name: "p2", source: .projectedVolume, detail: "bundle"),
            PodSecretReference(name: "csi-creds", source: .csiVolume, detail: "store"),
            PodSecretReference(name: "ceph", source: .otherVolume, detail: "data"),
        ])
        spec.containers = [ContainerSummary(name: "app", image: "registry/app:1", flags: ["--ingress-class=nginx", "--token"]),
                           ContainerSummary(name: "sidecar")]
        s.namespaces = [Namespace(meta: ObjectMeta(name: "web", labels: ["istio-injection": "enabled"]))]
        s.nodes = [Node(meta: ObjectMeta(name: "node-1"))]
        s.serviceAccounts = [ServiceAccount(meta: meta("builder"), automountServiceAccountToken: true,
                                            secretNames: ["builder-token"], imagePullSecretNames: ["pull"])]
        s.roles = [Role(meta: ObjectMeta(name: "agg"), rules: [], aggregationRule: AggregationRule(clusterRoleSelectors: [
            LabelSelector(), LabelSelector(matchLabels: ["x": "y"], matchExpressions: [
                LabelSelectorRequirement(key: "k", operator: "NotIn", values: ["a", "08"]),
                LabelSelectorRequirement(key: "e", operator: "Exists")])])),
                   Role(meta: meta("r"), rules: [PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["1"]),
                                                 PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz"])])]
        s.bindings = [RoleBinding(meta: meta("b"), roleRef: RoleRef(kind: "ClusterRole", name: "agg"), subjects: [
            Subject(kind: "ServiceAccount", name: "builder"), Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "*")])]
        s.pods = [Pod(meta: meta("pod"), spec: spec)]
        s.workloads = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "ReplicationController"].map {
            Workload(kind: $0, meta: meta($0.lowercased()), template: spec)
        }
        s.secrets = [Secret(meta: meta("s"), type: "kubernetes.io/ssh-auth",
                            keys: [SecretKey(name: "ssh-privatekey", size: 400, pemBlockTypes: ["OPENSSH PRIVATE KEY"]),
                                   SecretKey(name: "0755", size: 3)])]
        s.ingresses = [Ingress(meta: meta("i"), ingressClassName: "nginx", tls: [IngressTLS(hosts: ["a.example"], secretName: "s")],
                               rules: [IngressRule(host: "", backends: [IngressBackend(serviceName: "default", port: "http")]),
                                       IngressRule(host: "a.example", backends: [IngressBackend(path: "/", serviceName: "web", port: "8080"),
                                                                                 IngressBackend(path: "/x", serviceName: "x")]),
                                       IngressRule(host: "empty.example")])]
        s.gateways = [Gateway(meta: meta("g"), gatewayClassName: "istio", listeners: [
            GatewayListener(name: "https", hostname: "*.example", port: 443, protocol: "HTTPS", tlsMode: "Terminate",
                            certificateRefs: [GatewayCertificateRef(namespace: "certs", name: "wild")]),
            GatewayListener(name: "http", port: 80, protocol: "HTTP")])]
        s.certificates = [Certificate(meta: meta("c"), secretName: "s", commonName: "a.example", dnsNames: ["a.example"],
                                      issuerRef: IssuerRef(name: "ca", kind: "ClusterIssuer", group: "certmanager.k8s.io"), isCA: true)]
        s.issuers = [Issuer(meta: meta("vault"), kind: "Issuer", otherSecretRefs: ["spec.vault.auth.tokenSecretRef": "vault-token"]),
                     Issuer(meta: ObjectMeta(name: "root"), kind: "ClusterIssuer", caSecretName: "root-ca")]
        s.serving.services = [Service(meta: meta("svc"), type: "NodePort", selector: ["app": "web"], ports: [
            ServicePort(name: "https", port: 443, targetPort: "8443", protocol: "TCP", appProtocol: "https"),
            ServicePort(port: 80, targetPort: "http"), ServicePort(port: 81, targetPort: "0081", protocol: "UDP")])]
        s.serving.gatewayRoutes = ["HTTPRoute", "TLSRoute", "GRPCRoute", "TCPRoute"].map {
            GatewayRoute(kind: $0, meta: meta($0.lowercased()), parentRefs: [RouteParentRef(namespace: "gw", name: "g", sectionName: "https")],
                         hostnames: ["a.example"], backendRefs: [RouteBackendRef(namespace: "web", name: "svc", port: 443),
                                                                 RouteBackendRef(kind: "Backend", namespace: "web", name: "b")])
        }
        s.serving.istioGateways = [IstioGateway(meta: meta("ig"), selector: ["istio": "ingressgateway"], servers: [
            IstioServer(portName: "https", portNumber: 443, protocol: "HTTPS", hosts: ["web/a.example"], tlsMode: "SIMPLE",
                        credentialName: "s", minProtocolVersion: "TLSV1_2"),
            IstioServer(portNumber: 80, protocol: "HTTP", hosts: ["*"])])]
        s.serving.peerAuthentications = [PeerAuthentication(meta: meta("pa"), selector: ["app": "web"], mode: "STRICT",
                                                            portModes: ["8080": "DISABLE", "9090": ""])]
        s.serving.ingressRoutes = [
            TraefikIngressRoute(kind: "IngressRoute", meta: meta("tr"), entryPoints: ["websecure"], routes: [
                TraefikRoute(match: "Host(`a.example`)", services: [TraefikService(name: "web", namespace: "web", port: "443",
                                                                                    scheme: "https", serversTransport: "verify")])],
                                tlsSecretName: "s", hasTLS: true),
            TraefikIngressRoute(kind: "IngressRouteTCP", meta: meta("tcp"), routes: [
                TraefikRoute(match: "HostSNI(`*`)", services: [TraefikService(name: "db", namespace: "data", port: "pg")])],
                                hasTLS: true, tlsPassthrough: true),
            TraefikIngressRoute(meta: meta("plain"))]
        s.serving.externalSecrets = [ExternalSecret(meta: meta("es"), targetName: "", targetType: "kubernetes.io/tls",
                                                    creationPolicy: "Merge", storeKind: "ClusterSecretStore", storeName: "vault",
                                                    secretKeys: ["tls.crt", "tls.key"])]
        return s
    }

    @Test func everyKindAndFieldReadsBack() throws {
        let snapshot = Self.everyKind
        // A kind added to the snapshot later fails here until it is in the sample (and so in the round trip).
        for child in Array(Mirror(reflecting: snapshot).children) + Array(Mirror(reflecting: snapshot.serving).children) {
            if let objects = child.value as? any Collection { #expect(!objects.isEmpty, "no \(child.label ?? "?") in the sample") }
        }
        for format in [ManifestWriter.Format.json, .yaml] {
            let result = try DumpReader().read([.data(Data(try Self.written(snapshot, format)), name: "every kind")])
            #expect(result.warnings.isEmpty, "\(result.warnings)")
            #expect(result.skipped.isEmpty, "\(result.skipped)")
            let same = result.snapshot == snapshot
            #expect(same, "\(format): \(Self.firstDifference(snapshot, result.snapshot))")
            #expect(result.snapshot.countsByKind == snapshot.countsByKind)
        }
    }

    /// The first kind whose objects differ, for a failure message.
    static func firstDifference(_ a: ClusterSnapshot, _ b: ClusterSnapshot) -> String {
        let mirrorA = Mirror(reflecting: a), mirrorB = Mirror(reflecting: b)
        for (childA, childB) in zip(mirrorA.children, mirrorB.children) where "\(childA.value)" != "\(childB.value)" {
            return "\(childA.label ?? "?"): \(String("\(childA.value)".prefix(600))) ≠ \(String("\(childB.value)".prefix(600)))"
        }
        return "none"
    }
}
