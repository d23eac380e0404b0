import Foundation
import KubeModel
import Testing
import TestSupport
@testable import RBAC

// Forward reach is who-can --indirect read the other way: from one identity
// or pod, which secrets it reads, directly or by a chain.

/// A random cluster with every kind of "can become" step: pods (token
/// mounted or not) mounting secrets, token secrets, and roles that read
/// secrets, create pods, patch deployments, exec (any pod or one), impersonate
/// (all, by name, groups, service accounts), request tokens, bind, escalate,
/// proxy to nodes; bound at random to users, groups, service accounts.
private struct RandomIndirectCluster {
    var random: SeededGenerator

    mutating func pick<T>(_ values: [T]) -> T { values.randomElement(using: &random)! }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }

    static let namespaces = ["ns0", "ns1", "ns2"]
    static let roles: [Role] = [
        clusterRole("reader", [rule(["get", "list", "watch"])]),
        clusterRole("getter", [rule(["get"])]),
        clusterRole("lister", [rule(["list"])]),
        clusterRole("named", [rule(["get", "list"], names: ["s1"])]),
        clusterRole("token-getter", [rule(["get"], names: ["a-token"])]),
        clusterRole("pod-creator", [rule(["create"], [""], ["pods"])]),
        clusterRole("deployer", [rule(["patch"], ["apps"], ["deployments"])]),
        clusterRole("exec-any", [rule(["create"], [""], ["pods/exec"])]),
        clusterRole("exec-p0", [rule(["create"], [""], ["pods/attach"], names: ["p0"])]),
        clusterRole("impersonate-users", [rule(["impersonate"], [""], ["users"])]),
        clusterRole("impersonate-u1", [rule(["impersonate"], [""], ["users"], names: ["u1"])]),
        clusterRole("impersonate-groups", [rule(["impersonate"], [""], ["groups"], names: ["g0"])]),
        clusterRole("impersonate-sa", [rule(["impersonate"], [""], ["serviceaccounts"])]),
        clusterRole("token-request", [rule(["create"], [""], ["serviceaccounts/token"], names: ["b"])]),
        clusterRole("binder", [rule(["bind"], [rbacGroup], ["clusterroles"]), rule(["create"], [rbacGroup], ["rolebindings"])]),
        clusterRole("escalator", [rule(["escalate"], [rbacGroup], ["roles"]), rule(["update"], [rbacGroup], ["rolebindings", "clusterrolebindings"])]),
        clusterRole("node-proxy", [rule(["create"], [""], ["nodes/proxy"])]),
        clusterRole("pod-viewer", [rule(["get", "list"], [""], ["pods"])]),
    ]

    mutating func subject(_ namespace: String) -> Subject {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: userSubject(pick(["u0", "u1", "u2", "u3"]))
        case 1: groupSubject(pick(["g0", "g1"]))
        case 2: groupSubject(pick([WellKnown.authenticatedGroup, "system:serviceaccounts:\(pick(Self.namespaces))"]))
        case 3: groupSubject(chance(0.3) ? WellKnown.mastersGroup : WellKnown.nodesGroup)
        case 4: userSubject("system:serviceaccount:\(pick(Self.namespaces)):\(pick(["a", "b"]))")
        default: serviceAccountSubject(pick(["default", "a", "b"]), namespace: chance(0.5) ? "" : pick(Self.namespaces))
        }
    }

    mutating func make() -> ClusterSnapshot {
        var dump = ClusterSnapshot()
        dump.roles = Self.roles
        for namespace in Self.namespaces {
            for account in ["default", "a", "b"] {
                var serviceAccount = ServiceAccount(meta: ObjectMeta(name: account, namespace: namespace))
                if chance(0.2) { serviceAccount.automountServiceAccountToken = false }
                dump.serviceAccounts.append(serviceAccount)
            }
            dump.secrets += [Secret(meta: ObjectMeta(name: "s0", namespace: namespace), type: "kubernetes.io/tls"),
                             Secret(meta: ObjectMeta(name: "s1", namespace: namespace), type: "Opaque"),
                             Secret(meta: ObjectMeta(name: "a-token", namespace: namespace,
                                                     annotations: ["kubernetes.io/service-account.name": "a"]),
                                    type: "kubernetes.io/service-account-token")]
            for index in 0..<2 {
                var made = pod(namespace, "p\(index)", node: pick(["n0", "n1"]), serviceAccount: pick(["default", "a", "b"]),
                               secrets: chance(0.6) ? [PodSecretReference(name: pick(["s0", "s1"]), source: .volume)] : [])
                if chance(0.25) { made.spec.automountServiceAccountToken = chance(0.5) }
                dump.pods.append(made)
            }
        }
        for index in 0..<Int.random(in: 3...9, using: &random) {
            let namespace = pick(Self.namespaces)
            let role = pick(Self.roles).meta.name
            let subjects = (0..<Int.random(in: 1...2, using: &random)).map { _ in subject(namespace) }
            dump.bindings.append(chance(0.35) ? clusterBinding("c\(index)", roleName: role, subjects)
                                              : binding(namespace, "b\(index)", "ClusterRole", role, subjects))
        }
        return dump
    }
}

