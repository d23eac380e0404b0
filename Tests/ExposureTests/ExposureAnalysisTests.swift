import DumpReader
import Foundation
import KubeModel
import RBAC
import Store
import Testing
@testable import Exposure

/// The repository root, from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func analyze(_ snapshot: ClusterSnapshot, holders: ExpectedHolders = ExpectedHolders(),
             namespace: String? = nil) -> [KeyExposure] {
    ExposureAnalysis.analyze(snapshot: snapshot, whoCan: WhoCan(derived: AccessIndexer.compute(snapshot)),
                             expectedHolders: holders, namespace: namespace)
}

func exposure(_ exposures: [KeyExposure], _ namespace: String, _ name: String) -> KeyExposure? {
    exposures.first { $0.key.secret.namespace == namespace && $0.key.secret.name == name }
}

/// "Kind ns/name" or "Kind name".
func label(_ identity: KnownIdentity) -> String {
    identity.namespace.isEmpty ? "\(identity.kind) \(identity.name)" : "\(identity.kind) \(identity.namespace)/\(identity.name)"
}

func labels(_ readers: [KeyReader]) -> [String] { readers.map { label($0.identity) } }

func secretReaderRole(_ name: String, verbs: [String], namespace: String = "") -> Role {
    Role(meta: ObjectMeta(name: name, namespace: namespace),
         rules: [PolicyRule(verbs: verbs, apiGroups: [""], resources: ["secrets"])])
}

func binding(_ name: String, namespace: String = "", role: RoleRef, _ subjects: [Subject]) -> RoleBinding {
    RoleBinding(meta: ObjectMeta(name: name, namespace: namespace), roleRef: role, subjects: subjects)
}

func serviceAccountSubject(_ namespace: String, _ name: String) -> Subject {
    Subject(kind: "ServiceAccount", name: name, namespace: namespace)
}

@Suite("Who can read each private key, expected holders apart")
struct ExposureAnalysisTests {
    static let demo: ClusterSnapshot = {
        // swiftlint:disable:next force_try
        try! DumpReader().read([.path(repositoryRoot.appendingPathComponent("fixtures/demo/cluster.yaml").path)]).snapshot
    }()

