import KubeModel
import Store
import Testing
import TestSupport
@testable import RBAC

/// `exposure --indirect` searches each namespace's collection once and each
/// key only from its own readers by name and the pods mounting it, then
/// merges the two. The merge must be the per-secret answer: the same
/// identities, none of them a direct reader, each with a chain as short.
@Suite("Indirect paths: per namespace, then per key, is the per-secret answer")
struct IndirectMergeTests {
    /// Namespaces with accounts, pods (some mounting a key, some on a node
    /// someone can proxy), token secrets, and bindings of every step's role,
    /// of readers of every name and of one name, to users, groups and accounts.
    static func randomCluster(seed: UInt64) -> ClusterSnapshot {
        var random = SeededGenerator(seed: seed)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        let namespaces = ["a", "b", "c"]
        var dump = snapshot(roles: [
            clusterRole("reader", [rule(["get", "list"])]),
            clusterRole("named-reader", [rule(["get"], [""], ["secrets"], names: ["key-0"])]),
            clusterRole("pod-creator", [rule(["create"], [""], ["pods"])]),
            clusterRole("deployer", [rule(["patch"], ["apps"], ["deployments"])]),
            clusterRole("exec", [rule(["create"], [""], ["pods/exec"])]),
            clusterRole("exec-web", [rule(["create"], [""], ["pods/exec"], names: ["web"])]),
            clusterRole("as-users", [rule(["impersonate"], [""], ["users"], names: ["u0", "u1"])]),
            clusterRole("as-accounts", [rule(["impersonate"], [""], ["serviceaccounts"])]),
            clusterRole("token", [rule(["create"], [""], ["serviceaccounts/token"])]),
            clusterRole("token-reader", [rule(["get"], [""], ["secrets"], names: ["sa0-token"])]),
            clusterRole("proxy", [rule(["create"], [""], ["nodes/proxy"])]),
            clusterRole("binder", [rule(["bind"], ["rbac.authorization.k8s.io"], ["clusterroles"]),
                                   rule(["create"], ["rbac.authorization.k8s.io"], ["rolebindings"])]),
        ])
        let roles = dump.roles.map(\.meta.name)
        for namespace in namespaces {
            for account in ["default", "sa0", "sa1"] {
                dump.serviceAccounts.append(ServiceAccount(meta: ObjectMeta(name: account, namespace: namespace)))
            }
            for index in 0..<3 {
                dump.secrets.append(Secret(meta: ObjectMeta(name: "key-\(index)", namespace: namespace), type: "kubernetes.io/tls"))
            }
            dump.secrets.append(Secret(meta: ObjectMeta(name: "sa0-token", namespace: namespace,
                                                        annotations: ["kubernetes.io/service-account.name": "sa0"]),
                                       type: "kubernetes.io/service-account-token"))
            for name in ["web", "job"] {
                let mounts = random.next() % 2 == 0 ? [PodSecretReference(name: "key-\(random.next() % 3)", source: .volume)] : []
                dump.pods.append(pod(namespace, name, node: "n\(random.next() % 2)", serviceAccount: pick(["default", "sa0", "sa1"]),
                                     secrets: mounts))
            }
        }
        let subjects: [(String) -> Subject] = [
            { _ in userSubject("u0") }, { _ in userSubject("u1") }, { _ in userSubject("u2") },
            { _ in groupSubject("team") }, { ns in groupSubject("system:serviceaccounts:\(ns)") },
            { ns in serviceAccountSubject("sa0", namespace: ns) }, { ns in serviceAccountSubject("sa1", namespace: ns) },
        ]
        for index in 0..<12 {
            let namespace = pick(namespaces)
            let role = pick(roles)
            let subject = pick(subjects)(namespace)
            dump.bindings.append(random.next() % 4 == 0
                ? clusterBinding("crb-\(index)", roleName: role, [subject])
                : binding(namespace, "rb-\(index)", "ClusterRole", role, [subject]))
        }
        return dump
    }

