import KubeModel
import Testing
@testable import RBAC

// Issue 16: names compare as bytes, as Go compares them. Each test writes a
// name in one spelling and asks in the other; Swift's `==` calls the two
// equal, the API server does not, and neither may keyreach.

/// "café" with U+00E9 (63 61 66 c3 a9).
let precomposed = "caf\u{E9}"
/// "café" as e + U+0301 COMBINING ACUTE ACCENT (63 61 66 65 cc 81).
let decomposed = "cafe\u{301}"
/// U+212A KELVIN SIGN: Swift's `==` calls it equal to the ASCII letter K.
let kelvin = "\u{212A}"

/// Both spellings against each other (neither matches the other) and each
/// against itself (the same bytes match).
let spellingPairs: [(rule: String, request: String, matches: Bool)] = [
    (precomposed, decomposed, false), (decomposed, precomposed, false),
    ("K", kelvin, false), (kelvin, "K", false),
    (precomposed, precomposed, true), (decomposed, decomposed, true), (kelvin, kelvin, true),
]

@Suite struct ByteComparisonTests {
    @Test func theSpellingsAreEqualToSwiftButNotAsBytes() {
        // The premise: if Swift told them apart, these tests would prove nothing.
        #expect(precomposed == decomposed)
        #expect(kelvin == "K")
        #expect(!sameBytes(precomposed, decomposed))
        #expect(!sameBytes(kelvin, "K"))
        #expect(Set([ByteString(precomposed), ByteString(decomposed), ByteString(kelvin), ByteString("K")]).count == 4)
        // Byte order: e (65) before c3; K (4b) before e2.
        #expect(bytesPrecede(decomposed, precomposed) && !bytesPrecede(precomposed, decomposed))
        #expect(["K", kelvin, precomposed, decomposed].map(ByteString.init).sorted().map(\.string)
            .map { Array($0.utf8) } == ["K", decomposed, precomposed, kelvin].map { Array($0.utf8) })
    }

    @Test func objectsPrincipalsAndIdentitiesOrderAndMatchByBytes() {
        let one = ObjectRef(kind: "Secret", namespace: "shop", name: decomposed)
        let other = ObjectRef(kind: "Secret", namespace: "shop", name: precomposed)
        #expect(one < other && !(other < one))  // e (65) before c3, as Go's sort puts them
        #expect(Principal.user(precomposed) != Principal.user(decomposed))
        #expect(Set([Principal.group(precomposed), Principal.group(decomposed)]).count == 2)
        let identity = { (name: String) in KnownIdentity(kind: "User", name: name, username: name, groups: []) }
        #expect(IdentityKey(identity(precomposed)) != IdentityKey(identity(decomposed)))
        #expect(identity(decomposed).ref < identity(precomposed).ref)
    }

    @Test("helpers split and prefix by bytes, as strings.Split and strings.HasPrefix do")
    func bytePrefixAndSplit() {
        // ":\u{301}" is one Swift character, but its first byte is a colon.
        #expect(splitBytes("a:\u{301}b", at: ":").map { Array($0.utf8) } == [Array("a".utf8), Array("\u{301}b".utf8)])
        #expect(hasBytePrefix("e\u{301}x", "e"))
        #expect(!"e\u{301}x".hasPrefix("e"))
        #expect(Array(droppingBytes("system:node:\u{301}n", 12).utf8) == Array("\u{301}n".utf8))
    }

    // MARK: RuleMatching

    @Test(arguments: 0..<spellingPairs.count)
    func verbsGroupsResourcesAndNamesMatchByBytes(pair: Int) {
        let (ruleName, requested, matches) = spellingPairs[pair]
        #expect(verbMatches(PolicyRule(verbs: [ruleName]), requested) == matches)
        #expect(apiGroupMatches(PolicyRule(verbs: ["get"], apiGroups: [ruleName]), requested) == matches)
        #expect(resourceMatches(PolicyRule(verbs: ["get"], resources: [ruleName]), resource: requested, subresource: "")
                == matches)
        #expect(resourceMatches(PolicyRule(verbs: ["get"], resources: ["pods/" + ruleName]),
                                resource: "pods", subresource: requested) == matches)
        #expect(resourceMatches(PolicyRule(verbs: ["get"], resources: ["*/" + ruleName]),
                                resource: "pods", subresource: requested) == matches)
        #expect(resourceNameMatches(rule(["get"], names: [ruleName]), requested) == matches)
        #expect(nonResourceURLMatches(PolicyRule(verbs: ["get"], nonResourceURLs: ["/" + ruleName]), "/" + requested)
                == matches)
        #expect(nonResourceURLMatches(PolicyRule(verbs: ["get"], nonResourceURLs: ["/" + ruleName + "/*"]),
                                      "/" + requested + "/x") == matches)
    }

    @Test("a * suffix is a byte prefix: /e* covers /e\u{301}, as strings.HasPrefix does")
    func nonResourceStarIsABytePrefix() {
        let rule = PolicyRule(verbs: ["get"], nonResourceURLs: ["/e*"])
        #expect(nonResourceURLMatches(rule, "/e\u{301}"))
        #expect(!nonResourceURLMatches(rule, "/\u{E9}"))
    }

    // MARK: SubjectMatching

    @Test(arguments: 0..<spellingPairs.count)
    func subjectsMatchUserGroupAndServiceAccountNamesByBytes(pair: Int) {
        let (bound, asked, matches) = spellingPairs[pair]
        let asUser = UserInfo(name: asked, groups: [asked])
        #expect((subjectApplies(userSubject(bound), bindingNamespace: "ns", to: asUser) != nil) == matches)
        #expect((subjectApplies(groupSubject(bound), bindingNamespace: "ns", to: asUser) != nil) == matches)
        #expect((subjectApplies(serviceAccountSubject(bound, namespace: "ns"), bindingNamespace: "ns",
                                to: serviceAccountUser("ns", asked)) != nil) == matches)
        #expect((subjectApplies(serviceAccountSubject("web", namespace: bound), bindingNamespace: "ns",
                                to: serviceAccountUser(asked, "web")) != nil) == matches)
        // The same, end to end through the authorizer.
        let dump = snapshot(roles: [clusterRole("reader", [readSecrets])],
                            bindings: [clusterBinding("b", roleName: "reader", [userSubject(bound), groupSubject(bound)])])
        #expect(allows(dump, user(asked), "get", namespace: "ns") == matches)
        #expect(allows(dump, user("jane", [asked]), "get", namespace: "ns") == matches)
    }

    // MARK: EffectiveRoles

    @Test(arguments: 0..<spellingPairs.count)
    func roleRefsFindRolesAndNamespacesByBytes(pair: Int) {
        let (roleName, referenced, matches) = spellingPairs[pair]
        let dump = snapshot(roles: [clusterRole(roleName, [readSecrets]), role("ns", roleName, [readSecrets])],
                            bindings: [clusterBinding("crb", roleName: referenced, [userSubject("alice")]),
                                       binding("ns", "rb", "Role", referenced, [userSubject("bob")])])
        #expect(allows(dump, user("alice"), "get", namespace: "ns") == matches)
        #expect(allows(dump, user("bob"), "get", namespace: "ns") == matches)
        // A RoleBinding in a namespace spelled the other way is another namespace.
        let namespaced = snapshot(roles: [role(roleName, "r", [readSecrets])],
                                  bindings: [binding(roleName, "rb", "Role", "r", [userSubject("bob")])])
        #expect(allows(namespaced, user("bob"), "get", namespace: referenced) == matches)
    }

    @Test func rolesNamedBothWaysAreTwoRoles() {
        let roles = EffectiveRoles([clusterRole(precomposed, [rule(["get"])]), clusterRole(decomposed, [rule(["list"])])])
        #expect(roles.clusterRoles.count == 2)
        #expect(roles.clusterRole(named: precomposed)?.rules == [rule(["get"])])
        #expect(roles.clusterRole(named: decomposed)?.rules == [rule(["list"])])
    }

    // MARK: LabelSelectorMatching (aggregation)

    @Test("aggregation selects labels by bytes: a KELVIN SIGN value or key is not K")
    func aggregationLabelsCompareAsBytes() {
        let source = rule(["get"])
        func aggregated(labels: [String: String], _ selector: LabelSelector) -> [PolicyRule] {
            EffectiveRoles([clusterRole("agg", [], aggregating: [selector]),
                            clusterRole("source", [source], labels: labels)]).clusterRole(named: "agg")!.rules
        }
        let inK = LabelSelector(matchLabels: ["tier": "K"])
        #expect(aggregated(labels: ["tier": "K"], inK) == [source])
        #expect(aggregated(labels: ["tier": kelvin], inK).isEmpty)
        let keyK = LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "K", operator: "Exists")])
        #expect(aggregated(labels: ["K": "x"], keyK) == [source])
        #expect(aggregated(labels: [kelvin: "x"], keyK).isEmpty)
        // NotIn holds for a value that only Swift calls equal.
        let notInK = LabelSelector(matchExpressions: [LabelSelectorRequirement(key: "tier", operator: "NotIn", values: ["K"])])
        #expect(aggregated(labels: ["tier": kelvin], notInK) == [source])
        #expect(aggregated(labels: ["tier": "K"], notInK).isEmpty)
    }

    @Test("aggregation adds a rule spelled the other way: it is not an equal rule")
    func aggregationKeepsRulesThatDifferInBytes() {
        let mine = rule(["get"], names: [precomposed])
        let theirs = rule(["get"], names: [decomposed])
        let roles = EffectiveRoles([clusterRole("agg", [mine], aggregating: [LabelSelector(matchLabels: ["a": "b"])]),
                                    clusterRole("source", [theirs], labels: ["a": "b"])])
        let rules = roles.clusterRole(named: "agg")!.rules
        #expect(rules.count == 2)
        #expect(rules.map { Array($0.resourceNames[0].utf8) } == [Array(precomposed.utf8), Array(decomposed.utf8)])
    }

    // MARK: NodeAuthorization

    @Test(arguments: 0..<spellingPairs.count)
    func nodeReadsOnlySecretsOfItsOwnNodeNameByBytes(pair: Int) {
        let (written, asked, matches) = spellingPairs[pair]
        let onNode = snapshot(pods: [pod("ns", "p", node: written, secrets: [PodSecretReference(name: "s", source: .volume)])])
        #expect(allows(onNode, nodeUser(asked), "get", namespace: "ns", name: "s") == matches)
        let namingSecret = snapshot(pods: [pod("ns", "p", node: "n1", secrets: [PodSecretReference(name: written, source: .volume)])])
        #expect(allows(namingSecret, nodeUser("n1"), "get", namespace: "ns", name: asked) == matches)
        let inNamespace = snapshot(pods: [pod(written, "p", node: "n1", secrets: [PodSecretReference(name: "s", source: .volume)])])
        #expect(allows(inNamespace, nodeUser("n1"), "get", namespace: asked, name: "s") == matches)
    }

    @Test("system:node: is a byte prefix; the node's name may start with a combining mark")
    func nodeUserPrefixIsBytes() throws {
        let name = try #require(nodeName(of: nodeUser("\u{301}n")))
        #expect(Array(name.utf8) == Array("\u{301}n".utf8))
    }

    @Test("pods named both ways on one node are two pods, each with its grant")
    func podsNamedBothWaysAreTwoPods() {
        let reference = [PodSecretReference(name: "s", source: .volume)]
        let grants = nodeSecretGrants(pods: [pod("ns", precomposed, node: "n1", secrets: reference),
                                             pod("ns", decomposed, node: "n1", secrets: reference)])
        #expect(grants.map { Array($0.pod.name.utf8) } == [Array(precomposed.utf8), Array(decomposed.utf8)])
    }

    // MARK: Impersonation

    @Test("a service account user name splits at colon bytes, as serviceaccount.SplitUsername does")
    func serviceAccountUserNameSplitsAtBytes() throws {
        let split = try #require(WellKnown.splitServiceAccountUsername("system:serviceaccount:ns:\u{301}web"))
        #expect(split.namespace == "ns")
        #expect(Array(split.name.utf8) == Array("\u{301}web".utf8))
        let user = Impersonation.userInfo(as: "system:serviceaccount:ns:\u{301}web", groups: [])
        #expect(user.groups == ["system:serviceaccounts", "system:serviceaccounts:ns", "system:authenticated"])
    }

    // MARK: Authorizer, AccessIndexer, WhoCan

    /// Two RoleBindings of one Role in one namespace, named both ways, each to
    /// the service account and the user of its own spelling.
    var twoSpellings: ClusterSnapshot {
        snapshot(roles: [role("ns", "reader", [readSecrets, rule(["get"], names: [precomposed])])],
                 bindings: [binding("ns", precomposed, "Role", "reader", [serviceAccountSubject(precomposed), userSubject(precomposed)]),
                            binding("ns", decomposed, "Role", "reader", [serviceAccountSubject(decomposed)])],
                 serviceAccounts: [ServiceAccount(meta: ObjectMeta(name: precomposed, namespace: "ns")),
                                   ServiceAccount(meta: ObjectMeta(name: decomposed, namespace: "ns"))])
    }

    @Test func identitiesNamedBothWaysAreTwoIdentitiesInByteOrder() {
        let identities = AccessIndexer.knownIdentities(twoSpellings)
        let serviceAccounts = identities.filter { $0.kind == "ServiceAccount" }
        #expect(serviceAccounts.map { Array($0.name.utf8) } == [Array(decomposed.utf8), Array(precomposed.utf8)])
        #expect(identities.filter { $0.kind == "User" }.map { Array($0.name.utf8) } == [Array(precomposed.utf8)])
    }

    @Test func bindingsNamedBothWaysAreTwoGrantsAndTwoPaths() throws {
        let dump = twoSpellings
        let derived = AccessIndexer.compute(dump)
        let getEveryName = derived.grants.filter { $0.verb == "get" && $0.secretName == nil }
        #expect(Set(getEveryName.map { ByteString($0.binding.name) }) == [ByteString(precomposed), ByteString(decomposed)])
        // Each service account is allowed through the binding of its own spelling only.
        let authorizer = Authorizer(snapshot: dump)
        for (name, other) in [(precomposed, decomposed), (decomposed, precomposed)] {
            let decision = authorizer.authorize(.secret("get", namespace: "ns", name: "x", user: serviceAccountUser("ns", name)))
            let bindings = decision.paths.compactMap { path -> String? in
                if case let .rbac(access) = path { access.binding.name } else { nil }
            }
            #expect(bindings.map { Array($0.utf8) } == [Array(name.utf8)], "\(Array(name.utf8)) not via \(Array(other.utf8))")
        }
        // A user matching subjects of both bindings would see two paths: Decision keeps paths apart by bytes.
        let both = Decision(paths: [
            .rbac(RBACAccess(binding: ObjectRef(kind: "RoleBinding", namespace: "ns", name: precomposed),
                             role: ObjectRef(kind: "Role", namespace: "ns", name: "reader"), ruleIndex: 0,
                             subject: userSubject("u"), principal: .user("u"))),
            .rbac(RBACAccess(binding: ObjectRef(kind: "RoleBinding", namespace: "ns", name: decomposed),
                             role: ObjectRef(kind: "Role", namespace: "ns", name: "reader"), ruleIndex: 0,
                             subject: userSubject("u"), principal: .user("u"))),
        ])
        #expect(both.paths.count == 2)
        let first = try #require(both.paths.first)
        guard case let .rbac(access) = first else { Issue.record("not an RBAC path"); return }
        #expect(Array(access.binding.name.utf8) == Array(decomposed.utf8))  // byte order: 65 before c3
    }

    @Test("who-can: a resourceNames grant of one spelling answers only that spelling")
    func whoCanAnswersTheSecretNameByBytes() {
        let byName = snapshot(roles: [role("ns", "one", [rule(["get"], names: [precomposed])])],
                              bindings: [binding("ns", "rb", "Role", "one", [userSubject("alice")])])
        let named = WhoCan(derived: AccessIndexer.compute(byName))
        func aliceReads(_ name: String) -> Bool {
            named.subjects(verb: .get, namespace: "ns", secretName: name).contains { $0.identity.name == "alice" }
        }
        #expect(aliceReads(precomposed))
        #expect(!aliceReads(decomposed))
        let authorizer = Authorizer(snapshot: byName)
        #expect(authorizer.authorize(.secret("get", namespace: "ns", name: precomposed, user: user("alice"))).allowed)
        #expect(!authorizer.authorize(.secret("get", namespace: "ns", name: decomposed, user: user("alice"))).allowed)
        // namespaceReaders lists the name under its own spelling.
        let readers = named.namespaceReaders(verb: .get, namespace: "ns")
        #expect(readers.byName.map { Array($0.name.utf8) } == [Array(precomposed.utf8)])
        #expect(readers.readers(of: decomposed).allSatisfy { $0.identity.name != "alice" })
        #expect(readers.readers(of: precomposed).contains { $0.identity.name == "alice" })
    }

    @Test("who-can: namespaces and secret names spelled both ways are listed apart, in byte order")
    func whoCanListsBothSpellings() {
        let dump = snapshot(roles: [clusterRole("one", [rule(["get"], names: [precomposed, decomposed])])],
                            bindings: [binding(precomposed, "rb", "ClusterRole", "one", [userSubject("alice")]),
                                       binding(decomposed, "rb", "ClusterRole", "one", [userSubject("bob")])])
        let whoCan = WhoCan(derived: AccessIndexer.compute(dump))
        #expect(whoCan.namespacesWithGrants(verb: .get).map { Array($0.utf8) }
                == [Array(decomposed.utf8), Array(precomposed.utf8)])
        let readers = whoCan.namespaceReaders(verb: .get, namespace: precomposed)
        #expect(readers.byName.map { Array($0.name.utf8) } == [Array(decomposed.utf8), Array(precomposed.utf8)])
        #expect(readers.byName.allSatisfy { $0.subjects.map(\.identity.name) == ["alice"] })
        #expect(whoCan.subjects(verb: .get, namespace: decomposed, secretName: precomposed)
            .filter { $0.identity.kind == "User" }.map(\.identity.name) == ["bob"])
    }

    @Test("SubjectAccess and NamespaceReaders tell spellings apart")
    func answersCompareAsBytes() {
        let a = SubjectAccess(identity: AccessIndexer.userIdentity(precomposed), via: [])
        let b = SubjectAccess(identity: AccessIndexer.userIdentity(decomposed), via: [])
        #expect(a != b)
        #expect(Set([a, b]).count == 2)
        #expect(NamespaceReaders(verb: .get, namespace: precomposed, subjects: [], byName: [])
                != NamespaceReaders(verb: .get, namespace: decomposed, subjects: [], byName: []))
    }

    // MARK: RulesReview

    @Test("can-i --list keeps verbs and names spelled both ways apart")
    func rulesReviewCompactsByBytes() {
        let compacted = RulesReview.compact([rule([precomposed]), rule([decomposed]),
                                             rule(["get"], names: [precomposed]), rule(["get"], names: [decomposed])])
        #expect(compacted.count == 3)
        let everyName = compacted.filter(\.resourceNames.isEmpty)
        #expect(everyName.map { $0.verbs.map { Array($0.utf8) } } == [[Array(precomposed.utf8), Array(decomposed.utf8)]])
        let reviewed = RulesReview.rules(for: user("jane", [precomposed]), namespace: "ns", snapshot: snapshot(
            roles: [clusterRole("r", [readSecrets])],
            bindings: [clusterBinding("b", roleName: "r", [groupSubject(decomposed)])]))
        #expect(reviewed.isEmpty)
    }
}