private func label(_ identity: KnownIdentity) -> String { "\(identity.kind) \(identity.namespace)/\(identity.name)" }

@Suite("Forward reach: the reverse of who-can --indirect")
struct IndirectReachTests {
    @Test("for every identity X and secret S: S is in X's reach ⇔ X is a direct or indirect reader of S (randomized)",
          arguments: 1...60 as ClosedRange<UInt64>)
    func agreesWithWhoCan(seed: UInt64) {
        var maker = RandomIndirectCluster(random: SeededGenerator(seed: seed))
        let dump = maker.make()
        let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
        let paths = IndirectPaths(snapshot: dump, whoCan: whoCan)
        // A name with no secret counts too: RBAC on the name applies before it exists.
        let secrets = dump.secrets.map { ($0.meta.namespace, $0.meta.name) } + [("ns1", "not-yet")]
        for verb in [SecretReadVerb.get, .list] {
            let reach = IndirectReach(paths: paths, whoCan: whoCan, verbs: [verb])
            var readers: [String: Set<String>] = [:]
            for (namespace, name) in secrets {
                let direct = whoCan.subjects(verb: verb, namespace: namespace, secretName: name)
                let indirect = paths.indirectReaders(namespace: namespace, secretName: name, direct: direct)
                readers["\(namespace)/\(name)"] = Set(direct.map { label($0.identity) } + indirect.map { label($0.identity) })
            }
            for identity in whoCan.derived.identities {
                guard let from = reach.reach(from: .identity(identity)) else {
                    Issue.record("seed \(seed): \(label(identity)) is not in the graph")
                    continue
                }
                for (namespace, name) in secrets {
                    let access = from.access(namespace: namespace, secretName: name)
                    let expected = readers["\(namespace)/\(name)"]!.contains(label(identity))
                    #expect((access != nil) == expected,
                            "seed \(seed) \(verb): \(label(identity)) on \(namespace)/\(name): reach \(access != nil), who-can \(expected)")
                    if let access, access.chain.isEmpty, access.mountedBy == nil, access.reader != nil {
                        // Direct: the paths are who-can's own for this identity.
                        let whoCanPaths = whoCan.subjects(verb: verb, namespace: namespace, secretName: name)
                            .first { label($0.identity) == label(identity) }?.via
                        #expect(access.reader.map(label) == label(identity) && whoCanPaths == access.via,
                                "seed \(seed): \(label(identity)) on \(namespace)/\(name)")
                    }
                }
            }
        }
    }

    @Test("a pod reads what its ServiceAccount reads when it mounts the token, and the secrets it mounts (randomized)",
          arguments: 1...30 as ClosedRange<UInt64>)
    func podIsItsAccountAndItsMounts(seed: UInt64) {
        var maker = RandomIndirectCluster(random: SeededGenerator(seed: seed + 2000))
        let dump = maker.make()
        let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
        let reach = IndirectReach(paths: IndirectPaths(snapshot: dump, whoCan: whoCan), whoCan: whoCan)
        let secrets = dump.secrets.map { ($0.meta.namespace, $0.meta.name) }
        func readable(_ start: ReachStart) -> Set<String> {
            guard let from = reach.reach(from: start) else { return [] }
            return Set(secrets.filter { from.access(namespace: $0.0, secretName: $0.1) != nil }.map { "\($0.0)/\($0.1)" })
        }
        for pod in dump.pods {
            let namespace = pod.meta.namespace
            let account = dump.serviceAccounts.first { $0.meta.namespace == namespace && $0.meta.name == pod.spec.serviceAccountName }
            // The token is mounted unless the pod, else its ServiceAccount, says false.
            let mountsToken = pod.spec.automountServiceAccountToken ?? account?.automountServiceAccountToken ?? true
            var expected = Set(pod.spec.secretReferences.map { "\(namespace)/\($0.name)" })
            if mountsToken {
                expected.formUnion(readable(.identity(KnownIdentity(kind: "ServiceAccount", namespace: namespace,
                                                                    name: pod.spec.serviceAccountName, username: "", groups: []))))
            }
            #expect(readable(.pod(namespace: namespace, name: pod.meta.name)) == expected, "seed \(seed): pod \(namespace)/\(pod.meta.name)")
        }
    }

    @Test("the chain's length is who-can's: both searches find the shortest (randomized)",
          arguments: 1...30 as ClosedRange<UInt64>)
    func sameChainLength(seed: UInt64) {
        var maker = RandomIndirectCluster(random: SeededGenerator(seed: seed + 1000))
        let dump = maker.make()
        let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
        let paths = IndirectPaths(snapshot: dump, whoCan: whoCan)
        let reach = IndirectReach(paths: paths, whoCan: whoCan, verbs: [.get])
        for secret in dump.secrets {
            let direct = whoCan.subjects(verb: .get, namespace: secret.meta.namespace, secretName: secret.meta.name)
            for reader in paths.indirectReaders(namespace: secret.meta.namespace, secretName: secret.meta.name, direct: direct) {
                let access = reach.reach(from: .identity(reader.identity))?.access(namespace: secret.meta.namespace, secretName: secret.meta.name)
                #expect(access?.chain.count == reader.chain.count,
                        "seed \(seed): \(label(reader.identity)) on \(secret.meta.namespace)/\(secret.meta.name)")
            }
        }
    }
}

