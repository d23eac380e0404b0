import KubeModel
import RBAC
import Testing
@testable import Exposure

// Given a namespace `shop` with one TLS key read by nobody but system:masters,
// who can become a reader, as bound, and what that does to the key's severity.

private let podCreator = Role(meta: ObjectMeta(name: "pod-creator"),
                              rules: [PolicyRule(verbs: ["create"], apiGroups: [""], resources: ["pods"])])

private func user(_ name: String) -> Subject { Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: name) }
private func group(_ name: String) -> Subject { Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: name) }

private func shop(roles: [Role] = [], bindings: [RoleBinding], accounts: [ServiceAccount] = []) -> ClusterSnapshot {
    var dump = ClusterSnapshot()
    dump.roles = [podCreator, secretReaderRole("reader", verbs: ["get"])] + roles
    dump.bindings = bindings
    dump.serviceAccounts = [ServiceAccount(meta: ObjectMeta(name: "default", namespace: "shop"))] + accounts
    dump.secrets = [secret("shop", "shop-tls", type: "kubernetes.io/tls"), secret("other", "other-tls", type: "kubernetes.io/tls")]
    return dump
}

private func analyzeIndirect(_ dump: ClusterSnapshot, holders: ExpectedHolders = ExpectedHolders()) -> [KeyExposure] {
    let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
    return ExposureAnalysis.analyze(snapshot: dump, whoCan: whoCan, expectedHolders: holders,
                                    indirect: IndirectPaths(snapshot: dump, whoCan: whoCan))
}

private func steps(_ reader: IndirectKeyReader) -> String {
    reader.chain.map { "\($0.step.rawValue) → \($0.target.kind) \($0.target.namespace)/\($0.target.name)" }.joined(separator: ", ")
}

@Suite("exposure --indirect: who can become a reader, judged like a direct one")
struct IndirectExposureTests {
    @Test("a user who can create pods in the namespace raises a leaf key from info to medium, as a narrow direct reader would")
    func createPodsRaisesSeverity() throws {
        let dump = shop(bindings: [binding("dev-pods", namespace: "shop", role: RoleRef(kind: "ClusterRole", name: "pod-creator"), [user("dev")])])
        let without = try #require(exposure(analyze(dump), "shop", "shop-tls"))
        #expect(without.severity == .info && without.indirect == nil)
        let key = try #require(exposure(analyzeIndirect(dump), "shop", "shop-tls"))
        let reader = try #require(key.indirect?.first)
        #expect(key.indirect?.count == 1)
        #expect(label(reader.identity) == "User dev")
        #expect(steps(reader) == "createPods → Secret shop/shop-tls")
        #expect(reader.breadth == .narrow && reader.severity == .medium)
        #expect(key.severity == Severity.of(keyKind: .leaf, breadth: .narrow))
        // The other namespace's key is not reachable from shop's pods.
        #expect(exposure(analyzeIndirect(dump), "other", "other-tls")?.indirect?.isEmpty == true)
    }

    @Test("a cluster-wide step is read at clusterWide breadth: high on a leaf key")
    func clusterWideStep() throws {
        let dump = shop(bindings: [binding("ops-pods", role: RoleRef(kind: "ClusterRole", name: "pod-creator"), [user("ops")])])
        let key = try #require(exposure(analyzeIndirect(dump), "shop", "shop-tls"))
        #expect(key.indirect?.map { label($0.identity) } == ["User ops"])
        #expect(key.indirect?.first?.breadth == .clusterWide)
        #expect(key.severity == .high)
    }

