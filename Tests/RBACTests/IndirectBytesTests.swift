import KubeModel
import Testing
@testable import RBAC

// The "can become" graph tells names apart by bytes, as the API server does.
// Each namespace, pod, node or user below has a twin that Swift's `==` calls
// equal (KELVIN SIGN against K, NFC against NFD "café"); a step granted on
// one spelling must reach that spelling's secrets only, as in the cluster.

/// `"Kube-a"` (4b ...) and its KELVIN SIGN twin (e2 84 aa ...).
private let asciiK = "Kube-a"
private let kelvinK = kelvin + "ube-a"

private func secret(_ namespace: String, _ name: String = "s") -> Secret {
    Secret(meta: ObjectMeta(name: name, namespace: namespace), type: "kubernetes.io/tls")
}

private let podCreator = clusterRole("pod-creator", [rule(["create"], [""], ["pods"])])
private let binder = clusterRole("binder", [rule(["bind"], [rbacGroup], ["clusterroles"]),
                                            rule(["create"], [rbacGroup], ["rolebindings"])])
private let bindOnly = clusterRole("bind-only", [rule(["bind"], [rbacGroup], ["clusterroles"])])
private let createBindingsOnly = clusterRole("create-bindings-only", [rule(["create"], [rbacGroup], ["rolebindings"])])
private let reader = clusterRole("reader", [readSecrets])

/// A pod in namespace `pods` with its ServiceAccount's token mounted.
private func tokenPod(_ name: String, node: String, serviceAccount: String) -> Pod {
    pod("pods", name, node: node, serviceAccount: serviceAccount, secrets: [])
}

/// Every twin namespace holds a secret `s`. `dev` creates pods in the KELVIN
/// namespace only, `binder` binds any role in the NFC one only, and `split`
/// may bind in NFC but create rolebindings in NFD only (no step at all). In
/// `pods`, ServiceAccount `k-sa` reads `k-only` and `kelvin-sa` reads
/// `kelvin-only`; each runs one pod, whose names and nodes are twins;
/// `dbg` execs into the KELVIN pod only, `proxy` reaches the KELVIN node only.
/// `tok` requests tokens of every ServiceAccount named `x` (one per K twin).
/// ServiceAccount `Kube-a/reader` reads `vault`; so does `\u{301}dev`, whom `imp` impersonates.
private let twins: ClusterSnapshot = {
    var dump = snapshot(
        roles: [podCreator, binder, bindOnly, createBindingsOnly, reader,
                role("pods", "read-k", [rule(["get"], names: ["k-only"])]),
                role("pods", "read-kelvin", [rule(["get"], names: ["kelvin-only"])]),
                clusterRole("exec-kelvin", [rule(["create"], [""], ["pods/exec"], names: [kelvin + "ube-pod"])]),
                clusterRole("proxy-kelvin", [rule(["create"], [""], ["nodes/proxy"], names: [kelvin + "n"])]),
                clusterRole("token-x", [rule(["create"], [""], ["serviceaccounts/token"], names: ["x"])]),
                clusterRole("impersonate-dev", [rule(["impersonate"], [""], ["users"], names: ["\u{301}dev"])])],
        bindings: [binding(kelvinK, "dev-pods", "ClusterRole", "pod-creator", [userSubject("dev")]),
                   binding(precomposed, "binder", "ClusterRole", "binder", [userSubject("binder")]),
                   binding(precomposed, "split-bind", "ClusterRole", "bind-only", [userSubject("split")]),
                   binding(decomposed, "split-create", "ClusterRole", "create-bindings-only", [userSubject("split")]),
                   binding("pods", "k-reads", "Role", "read-k", [serviceAccountSubject("k-sa", namespace: "pods")]),
                   binding("pods", "kelvin-reads", "Role", "read-kelvin", [serviceAccountSubject("kelvin-sa", namespace: "pods")]),
                   clusterBinding("dbg-exec", roleName: "exec-kelvin", [userSubject("dbg")]),
                   clusterBinding("proxy", roleName: "proxy-kelvin", [userSubject("proxy")]),
                   clusterBinding("tok", roleName: "token-x", [userSubject("tok")]),
                   clusterBinding("imp", roleName: "impersonate-dev", [userSubject("imp")]),
                   binding("vault", "vault-readers", "ClusterRole", "reader",
                           [serviceAccountSubject("reader", namespace: asciiK), userSubject("\u{301}dev")])],
        pods: [tokenPod("Kube-pod", node: "Kn", serviceAccount: "k-sa"),
               tokenPod(kelvin + "ube-pod", node: kelvin + "n", serviceAccount: "kelvin-sa")],
        serviceAccounts: [ServiceAccount(meta: ObjectMeta(name: "k-sa", namespace: "pods")),
                          ServiceAccount(meta: ObjectMeta(name: "kelvin-sa", namespace: "pods")),
                          ServiceAccount(meta: ObjectMeta(name: "reader", namespace: asciiK)),
                          ServiceAccount(meta: ObjectMeta(name: "x", namespace: asciiK)),
                          ServiceAccount(meta: ObjectMeta(name: "x", namespace: kelvinK))])
    dump.secrets = [asciiK, kelvinK, precomposed, decomposed, "vault"].map { secret($0) }
        + [secret("pods", "k-only"), secret("pods", "kelvin-only")]
    return dump
}()

