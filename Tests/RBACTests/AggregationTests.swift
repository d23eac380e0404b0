import KubeModel
import Testing
@testable import RBAC

/// An aggregating ClusterRole `agg` and candidate ClusterRoles with labels;
/// which candidates' rules end up in `agg`.
struct AggregationCase: Sendable, CustomTestStringConvertible {
    var pins: String
    var selectors: [LabelSelector]
    /// Candidate name → labels. Each candidate grants `get` on a resource named after itself.
    var candidates: [String: [String: String]]
    var expectedSources: Set<String>

    var testDescription: String { pins }
}

private func expression(_ key: String, _ op: String, _ values: [String] = []) -> LabelSelector {
    LabelSelector(matchExpressions: [LabelSelectorRequirement(key: key, operator: op, values: values)])
}

private let tiers: [String: [String: String]] = [
    "gold": ["tier": "gold"], "silver": ["tier": "silver"], "plain": [:],
]

let aggregationCases: [AggregationCase] = [
    AggregationCase(pins: "matchLabels selects roles with that label value",
                    selectors: [LabelSelector(matchLabels: ["tier": "gold"])], candidates: tiers,
                    expectedSources: ["gold"]),
    AggregationCase(pins: "In selects roles whose value is listed",
                    selectors: [expression("tier", "In", ["gold", "silver"])], candidates: tiers,
                    expectedSources: ["gold", "silver"]),
    AggregationCase(pins: "NotIn also selects roles without the label",
                    selectors: [expression("tier", "NotIn", ["gold"])], candidates: tiers,
                    expectedSources: ["silver", "plain"]),
    AggregationCase(pins: "Exists selects roles with the label, any value",
                    selectors: [expression("tier", "Exists")], candidates: tiers,
                    expectedSources: ["gold", "silver"]),
    AggregationCase(pins: "DoesNotExist selects roles without the label",
                    selectors: [expression("tier", "DoesNotExist")], candidates: tiers,
                    expectedSources: ["plain"]),
    AggregationCase(pins: "{} selects every ClusterRole", selectors: [LabelSelector()], candidates: tiers,
                    expectedSources: ["gold", "silver", "plain"]),
    AggregationCase(pins: "matchLabels and matchExpressions are ANDed",
                    selectors: [LabelSelector(matchLabels: ["tier": "gold"],
                                              matchExpressions: [LabelSelectorRequirement(key: "tier", operator: "NotIn",
                                                                                          values: ["gold"])])],
                    candidates: tiers, expectedSources: []),
    AggregationCase(pins: "several selectors are ORed",
                    selectors: [LabelSelector(matchLabels: ["tier": "gold"]), expression("tier", "DoesNotExist")],
                    candidates: tiers, expectedSources: ["gold", "plain"]),
    AggregationCase(pins: "label values are case-sensitive",
                    selectors: [LabelSelector(matchLabels: ["tier": "Gold"])], candidates: tiers, expectedSources: []),
    AggregationCase(pins: "invalid selector: In without values aggregates nothing",
                    selectors: [expression("tier", "In")], candidates: tiers, expectedSources: []),
    AggregationCase(pins: "invalid selector: NotIn without values aggregates nothing",
                    selectors: [expression("tier", "NotIn")], candidates: tiers, expectedSources: []),
    AggregationCase(pins: "invalid selector: unknown operator (in) aggregates nothing",
                    selectors: [expression("tier", "in", ["gold"])], candidates: tiers, expectedSources: []),
    AggregationCase(pins: "invalid selector: Exists with values aggregates nothing",
                    selectors: [expression("tier", "Exists", ["gold"])], candidates: tiers, expectedSources: []),
    AggregationCase(pins: "invalid selector: bad label key aggregates nothing",
                    selectors: [LabelSelector(matchLabels: ["bad key": "gold"])], candidates: tiers, expectedSources: []),
    AggregationCase(pins: "one invalid selector stops the whole role's aggregation (controller sync fails)",
                    selectors: [LabelSelector(matchLabels: ["tier": "gold"]), expression("tier", "In")],
                    candidates: tiers, expectedSources: []),
    AggregationCase(pins: "prefixed label keys are valid",
                    selectors: [LabelSelector(matchLabels: ["rbac.example.com/tier": "gold"])],
                    candidates: ["gold": ["rbac.example.com/tier": "gold"]], expectedSources: ["gold"]),
]