    @Test("a group holding the step is one reader as bound, not its members")
    func groupAsBound() throws {
        let accounts = ["a", "b", "c"].map { ServiceAccount(meta: ObjectMeta(name: $0, namespace: "shop")) }
        let dump = shop(bindings: [binding("sa-pods", namespace: "shop", role: RoleRef(kind: "ClusterRole", name: "pod-creator"),
                                           [group("system:serviceaccounts:shop")])], accounts: accounts)
        let key = try #require(exposure(analyzeIndirect(dump), "shop", "shop-tls"))
        #expect(key.indirect?.map { label($0.identity) } == ["Group system:serviceaccounts:shop"])
        #expect(key.indirect?.first?.breadth == .wholeGroupOfWorkloads)
        #expect(key.severity == .high)
    }

    @Test("a direct reader is never listed as indirect, even when it can also create pods")
    func directStaysDirect() throws {
        let dump = shop(bindings: [
            binding("dev-pods", namespace: "shop", role: RoleRef(kind: "ClusterRole", name: "pod-creator"), [user("dev"), user("qa")]),
            binding("dev-reads", namespace: "shop", role: RoleRef(kind: "ClusterRole", name: "reader"), [user("dev")]),
        ])
        let key = try #require(exposure(analyzeIndirect(dump), "shop", "shop-tls"))
        #expect(labels(key.readers) == ["User dev"])
        #expect(key.indirect?.map { label($0.identity) } == ["User qa"])
    }

    @Test("expected holders and the allow-list filter indirect readers as they filter direct ones")
    func expectedHoldersFilter() throws {
        let controller = ServiceAccount(meta: ObjectMeta(name: "replicaset-controller", namespace: "kube-system"))
        // As the API server bootstraps it: ClusterRole system:controller:replicaset-controller creates pods.
        let controllerRole = Role(meta: ObjectMeta(name: "system:controller:replicaset-controller"), rules: podCreator.rules)
        let dump = shop(roles: [controllerRole], bindings: [
            binding("system:controller:replicaset-controller",
                    role: RoleRef(kind: "ClusterRole", name: "system:controller:replicaset-controller"),
                    [Subject(kind: "ServiceAccount", name: "replicaset-controller", namespace: "kube-system")]),
            binding("ci-pods", namespace: "shop", role: RoleRef(kind: "ClusterRole", name: "pod-creator"), [user("ci")]),
        ], accounts: [controller])
        let plain = try #require(exposure(analyzeIndirect(dump), "shop", "shop-tls"))
        #expect(plain.indirect?.map { label($0.identity) } == ["User ci"])
        #expect(plain.indirectExpected.map { label($0.identity) } == ["ServiceAccount kube-system/replicaset-controller"])
        #expect(plain.indirectExpected.first?.expectation?.rule == .kubeController)
        let allowed = AllowList(entries: [AllowList.Entry(subject: AllowList.Subject(kind: "User", name: "ci"),
                                                          secrets: [.namespace("shop")], why: "CI deploys shop")])
        let key = try #require(exposure(analyzeIndirect(dump, holders: ExpectedHolders(allowList: allowed)), "shop", "shop-tls"))
        #expect(key.indirect?.isEmpty == true)
        #expect(key.indirectExpected.contains { label($0.identity) == "User ci" && $0.expectation?.rule == .allowList })
        #expect(key.severity == .info)
    }

    @Test("a chain through impersonation keeps its shortest form and lands on the key")
    func impersonationChain() throws {
        let impersonate = Role(meta: ObjectMeta(name: "as-dev"),
                               rules: [PolicyRule(verbs: ["impersonate"], apiGroups: [""], resources: ["users"], resourceNames: ["dev"])])
        let dump = shop(roles: [impersonate], bindings: [
            binding("dev-pods", namespace: "shop", role: RoleRef(kind: "ClusterRole", name: "pod-creator"), [user("dev")]),
            binding("alice-as-dev", role: RoleRef(kind: "ClusterRole", name: "as-dev"), [user("alice")]),
        ])
        let key = try #require(exposure(analyzeIndirect(dump), "shop", "shop-tls"))
        let alice = try #require(key.indirect?.first { $0.identity.name == "alice" })
        #expect(steps(alice) == "impersonate → User /dev, createPods → Secret shop/shop-tls")
    }
}
