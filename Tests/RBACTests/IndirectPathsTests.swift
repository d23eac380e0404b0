import Foundation
import KubeModel
import Testing
@testable import RBAC

// Given a minimal dump, who can become a reader of prod/app-tls, and by which chain.
// ServiceAccount prod/app reads every secret of prod; it is the direct reader.

private let readerRole = role("prod", "secret-reader", [readSecrets])
private let readerBinding = binding("prod", "app-reads", "Role", "secret-reader", [serviceAccountSubject("app")])
private let app = ServiceAccount(meta: ObjectMeta(name: "app", namespace: "prod"))

private func dump(roles: [Role] = [], bindings: [RoleBinding] = [], pods: [Pod] = [],
                  serviceAccounts: [ServiceAccount] = [], secrets: [Secret] = []) -> ClusterSnapshot {
    var dump = snapshot(roles: [readerRole] + roles, bindings: [readerBinding] + bindings, pods: pods,
                        serviceAccounts: [app] + serviceAccounts)
    dump.secrets = [Secret(meta: ObjectMeta(name: "app-tls", namespace: "prod"), type: "kubernetes.io/tls")] + secrets
    return dump
}

private func indirect(_ dump: ClusterSnapshot, namespace: String = "prod", secret: String? = "app-tls") -> [IndirectReader] {
    let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
    let direct = secret.map { whoCan.subjects(verb: .get, namespace: namespace, secretName: $0) }
        ?? whoCan.namespaceReaders(verb: .get, namespace: namespace).subjects
    return IndirectPaths(snapshot: dump, whoCan: whoCan).indirectReaders(namespace: namespace, secretName: secret, direct: direct)
}

private func label(_ ref: ObjectRef) -> String {
    ref.kind + " " + (ref.namespace.isEmpty ? ref.name : ref.namespace + "/" + ref.name)
}

/// `"User dev": "createPods → Secret prod/app-tls"`, one entry per indirect reader.
private func chains(_ readers: [IndirectReader]) -> [String: String] {
    Dictionary(uniqueKeysWithValues: readers.map { reader in
        (label(ObjectRef(kind: reader.identity.kind, namespace: reader.identity.namespace, name: reader.identity.name)),
         reader.chain.map { "\($0.step.rawValue) → \(label($0.target))" }.joined(separator: ", "))
    })
}

private func bindUser(_ name: String, roleName: String, namespace: String? = "prod") -> RoleBinding {
    namespace.map { binding($0, "\(name)-binding", "ClusterRole", roleName, [userSubject(name)]) }
        ?? clusterBinding("\(name)-binding", roleName: roleName, [userSubject(name)])
}

private func webPod(serviceAccount: String = "app", automount: Bool? = nil, node: String = "n1",
                    secrets: [PodSecretReference] = []) -> Pod {
    var pod = pod("prod", "web", node: node, serviceAccount: serviceAccount, secrets: secrets)
    pod.spec.automountServiceAccountToken = automount
    return pod
}

@Suite("Indirect paths: each \"can become\" edge from an RBAC decision")
struct IndirectEdgeTests {
    @Test("create pods in the namespace mounts its secrets")
    func createPods() {
        let readers = indirect(dump(roles: [clusterRole("pod-creator", [rule(["create"], [""], ["pods"])])],
                                    bindings: [bindUser("dev", roleName: "pod-creator")]))
        #expect(chains(readers) == ["User dev": "createPods → Secret prod/app-tls"])
        #expect(readers.first?.chain.first?.through == ObjectRef(kind: "Namespace", name: "prod"))
        guard case .rbac(let access)? = readers.first?.chain.first?.via else { Issue.record("no RBAC via"); return }
        #expect(access.binding.name == "dev-binding" && access.role.name == "pod-creator" && access.ruleIndex == 0)
    }

    @Test("patch a deployment is a workload controller step; get deployments is none")
    func workloadController() {
        let readers = indirect(dump(roles: [clusterRole("deployer", [rule(["patch"], ["apps"], ["deployments"])]),
                                            clusterRole("viewer", [rule(["get", "list"], ["apps"], ["deployments"])])],
                                    bindings: [bindUser("ops", roleName: "deployer"), bindUser("viewer", roleName: "viewer")]))
        #expect(chains(readers) == ["User ops": "workloadController → Secret prod/app-tls"])
    }

