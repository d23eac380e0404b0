import DumpReader
import Exposure
import Foundation
import KubeModel
import RBAC
import Testing
import TestSupport
@testable import Blast

/// `fixtures/blast/cluster.yaml`: its header lists what each start reaches.
private let fixture: ClusterSnapshot = {
    let path = SharedData.packageRoot.appendingPathComponent("fixtures/blast/cluster.yaml").path
    return (try? DumpReader().read([.path(path)]).snapshot) ?? ClusterSnapshot()
}()

private func blast(_ start: ReachStart, _ ref: ObjectRef, snapshot: ClusterSnapshot = fixture) throws -> BlastReport {
    let whoCan = WhoCan(derived: AccessIndexer.compute(snapshot))
    let reach = IndirectReach(paths: IndirectPaths(snapshot: snapshot, whoCan: whoCan), whoCan: whoCan)
    let from = try #require(reach.reach(from: start), "\(ref) is not in the graph")
    return BlastAnalysis.analyze(start: ref, node: nil, reach: from, snapshot: snapshot,
                                 keys: PrivateKeyInventory.classify(snapshot))
}

private func identity(_ kind: String, _ namespace: String = "", name: String) -> (ReachStart, ObjectRef) {
    (.identity(KnownIdentity(kind: kind, namespace: namespace, name: name, username: "", groups: [])),
     ObjectRef(kind: kind, namespace: namespace, name: name))
}

private func names(_ report: BlastReport) -> [String] { report.keys.map { "\($0.key.secret.namespace)/\($0.key.secret.name)" } }

private func key(_ report: BlastReport, _ name: String) throws -> BlastKey {
    try #require(report.keys.first { "\($0.key.secret.namespace)/\($0.key.secret.name)" == name }, "\(name) not reached")
}

@Suite("blast: from one start, every key it reaches and how")
struct BlastStartTests {
    @Test("a pod is its ServiceAccount (token mounted) and what it mounts")
    func pod() throws {
        let report = try blast(.pod(namespace: "production", name: "web"), ObjectRef(kind: "Pod", namespace: "production", name: "web"))
        #expect(report.authenticatesAs.map(\.name) == ["default"])
        #expect(Set(names(report)) == ["production/app-tls", "production/billing-tls"])
        // It mounts app-tls itself; billing-tls (not issued yet) it reads as production/default.
        let app = try key(report, "production/app-tls")
        #expect(app.access.chain.isEmpty && app.access.mountedBy == ObjectRef(kind: "Pod", namespace: "production", name: "web"))
        let billing = try key(report, "production/billing-tls")
        #expect(billing.access.chain.isEmpty && billing.access.reader?.name == "default")
        guard case .rbac(let access)? = billing.access.via.first else { Issue.record("no RBAC path"); return }
        #expect(access.binding.name == "read-secrets" && access.role.name == "secret-reader")
        let quiet = try blast(.pod(namespace: "production", name: "api-0"), ObjectRef(kind: "Pod", namespace: "production", name: "api-0"))
        #expect(quiet.authenticatesAs.isEmpty && quiet.keys.isEmpty && quiet.rotation.isEmpty)
    }

    @Test("a ServiceAccount that reads a token secret: one readToken step to the account that reads the keys")
    func serviceAccountThroughTokenSecret() throws {
        let (start, ref) = identity("ServiceAccount", "ci", name: "deployer")
        let report = try blast(start, ref)
        #expect(Set(names(report)) == ["production/app-tls", "production/billing-tls"])
        let app = try key(report, "production/app-tls")
        #expect(app.access.chain.map(\.step) == [.readToken])
        #expect(app.access.chain.first?.through == ObjectRef(kind: "Secret", namespace: "production", name: "default-token"))
        #expect(app.access.reader?.name == "default")
    }

    @Test("a user who can create pods: one createPods step onto each key of the namespace")
    func userThroughPodCreation() throws {
        let (start, ref) = identity("User", name: "dev")
        let report = try blast(start, ref)
        #expect(Set(names(report)) == ["production/app-tls", "production/billing-tls"])
        for key in report.keys {
            #expect(key.access.chain.map(\.step) == [.createPods])
            #expect(key.access.chain.last?.target == key.key.secret)
        }
    }