// The chains of a small dump, one per kind of start.

private let prodReader = role("prod", "secret-reader", [rule(["get", "list", "watch"])])
private let prodReads = binding("prod", "app-reads", "Role", "secret-reader", [serviceAccountSubject("app")])

private func smallDump(roles: [Role] = [], bindings: [RoleBinding] = [], pods: [Pod] = [],
                       secrets: [Secret] = []) -> ClusterSnapshot {
    var dump = snapshot(roles: [prodReader] + roles, bindings: [prodReads] + bindings, pods: pods,
                        serviceAccounts: [ServiceAccount(meta: ObjectMeta(name: "app", namespace: "prod")),
                                          ServiceAccount(meta: ObjectMeta(name: "ci", namespace: "build"))])
    dump.secrets = [Secret(meta: ObjectMeta(name: "app-tls", namespace: "prod"), type: "kubernetes.io/tls")] + secrets
    return dump
}

private func access(_ dump: ClusterSnapshot, from start: ReachStart, to name: String = "app-tls") -> SecretReach? {
    let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
    let reach = IndirectReach(paths: IndirectPaths(snapshot: dump, whoCan: whoCan), whoCan: whoCan)
    return reach.reach(from: start)?.access(namespace: "prod", secretName: name)
}

private func userStart(_ name: String) -> ReachStart { .identity(KnownIdentity(kind: "User", name: name, username: name, groups: [])) }

