import Exposure
import KubeModel
import RBAC

/// `suggest --verify`: the proposal applied to the snapshot in memory and the
/// engine run again. Verified when no identity other than an expected holder
/// reads a key except behind grants left for review, and no other decision
/// on a named object changed.
///
/// ```swift
/// let check = Verification.run(suggestion, snapshot: snapshot, expectedHolders: ExpectedHolders())
/// check.verified            // true
/// check.changedDecisions    // []
/// ```
public struct Verification: Sendable, Hashable {
    /// Unexpected readers of one key, before and after.
    public struct KeyCount: Sendable, Hashable {
        public var secret: ObjectRef
        public var before: Int
        public var after: Int
        /// Of `after`: readers whose every path is a grant left for review.
        public var afterForReview: Int
    }

    /// One request whose answer changed for one principal.
    public struct ChangedDecision: Sendable, Hashable {
        public var principal: Principal
        public var verb: String
        public var apiGroup: String
        public var resource: String
        public var namespace: String
        public var name: String
        public var before: Bool
        public var after: Bool
    }

    /// Every key with an unexpected reader before or after, sorted.
    public var keys: [KeyCount]
    /// Unexpected reads (identity × key) left after the change outside the grants left for review: must be 0.
    public var unexpectedReadsLeft: Int
    /// How many named decisions were compared.
    public var decisionsCompared: Int
    /// Named decisions on objects other than private keys that changed: must be none.
    public var changedDecisions: [ChangedDecision]

    public var verified: Bool { unexpectedReadsLeft == 0 && changedDecisions.isEmpty }

    /// Applies `suggestion` to `snapshot`, recomputes, compares.
    public static func run(_ suggestion: Suggestion, snapshot: ClusterSnapshot, expectedHolders: ExpectedHolders,
                           namespace: String? = nil, before: [KeyExposure]? = nil) -> Verification {
        let after = suggestion.applied(to: snapshot)
        func exposures(_ snapshot: ClusterSnapshot) -> [KeyExposure] {
            ExposureAnalysis.analyze(snapshot: snapshot, whoCan: WhoCan(derived: AccessIndexer.compute(snapshot)),
                                     expectedHolders: expectedHolders, namespace: namespace)
        }
        let beforeExposures = before ?? exposures(snapshot)
        let afterExposures = exposures(after)
        var counts: [ObjectRef: KeyCount] = [:]
        for exposure in beforeExposures where !exposure.readers.isEmpty {
            counts[exposure.key.secret] = KeyCount(secret: exposure.key.secret, before: exposure.readers.count, after: 0,
                                                   afterForReview: 0)
        }
        var left = 0
        for exposure in afterExposures where !exposure.readers.isEmpty {
            let forReview = exposure.readers.filter { reader in
                reader.via.allSatisfy { path in
                    if case .rbac(let access) = path { return suggestion.reviewBindings.contains(access.binding) }
                    return false
                }
            }.count
            left += exposure.readers.count - forReview
            counts[exposure.key.secret, default: KeyCount(secret: exposure.key.secret, before: 0, after: 0, afterForReview: 0)]
                .after = exposure.readers.count
            counts[exposure.key.secret]!.afterForReview = forReview
        }
        let keys = PrivateKeyInventory.classify(snapshot, clusterResourceNamespace: expectedHolders.clusterResourceNamespace)
        let (compared, changed) = NamedDecisions.compare(before: snapshot, after: after, suggestion: suggestion,
                                                         keys: Set(keys.map(\.secret)))
        return Verification(keys: counts.values.sorted { $0.secret < $1.secret }, unexpectedReadsLeft: left,
                            decisionsCompared: compared, changedDecisions: changed)
    }
}

/// The decisions a proposal could change: those of the principals named by
/// the bindings it writes, deletes, or whose role it edits, on every named
/// object that is not a private key in the namespaces where those bindings
/// apply (every namespace for a ClusterRoleBinding), for the verbs and
/// resources their rules name before and after. A request no changed rule
/// matches cannot change; an identity's decision is the union over its
/// principals, so unchanged principals mean unchanged identities.
enum NamedDecisions {
    /// What a `*` verb is checked as.
    static let standardVerbs = ["get", "list", "watch", "update", "patch", "delete"]