    @Test("exec into a pod becomes its ServiceAccount when the token is mounted")
    func exec() {
        let execWeb = clusterRole("exec-web", [rule(["create"], [""], ["pods/exec"], names: ["web"])])
        let mounted = indirect(dump(roles: [execWeb], bindings: [bindUser("dbg", roleName: "exec-web")], pods: [webPod()]))
        #expect(chains(mounted) == ["User dbg": "exec → ServiceAccount prod/app"])
        #expect(mounted.first?.chain.first?.through == ObjectRef(kind: "Pod", namespace: "prod", name: "web"))
        let notMounted = indirect(dump(roles: [execWeb], bindings: [bindUser("dbg", roleName: "exec-web")],
                                       pods: [webPod(automount: false)]))
        #expect(chains(notMounted).isEmpty)
        // The ServiceAccount's own setting applies when the pod says nothing.
        var quiet = app
        quiet.automountServiceAccountToken = false
        var accountSays = dump(roles: [execWeb], bindings: [bindUser("dbg", roleName: "exec-web")], pods: [webPod()])
        accountSays.serviceAccounts = [quiet]
        #expect(chains(indirect(accountSays)).isEmpty)
        // A pod that mounts the secret exposes it to exec, whatever its ServiceAccount.
        let mounting = indirect(dump(roles: [execWeb], bindings: [bindUser("dbg", roleName: "exec-web")],
                                     pods: [webPod(serviceAccount: "other", secrets: [PodSecretReference(name: "app-tls", source: .volume)])]))
        #expect(chains(mounting) == ["User dbg": "exec → Secret prod/app-tls"])
    }