    @Test("merged searches equal the per-secret search (randomized)", arguments: 1...60 as ClosedRange<UInt64>)
    func mergedEqualsPerSecret(seed: UInt64) {
        let dump = Self.randomCluster(seed: seed)
        let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
        let paths = IndirectPaths(snapshot: dump, whoCan: whoCan)
        for namespace in ["a", "b", "c"] {
            for name in ["key-0", "key-1", "key-2"] {
                let target = ObjectRef(kind: "Secret", namespace: namespace, name: name)
                // The reference: every identity allowed get, list or watch, searched from at once.
                var direct: [String: SubjectAccess] = [:]
                for verb in SecretReadVerb.allCases {
                    for subject in whoCan.subjects(verb: verb, namespace: namespace, secretName: name) {
                        direct[label(subject.identity)] = subject
                    }
                }
                let expected = paths.indirectReaders(namespace: namespace, secretName: name, direct: Array(direct.values))
                // The split: the grants of every name for the namespace, the rest for the key.
                var everyName: Set<Principal> = []
                var byName: Set<Principal> = []
                var nodes: [KnownIdentity] = []
                for verb in SecretReadVerb.allCases {
                    for bound in whoCan.boundPaths(verb: verb, namespace: namespace, secretName: name) {
                        switch bound.path {
                        case .superuser: continue
                        case .node: nodes.append(whoCan.derived.identities[bound.identities[0]])
                        case .rbac(let access):
                            if whoCan.derived.grants[bound.grant!].secretName == nil { everyName.insert(access.principal) } else {
                                byName.insert(access.principal)
                            }
                        }
                    }
                }
                let collection = paths.collectionSearch(namespace: namespace, seeds: IndirectSeeds(principals: everyName.sorted()))
                let own = paths.secretSearch(namespace: namespace, secretName: name,
                                             seeds: IndirectSeeds(principals: byName.sorted(), identities: nodes))
                let merged = collection.merged(with: own, target: target)
                #expect(merged.map { label($0.identity) } == expected.map { label($0.identity) }, "seed \(seed) \(namespace)/\(name)")
                #expect(merged.map(\.chain.count) == expected.map(\.chain.count), "seed \(seed) \(namespace)/\(name)")
                #expect(!merged.contains { direct[label($0.identity)] != nil })
                #expect(merged.allSatisfy { $0.chain.last?.target.kind != "Namespace" })
            }
        }
    }

    @Test("the random clusters hold indirect readers, some by chains of several steps and by a key's own seeds")
    func randomClustersAreNotTrivial() {
        var readers = 0, longChains = 0, ownOnly = 0
        for seed in 1...60 as ClosedRange<UInt64> {
            let dump = Self.randomCluster(seed: seed)
            let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
            let paths = IndirectPaths(snapshot: dump, whoCan: whoCan)
            for namespace in ["a", "b", "c"] {
                let collection = Set(paths.indirectReaders(namespace: namespace, secretName: nil,
                                                           direct: whoCan.namespaceReaders(verb: .get, namespace: namespace).subjects)
                    .map { label($0.identity) })
                for name in ["key-0", "key-1", "key-2"] {
                    let found = paths.indirectReaders(namespace: namespace, secretName: name,
                                                      direct: whoCan.subjects(verb: .get, namespace: namespace, secretName: name))
                    readers += found.count
                    longChains += found.filter { $0.chain.count > 1 }.count
                    ownOnly += found.filter { !collection.contains(label($0.identity)) }.count
                }
            }
        }
        #expect(readers > 200)
        #expect(longChains > 20)
        #expect(ownOnly > 20)
    }

    private func label(_ identity: KnownIdentity) -> String { "\(identity.kind) \(identity.namespace)/\(identity.name)" }
}

/// The graph stored at import (`v5-indirect-chains`) answers as the graph built from the snapshot.
@Suite("Indirect paths: the stored graph answers as the built one")
struct IndirectStoredGraphTests {
    @Test("stored, read back, searched: the same readers and chains (randomized)", arguments: 1...30 as ClosedRange<UInt64>)
    func storedGraphAnswersTheSame(seed: UInt64) throws {
        let dump = IndirectMergeTests.randomCluster(seed: seed)
        let derived = AccessIndexer.compute(dump)
        let whoCan = WhoCan(derived: derived)
        let built = IndirectPaths(snapshot: dump, whoCan: whoCan)
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "s", with: dump, source: "test", derived: derived, indirect: built.record)
        let record = try #require(try store.loadIndirect(snapshot: "s"))
        #expect(record == built.record)
        let read = IndirectPaths(record: record, whoCan: WhoCan(derived: try #require(try store.loadDerived(snapshot: "s"))))
        for namespace in ["a", "b", "c"] {
            for name in [nil, "key-0", "key-1", "key-2"] as [String?] {
                let direct = name.map { whoCan.subjects(verb: .get, namespace: namespace, secretName: $0) }
                    ?? whoCan.namespaceReaders(verb: .get, namespace: namespace).subjects
                #expect(read.indirectReaders(namespace: namespace, secretName: name, direct: direct)
                    == built.indirectReaders(namespace: namespace, secretName: name, direct: direct))
            }
        }
    }
}