private let whoCan = WhoCan(derived: AccessIndexer.compute(twins))
private let paths = IndirectPaths(snapshot: twins, whoCan: whoCan)
private let reach = IndirectReach(paths: paths, whoCan: whoCan)

/// who-can get secrets --indirect: the indirect readers of `namespace/name`, by their name.
private func indirect(_ namespace: String, _ name: String = "s") -> [String: IndirectReader] {
    let direct = whoCan.subjects(verb: .get, namespace: namespace, secretName: name)
    let readers = paths.indirectReaders(namespace: namespace, secretName: name, direct: direct)
    return Dictionary(readers.map { ($0.identity.name, $0) }, uniquingKeysWith: { first, _ in first })
}

/// blast's forward reach from a user to `namespace/name`.
private func access(_ user: String, _ namespace: String, _ name: String = "s") -> SecretReach? {
    reach.reach(from: .identity(KnownIdentity(kind: "User", name: user, username: user, groups: [])))?
        .access(namespace: namespace, secretName: name)
}

private func bytes(_ ref: ObjectRef?) -> [[UInt8]] {
    [ref?.kind ?? "", ref?.namespace ?? "", ref?.name ?? ""].map { Array($0.utf8) }
}

@Suite("Indirect paths and forward reach tell canonically equal names apart by bytes")
struct IndirectBytesTests {
    @Test("create pods in the KELVIN namespace reaches its secrets, not those of Kube-a")
    func createPodsInOneTwin() throws {
        let chain = try #require(indirect(kelvinK)["dev"]?.chain)
        #expect(chain.map(\.step) == [.createPods])
        #expect(bytes(chain.first?.target) == bytes(ObjectRef(kind: "Secret", namespace: kelvinK, name: "s")))
        #expect(bytes(chain.first?.through) == bytes(ObjectRef(kind: "Namespace", name: kelvinK)))
        #expect(indirect(asciiK)["dev"] == nil)
        #expect(access("dev", kelvinK)?.chain.map(\.step) == [.createPods])
        #expect(access("dev", asciiK) == nil)
    }

    @Test("a pod run in the KELVIN namespace runs as its ServiceAccounts, not as those of Kube-a")
    func serviceAccountsOfOneTwin() {
        // Kube-a/reader reads vault; a pod in the other spelling cannot run as it.
        #expect(indirect("vault")["dev"] == nil)
        #expect(access("dev", "vault") == nil)
    }

    @Test("bind in the NFC namespace reaches its secrets, not those of the NFD one")
    func bindInOneTwin() throws {
        let chain = try #require(indirect(precomposed)["binder"]?.chain)
        #expect(chain.map(\.step) == [.bind])
        #expect(bytes(chain.first?.through) == bytes(ObjectRef(kind: "Namespace", name: precomposed)))
        #expect(indirect(decomposed)["binder"] == nil)
        #expect(access("binder", precomposed)?.chain.map(\.step) == [.bind])
        #expect(access("binder", decomposed) == nil)
    }