    @Test("the demo story: app-tls readable by production/default (get) and the dashboard (list); high")
    func demoAppTLS() throws {
        let app = try #require(exposure(analyze(Self.demo), "production", "app-tls"))
        #expect(app.severity == .high)
        #expect(labels(app.readers) == ["ServiceAccount kubernetes-dashboard/kubernetes-dashboard", "ServiceAccount production/default"])
        let dashboard = app.readers[0], defaultSA = app.readers[1]
        #expect(defaultSA.verbs == [.get])
        #expect(dashboard.verbs == [.list])
        #expect(defaultSA.breadth == .defaultServiceAccount)
        #expect(dashboard.breadth == .clusterWide)
        #expect(dashboard.isClusterWide && !defaultSA.isClusterWide)
        guard case .rbac(let path) = try #require(dashboard.via.first) else { Issue.record("not an RBAC path"); return }
        #expect(path.binding == ObjectRef(kind: "ClusterRoleBinding", name: "dashboard-viewer"))
        #expect(path.role == ObjectRef(kind: "ClusterRole", name: "dashboard-secrets"))

        #expect(Set(labels(app.expected)) == ["Group system:masters", "ServiceAccount cert-manager/cert-manager",
                                             "ServiceAccount ingress-nginx/ingress-nginx"])
        #expect(app.expected.first { $0.identity.name == "ingress-nginx" }?.expectation?.rule == .ingressController)
        #expect(app.expected.first { $0.identity.name == "cert-manager" }?.expectation?.rule == .certManager)

        // The pod running as `default` with its token, counted under its outermost controller
        // (the Deployment, not its ReplicaSet), on the reader and on the key.
        #expect(app.workloads.map { "\($0.kind) \($0.namespace)/\($0.name)" } == ["Deployment production/web"])
        #expect(app.workloads[0].serviceAccount == "default")
        #expect(app.workloads[0].podCount == 1)
        #expect(defaultSA.workloads == app.workloads)
        #expect(defaultSA.workloadCount == WorkloadCount(pods: 1, controllers: 1, namespaces: 1))
        #expect(dashboard.memberCount == nil)
        #expect(app.key.impact == "a holder of this key can impersonate app.example.com and www.example.com until 2027-03-01")
    }

    @Test("the demo CA key: critical, read by the dashboard and by ingress-nginx (no Ingress names it)")
    func demoCAKey() throws {
        let exposures = analyze(Self.demo)
        let ca = try #require(exposure(exposures, "cert-manager", "internal-ca-key"))
        #expect(ca.key.keyKind == .certificateAuthority)
        #expect(ca.severity == .critical)
        #expect(labels(ca.readers) == ["ServiceAccount ingress-nginx/ingress-nginx", "ServiceAccount kubernetes-dashboard/kubernetes-dashboard"])
        #expect(ca.readers[0].verbs == [.list, .watch])
        #expect(ca.readers[0].breadth == .serviceAccountWithWorkloads)  // Deployment ingress-nginx-controller runs as it
        #expect(ca.workloads.map(\.name) == ["ingress-nginx-controller"])
        #expect(Set(labels(ca.expected)) == ["Group system:masters", "ServiceAccount cert-manager/cert-manager"])
        // Sorted by namespace, then name; -n narrows.
        let names = exposures.map { "\($0.key.secret.namespace)/\($0.key.secret.name)" }
        #expect(names == names.sorted())
        #expect(analyze(Self.demo, namespace: "production").map(\.key.secret.name) == ["app-tls"])
    }

    @Test("an allow-list entry moves a reader from the findings to the expected holders")
    func allowList() throws {
        let list = try AllowList.parse(yaml: """
            allow:
              - subject: {kind: ServiceAccount, namespace: kubernetes-dashboard, name: kubernetes-dashboard}
                secrets: ["production/*"]
                why: the dashboard shows TLS secrets to operators
            """)
        let app = try #require(exposure(analyze(Self.demo, holders: ExpectedHolders(allowList: list)), "production", "app-tls"))
        #expect(labels(app.readers) == ["ServiceAccount production/default"])
        let dashboard = try #require(app.expected.first { $0.identity.name == "kubernetes-dashboard" })
        #expect(dashboard.expectation?.why == "the dashboard shows TLS secrets to operators (allow-list)")
        #expect(dashboard.verbs == [.list])
        #expect(app.severity == .high)  // default is still a finding
    }

    @Test("one reader, several bindings: verbs are the union, each path keeps the verbs it grants")
    func verbsPerPath() throws {
        var dump = ClusterSnapshot()
        dump.secrets = [secret("shop", "shop-tls", type: "kubernetes.io/tls")]
        dump.roles = [secretReaderRole("getter", verbs: ["get"], namespace: "shop"),
                      secretReaderRole("watcher", verbs: ["watch", "list"])]
        dump.bindings = [
            binding("get", namespace: "shop", role: RoleRef(kind: "Role", name: "getter"), [serviceAccountSubject("shop", "api")]),
            binding("watch", role: RoleRef(kind: "ClusterRole", name: "watcher"), [serviceAccountSubject("shop", "api")]),
        ]
        let key = try #require(exposure(analyze(dump), "shop", "shop-tls"))
        let api = try #require(key.readers.first)
        #expect(label(api.identity) == "ServiceAccount shop/api")
        #expect(api.verbs == [.get, .list, .watch])
        #expect(api.via.count == 2)
        // Paths sort by binding kind first: ClusterRoleBinding watch, then RoleBinding shop/get.
        #expect(api.verbsByPath == [[.list, .watch], [.get]])
        #expect(api.isClusterWide)
        #expect(key.severity == .high)  // a leaf key, a cluster-wide reader
    }

    @Test("a token is mounted unless the pod, or else its ServiceAccount, says automountServiceAccountToken: false")
    func tokenMount() {
        #expect(ServiceAccountWorkloads.mountsToken(pod: nil, serviceAccount: nil))
        #expect(!ServiceAccountWorkloads.mountsToken(pod: false, serviceAccount: nil))
        #expect(!ServiceAccountWorkloads.mountsToken(pod: nil, serviceAccount: false))
        #expect(ServiceAccountWorkloads.mountsToken(pod: true, serviceAccount: false))
        #expect(!ServiceAccountWorkloads.mountsToken(pod: false, serviceAccount: true))

        var dump = ClusterSnapshot()
        dump.serviceAccounts = [ServiceAccount(meta: ObjectMeta(name: "quiet", namespace: "ns"), automountServiceAccountToken: false),
                                ServiceAccount(meta: ObjectMeta(name: "loud", namespace: "ns"))]
        dump.pods = [
            Pod(meta: ObjectMeta(name: "quiet-0", namespace: "ns"), spec: PodSpec(serviceAccountName: "quiet")),
            Pod(meta: ObjectMeta(name: "quiet-opt-in", namespace: "ns"), spec: PodSpec(serviceAccountName: "quiet", automountServiceAccountToken: true)),
            Pod(meta: ObjectMeta(name: "loud-0", namespace: "ns"), spec: PodSpec(serviceAccountName: "loud")),
            Pod(meta: ObjectMeta(name: "loud-opt-out", namespace: "ns"), spec: PodSpec(serviceAccountName: "loud", automountServiceAccountToken: false)),
        ]
        let index = ServiceAccountWorkloads(dump)
        #expect(index.runningAs(namespace: "ns", name: "quiet").map(\.name) == ["quiet-opt-in"])
        #expect(index.runningAs(namespace: "ns", name: "loud").map(\.name) == ["loud-0"])
        #expect(index.runningAs(namespace: "other", name: "loud").isEmpty)
    }

    @Test("workloads per controller: the outermost controller is named once, with its pods or 0; bare pods apart")
    func templates() {
        let owned = { (kind: String, name: String) in [OwnerReference(kind: kind, name: name, controller: true)] }
        var dump = ClusterSnapshot()
        dump.workloads = [
            Workload(kind: "CronJob", meta: ObjectMeta(name: "backup", namespace: "ns"), template: PodSpec(serviceAccountName: "ops")),
            Workload(kind: "Job", meta: ObjectMeta(name: "backup-1", namespace: "ns", ownerReferences: owned("CronJob", "backup")),
                     template: PodSpec(serviceAccountName: "ops")),
            Workload(kind: "StatefulSet", meta: ObjectMeta(name: "db", namespace: "ns"), template: PodSpec(serviceAccountName: "ops")),
            Workload(kind: "DaemonSet", meta: ObjectMeta(name: "agent", namespace: "ns"),
                     template: PodSpec(serviceAccountName: "ops", automountServiceAccountToken: false)),
        ]
        dump.pods = [Pod(meta: ObjectMeta(name: "backup-1-xyz", namespace: "ns", ownerReferences: owned("Job", "backup-1")),
                         spec: PodSpec(serviceAccountName: "ops"))]
        let running = ServiceAccountWorkloads(dump).runningAs(namespace: "ns", name: "ops")
        // The pod counts under the CronJob (through Job backup-1); the Job is not named apart.
        #expect(running.map { "\($0.kind) \($0.name): \($0.podCount)" } == ["CronJob backup: 1", "StatefulSet db: 0"])
        #expect(ServiceAccountWorkloads(dump).count(namespace: "ns", name: "ops") == WorkloadCount(pods: 1, controllers: 2, namespaces: 1))
    }

    @Test("a Group reader is judged by its breadth: system:authenticated makes any key critical")
    func everyone() throws {
        var dump = ClusterSnapshot()
        dump.secrets = [secret("shop", "shop-tls", type: "kubernetes.io/tls")]
        dump.roles = [secretReaderRole("reader", verbs: ["get"])]
        dump.bindings = [binding("oops", namespace: "shop", role: RoleRef(kind: "ClusterRole", name: "reader"),
                                 [Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "system:authenticated")])]
        let key = try #require(exposure(analyze(dump), "shop", "shop-tls"))
        #expect(labels(key.readers) == ["Group system:authenticated"])
        #expect(key.readers[0].breadth == .everyone)
        #expect(key.readers[0].memberCount == 0)
        #expect(key.severity == .critical)
        #expect(key.workloads.isEmpty)
    }

    @Test("a key with only expected holders is info; a node reading for its pod is expected")
    func onlyExpected() throws {
        var dump = ClusterSnapshot()
        dump.secrets = [secret("shop", "client-key", keys: [SecretKey(name: "client.key", size: 100)])]
        dump.pods = [Pod(meta: ObjectMeta(name: "api-0", namespace: "shop"),
                         spec: PodSpec(nodeName: "n1", secretReferences: [PodSecretReference(name: "client-key", source: .volume)]))]
        let key = try #require(exposure(analyze(dump), "shop", "client-key"))
        #expect(key.readers.isEmpty)
        #expect(key.severity == .info)
        #expect(Set(labels(key.expected)) == ["Group system:masters", "Node n1"])
        #expect(key.expected.first { $0.identity.kind == "Node" }?.expectation?.rule == .nodeMountingPod)
    }
}
