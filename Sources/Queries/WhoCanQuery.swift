import Foundation
import KubeModel
import RBAC
import Store

/// who-can for one secret, answered from the database by `who-can-secret.sql`
/// rather than by loading the snapshot: an index lookup of the grants that
/// reach the secret, then of their identities. It gives exactly
/// ``WhoCan/subjects(verb:namespace:secretName:)``'s answer (a test compares
/// the two on every identity of random snapshots).
public enum WhoCanQuery {
    public static func subjects(in store: SnapshotStore, snapshot: String, verb: SecretReadVerb,
                                namespace: String, secretName: String) throws -> [SubjectAccess] {
        guard let query = NamedQueries.named("who-can-secret") else { throw StoreError.corrupt("the who-can-secret query is missing") }
        let result = try query.run(on: store, parameters: [
            "verb": verb.rawValue, "namespace": namespace, "name": secretName, "snapshot": snapshot,
        ])
        let column = Dictionary(uniqueKeysWithValues: result.columns.enumerated().map { ($1, $0) })
        var identities: [KnownIdentity] = []
        var paths: [KnownIdentity: [AccessPath]] = [:]
        for row in result.rows {
            func value(_ name: String) -> String { column[name].flatMap { row[$0] } ?? "" }
            let identity = KnownIdentity(kind: value("kind"), namespace: value("namespace"), name: value("name"),
                                         username: value("username"), groups: decodeGroups(value("groups")))
            guard let path = accessPath(value) else { continue }
            if paths[identity] == nil { identities.append(identity) }
            paths[identity, default: []].append(path)
        }
        return identities.map { identity in
            var via = paths[identity]!
            // system:masters short-circuits the authorizer: its members are
            // listed with that path only, as WhoCan does.
            if via.contains(where: { if case .superuser = $0 { true } else { false } }) {
                via = via.filter { if case .superuser = $0 { true } else { false } }
            }
            return SubjectAccess(identity: identity, via: Array(Set(via)).sorted())
        }.sorted { ($0.identity.kind, $0.identity.namespace, $0.identity.name) < ($1.identity.kind, $1.identity.namespace, $1.identity.name) }
    }

    private static func accessPath(_ value: (String) -> String) -> AccessPath? {
        switch value("via") {
        case "superuser":
            return .superuser(group: WellKnown.mastersGroup)
        case "node":
            guard let source = PodSecretReference.Source(rawValue: value("pod_source")) else { return nil }
            return .node(NodeAccess(node: value("name"), pod: ObjectRef(kind: "Pod", namespace: value("pod_namespace"),
                                                                        name: value("pod_name")), source: source))
        case "rbac":
            let principal = value("via_principal")
            let kind: Principal.Kind = principal.hasPrefix("group:") ? .group : .user
            return .rbac(RBACAccess(
                binding: ObjectRef(kind: value("binding_kind"), namespace: value("binding_namespace"), name: value("binding_name")),
                role: ObjectRef(kind: value("role_kind"), namespace: value("role_namespace"), name: value("role_name")),
                ruleIndex: Int(value("rule_index")) ?? 0,
                subject: Subject(kind: value("subject_kind"), apiGroup: value("subject_api_group"),
                                 name: value("subject_name"), namespace: value("subject_namespace")),
                principal: Principal(kind, String(principal.drop { $0 != ":" }.dropFirst()))))
        default:
            return nil
        }
    }

    private static func decodeGroups(_ json: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }
}