private func sourceRule(_ name: String) -> PolicyRule { rule(["get"], [""], [name]) }

@Test("Aggregation selectors (clusterroleaggregation, LabelSelectorAsSelector)", arguments: aggregationCases)
func aggregationSelectors(_ testCase: AggregationCase) {
    var roles = testCase.candidates.map { clusterRole($0.key, [sourceRule($0.key)], labels: $0.value) }
    roles.append(clusterRole("agg", [], aggregating: testCase.selectors))
    let aggregated = EffectiveRoles(roles).clusterRole(named: "agg")!.rules
    #expect(Set(aggregated) == Set(testCase.expectedSources.map(sourceRule)))
}

@Test("Nested aggregation reaches a fixed point: admin ← edit ← view ← view-source")
func nestedAggregation() {
    let roles = [
        clusterRole("admin", [], aggregating: [LabelSelector(matchLabels: ["to-admin": "true"])]),
        clusterRole("edit", [], labels: ["to-admin": "true"], aggregating: [LabelSelector(matchLabels: ["to-edit": "true"])]),
        clusterRole("view", [], labels: ["to-edit": "true"], aggregating: [LabelSelector(matchLabels: ["to-view": "true"])]),
        clusterRole("view-source", [sourceRule("pods")], labels: ["to-view": "true"]),
    ]
    let effective = EffectiveRoles(roles)
    #expect(effective.clusterRole(named: "admin")!.rules == [sourceRule("pods")])
    #expect(effective.clusterRole(named: "edit")!.rules == [sourceRule("pods")])
}

@Test("Aggregation keeps the stored rules first, adds the rest once, skips itself")
func aggregationUnionsStoredRules() {
    let shared = sourceRule("configmaps")
    let roles = [
        // A live dump: rule 0 was stored already; a raw manifest would hold none.
        clusterRole("agg", [sourceRule("stored")], labels: ["pick": "yes"],
                    aggregating: [LabelSelector(matchLabels: ["pick": "yes"])]),
        clusterRole("a", [shared, sourceRule("a")], labels: ["pick": "yes"]),
        clusterRole("b", [shared], labels: ["pick": "yes"]),
    ]
    #expect(EffectiveRoles(roles).clusterRole(named: "agg")!.rules
            == [sourceRule("stored"), shared, sourceRule("a")])
}

@Test("Mutually selecting roles converge to the union of both")
func mutualAggregation() {
    let roles = [
        clusterRole("x", [sourceRule("x")], labels: ["ring": "1"], aggregating: [LabelSelector(matchLabels: ["ring": "1"])]),
        clusterRole("y", [sourceRule("y")], labels: ["ring": "1"], aggregating: [LabelSelector(matchLabels: ["ring": "1"])]),
    ]
    let effective = EffectiveRoles(roles)
    #expect(Set(effective.clusterRole(named: "x")!.rules) == [sourceRule("x"), sourceRule("y")])
    #expect(Set(effective.clusterRole(named: "y")!.rules) == [sourceRule("x"), sourceRule("y")])
}

@Test("Namespaced Roles are never aggregated into a ClusterRole")
func rolesAreNotAggregated() {
    let roles = [
        clusterRole("agg", [], aggregating: [LabelSelector()]),
        Role(meta: ObjectMeta(name: "local", namespace: "a", labels: ["x": "y"]), rules: [readSecrets]),
    ]
    #expect(EffectiveRoles(roles).clusterRole(named: "agg")!.rules.isEmpty)
}
