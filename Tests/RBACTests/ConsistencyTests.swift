import KubeModel
import Store
import TestSupport
import Testing
@testable import RBAC

/// Random small snapshots drawn from values that exercise every rule: odd
/// cases, wildcards, resourceNames, missing roles, wrong kinds, SA subjects
/// with and without namespace, the special groups, aggregation, pods on nodes,
/// and names spelled two ways that Swift's `==` calls equal but the API
/// server does not (``precomposed``/``decomposed``, KELVIN SIGN/`K`).
struct RandomSnapshotMaker {
    var random: SeededGenerator
    let namespaces = ["a", "b", precomposed, decomposed]
    let secretNames = ["s1", "s2", "s3", precomposed, decomposed]

    mutating func pick<T>(_ values: [T]) -> T { values.randomElement(using: &random)! }
    mutating func some<T>(_ values: [T], max: Int = 3) -> [T] {
        (0..<Int.random(in: 0...max, using: &random)).map { _ in pick(values) }
    }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }

    mutating func policyRule() -> PolicyRule {
        PolicyRule(verbs: some(["get", "list", "watch", "*", "GET", "delete", "create", kelvin]),
                   apiGroups: some(["", "*", "apps"]),
                   resources: some(["secrets", "*", "Secrets", "pods", "secrets/status", "*/status"]),
                   resourceNames: chance(0.35) ? some(secretNames + [""], max: 2) : [])
    }

    mutating func subject() -> Subject {
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            return userSubject(pick(["alice", "bob", "*", "system:serviceaccount:a:web", "system:anonymous",
                                     "system:node:n1", "system:serviceaccount:b:", precomposed, decomposed,
                                     "system:node:" + precomposed]))
        case 1:
            return groupSubject(pick(["devs", "system:serviceaccounts", "system:serviceaccounts:a",
                                      "system:authenticated", "system:masters", "system:nodes",
                                      "system:unauthenticated", "K", kelvin]))
        case 2:
            return serviceAccountSubject(pick(["web", "db", precomposed, decomposed]),
                                         namespace: pick(["", "a", "b", precomposed, decomposed]))
        default:
            return Subject(kind: pick(["user", "group", "Other"]), name: pick(["alice", "devs"]))
        }
    }

    mutating func make() -> ClusterSnapshot {
        var roles: [Role] = []
        for index in 0..<Int.random(in: 1...4, using: &random) {
            let labels: [String: String] = chance(0.5) ? ["tier": pick(["gold", "silver", "K", kelvin])] : [:]
            var selectors: [LabelSelector]? = nil
            if chance(0.3) {
                selectors = [pick([LabelSelector(), LabelSelector(matchLabels: ["tier": "gold"]),
                                   LabelSelector(matchLabels: ["tier": "K"]),
                                   LabelSelector(matchExpressions: [LabelSelectorRequirement(
                                       key: "tier", operator: pick(["In", "NotIn", "Exists", "DoesNotExist", "Bad"]),
                                       values: chance(0.7) ? ["silver"] : [])])])]
            }
            roles.append(clusterRole(pick(["c\(index)", precomposed, decomposed]),
                                     (0..<Int.random(in: 0...3, using: &random)).map { _ in policyRule() },
                                     labels: labels, aggregating: selectors))
        }
        for index in 0..<Int.random(in: 0...3, using: &random) {
            roles.append(role(pick(namespaces), "r\(index)", (0..<Int.random(in: 1...3, using: &random)).map { _ in policyRule() }))
        }
        var bindings: [RoleBinding] = []
        for index in 0..<Int.random(in: 1...5, using: &random) {
            let roleKind = pick(["ClusterRole", "ClusterRole", "Role", "clusterrole"])
            let roleName = pick(["c0", "c1", "c2", "r0", "r1", "missing", precomposed, decomposed])
            let subjects = (0..<Int.random(in: 0...3, using: &random)).map { _ in subject() }
            if chance(0.4) {
                bindings.append(clusterBinding("crb\(index)", roleKind, roleName: roleName, subjects))
            } else {
                bindings.append(binding(pick(namespaces), "rb\(index)", roleKind, roleName, subjects))
            }
        }
        var pods: [Pod] = []
        for index in 0..<Int.random(in: 0...3, using: &random) {
            let references = some(secretNames, max: 2).map {
                PodSecretReference(name: $0, source: pick(PodSecretReference.Source.allCases))
            }
            pods.append(pod(pick(namespaces), "p\(index)", node: pick(["", "n1", "n2", precomposed, decomposed]), mirror: chance(0.2),
                            secrets: references))
        }
        let serviceAccounts = some(["web", "db", "ops", precomposed, decomposed], max: 2).map {
            ServiceAccount(meta: ObjectMeta(name: $0, namespace: pick(namespaces)))
        }
        return snapshot(roles: roles, bindings: bindings, pods: pods, serviceAccounts: serviceAccounts,
                        nodes: chance(0.5) ? [Node(meta: ObjectMeta(name: "n3"))] : [])
    }
}

