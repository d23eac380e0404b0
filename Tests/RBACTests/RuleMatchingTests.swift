import KubeModel
import Testing
@testable import RBAC

/// One rule against one request: the matchers of evaluation_helpers.go.
struct MatcherCase: Sendable, CustomTestStringConvertible {
    var pins: String
    var rule: PolicyRule
    var verb: String
    var group: String = ""
    var resource: String = "secrets"
    var subresource: String = ""
    var name: String = ""
    var url: String? = nil
    var expected: Bool

    var testDescription: String { "\(pins) → \(expected)" }

    var request: ResourceRequest {
        let who = UserInfo(name: "alice")
        if let url { return ResourceRequest(user: who, verb: verb, nonResourceURL: url) }
        return ResourceRequest(user: who, verb: verb, apiGroup: group, resource: resource, subresource: subresource,
                               name: name)
    }
}

let matcherCases: [MatcherCase] = [
    MatcherCase(pins: "verb * matches any verb", rule: rule(["*"]), verb: "get", expected: true),
    MatcherCase(pins: "verb * matches a custom verb", rule: rule(["*"]), verb: "impersonate", expected: true),
    MatcherCase(pins: "verb listed exactly", rule: rule(["get"]), verb: "get", expected: true),
    MatcherCase(pins: "get does not grant list", rule: rule(["get"]), verb: "list", expected: false),
    MatcherCase(pins: "verbs are case-sensitive (GET)", rule: rule(["GET"]), verb: "get", expected: false),
    MatcherCase(pins: "apiGroup * matches the core group", rule: rule(["get"], ["*"]), verb: "get", expected: true),
    MatcherCase(pins: "apiGroup * matches apps", rule: rule(["get"], ["*"], ["deployments"]), verb: "get",
                group: "apps", resource: "deployments", expected: true),
    MatcherCase(pins: "apiGroup \"\" is only the core group", rule: rule(["get"], [""], ["deployments"]), verb: "get",
                group: "apps", resource: "deployments", expected: false),
    MatcherCase(pins: "apiGroup apps does not match core secrets", rule: rule(["get"], ["apps"], ["*"]), verb: "get",
                expected: false),
    MatcherCase(pins: "apiGroup apps matches apps", rule: rule(["get"], ["apps"], ["deployments"]), verb: "get",
                group: "apps", resource: "deployments", expected: true),
    MatcherCase(pins: "no apiGroups matches nothing", rule: rule(["get"], []), verb: "get", expected: false),
    MatcherCase(pins: "resource * matches secrets", rule: rule(["get"], [""], ["*"]), verb: "get", expected: true),
    MatcherCase(pins: "resource * matches a subresource", rule: rule(["create"], [""], ["*"]), verb: "create",
                resource: "pods", subresource: "exec", expected: true),
    MatcherCase(pins: "resources are case-sensitive (Secrets)", rule: rule(["get"], [""], ["Secrets"]), verb: "get",
                expected: false),
    MatcherCase(pins: "*/scale matches deployments/scale", rule: rule(["get"], ["apps"], ["*/scale"]), verb: "get",
                group: "apps", resource: "deployments", subresource: "scale", expected: true),
    MatcherCase(pins: "*/scale does not match the bare resource", rule: rule(["get"], ["apps"], ["*/scale"]),
                verb: "get", group: "apps", resource: "deployments", expected: false),
    MatcherCase(pins: "*/scale does not match another subresource", rule: rule(["get"], ["apps"], ["*/scale"]),
                verb: "get", group: "apps", resource: "deployments", subresource: "status", expected: false),
    MatcherCase(pins: "pods/exec matches exactly that subresource", rule: rule(["create"], [""], ["pods/exec"]),
                verb: "create", resource: "pods", subresource: "exec", expected: true),
    MatcherCase(pins: "pods does not cover pods/exec", rule: rule(["create"], [""], ["pods"]), verb: "create",
                resource: "pods", subresource: "exec", expected: false),
    MatcherCase(pins: "secrets does not cover secrets/status", rule: rule(["get"]), verb: "get",
                subresource: "status", expected: false),
    MatcherCase(pins: "resourceNames: get of a listed name", rule: rule(["get"], names: ["tls"]), verb: "get",
                name: "tls", expected: true),
    MatcherCase(pins: "resourceNames: get of another name", rule: rule(["get"], names: ["tls"]), verb: "get",
                name: "db", expected: false),
    MatcherCase(pins: "resourceNames never grant a plain list", rule: rule(["list"], names: ["tls"]), verb: "list",
                expected: false),
    MatcherCase(pins: "resourceNames grant a named list (fieldSelector)", rule: rule(["list"], names: ["tls"]),
                verb: "list", name: "tls", expected: true),
    MatcherCase(pins: "no resourceNames grant a plain list", rule: rule(["list"]), verb: "list", expected: true),
    MatcherCase(pins: "resourceNames * is a literal name", rule: rule(["get"], names: ["*"]), verb: "get",
                name: "tls", expected: false),
    MatcherCase(pins: "non-resource URL exact", rule: PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz"]),
                verb: "get", url: "/healthz", expected: true),
    MatcherCase(pins: "non-resource URL prefix*", rule: PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz/*"]),
                verb: "get", url: "/healthz/ready", expected: true),
    MatcherCase(pins: "non-resource URL *", rule: PolicyRule(verbs: ["get"], nonResourceURLs: ["*"]),
                verb: "get", url: "/metrics", expected: true),
    MatcherCase(pins: "non-resource URL other path", rule: PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz"]),
                verb: "get", url: "/metrics", expected: false),
    MatcherCase(pins: "non-resource rule grants no resource", rule: PolicyRule(verbs: ["*"], nonResourceURLs: ["*"]),
                verb: "get", expected: false),
    MatcherCase(pins: "resource rule grants no URL", rule: rule(["*"], ["*"], ["*"]), verb: "get", url: "/healthz",
                expected: false),
]

@Test("Rule matchers (evaluation_helpers.go)", arguments: matcherCases)
func ruleMatchers(_ testCase: MatcherCase) {
    #expect(ruleAllows(testCase.rule, testCase.request) == testCase.expected)
}