    @Test("impersonate serviceaccounts, users and groups, resourceNames respected")
    func impersonate() {
        let readers = indirect(dump(
            roles: [clusterRole("as-app", [rule(["impersonate"], [""], ["serviceaccounts"], names: ["app"])]),
                    clusterRole("as-other", [rule(["impersonate"], [""], ["serviceaccounts"], names: ["other"])]),
                    clusterRole("as-user", [rule(["impersonate"], [""], ["users"], names: ["system:serviceaccount:prod:app"])]),
                    clusterRole("as-group", [rule(["impersonate"], [""], ["groups"])])],
            bindings: [bindUser("imp", roleName: "as-app"), bindUser("nope", roleName: "as-other"),
                       bindUser("u", roleName: "as-user", namespace: nil), bindUser("g", roleName: "as-group", namespace: nil),
                       // Impersonating users is cluster-scoped: a RoleBinding grants none.
                       bindUser("ns-only", roleName: "as-user"),
                       binding("prod", "group-reads", "Role", "secret-reader", [groupSubject("auditors")])]))
        #expect(chains(readers) == ["User imp": "impersonate → ServiceAccount prod/app",
                                    "User u": "impersonate → ServiceAccount prod/app",
                                    "User g": "impersonate → Group auditors"])
    }

    @Test("impersonating a user or group names it by bytes: a canonically equal spelling is another name")
    func impersonateNamesAsBytes() {
        let precomposed = "caf\u{E9}", combining = "cafe\u{301}"
        let readers = indirect(dump(
            roles: [clusterRole("as-cafe", [rule(["impersonate"], [""], ["users", "groups"], names: [precomposed])])],
            bindings: [bindUser("imp", roleName: "as-cafe", namespace: nil),
                       binding("prod", "reads", "Role", "secret-reader", [userSubject(combining), groupSubject(combining)])]))
        // The readers are spelled with a combining accent; the rule names the precomposed one.
        #expect(readers.isEmpty)
        let spelledAlike = indirect(dump(
            roles: [clusterRole("as-cafe", [rule(["impersonate"], [""], ["users"], names: [combining])])],
            bindings: [bindUser("imp", roleName: "as-cafe", namespace: nil),
                       binding("prod", "reads", "Role", "secret-reader", [userSubject(combining)])]))
        #expect(chains(spelledAlike) == ["User imp": "impersonate → User \(combining)"])
    }

    @Test("create serviceaccounts/token becomes that ServiceAccount")
    func tokenRequest() {
        let readers = indirect(dump(roles: [clusterRole("token", [rule(["create"], [""], ["serviceaccounts/token"])])],
                                    bindings: [bindUser("tok", roleName: "token")]))
        #expect(chains(readers) == ["User tok": "tokenRequest → ServiceAccount prod/app"])
    }

    @Test("reading a service-account-token secret becomes its ServiceAccount")
    func readToken() {
        let token = Secret(meta: ObjectMeta(name: "app-token", namespace: "prod",
                                            annotations: ["kubernetes.io/service-account.name": "app"]),
                           type: "kubernetes.io/service-account-token")
        let readers = indirect(dump(roles: [clusterRole("token-reader", [rule(["get"], names: ["app-token"])])],
                                    bindings: [bindUser("peek", roleName: "token-reader")], secrets: [token]))
        #expect(chains(readers) == ["User peek": "readToken → ServiceAccount prod/app"])
        #expect(readers.first?.chain.first?.through == ObjectRef(kind: "Secret", namespace: "prod", name: "app-token"))
    }

    @Test("bind any role, with create rolebindings in the namespace, grants oneself any role; escalate alone does not")
    func bindAndEscalate() {
        let createBindings = rule(["create"], [rbacGroup], ["rolebindings"])
        let readers = indirect(dump(
            roles: [clusterRole("binder", [rule(["bind"], [rbacGroup], ["clusterroles"]), createBindings]),
                    // Binding a role one does not hold needs `bind` (BindingAuthorized), else
                    // ConfirmNoEscalation refuses it: escalate only lets one write roles.
                    clusterRole("escalator", [rule(["escalate"], [rbacGroup], ["roles"]), createBindings]),
                    clusterRole("bind-only", [rule(["bind"], [rbacGroup], ["clusterroles"])])],
            bindings: [bindUser("b", roleName: "binder"), bindUser("e", roleName: "escalator"),
                       bindUser("half", roleName: "bind-only")]))
        #expect(chains(readers) == ["User b": "bind → Secret prod/app-tls"])
    }

    @Test("a ClusterRoleBinding's step reaches every namespace, pod and node through its hub")
    func clusterWideHubs() {
        let readers = indirect(dump(
            roles: [clusterRole("pod-creator", [rule(["create"], [""], ["pods"])]),
                    clusterRole("exec-any", [rule(["create"], [""], ["pods/attach"])]),
                    clusterRole("kubelet-any", [rule(["create"], [""], ["nodes/proxy"])])],
            bindings: [bindUser("global", roleName: "pod-creator", namespace: nil), bindUser("attach", roleName: "exec-any", namespace: nil),
                       bindUser("kubelet", roleName: "kubelet-any", namespace: nil)],
            pods: [webPod(node: "n7")]))
        #expect(chains(readers) == ["User global": "createPods → Secret prod/app-tls",
                                    "User attach": "exec → ServiceAccount prod/app",
                                    "User kubelet": "nodeProxy → ServiceAccount prod/app"])
        let through = Dictionary(uniqueKeysWithValues: readers.map { ($0.identity.name, $0.chain.first?.through) })
        #expect(through["global"] == ObjectRef(kind: "Namespace", name: "prod"))
        #expect(through["attach"] == ObjectRef(kind: "Pod", namespace: "prod", name: "web"))
        #expect(through["kubelet"] == ObjectRef(kind: "Pod", namespace: "prod", name: "web"))
    }

    @Test("create nodes/proxy execs in the pods of the node")
    func nodeProxy() {
        let readers = indirect(dump(roles: [clusterRole("kubelet-api", [rule(["create"], [""], ["nodes/proxy"], names: ["n1"])]),
                                            clusterRole("other-node", [rule(["create"], [""], ["nodes/proxy"], names: ["n2"])])],
                                    bindings: [bindUser("np", roleName: "kubelet-api", namespace: nil),
                                               bindUser("elsewhere", roleName: "other-node", namespace: nil)],
                                    pods: [webPod(node: "n1")]))
        #expect(chains(readers) == ["User np": "nodeProxy → ServiceAccount prod/app"])
        #expect(readers.first?.chain.first?.through == ObjectRef(kind: "Pod", namespace: "prod", name: "web"))
    }
}

@Suite("Indirect paths: the fix-point")
struct IndirectFixPointTests {
    /// alice impersonates bob, bob requests a token of ci/deployer, which creates pods in prod.
    private var chainDump: ClusterSnapshot {
        dump(roles: [clusterRole("as-bob", [rule(["impersonate"], [""], ["users"], names: ["bob"])]),
                     clusterRole("token", [rule(["create"], [""], ["serviceaccounts/token"], names: ["deployer"])]),
                     clusterRole("pod-creator", [rule(["create"], [""], ["pods"])])],
             bindings: [bindUser("alice", roleName: "as-bob", namespace: nil), bindUser("bob", roleName: "token", namespace: "ci"),
                        binding("prod", "deployer-pods", "ClusterRole", "pod-creator", [serviceAccountSubject("deployer", namespace: "ci")])],
             serviceAccounts: [ServiceAccount(meta: ObjectMeta(name: "deployer", namespace: "ci"))])
    }