    @Test("bind in the NFC namespace with create rolebindings in the NFD one is no step")
    func bindAndCreateInTwins() {
        #expect(indirect(precomposed)["split"] == nil && indirect(decomposed)["split"] == nil)
        #expect(access("split", precomposed) == nil && access("split", decomposed) == nil)
    }

    @Test("exec into the pod named with a KELVIN SIGN becomes its ServiceAccount, not Kube-pod's")
    func execByPodName() throws {
        let chain = try #require(indirect("pods", "kelvin-only")["dbg"]?.chain)
        #expect(chain.map(\.step) == [.exec])
        #expect(bytes(chain.first?.through) == bytes(ObjectRef(kind: "Pod", namespace: "pods", name: kelvin + "ube-pod")))
        #expect(indirect("pods", "k-only")["dbg"] == nil)
        #expect(access("dbg", "pods", "kelvin-only") != nil)
        #expect(access("dbg", "pods", "k-only") == nil)
    }

    @Test("the kubelet API of the KELVIN node execs in its pods, not in those of node Kn")
    func nodeProxyByNodeName() throws {
        let chain = try #require(indirect("pods", "kelvin-only")["proxy"]?.chain)
        #expect(chain.map(\.step) == [.nodeProxy])
        #expect(indirect("pods", "k-only")["proxy"] == nil)
        #expect(access("proxy", "pods", "k-only") == nil)
    }

    @Test("a token of every ServiceAccount named x: both twins' x, each once")
    func tokenRequestInEveryTwin() throws {
        let tok = KnownIdentity(kind: "User", name: "tok", username: "tok", groups: [])
        let reached = try #require(reach.reach(from: .identity(tok))).identities
            .filter { sameBytes($0.kind, "ServiceAccount") }.map { Array($0.namespace.utf8) }
        #expect(reached.sorted { $0.lexicographicallyPrecedes($1) } == [Array(asciiK.utf8), Array(kelvinK.utf8)])
    }

    @Test("a user whose name starts with a combining mark is a seed of exposure's search")
    func principalKeySplitsAtTheColonByte() {
        // "user:\u{301}dev": the colon and the accent are one Swift Character.
        let seeds = IndirectSeeds(principals: [.user("\u{301}dev")])
        let readers = paths.collectionSearch(namespace: "vault", seeds: seeds).readers
        #expect(readers.map(\.identity.name) == ["imp"])
        #expect(Principal(key: "user:\u{301}dev").map { Array($0.name.utf8) } == Array("\u{301}dev".utf8))
    }

    @Test("the stored graph lists its seeds in byte order and answers as the graph built")
    func recordInByteOrder() {
        // Byte order: "Kb" (4b), "cafe\u{301}" (.. 65 cc 81), "cafz" (.. 7a), KELVIN "a" (e2 ...);
        // String's order (by NFC) is KELVIN "a", "Kb", "cafz", "caf\u{E9}".
        var dump = ClusterSnapshot()
        dump.pods = [kelvin + "a", "Kb", "cafz", decomposed].map { namespace in
            pod(namespace, "web", node: "n1", secrets: [PodSecretReference(name: "s", source: .volume)])
        }
        let mounts = IndirectPaths(snapshot: dump, whoCan: WhoCan(derived: AccessIndexer.compute(dump))).record
        #expect(mounts.seeds.map { Array($0.namespace.utf8) } == ["Kb", decomposed, "cafz", kelvin + "a"].map { Array($0.utf8) })
        // The twins' graph read back from its record: dev still reaches the KELVIN namespace only.
        let stored = IndirectPaths(record: paths.record, whoCan: whoCan)
        for (namespace, readers) in [(kelvinK, ["dev"]), (asciiK, [])] {
            let direct = whoCan.subjects(verb: .get, namespace: namespace, secretName: "s")
            #expect(stored.indirectReaders(namespace: namespace, secretName: "s", direct: direct).map(\.identity.name) == readers)
        }
    }
}
