import Advisor
import Exposure
import KubeModel
import RBAC
import TestSupport
import Testing

/// The proof of issue 11 over many generated clusters: after the proposal,
/// no identity other than an expected holder reads a private key except
/// behind grants left for review (counted), and every identity keeps every
/// decision on every named object that is not a private key.
@Suite struct SuggestionProperties {
    /// A named request: verb × group × resource(/subresource) × namespace × name.
    struct NamedRequest: CustomStringConvertible {
        var verb: String
        var group: String
        var resource: String
        var subresource = ""
        var namespace: String
        var name: String
        var description: String { "\(verb) \(group)/\(resource)\(subresource.isEmpty ? "" : "/" + subresource) \(namespace)/\(name)" }
    }

    /// Every named decision the generated clusters can grant, private keys left out:
    /// the secrets that hold no key (in their namespace), and other resources named
    /// like keys and secrets (configmaps/k1 must survive removing k1 from resourceNames),
    /// in each namespace and across all of them.
    static func namedRequests(_ cluster: ClusterSnapshot, keys: Set<ObjectRef>) -> [NamedRequest] {
        let verbs = ["get", "list", "watch", "delete", "update"]
        var requests: [NamedRequest] = []
        for secret in cluster.secrets
        where !keys.contains(ObjectRef(kind: "Secret", namespace: secret.meta.namespace, name: secret.meta.name)) {
            for verb in verbs {
                requests.append(NamedRequest(verb: verb, group: "", resource: "secrets", namespace: secret.meta.namespace,
                                             name: secret.meta.name))
            }
        }
        for namespace in RandomClusterMaker.namespaces + [""] {
            for name in ["k1", "s1", "p1"] {
                for verb in verbs {
                    requests.append(NamedRequest(verb: verb, group: "", resource: "configmaps", namespace: namespace, name: name))
                    requests.append(NamedRequest(verb: verb, group: "", resource: "pods", namespace: namespace, name: name))
                    requests.append(NamedRequest(verb: verb, group: "", resource: "pods", subresource: "status",
                                                 namespace: namespace, name: name))
                    requests.append(NamedRequest(verb: verb, group: "apps", resource: "deployments", namespace: namespace, name: name))
                }
            }
        }
        return requests
    }

    @Test("After the proposal: no unexpected key reader outside review, and no other named decision changes, for every identity")
    func proposalRemovesKeyAccessAndNothingElse() {
        var maker = RandomClusterMaker(random: SeededGenerator(seed: 2_026_1201))
        let holders = ExpectedHolders()
        var findings = 0
        var review = 0
        var kinds = Set<Change.Kind>()
        var decisions = 0
        var allowedDecisions = 0
        var readersRemoved = 0
        for round in 0..<150 {
            let cluster = maker.make()
            let derived = AccessIndexer.compute(cluster)
            let suggestion = Advisor.suggest(snapshot: cluster, whoCan: WhoCan(derived: derived), expectedHolders: holders)
            let after = suggestion.applied(to: cluster)
            findings += suggestion.findings.count
            review += suggestion.leftForReview
            kinds.formUnion(suggestion.findings.map(\.change.kind))
            #expect(Set(suggestion.findings.map(\.id)).count == suggestion.findings.count, "round \(round): one finding per grant")

            // 1. Every unexpected reader left is behind a grant left for review.
            let before = ExposureAnalysis.analyze(snapshot: cluster, whoCan: WhoCan(derived: derived), expectedHolders: holders)
            let afterExposures = ExposureAnalysis.analyze(snapshot: after, whoCan: WhoCan(derived: AccessIndexer.compute(after)),
                                                          expectedHolders: holders)
            readersRemoved += before.reduce(0) { $0 + $1.readers.count } - afterExposures.reduce(0) { $0 + $1.readers.count }
            for exposure in afterExposures {
                for reader in exposure.readers {
                    let behindReview = reader.via.allSatisfy { path in
                        if case .rbac(let access) = path { return suggestion.reviewBindings.contains(access.binding) }
                        return false
                    }
                    let key = "\(exposure.key.secret.namespace)/\(exposure.key.secret.name)"
                    #expect(behindReview, "round \(round): \(reader.identity.kind) \(reader.identity.name) reads \(key) via \(reader.via.map(\.explanation))")
                }
            }

            // 2. Every other named decision is unchanged, for every identity.
            let keys = Set(PrivateKeyInventory.classify(cluster).map(\.secret))
            let authorizers = (Authorizer(snapshot: cluster), Authorizer(snapshot: after))
            let requests = Self.namedRequests(cluster, keys: keys)
            for identity in derived.identities {
                let user = UserInfo(identity)
                for named in requests {
                    let request = ResourceRequest(user: user, verb: named.verb, apiGroup: named.group, resource: named.resource,
                                                  subresource: named.subresource, namespace: named.namespace, name: named.name)
                    let was = authorizers.0.authorize(request).allowed
                    decisions += 1
                    if was { allowedDecisions += 1 }
                    #expect(was == authorizers.1.authorize(request).allowed,
                            "round \(round): \(identity.kind) \(identity.namespace)/\(identity.name) \(named)")
                }
            }

            // 3. --verify reaches the same verdict.
            let verification = Verification.run(suggestion, snapshot: cluster, expectedHolders: holders)
            #expect(verification.verified, "round \(round): \(verification.changedDecisions.prefix(3))")
        }
        // The clusters must exercise every change kind and both answers often, or the proof proves little.
        print("suggest property: \(findings) findings, \(review) for review, \(readersRemoved) readers removed, \(decisions) decisions (\(allowedDecisions) allowed)")
        #expect(findings > 200)
        #expect(review > 10)
        #expect(kinds == Set(Change.Kind.allCases), "\(kinds)")
        // Readers are counted as bound (a group once, not per member).
        #expect(readersRemoved > 250)
        #expect(decisions > 300_000)
        #expect(allowedDecisions > decisions / 20)
    }
}