    @Test("a three-step chain, shortest first, each step with its rule")
    func threeSteps() {
        let found = chains(indirect(chainDump))
        #expect(found["User alice"] == "impersonate → User bob, tokenRequest → ServiceAccount ci/deployer, createPods → Secret prod/app-tls")
        #expect(found["User bob"] == "tokenRequest → ServiceAccount ci/deployer, createPods → Secret prod/app-tls")
        #expect(found["ServiceAccount ci/deployer"] == "createPods → Secret prod/app-tls")
        // The namespace question lands on the namespace, not on a name.
        #expect(chains(indirect(chainDump, secret: nil))["ServiceAccount ci/deployer"] == "createPods → Namespace prod")
    }

    @Test("a direct reader is never listed as indirect, even when it could also become one")
    func directReadersStayDirect() {
        let readers = indirect(dump(roles: [clusterRole("pod-creator", [rule(["create"], [""], ["pods"])])],
                                    bindings: [binding("prod", "app-pods", "ClusterRole", "pod-creator", [serviceAccountSubject("app")]),
                                               bindUser("dev", roleName: "pod-creator")]))
        #expect(!readers.contains { $0.identity.kind == "ServiceAccount" && $0.identity.name == "app" })
        #expect(!readers.contains { $0.identity.groups.contains(WellKnown.mastersGroup) })
        #expect(chains(readers).keys.sorted() == ["User dev"])
    }

    @Test("a cycle of impersonation ends: each identity once, no chain revisits one")
    func noLoops() {
        let readers = indirect(dump(
            roles: [clusterRole("as-a", [rule(["impersonate"], [""], ["users"], names: ["a"])]),
                    clusterRole("as-b", [rule(["impersonate"], [""], ["users"], names: ["b"])]),
                    clusterRole("pod-creator", [rule(["create"], [""], ["pods"])])],
            bindings: [bindUser("a", roleName: "as-b", namespace: nil), bindUser("b", roleName: "as-a", namespace: nil),
                       bindUser("b", roleName: "pod-creator")]))
        #expect(chains(readers) == ["User a": "impersonate → User b, createPods → Secret prod/app-tls",
                                    "User b": "createPods → Secret prod/app-tls"])
        for reader in readers {
            let targets = reader.chain.map(\.target)
            #expect(Set(targets).count == targets.count)
        }
    }

    @Test("every ServiceAccount can create pods: the closure stays linear")
    func everyAccountCreatesPods() {
        let namespaces = 400, accounts = 25
        var dump = snapshot(roles: [clusterRole("pod-creator", [rule(["create"], [""], ["pods"])]),
                                    clusterRole("as-any", [rule(["impersonate"], [""], ["serviceaccounts"])])])
        for n in 0..<namespaces {
            dump.bindings.append(binding("ns\(n)", "pods", "ClusterRole", "pod-creator", [groupSubject("system:serviceaccounts:ns\(n)")]))
            dump.bindings.append(binding("ns\(n)", "as-any", "ClusterRole", "as-any", [groupSubject("system:serviceaccounts:ns\(n)")]))
            for a in 0..<accounts { dump.serviceAccounts.append(ServiceAccount(meta: ObjectMeta(name: "sa\(a)", namespace: "ns\(n)"))) }
            dump.secrets.append(Secret(meta: ObjectMeta(name: "key", namespace: "ns\(n)"), type: "kubernetes.io/tls"))
        }
        let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
        let clock = ContinuousClock()
        let start = clock.now
        let paths = IndirectPaths(snapshot: dump, whoCan: whoCan)
        var total = 0
        for n in 0..<namespaces {
            let direct = whoCan.subjects(verb: .get, namespace: "ns\(n)", secretName: "key")
            let readers = paths.indirectReaders(namespace: "ns\(n)", secretName: "key", direct: direct)
            total += readers.count
            #expect(readers.allSatisfy { $0.identity.namespace == "ns\(n)" || $0.identity.kind == "Group" })
        }
        let elapsed = clock.now - start
        // Each namespace: its 25 accounts and its group, one step each.
        #expect(total == namespaces * (accounts + 1))
        #expect(elapsed < .seconds(5), "closure took \(elapsed)")
    }
}

// `bind` and `escalate` as the API server's RBAC storage checks them
// (pkg/registry/rbac: BindingAuthorized asks `bind` on the roleRef's kind and
// name in the binding's namespace; RoleEscalationAuthorized asks `escalate` on
// the role being written, which still needs update/patch or create).
@Suite("Indirect paths: bind and escalate, resourceNames respected")
struct IndirectBindTests {
    static let createBindings = rule(["create"], [rbacGroup], ["rolebindings"])

    static func binder(_ name: String, resource: String = "roles", names: [String]) -> Role {
        clusterRole(name, [rule(["bind"], [rbacGroup], [resource], names: names), createBindings])
    }

