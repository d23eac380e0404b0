import Exposure
import Foundation
import KubeModel
import RBAC
import Store
import Testing
import Yams
@testable import Render

/// The exposure JSON is a contract scripts rely on: DESIGN.md's shape, exactly.
@Suite("exposure output")
struct ExposureRendererTests {
    /// `shop/shop-tls` (Ingress shop/web of class nginx) readable by `shop/default`
    /// through a RoleBinding; pod `web-0` runs as it; ingress-nginx lists it.
    static func shopExposure() throws -> KeyExposure {
        var dump = ClusterSnapshot()
        dump.secrets = [Secret(meta: ObjectMeta(name: "shop-tls", namespace: "shop"), type: "kubernetes.io/tls")]
        dump.ingresses = [Ingress(meta: ObjectMeta(name: "web", namespace: "shop"), ingressClassName: "nginx",
                                  tls: [IngressTLS(secretName: "shop-tls")])]
        dump.roles = [
            Role(meta: ObjectMeta(name: "reader", namespace: "shop"), rules: [PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"])]),
            Role(meta: ObjectMeta(name: "nginx"), rules: [PolicyRule(verbs: ["list"], apiGroups: [""], resources: ["secrets"])]),
        ]
        dump.bindings = [
            RoleBinding(meta: ObjectMeta(name: "read", namespace: "shop"), roleRef: RoleRef(kind: "Role", name: "reader"),
                        subjects: [Subject(kind: "ServiceAccount", name: "default", namespace: "shop")]),
            RoleBinding(meta: ObjectMeta(name: "nginx"), roleRef: RoleRef(kind: "ClusterRole", name: "nginx"),
                        subjects: [Subject(kind: "ServiceAccount", name: "ingress-nginx", namespace: "ingress-nginx")]),
        ]
        dump.pods = [Pod(meta: ObjectMeta(name: "web-0", namespace: "shop"), spec: PodSpec())]
        let exposures = ExposureAnalysis.analyze(snapshot: dump, whoCan: WhoCan(derived: AccessIndexer.compute(dump)),
                                                 expectedHolders: ExpectedHolders())
        return try #require(exposures.first)
    }

    @Test("one key: secret, reasons, certificate, severity, readers with verbs, expected with why, workloads")
    func jsonShape() throws {
        var w = JSONWriter()
        ExposureRenderer.describe(try Self.shopExposure(), &w)
        #expect(w.text == #"{"secret":{"namespace":"shop","name":"shop-tls","exists":true,"type":"kubernetes.io/tls"},"#
            + #""reasons":["type kubernetes.io/tls","Ingress shop/web"],"certificate":null,"certificates":[],"#
            + #""impact":null,"keyKind":"leaf","severity":"high","#
            + #""readers":[{"kind":"ServiceAccount","namespace":"shop","name":"default","verbs":["get"],"#
            + #""via":[{"binding":{"kind":"RoleBinding","namespace":"shop","name":"read"},"#
            + #""role":{"kind":"Role","namespace":"shop","name":"reader"},"rule":0,"#
            + #""as":{"kind":"ServiceAccount","namespace":"shop","name":"default"}}],"#
            + #""severity":"high","breadth":"defaultServiceAccount","#
            + #""findings":["RoleBinding/shop/read#0/ServiceAccount/shop/default"],"#
            + #""workloadCount":{"pods":1,"controllers":0,"namespaces":1}}],"#
            + #""expected":[{"kind":"Group","name":"system:masters","verbs":["get","list","watch"],"#
            + #""via":[{"superuser":true,"group":"system:masters"}],"#
            + #""why":"system:masters bypasses RBAC: cluster superusers hold every key","rule":"superuser","memberCount":0},"#
            + #"{"kind":"ServiceAccount","namespace":"ingress-nginx","name":"ingress-nginx","verbs":["list"],"#
            + #""via":[{"binding":{"kind":"ClusterRoleBinding","name":"nginx"},"role":{"kind":"ClusterRole","name":"nginx"},"rule":0,"#
            + #""as":{"kind":"ServiceAccount","namespace":"ingress-nginx","name":"ingress-nginx"}}],"#
            + #""why":"ingress-nginx controller serving Ingress shop/web","rule":"ingressController"}],"#
            + #""workloads":[{"kind":"Pod","namespace":"shop","name":"web-0","serviceAccount":"default","pods":1}],"copies":[]}"#)
    }

    @Test("a certificate: DESIGN.md's fields, dates as ISO 8601 in UTC; an unreadable one says why")
    func certificateShape() {
        let leaf = CertificateFacts(dataKey: "tls.crt", index: 0, subject: "CN=app.example.com", commonName: "app.example.com",
                                    issuer: "CN=internal-ca", dnsNames: ["app.example.com"], ipAddresses: ["10.0.0.1"],
                                    notBefore: Date(timeIntervalSince1970: 1_740_787_200),
                                    notAfter: Date(timeIntervalSince1970: 1_803_859_200), isCA: false, sha256: "ab12")
        var w = JSONWriter()
        ExposureRenderer.describe(leaf, &w)
        #expect(w.text == #"{"subject":"CN=app.example.com","dnsNames":["app.example.com"],"issuer":"CN=internal-ca","#
            + #""notAfter":"2027-03-01T00:00:00Z","isCA":false,"sha256":"ab12","ipAddresses":["10.0.0.1"],"#
            + #""notBefore":"2025-03-01T00:00:00Z","dataKey":"tls.crt","index":0}"#)
        var broken = JSONWriter()
        ExposureRenderer.describe(CertificateFacts(dataKey: "ca.crt", index: 1, parseError: "certificate unparseable: x"), &broken)
        #expect(broken.text == #"{"dataKey":"ca.crt","index":1,"parseError":"certificate unparseable: x"}"#)
    }

    @Test("will-be-created and suspicious keys say so; a CA key lists what its issuers signed")
    func addedFields() throws {
        var exposure = try Self.shopExposure()
        exposure.key.exists = false
        exposure.key.reasons = [.certificateSecretName(certificate: ObjectRef(kind: "Certificate", namespace: "shop", name: "web"))]
        exposure.key.suspicious = ["annotation names a missing Certificate"]
        exposure.key.issuedCertificates = IssuedCertificates(issuers: [ObjectRef(kind: "ClusterIssuer", name: "ca")], count: 2,
                                                             namespaces: ["a", "b"])
        var w = JSONWriter()
        ExposureRenderer.describe(exposure, &w)
        let object = try #require(JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: Any])
        let secret = try #require(object["secret"] as? [String: Any])
        #expect(secret["exists"] as? Bool == false)
        #expect(secret["willBeCreated"] as? Bool == true)
        #expect(object["suspicious"] as? [String] == ["annotation names a missing Certificate"])
        let issued = try #require(object["issuedCertificates"] as? [String: Any])
        #expect(issued["count"] as? Int == 2)
        #expect(issued["namespaces"] as? [String] == ["a", "b"])
        #expect((issued["issuers"] as? [[String: Any]])?.first?["kind"] as? String == "ClusterIssuer")
    }

    @Test("yaml describes the same value as json")
    func yamlMatchesJSON() throws {
        let exposure = try Self.shopExposure()
        let json = try JSONSerialization.jsonObject(with: Data(ExposureRenderer.render([exposure], as: .json))) as? NSArray
        let yaml = try Yams.load(yaml: String(decoding: ExposureRenderer.render([exposure], as: .yaml), as: UTF8.self)) as? [Any]
        #expect(json != nil && yaml != nil)
        #expect(json == (yaml.map { NSArray(array: $0) }))
    }

    @Test("table: summary by severity and kind, top grants, findings worst first with verbs, paths and pods; the rest counted")
    func table() throws {
        let shop = try Self.shopExposure()
        var quiet = shop
        quiet.key.secret.name = "quiet-tls"
        quiet.readers = []
        quiet.workloads = []
        quiet.severity = .info
        let text = String(decoding: ExposureRenderer.render([quiet, shop], as: .table), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "2 private keys: 0 critical, 1 high, 0 medium, 0 low; 1 read by expected holders only")
        #expect(lines[2] == "KEYS  CRITICAL  HIGH  MEDIUM  LOW  EXPECTED ONLY")
        #expect(lines[3] == "leaf  0         1     0       0    1")
        #expect(lines.contains("Grants that expose the most keys:"))
        #expect(lines.contains("1     high   RoleBinding shop/read → Role shop/reader → ServiceAccount shop/default"))
        #expect(lines.contains("HIGH shop/shop-tls — Ingress shop/web"))
        #expect(lines.contains("  reasons: type kubernetes.io/tls; Ingress shop/web"))
        #expect(lines.contains("    ServiceAccount shop/default: get (high: the namespace's default ServiceAccount)"))
        #expect(lines.contains("      via RoleBinding shop/read → Role shop/reader, rule 0: get"))
        #expect(lines.contains("      pod shop/web-0 (no controller) runs as it with a token mounted"))
        #expect(lines.contains("  expected: system:masters, ServiceAccount ingress-nginx/ingress-nginx (ingress-nginx controller serving Ingress shop/web)"))
        // By default the key read by expected holders only is counted, not listed.
        #expect(lines.contains("… and 1 read by expected holders only: --limit N or --all lists them."))
        #expect(!lines.contains { $0.hasPrefix("  shop/quiet-tls") })

        let all = String(decoding: ExposureRenderer.render([quiet, shop], as: .table, limit: .all), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(all.contains("Read by expected holders only:"))
        let high = try #require(all.firstIndex { $0.hasPrefix("HIGH ") })
        let quietLine = try #require(all.firstIndex { $0.hasPrefix("  shop/quiet-tls — expected: system:masters") })
        #expect(high < quietLine)
        #expect(!all.contains { $0.hasPrefix("… and") })

        let none = String(decoding: ExposureRenderer.render([quiet, shop], as: .table, limit: .first(0)), as: UTF8.self)
        #expect(!none.contains("HIGH shop/shop-tls"))
        #expect(none.contains("… and 1 more key with findings (1 high), 1 read by expected holders only: --limit N or --all lists them."))
    }

    @Test("a Group reader: its member and workload counts on one line, members listed when asked")
    func groupReader() throws {
        var dump = ClusterSnapshot()
        dump.secrets = [Secret(meta: ObjectMeta(name: "shop-tls", namespace: "shop"), type: "kubernetes.io/tls")]
        dump.roles = [Role(meta: ObjectMeta(name: "lister"), rules: [PolicyRule(verbs: ["list"], apiGroups: [""], resources: ["secrets"])])]
        dump.bindings = [RoleBinding(meta: ObjectMeta(name: "oops", namespace: "shop"), roleRef: RoleRef(kind: "ClusterRole", name: "lister"),
                                     subjects: [Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "system:serviceaccounts:shop")])]
        dump.serviceAccounts = ["default", "api"].map { ServiceAccount(meta: ObjectMeta(name: $0, namespace: "shop")) }
        dump.pods = (0..<3).map { Pod(meta: ObjectMeta(name: "api-\($0)", namespace: "shop",
                                                      ownerReferences: [OwnerReference(kind: "StatefulSet", name: "api", controller: true)]),
                                     spec: PodSpec(serviceAccountName: "api")) }
        let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
        let counted = ExposureAnalysis.analyze(snapshot: dump, whoCan: whoCan, expectedHolders: ExpectedHolders())
        let text = String(decoding: ExposureRenderer.render(counted, as: .table), as: UTF8.self)
        #expect(text.contains("    Group system:serviceaccounts:shop: list (high: a whole group of workloads)\n"
            + "      2 known members; tokens mounted in 3 pods of 1 controller in 1 namespace\n"))
        #expect(!text.contains("member ServiceAccount"))

        let listed = ExposureAnalysis.analyze(snapshot: dump, whoCan: whoCan, expectedHolders: ExpectedHolders(), listMembers: true)
        let listedText = String(decoding: ExposureRenderer.render(listed, as: .table), as: UTF8.self)
        #expect(listedText.contains("      member ServiceAccount shop/api\n      member ServiceAccount shop/default\n"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(ExposureRenderer.render(listed, as: .json))) as? [[String: Any]])
        let reader = try #require((json.first?["readers"] as? [[String: Any]])?.first)
        #expect(reader["memberCount"] as? Int == 2)
        #expect((reader["members"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["api", "default"])
        #expect(reader["workloadCount"] as? [String: Int] == ["pods": 3, "controllers": 1, "namespaces": 1])
    }
}
