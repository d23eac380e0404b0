import KubeModel

/// Computes a snapshot's derived access tables once: the known identities,
/// every RBAC grant of a secret-reading verb, and the node authorizer's
/// grants. The query layer (``WhoCan``, SQL) answers from these.
///
/// A grant stays one row per binding subject × verb × rule (× named secret):
/// a grant to `system:serviceaccounts` is one row, never one per member.
///
/// ```swift
/// let derived = AccessIndexer.compute(snapshot)
/// let readers = WhoCan(derived: derived).subjects(verb: .get, namespace: "shop", secretName: "shop-tls")
/// ```
public enum AccessIndexer {
    public static func compute(_ snapshot: ClusterSnapshot) -> DerivedAccess {
        compute(snapshot, roles: EffectiveRoles(snapshot.roles))
    }

    public static func compute(_ snapshot: ClusterSnapshot, roles: EffectiveRoles) -> DerivedAccess {
        DerivedAccess(identities: knownIdentities(snapshot),
                      grants: secretGrants(bindings: snapshot.bindings, roles: roles),
                      nodeGrants: nodeSecretGrants(pods: snapshot.pods))
    }

    /// One row per binding subject, secret-reading verb and rule of the
    /// binding's role that allows that verb on core `secrets`; one row per
    /// name when the rule has `resourceNames`. `namespace` is `nil` for a
    /// ClusterRoleBinding (every namespace), the RoleBinding's otherwise.
    ///
    /// Rows are sorted by binding, role, rule, subject, verb, then name (every
    /// name first). A row names its binding, so rows of different bindings
    /// never coincide: the bindings are sorted by reference (one run per
    /// binding, two when overlapping dump files list it twice), and only the
    /// few rows of one run are sorted and rid of repeats — never a set or a
    /// sort of every row, which grew faster than the cluster.
    public static func secretGrants(bindings: [RoleBinding], roles: EffectiveRoles) -> [SecretGrant] {
        let refs = bindings.map(bindingRef)
        let order = refs.indices.sorted { compareBytes(refs[$0], refs[$1]) == .before }
        var grants: [SecretGrant] = []
        var runStart = 0
        while runStart < order.count {
            var runEnd = runStart + 1
            while runEnd < order.count, compareBytes(refs[order[runEnd]], refs[order[runStart]]) == .same { runEnd += 1 }
            var rows: [SecretGrant] = []
            for position in runStart..<runEnd {
                appendSecretGrants(of: boundSubjects(of: bindings[order[position]], roles: roles), to: &rows)
            }
            rows.sort(by: grantPrecedes)
            // Repeats (a subject or resourceName listed twice) are adjacent once sorted.
            for (offset, row) in rows.enumerated() where offset == 0 || compareBytes(row, rows[offset - 1]) != .same {
                grants.append(row)
            }
            runStart = runEnd
        }
        return grants
    }

    /// The rows of one binding's subjects (which share the binding's role),
    /// in the order they are found.
    private static func appendSecretGrants(of bound: [BoundSubject], to rows: inout [SecretGrant]) {
        guard let role = bound.first?.role else { return }
        let readingRules = role.rules.indices.filter { ruleCoversSecrets(role.rules[$0]) }
        guard !readingRules.isEmpty else { return }
        for subject in bound {
            let namespace: String? = subject.binding.namespace.isEmpty ? nil : subject.binding.namespace
            for index in readingRules {
                let rule = role.rules[index]
                let names: [String?] = rule.resourceNames.isEmpty ? [nil] : rule.resourceNames.map { $0 }
                for verb in SecretReadVerb.allCases where verbMatches(rule, verb.rawValue) {
                    for name in names {
                        rows.append(SecretGrant(verb: verb.rawValue, namespace: namespace, secretName: name,
                                                principal: subject.principal, subject: subject.subject,
                                                binding: subject.binding, role: role.ref, ruleIndex: index))
                    }
                }
            }
        }
    }