@Suite("Forward reach: chains from one start")
struct IndirectReachChainTests {
    @Test("a direct reader: no chain, its binding, role and rule")
    func direct() throws {
        let reached = try #require(access(smallDump(), from: .identity(KnownIdentity(kind: "ServiceAccount", namespace: "prod",
                                                                                       name: "app", username: "", groups: []))))
        #expect(reached.chain.isEmpty)
        #expect(reached.reader?.name == "app")
        guard case .rbac(let rbac)? = reached.via.first else { Issue.record("no RBAC path"); return }
        #expect(rbac.binding.name == "app-reads" && rbac.role.name == "secret-reader" && rbac.ruleIndex == 0)
    }

    @Test("create pods in the namespace: one createPods step onto the secret")
    func throughPodCreation() throws {
        let dump = smallDump(roles: [clusterRole("pod-creator", [rule(["create"], [""], ["pods"])])],
                             bindings: [binding("prod", "dev-pods", "ClusterRole", "pod-creator", [userSubject("dev")])])
        let reached = try #require(access(dump, from: userStart("dev")))
        #expect(reached.chain.map(\.step) == [.createPods])
        #expect(reached.chain.first?.target == ObjectRef(kind: "Secret", namespace: "prod", name: "app-tls"))
        #expect(reached.chain.first?.through == ObjectRef(kind: "Namespace", name: "prod"))
        #expect(reached.reader == nil && reached.mountedBy == nil)
        #expect(access(dump, from: userStart("nobody")) == nil)
    }

    @Test("read a service-account token secret: becomes its ServiceAccount, which reads the key")
    func throughTokenSecret() throws {
        let token = Secret(meta: ObjectMeta(name: "app-token", namespace: "prod",
                                            annotations: ["kubernetes.io/service-account.name": "app"]),
                           type: "kubernetes.io/service-account-token")
        let dump = smallDump(roles: [clusterRole("token-getter", [rule(["get"], names: ["app-token"])])],
                             bindings: [binding("prod", "ci-token", "ClusterRole", "token-getter",
                                                [serviceAccountSubject("ci", namespace: "build")])],
                             secrets: [token])
        let ci = KnownIdentity(kind: "ServiceAccount", namespace: "build", name: "ci", username: "", groups: [])
        let reached = try #require(access(dump, from: .identity(ci)))
        #expect(reached.chain.map(\.step) == [.readToken])
        #expect(reached.chain.first?.target == ObjectRef(kind: "ServiceAccount", namespace: "prod", name: "app"))
        #expect(reached.chain.first?.through == ObjectRef(kind: "Secret", namespace: "prod", name: "app-token"))
        #expect(reached.reader?.name == "app")
    }

    @Test("a pod: its ServiceAccount's reads when the token is mounted, and what it mounts, without a step")
    func pod() throws {
        var web = RBACTests.pod("prod", "web", node: "n1", serviceAccount: "app", secrets: [])
        let mounted = try #require(access(smallDump(pods: [web]), from: .pod(namespace: "prod", name: "web")))
        #expect(mounted.chain.isEmpty && mounted.reader?.name == "app")
        web.spec.automountServiceAccountToken = false
        #expect(access(smallDump(pods: [web]), from: .pod(namespace: "prod", name: "web")) == nil)
        web.spec.secretReferences = [PodSecretReference(name: "app-tls", source: .volume)]
        let volume = try #require(access(smallDump(pods: [web]), from: .pod(namespace: "prod", name: "web")))
        #expect(volume.chain.isEmpty && volume.reader == nil)
        #expect(volume.mountedBy == ObjectRef(kind: "Pod", namespace: "prod", name: "web"))
        #expect(access(smallDump(pods: [web]), from: .pod(namespace: "prod", name: "other")) == nil)
    }

    @Test("a node reads what its pods reference, through the node authorizer")
    func node() throws {
        let web = RBACTests.pod("prod", "web", node: "n1", serviceAccount: "app",
                                secrets: [PodSecretReference(name: "app-tls", source: .env)])
        var dump = smallDump(pods: [web])
        dump.nodes = [Node(meta: ObjectMeta(name: "n1")), Node(meta: ObjectMeta(name: "n2"))]
        let node = { (name: String) in ReachStart.identity(KnownIdentity(kind: "Node", name: name, username: "", groups: [])) }
        let reached = try #require(access(dump, from: node("n1")))
        #expect(reached.chain.isEmpty && reached.reader?.name == "n1")
        guard case .node(let nodeAccess)? = reached.via.first else { Issue.record("no node path"); return }
        #expect(nodeAccess.pod == ObjectRef(kind: "Pod", namespace: "prod", name: "web"))
        #expect(access(dump, from: node("n2")) == nil)
    }
}