@Test("Derived tables equal the authorizer: for every identity, secret (existing or not), verb and scope")
func derivedTablesEqualAuthorizer() {
    var maker = RandomSnapshotMaker(random: SeededGenerator(seed: 20_261_129))
    var comparisons = 0
    var allowedCount = 0
    for round in 0..<400 {
        let dump = maker.make()
        let authorizer = Authorizer(snapshot: dump)
        let derived = AccessIndexer.compute(dump)
        let whoCan = WhoCan(derived: derived)
        for verb in SecretReadVerb.allCases {
            for namespace in ["a", "b", precomposed, decomposed, ""] {
                for name in ["s1", "s2", "s4", precomposed, decomposed, nil] as [String?] {
                    let answer = whoCan.subjects(verb: verb, namespace: namespace, secretName: name)
                    let byIdentity = Dictionary(uniqueKeysWithValues: answer.map { (IdentityKey($0.identity), $0.via) })
                    for identity in derived.identities {
                        let decision = authorizer.authorize(.secret(verb.rawValue, namespace: namespace, name: name ?? "",
                                                                    user: UserInfo(identity)))
                        let via = byIdentity[IdentityKey(identity)]
                        comparisons += 1
                        if decision.allowed { allowedCount += 1 }
                        #expect(decision.allowed == (via != nil),
                                "round \(round): \(identity.kind) \(identity.name) \(verb) \(namespace)/\(name ?? "-")")
                        // Superusers are reported by their superuser path only; everyone else by every path.
                        if let via, !identity.groups.contains(WellKnown.mastersGroup) {
                            #expect(via == decision.paths, "round \(round): \(identity.kind) \(identity.name)")
                        }
                    }
                }
            }
        }
    }
    // The generator must reach both answers often, or the comparison proves little.
    #expect(comparisons > 50_000)
    #expect(allowedCount > comparisons / 20 && allowedCount < comparisons / 2)
}

@Test("Bindings and pods listed twice (overlapping dump files) add no derived row, and rows keep their order")
func repeatedObjectsAddNoRows() {
    var maker = RandomSnapshotMaker(random: SeededGenerator(seed: 77))
    for round in 0..<200 {
        let dump = maker.make()
        var twice = dump
        twice.bindings = dump.bindings + dump.bindings.reversed()
        twice.pods = dump.pods + dump.pods.reversed()
        let derived = AccessIndexer.compute(dump)
        let derivedTwice = AccessIndexer.compute(twice)
        #expect(derivedTwice.grants.count == derived.grants.count
                && zip(derivedTwice.grants, derived.grants).allSatisfy { compareBytes($0, $1) == .same }, "round \(round)")
        #expect(derivedTwice.nodeGrants.count == derived.nodeGrants.count
                && zip(derivedTwice.nodeGrants, derived.nodeGrants).allSatisfy { compareBytes($0, $1) == .same },
                "round \(round)")
        // Distinct as bytes (a Set of the records would merge spellings Swift calls equal).
        #expect(zip(derived.grants, derived.grants.dropFirst()).allSatisfy { compareBytes($0, $1) == .before },
                "round \(round)")
        let nodeGrants = derived.nodeGrants.sorted { compareBytes($0, $1) == .before }
        #expect(zip(nodeGrants, nodeGrants.dropFirst()).allSatisfy { compareBytes($0, $1) != .same }, "round \(round)")
    }
}