    @Test("bind limited to a role that reads the namespace's secrets: that role's read")
    func namedBindOfAReader() {
        let readers = indirect(dump(roles: [Self.binder("bind-reader", names: ["secret-reader"])],
                                    bindings: [bindUser("b", roleName: "bind-reader")]))
        #expect(chains(readers) == ["User b": "bind → Secret prod/app-tls"])
        #expect(readers.first?.chain.first?.through == ObjectRef(kind: "Role", namespace: "prod", name: "secret-reader"))
    }

    @Test("bind limited to a role that reads no secret: no step")
    func namedBindOfAViewer() {
        let readers = indirect(dump(roles: [clusterRole("viewer", [rule(["get"], [""], ["configmaps"])]),
                                            Self.binder("bind-viewer", resource: "clusterroles", names: ["viewer"])],
                                    bindings: [bindUser("b", roleName: "bind-viewer")]))
        #expect(chains(readers).isEmpty)
    }

    @Test("bind limited to a role that reads one name: that secret only")
    func namedBindOfANamedReader() {
        let roles = [clusterRole("tls-reader", [rule(["get"], [""], ["secrets"], names: ["app-tls"])]),
                     clusterRole("other-reader", [rule(["get"], [""], ["secrets"], names: ["other"])]),
                     Self.binder("bind-tls", resource: "clusterroles", names: ["tls-reader"]),
                     Self.binder("bind-other", resource: "clusterroles", names: ["other-reader"])]
        let bindings = [bindUser("t", roleName: "bind-tls"), bindUser("o", roleName: "bind-other")]
        #expect(chains(indirect(dump(roles: roles, bindings: bindings))) == ["User t": "bind → Secret prod/app-tls"])
        // The collection (every secret of the namespace) is read by neither.
        #expect(chains(indirect(dump(roles: roles, bindings: bindings), secret: nil)).isEmpty)
    }

    @Test("bind limited to a role that creates pods: it mounts the namespace's secrets")
    func namedBindOfAPodCreator() {
        let readers = indirect(dump(roles: [clusterRole("pod-creator", [rule(["create"], [""], ["pods"])]),
                                            Self.binder("bind-pods", resource: "clusterroles", names: ["pod-creator"])],
                                    bindings: [bindUser("b", roleName: "bind-pods")]))
        #expect(chains(readers) == ["User b": "bind → Secret prod/app-tls"])
    }

    @Test("bind limited by name, without create rolebindings: no step")
    func namedBindWithoutCreate() {
        let readers = indirect(dump(roles: [clusterRole("bind-only", [rule(["bind"], [rbacGroup], ["roles"], names: ["secret-reader"])])],
                                    bindings: [bindUser("b", roleName: "bind-only")]))
        #expect(chains(readers).isEmpty)
    }

    @Test("escalate and update on a role bound to oneself: rewrite it with any rule")
    func escalateOwnRole() {
        let ownRole = role("prod", "own", [rule(["get"], [""], ["configmaps"])])
        let writer = role("prod", "writer", [rule(["escalate", "update"], [rbacGroup], ["roles"], names: ["own"])])
        let escalateOnly = role("prod", "escalate-only", [rule(["escalate"], [rbacGroup], ["roles"], names: ["own"])])
        let other = role("prod", "writer-other", [rule(["escalate", "update"], [rbacGroup], ["roles"], names: ["not-own"])])
        let readers = indirect(dump(
            roles: [ownRole, writer, escalateOnly, other],
            bindings: [binding("prod", "own-e", "Role", "own", [userSubject("e"), userSubject("half"), userSubject("elsewhere")]),
                       binding("prod", "e-writer", "Role", "writer", [userSubject("e")]),
                       binding("prod", "half-writer", "Role", "escalate-only", [userSubject("half")]),
                       binding("prod", "elsewhere-writer", "Role", "writer-other", [userSubject("elsewhere")])]))
        #expect(chains(readers) == ["User e": "escalate → Secret prod/app-tls"])
        #expect(readers.first?.chain.first?.through == ObjectRef(kind: "Role", namespace: "prod", name: "own"))
    }

    @Test("bind limited to a role one can also rewrite (escalate + update): any rule")
    func namedBindOfARewritableRole() {
        let empty = role("prod", "empty", [rule(["get"], [""], ["configmaps"])])
        let rights = role("prod", "rights", [rule(["bind", "escalate", "update"], [rbacGroup], ["roles"], names: ["empty"]),
                                             Self.createBindings])
        let readers = indirect(dump(roles: [empty, rights], bindings: [binding("prod", "r", "Role", "rights", [userSubject("r")])]))
        #expect(chains(readers) == ["User r": "bind → Secret prod/app-tls"])
    }
}
