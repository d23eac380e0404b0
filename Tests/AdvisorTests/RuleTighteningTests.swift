import Advisor
import KubeModel
import RBAC
import Testing

/// Each rewrite of RuleTightening, case by case: given this rule, this is what stays.
@Suite struct RuleTighteningTests {
    @Test("A rule naming keys loses those names; its other resources keep them")
    func removesKeyNames() {
        let tightened = RuleTightening.tightened(rule(["get"], [""], ["secrets", "configmaps"], names: ["app-tls", "db"]),
                                                 keys: ["app-tls"], otherSecrets: ["db"])
        #expect(tightened == [rule(["get"], [""], ["secrets", "configmaps"], names: ["db"]),
                              rule(["get"], [""], ["configmaps"], names: ["app-tls"])])
    }

    @Test("A rule naming only keys of secrets only is removed: an empty list would mean every name")
    func removesRuleWhenNoNameIsLeft() {
        #expect(RuleTightening.tightened(rule(["get"], names: ["app-tls"]), keys: ["app-tls"], otherSecrets: ["db"]).isEmpty)
    }

    @Test("A rule without names is split: other resources as before, secrets by name for the secrets without keys")
    func splitsUnnamedRule() {
        let tightened = RuleTightening.tightened(rule(["get", "list"], [""], ["secrets", "pods"]), keys: ["app-tls"],
                                                 otherSecrets: ["db", "smtp"])
        #expect(tightened == [rule(["get", "list"], [""], ["pods"]), rule(["get", "list"], names: ["db", "smtp"])])
    }

    @Test("A `*` resource of the core group becomes every core resource but secrets")
    func expandsCoreWildcard() {
        let parts = RuleTightening.excludingCoreSecrets(rule(["get"], ["", "apps"], ["*"]))
        #expect(parts.first == rule(["get"], ["apps"], ["*"]))
        #expect(parts.last?.apiGroups == [""])
        #expect(parts.last?.resources.contains("pods/log") == true)
        #expect(parts.last?.resources.contains("secrets") == false)
    }

    @Test("`*` on `*` is left for review, unchanged")
    func wildcardOnWildcardIsReview() {
        let admin = rule(["*"], ["*"], ["*"])
        #expect(RuleTightening.needsReview(admin))
        #expect(RuleTightening.tightened(admin, keys: ["k"], otherSecrets: []) == [admin])
    }

    @Test("A rule that reads no key in scope is kept as it is")
    func keepsHarmlessRules() {
        let named = rule(["get"], names: ["db"])
        #expect(RuleTightening.tightened(named, keys: ["app-tls"], otherSecrets: ["db"]) == [named])
        let unnamed = rule(["get"])
        #expect(RuleTightening.tightened(unnamed, keys: [], otherSecrets: ["db"]) == [unnamed])
        let writeOnly = rule(["create"])
        #expect(RuleTightening.tightened(writeOnly, keys: ["app-tls"], otherSecrets: ["db"]) == [writeOnly])
    }

    @Test("Cluster-wide: a name that is a key somewhere leaves the cluster rule and is named where it is harmless")
    func clusterWideNames() {
        let (cluster, byNamespace) = RuleTightening.tightenedClusterWide(
            rule(["get"], names: ["tls", "db"]), keysByNamespace: ["a": ["tls"]],
            otherSecretsByNamespace: ["a": ["db"], "b": ["db", "tls"]])
        #expect(cluster == [rule(["get"], names: ["db"])])
        #expect(byNamespace == ["b": [rule(["get"], names: ["tls"])]])
    }

    @Test("Finding ids are made of the grant's names")
    func findingIDs() {
        let grant = SecretGrant(verb: "get", namespace: "production", secretName: nil,
                                principal: .user("system:serviceaccount:production:default"),
                                subject: serviceAccountSubject("default", namespace: "production"),
                                binding: ObjectRef(kind: "RoleBinding", namespace: "production", name: "read-secrets"),
                                role: ObjectRef(kind: "Role", namespace: "production", name: "secret-reader"), ruleIndex: 0)
        #expect(findingID(for: grant) == "RoleBinding/production/read-secrets#0/ServiceAccount/production/default")
    }
}
