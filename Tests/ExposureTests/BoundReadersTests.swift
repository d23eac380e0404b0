import KubeModel
import RBAC
import Testing
@testable import Exposure

/// Readers as bound are the same access as who-can's expansion, grouped by
/// binding subject: a key's readers, with the members of each Group reader,
/// are exactly the identities who-can allows over get, list and watch.
@Suite("exposure readers as bound")
struct BoundReadersTests {
    /// A random cluster: namespaces with service accounts, pods and TLS keys;
    /// bindings of secret-reading roles (get, list, watch, list only, named)
    /// to users, groups (system:authenticated, system:serviceaccounts, a
    /// namespace's accounts, a team), service accounts (also spelled as users)
    /// and a pod mounting a key (the node authorizer).
    static func randomCluster(seed: UInt64) -> ClusterSnapshot {
        var random = SeededRandom(seed: seed)
        var dump = ClusterSnapshot()
        let namespaces = (0..<4).map { "ns\($0)" }
        dump.roles = [
            secretReaderRole("getter", verbs: ["get"]), secretReaderRole("lister", verbs: ["list"]),
            secretReaderRole("reader", verbs: ["get", "list", "watch"]),
            Role(meta: ObjectMeta(name: "named"), rules: [PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["secrets"],
                                                                     resourceNames: ["tls-0"])]),
        ]
        for namespace in namespaces {
            for account in ["default", "api", "worker"] {
                dump.serviceAccounts.append(ServiceAccount(meta: ObjectMeta(name: account, namespace: namespace)))
            }
            for index in 0..<2 {
                dump.secrets.append(secret(namespace, "tls-\(index)", type: "kubernetes.io/tls"))
            }
            dump.pods.append(Pod(meta: ObjectMeta(name: "api-0", namespace: namespace),
                                 spec: PodSpec(serviceAccountName: "api", nodeName: "node-\(random.next(4))",
                                               secretReferences: [PodSecretReference(name: "tls-1", source: .volume)])))
        }
        let subjects: [(String) -> Subject] = [
            { _ in Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "system:authenticated") },
            { _ in Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "system:serviceaccounts") },
            { ns in Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "system:serviceaccounts:\(ns)") },
            { _ in Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "team-a") },
            { _ in Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "jane") },
            { ns in Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "system:serviceaccount:\(ns):worker") },
            { ns in serviceAccountSubject(ns, "default") },
            { ns in serviceAccountSubject(ns, "api") },
        ]
        let roles = ["getter", "lister", "reader", "named"]
        for index in 0..<6 {
            let namespace = namespaces[random.next(namespaces.count)]
            let clusterWide = random.next(3) == 0
            dump.bindings.append(binding("b\(index)", namespace: clusterWide ? "" : namespace,
                                         role: RoleRef(kind: "ClusterRole", name: roles[random.next(roles.count)]),
                                         [subjects[random.next(subjects.count)](namespace), subjects[random.next(subjects.count)](namespace)]))
        }
        return dump
    }

    @Test("readers and the members of group readers are who-can's identities, for every key (randomized)",
          arguments: 1...40 as ClosedRange<UInt64>)
    func sameAccessAsWhoCan(seed: UInt64) throws {
        let dump = Self.randomCluster(seed: seed)
        let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
        let exposures = ExposureAnalysis.analyze(snapshot: dump, whoCan: whoCan, expectedHolders: ExpectedHolders(), listMembers: true)
        #expect(exposures.count == dump.secrets.count)
        for exposure in exposures {
            let secret = exposure.key.secret
            var expanded = Set<String>()
            for verb in SecretReadVerb.allCases {
                for subject in whoCan.subjects(verb: verb, namespace: secret.namespace, secretName: secret.name) {
                    expanded.insert(label(subject.identity))
                }
            }
            var bound = Set<String>()
            for reader in exposure.readers + exposure.expected {
                bound.insert(label(reader.identity))
                for member in reader.members { bound.insert(label(member)) }
                #expect((reader.identity.kind == "Group") == (reader.memberCount != nil))
                #expect(reader.memberCount.map { $0 == reader.members.count } ?? true)
            }
            #expect(bound == expanded, "seed \(seed), \(secret.namespace)/\(secret.name)")
            // Each reader once.
            let readers = (exposure.readers + exposure.expected).map { label($0.identity) }
            #expect(Set(readers).count == readers.count)
        }
    }

    /// Each key starts from the readers every key shares (gathered once) and
    /// adds its own paths: the result must be what gathering all its paths at
    /// once gives, every (path, verb) the engine allows once, in order.
    @Test("a key's readers from the shared gathering plus its own paths are all its paths, in order (randomized)",
          arguments: 1...40 as ClosedRange<UInt64>)
    func sharedPlusOwnPaths(seed: UInt64) throws {
        let dump = Self.randomCluster(seed: seed)
        let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
        for listMembers in [false, true] {
            let analysis = ExposureAnalysis(snapshot: dump, whoCan: whoCan, expectedHolders: ExpectedHolders(), listMembers: listMembers)
            let naming = ReaderNaming(whoCan.derived, listMembers: listMembers)
            let secrets = dump.secrets.map { ObjectRef(kind: "Secret", namespace: $0.meta.namespace, name: $0.meta.name) }
                + [ObjectRef(kind: "Secret", namespace: "ns0", name: "not-in-the-dump")]
            for secret in secrets {
                let readers = analysis.readers(of: secret)
                var atOnce = ReaderGathering()
                var allowed = Set<PathVerb>()
                for verb in SecretReadVerb.allCases {
                    for bound in whoCan.boundPaths(verb: verb, namespace: secret.namespace, secretName: secret.name) {
                        naming.add(bound, verb: verb, to: &atOnce)
                        allowed.insert(PathVerb(path: bound.path, verb: verb))
                    }
                }
                atOnce.sort()
                #expect(readers == atOnce.readers, "seed \(seed), \(secret.qualifiedName)")
                var listed: [PathVerb] = []
                for reader in readers {
                    #expect(reader.verbs == Array(Set(reader.verbs)).sorted())
                    #expect(reader.via == reader.via.sorted() && Set(reader.via).count == reader.via.count)
                    #expect(Set(reader.verbs) == Set(reader.verbsByPath.flatMap { $0 }))
                    for (path, verbs) in zip(reader.via, reader.verbsByPath) {
                        #expect(verbs == Array(Set(verbs)).sorted())
                        listed += verbs.map { PathVerb(path: path, verb: $0) }
                    }
                }
                #expect(readers.map(\.identity.ref) == readers.map(\.identity.ref).sorted())
                #expect(Set(listed) == allowed && listed.count == allowed.count, "seed \(seed), \(secret.qualifiedName)")
            }
        }
    }

    private struct PathVerb: Hashable {
        var path: AccessPath
        var verb: SecretReadVerb
    }

    @Test("a grant to system:authenticated is one reader however many accounts it reaches; its workloads are counted")
    func oneGroupManyAccounts() throws {
        var dump = ClusterSnapshot()
        dump.secrets = [secret("shop", "shop-tls", type: "kubernetes.io/tls")]
        dump.roles = [secretReaderRole("lister", verbs: ["list"])]
        dump.bindings = [binding("everyone", namespace: "shop", role: RoleRef(kind: "ClusterRole", name: "lister"),
                                 [Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "system:authenticated")])]
        for n in 0..<50 {
            dump.serviceAccounts.append(ServiceAccount(meta: ObjectMeta(name: "default", namespace: "ns\(n)")))
            for p in 0..<10 {
                dump.pods.append(Pod(meta: ObjectMeta(name: "web-\(p)", namespace: "ns\(n)",
                                                     ownerReferences: [OwnerReference(kind: "ReplicaSet", name: "web-1", controller: true)]),
                                     spec: PodSpec()))
            }
        }
        let key = try #require(analyze(dump).first)
        #expect(labels(key.readers) == ["Group system:authenticated"])
        let group = key.readers[0]
        #expect(group.memberCount == 50)
        #expect(group.members.isEmpty)  // counted, not listed, unless asked
        #expect(group.workloadCount == WorkloadCount(pods: 500, controllers: 50, namespaces: 50))
        #expect(key.workloads.isEmpty)  // a group's workloads are counted on it, not listed per key
        #expect(key.severity == .critical)
    }
}

/// A tiny seeded generator, so a failing seed can be run again.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