    @Test("a group that may exec into one pod")
    func groupThroughExec() throws {
        let (start, ref) = identity("Group", name: "oncall")
        let report = try blast(start, ref)
        let app = try key(report, "production/app-tls")
        #expect(app.access.chain.map(\.step) == [.exec])
        #expect(app.access.chain.first?.through == ObjectRef(kind: "Pod", namespace: "production", name: "web"))
    }

    @Test("a node reads what its pods reference (node authorizer), nothing else")
    func node() throws {
        let (start, ref) = identity("Node", name: "node-1")
        let report = try blast(start, ref)
        #expect(names(report) == ["production/app-tls"])
        guard case .node(let access)? = report.keys.first?.access.via.first else { Issue.record("no node path"); return }
        #expect(access.pod.name == "web")
        let other = try blast(identity("Node", name: "node-2").0, identity("Node", name: "node-2").1)
        #expect(names(other) == ["tools/backup-ssh"])
    }
}

@Suite("blast: what to rotate, in which order, and how")
struct BlastRotationTests {
    static let everything: BlastReport? = try? blast(identity("ServiceAccount", "cert-manager", name: "cert-manager").0,
                                                     identity("ServiceAccount", "cert-manager", name: "cert-manager").1)

    @Test("CA key first, then the leaves its issuer signed, then the other keys")
    func caBeforeLeaves() throws {
        let report = try #require(Self.everything)
        #expect(report.rotation.map { "\($0.secret.namespace)/\($0.secret.name)" } == [
            "cert-manager/internal-ca-key", "production/app-tls", "production/billing-tls",
            "cert-manager/letsencrypt-account", "tools/backup-ssh", "tools/legacy-tls",
        ])
        #expect(report.rotation.map(\.why.code) == ["ca", "signedBy", "signedBy", "reached", "reached", "reached"])
        let ca = ObjectRef(kind: "Secret", namespace: "cert-manager", name: "internal-ca-key")
        #expect(report.rotation[1].why == .signedBy(ca: ca, certificate: ObjectRef(kind: "Certificate", namespace: "production", name: "app")))
        #expect(report.keys.map(\.rotationOrder) == Array(1...6))
    }

    @Test("a leaf the start cannot read is still rotated after its CA, marked not read")
    func signedLeafNotReached() throws {
        // The CA's reader only: app-tls and billing-tls stay out of reach, not out of the order.
        var snapshot = fixture
        snapshot.roles.append(Role(meta: ObjectMeta(name: "ca-reader", namespace: "cert-manager"),
                                   rules: [PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["internal-ca-key"])]))
        snapshot.bindings.append(RoleBinding(meta: ObjectMeta(name: "ca-reader", namespace: "cert-manager"),
                                             roleRef: RoleRef(kind: "Role", name: "ca-reader"),
                                             subjects: [Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "mallory")]))
        let report = try blast(identity("User", name: "mallory").0, identity("User", name: "mallory").1, snapshot: snapshot)
        #expect(names(report) == ["cert-manager/internal-ca-key"])
        #expect(report.rotation.map(\.secret.name) == ["internal-ca-key", "app-tls", "billing-tls"])
        #expect(report.rotation.map(\.reached) == [true, false, false])
    }

    @Test("by issuer DN alone: a root CA before the intermediate it signed, each before its leaves")
    func issuerDistinguishedNames() {
        func key(_ name: String, subject: String, issuer: String, isCA: Bool) -> PrivateKeySecret {
            PrivateKeySecret(secret: ObjectRef(kind: "Secret", namespace: "pki", name: name), exists: true, type: "kubernetes.io/tls",
                             reasons: [.secretType("kubernetes.io/tls")],
                             certificates: [CertificateFacts(dataKey: "tls.crt", index: 0, subject: subject, issuer: issuer, isCA: isCA)],
                             keyKind: isCA ? .certificateAuthority : .leaf)
        }
        // Names chosen so that sorting by name alone would put them in the wrong order.
        let root = key("z-root", subject: "CN=root", issuer: "CN=root", isCA: true)
        let intermediate = key("a-intermediate", subject: "CN=intermediate", issuer: "CN=root", isCA: true)
        let leaf = key("b-leaf", subject: "CN=shop.example", issuer: "CN=intermediate", isCA: false)
        let unrelated = key("c-other", subject: "CN=other", issuer: "CN=elsewhere", isCA: false)
        let reached = [intermediate, root, unrelated].map {
            ReachedKey(key: $0, access: SecretReach(chain: []), target: BlastAnalysis.target(of: $0, certificates: [:]))
        }
        let steps = RotationOrder.steps(reached: reached, allKeys: [root, intermediate, leaf, unrelated], signedByCAKey: [:]) {
            RemediationRules.remediation(for: $0, secret: nil)
        }
        #expect(steps.map(\.secret.name) == ["z-root", "a-intermediate", "b-leaf", "c-other"])
        #expect(steps.map(\.reached) == [true, true, false, true])
        #expect(steps[2].why == .signedBy(ca: intermediate.secret, certificate: nil))
    }

    @Test("cert-manager keys: cmctl renew the Certificate, or delete the secret")
    func certManagerRemediation() throws {
        let report = try #require(Self.everything)
        let app = try key(report, "production/app-tls").remediation
        #expect(app.manager == .certManager(certificate: ObjectRef(kind: "Certificate", namespace: "production", name: "app")))
        #expect(app.commands == ["cmctl renew app -n production", "kubectl delete secret app-tls -n production"])
        #expect(app.text.contains("rotationPolicy Always"))
        // Not issued yet: named by its Certificate all the same.
        #expect(try key(report, "production/billing-tls").remediation.commands.first == "cmctl renew billing -n production")
        let acme = try key(report, "cert-manager/letsencrypt-account").remediation
        #expect(acme.manager == .certManager(certificate: nil))
        #expect(acme.commands == ["kubectl delete secret letsencrypt-account -n cert-manager"])
        #expect(acme.text.contains("ACME account"))
    }

    @Test("other keys: the owner to ask, the managing tool, or unknown owner; a CA key is never cert-manager's to make")
    func ownerRemediation() throws {
        let report = try #require(Self.everything)
        #expect(try key(report, "tools/backup-ssh").remediation.manager
            == .owner(ObjectRef(kind: "SealedSecret", namespace: "tools", name: "backup-ssh")))
        #expect(try key(report, "tools/legacy-tls").remediation.manager == .managedBy("Helm"))
        let ca = try key(report, "cert-manager/internal-ca-key").remediation
        #expect(ca.manager == .unknown && ca.commands.isEmpty)
        #expect(ca.text.contains("CA key of ClusterIssuer internal-ca") && ca.text.contains("unknown owner"))
    }

    @Test("keys grouped by what they impersonate: domains, CAs, ACME accounts, other")
    func grouping() throws {
        let groups = try #require(Self.everything).groups
        #expect(groups.domains.map(\.name) == ["app.example.com", "billing.example.com", "www.example.com"])
        #expect(groups.domains.first?.keys.map(\.name) == ["app-tls"])
        #expect(groups.certificateAuthorities.map(\.name) == ["internal-ca-key"])
        #expect(groups.acmeAccounts.map(\.name) == ["letsencrypt-account"])
        #expect(groups.other.map(\.name) == ["backup-ssh", "legacy-tls"])
        let ca = try key(try #require(Self.everything), "cert-manager/internal-ca-key")
        guard case .certificateAuthority(let subject, let issuers, _) = ca.target else { Issue.record("not a CA"); return }
        #expect(subject == "CN=internal-ca" && issuers.map(\.name) == ["internal-ca"])
    }
}

@Suite("Blast compares impersonated names as bytes")
struct BlastBytesTests {
    @Test("twin domains (NFC/NFD) and twin key namespaces (KELVIN SIGN) make unequal groups")
    func twinGroupsDiffer() {
        let key = { (namespace: String) in ObjectRef(kind: "Secret", namespace: namespace, name: "tls") }
        let nfc = ImpersonationGroups(domains: [(name: "caf\u{E9}.example", keys: [key("shop")])])
        let nfd = ImpersonationGroups(domains: [(name: "cafe\u{301}.example", keys: [key("shop")])])
        #expect(nfc != nfd)
        #expect(nfc == ImpersonationGroups(domains: [(name: "caf\u{E9}.example", keys: [key("shop")])]))
        let kelvin = ImpersonationGroups(certificateAuthorities: [key("\u{212A}ube-a")])
        #expect(kelvin != ImpersonationGroups(certificateAuthorities: [key("Kube-a")]))
    }
}