@Test("subjectsForSecrets answers each name exactly as subjects does")
func batchAnswersEqualSingleAnswers() {
    var maker = RandomSnapshotMaker(random: SeededGenerator(seed: 99))
    var nonEmpty = 0
    for round in 0..<400 {
        let whoCan = WhoCan(derived: AccessIndexer.compute(maker.make()))
        let names = ["s1", "s2", "s4", precomposed, decomposed, ""]
        for verb in SecretReadVerb.allCases {
            for namespace in ["a", "b", precomposed, decomposed, ""] {
                let batch = whoCan.subjectsForSecrets(verb: verb, namespace: namespace, names: names)
                for (name, answer) in zip(names, batch) {
                    if answer.count > 1 { nonEmpty += 1 }
                    #expect(answer == whoCan.subjects(verb: verb, namespace: namespace, secretName: name),
                            "round \(round): \(verb) \(namespace)/\(name)")
                }
            }
        }
    }
    // Answers beyond the superusers alone, or the comparison proves little.
    #expect(nonEmpty > 300)
}

@Test("The namespace answer is can-i with an empty name for every identity; with byName it is every secret's answer")
func namespaceAnswersEqualTheAuthorizer() {
    var maker = RandomSnapshotMaker(random: SeededGenerator(seed: 2_026_1201))
    var byNameEntries = 0
    var allowed = 0
    for round in 0..<300 {
        let dump = maker.make()
        let authorizer = Authorizer(snapshot: dump)
        let derived = AccessIndexer.compute(dump)
        let whoCan = WhoCan(derived: derived)
        for verb in SecretReadVerb.allCases {
            for namespace in ["a", "b", precomposed, decomposed, "no-secrets-here"] {
                let readers = whoCan.namespaceReaders(verb: verb, namespace: namespace)
                let collection = Set(readers.subjects.map { IdentityKey($0.identity) })
                let withoutName = Set(readers.readers(of: "").map { IdentityKey($0.identity) })
                // Without a name: exactly the identities the API server allows (subjects, and
                // byName[""] for rules that name "" in resourceNames).
                for identity in derived.identities {
                    let decision = authorizer.authorize(.secret(verb.rawValue, namespace: namespace, name: "",
                                                                user: UserInfo(identity)))
                    if decision.allowed { allowed += 1 }
                    #expect(decision.allowed == withoutName.contains(IdentityKey(identity)),
                            "round \(round): \(identity.kind) \(identity.name) \(verb) \(namespace)")
                }
                // byName holds only identities outside the collection, and adds up to each name's answer.
                byNameEntries += readers.byName.count
                for (name, subjects) in readers.byName {
                    #expect(subjects.allSatisfy { !collection.contains(IdentityKey($0.identity)) }, "round \(round)")
                    #expect(!subjects.isEmpty, "round \(round): \(name)")
                }
                // Each secret's readers are subjects plus byName[its name]: the same identities,
                // each path one the per-secret answer gives too (an identity of the collection is
                // not repeated by name, so its by-name paths are left out).
                for name in ["s1", "s2", "s3", "s4", precomposed, decomposed] {
                    let perSecret = whoCan.subjects(verb: verb, namespace: namespace, secretName: name)
                    let combined = readers.readers(of: name)
                    #expect(combined.map { IdentityKey($0.identity) } == perSecret.map { IdentityKey($0.identity) },
                            "round \(round): \(verb) \(namespace)/\(name)")
                    for (mine, theirs) in zip(combined, perSecret) {
                        #expect(Set(mine.via).isSubset(of: Set(theirs.via)), "round \(round): \(verb) \(namespace)/\(name)")
                    }
                }
            }
        }
    }
    #expect(byNameEntries > 100)
    #expect(allowed > 1_000)
}