    static func compare(before: ClusterSnapshot, after: ClusterSnapshot, suggestion: Suggestion,
                        keys: Set<ObjectRef>) -> (compared: Int, changed: [Verification.ChangedDecision]) {
        let changedRoles = Set(suggestion.apply.compactMap { object -> ObjectRef? in
            if case .role = object { return object.ref }
            return nil
        })
        let changedBindings = Set(suggestion.apply.map(\.ref)).union(suggestion.delete)
        // Per principal: where its changed bindings apply (`nil`: every namespace) and their rules, before and after.
        var scopes: [Principal: (namespaces: Set<String>?, rules: [PolicyRule])] = [:]
        for snapshot in [before, after] {
            let roles = EffectiveRoles(snapshot.roles)
            for binding in snapshot.bindings {
                let namespace = binding.meta.namespace
                let role = ObjectRef(kind: binding.roleRef.kind, namespace: binding.roleRef.kind == "Role" ? namespace : "",
                                     name: binding.roleRef.name)
                guard changedBindings.contains(bindingRef(binding)) || changedRoles.contains(role) else { continue }
                let rules = roles.resolve(binding.roleRef, bindingNamespace: namespace)?.rules ?? []
                for principal in binding.subjects.compactMap({ subjectPrincipal($0, bindingNamespace: namespace) }) {
                    var scope = scopes[principal] ?? (namespaces: [], rules: [])
                    if namespace.isEmpty { scope.namespaces = nil } else { scope.namespaces?.insert(namespace) }
                    scope.rules += rules
                    scopes[principal] = scope
                }
            }
        }
        guard !scopes.isEmpty else { return (0, []) }
        let objectsByNamespace = Dictionary(grouping: namedObjects(before).filter { object in
            !(object.kind == "Secret" && keys.contains(ObjectRef(kind: "Secret", namespace: object.namespace, name: object.name)))
        }, by: \.namespace)
        let authorizers = (Authorizer(snapshot: before), Authorizer(snapshot: after))
        var compared = 0
        var changed: [Verification.ChangedDecision] = []
        for principal in scopes.keys.sorted() {
            let (namespaces, rules) = scopes[principal]!
            let uniqueRules = Array(Set(rules))
            let named = Set(uniqueRules.flatMap(\.verbs))
            let verbs = named.contains(PolicyWildcard.verbAll) ? Array(named.union(standardVerbs)).filter { $0 != PolicyWildcard.verbAll }.sorted()
                : named.sorted()
            let user = principal.kind == .user ? UserInfo(name: principal.name) : UserInfo(name: "", groups: [principal.name])
            let inScope = namespaces.map { Array($0) } ?? Array(objectsByNamespace.keys)
            for namespace in inScope.sorted() {
                for object in objectsByNamespace[namespace] ?? [] {
                    guard uniqueRules.contains(where: {
                        apiGroupMatches($0, object.group) && resourceMatches($0, resource: object.resource, subresource: "")
                    }) else { continue }
                    for verb in verbs {
                        let request = ResourceRequest(user: user, verb: verb, apiGroup: object.group, resource: object.resource,
                                                      namespace: object.namespace, name: object.name)
                        let was = authorizers.0.authorize(request).allowed
                        let now = authorizers.1.authorize(request).allowed
                        compared += 1
                        if was != now {
                            changed.append(Verification.ChangedDecision(
                                principal: principal, verb: verb, apiGroup: object.group, resource: object.resource,
                                namespace: object.namespace, name: object.name, before: was, after: now))
                        }
                    }
                }
            }
        }
        return (compared, changed)
    }

    struct NamedObject {
        var kind: String
        var group: String
        var resource: String
        var namespace: String
        var name: String
    }

    /// Every object of the dump, by group, resource, namespace and name.
    static func namedObjects(_ snapshot: ClusterSnapshot) -> [NamedObject] {
        var objects: [NamedObject] = []
        func add(_ kind: String, _ meta: ObjectMeta) {
            guard let row = KindTable.row(named: kind) else { return }
            objects.append(NamedObject(kind: kind, group: row.group, resource: row.plural, namespace: meta.namespace, name: meta.name))
        }
        for secret in snapshot.secrets { add("Secret", secret.meta) }
        for pod in snapshot.pods { add("Pod", pod.meta) }
        for account in snapshot.serviceAccounts { add("ServiceAccount", account.meta) }
        for namespace in snapshot.namespaces { add("Namespace", namespace.meta) }
        for node in snapshot.nodes { add("Node", node.meta) }
        for role in snapshot.roles { add(role.isClusterRole ? "ClusterRole" : "Role", role.meta) }
        for binding in snapshot.bindings { add(binding.isClusterRoleBinding ? "ClusterRoleBinding" : "RoleBinding", binding.meta) }
        for workload in snapshot.workloads { add(workload.kind, workload.meta) }
        for ingress in snapshot.ingresses { add("Ingress", ingress.meta) }
        for gateway in snapshot.gateways { add("Gateway", gateway.meta) }
        for certificate in snapshot.certificates { add("Certificate", certificate.meta) }
        for issuer in snapshot.issuers { add(issuer.kind, issuer.meta) }
        return objects
    }
}