    /// The rule's group and resource match a request on core `secrets`
    /// without subresource (`""` or `*` group; `secrets` or `*` resource).
    static func ruleCoversSecrets(_ rule: PolicyRule) -> Bool {
        apiGroupMatches(rule, SecretResource.apiGroup)
            && resourceMatches(rule, resource: SecretResource.resource, subresource: "")
    }

    /// Every identity the API server could see, as DESIGN.md lists them:
    /// every User and Group named in a binding subject, every ServiceAccount
    /// named in one (namespace defaulted; none without any namespace) or
    /// present as an object, `system:masters`, and every Node (objects and
    /// the `nodeName` of pods). A User spelled `system:serviceaccount:NS:NAME`
    /// is that ServiceAccount. Deduplicated and sorted by kind, namespace, name
    /// (as bytes: two spellings of a name are two identities).
    public static func knownIdentities(_ snapshot: ClusterSnapshot) -> [KnownIdentity] {
        var identities: [IdentityKey: KnownIdentity] = [:]
        func add(_ identity: KnownIdentity?) {
            guard let identity, !identity.name.isEmpty else { return }
            identities[IdentityKey(identity)] = identity
        }
        for binding in snapshot.bindings {
            for subject in binding.subjects {
                add(identity(named: subject, bindingNamespace: binding.meta.namespace))
            }
        }
        for serviceAccount in snapshot.serviceAccounts {
            add(serviceAccountIdentity(namespace: serviceAccount.meta.namespace, name: serviceAccount.meta.name))
        }
        add(groupIdentity(WellKnown.mastersGroup))
        for node in snapshot.nodes { add(nodeIdentity(node.meta.name)) }
        // By index: `for pod in` would copy (retain and release) every field of every pod.
        for index in snapshot.pods.indices where !snapshot.pods[index].spec.nodeName.isEmpty {
            add(nodeIdentity(snapshot.pods[index].spec.nodeName))
        }
        return sortedByFields(identities.values, identitySortFields)
    }

    /// The identity a binding subject names, `nil` for an unknown kind or a
    /// ServiceAccount without any namespace.
    public static func identity(named subject: Subject, bindingNamespace: String) -> KnownIdentity? {
        switch SubjectKind.known(subject.kind) {
        case .user:
            return userIdentity(subject.name)
        case .group:
            return groupIdentity(subject.name)
        case .serviceAccount:
            guard let namespace = serviceAccountSubjectNamespace(subject, bindingNamespace: bindingNamespace) else {
                return nil
            }
            return serviceAccountIdentity(namespace: namespace, name: subject.name)
        case nil:
            return nil
        }
    }

    /// A user: `system:authenticated`, or `system:unauthenticated` for
    /// `system:anonymous`; a service account user name is the ServiceAccount.
    public static func userIdentity(_ name: String) -> KnownIdentity {
        if let serviceAccount = WellKnown.splitServiceAccountUsername(name) {
            return serviceAccountIdentity(namespace: serviceAccount.namespace, name: serviceAccount.name)
        }
        let group = sameBytes(name, WellKnown.anonymousUser) ? WellKnown.unauthenticatedGroup : WellKnown.authenticatedGroup
        return KnownIdentity(kind: SubjectKind.user, name: name, username: name, groups: [group])
    }

    /// A group checked as itself: no user name, only that group.
    public static func groupIdentity(_ name: String) -> KnownIdentity {
        KnownIdentity(kind: SubjectKind.group, name: name, username: "", groups: [name])
    }

    /// A service account's token: its user name and its three groups.
    public static func serviceAccountIdentity(namespace: String, name: String) -> KnownIdentity {
        KnownIdentity(kind: SubjectKind.serviceAccount, namespace: namespace, name: name,
                      username: WellKnown.serviceAccountUsername(namespace: namespace, name: name),
                      groups: WellKnown.serviceAccountGroups(namespace: namespace))
    }

    /// A kubelet: `system:node:NAME` in `system:nodes` (and authenticated).
    public static func nodeIdentity(_ name: String) -> KnownIdentity {
        KnownIdentity(kind: "Node", name: name, username: WellKnown.nodeUserPrefix + name,
                      groups: [WellKnown.nodesGroup, WellKnown.authenticatedGroup])
    }
}
