import GRDB
import KubeModel

/// Writes and reads the derived tables (`identity`, `identity_principal`,
/// `secret_grant`, `node_secret_grant`, `derived_meta`) of one snapshot,
/// inside the caller's transaction. Reads say `+snapshot_id` so SQLite scans
/// in id order instead of searching an index and sorting (SnapshotReader's note).
struct DerivedTables {
    let db: Database
    let snapshotID: Int64

    static let derivedTables = ["derived_meta", "identity_principal", "identity", "secret_grant", "node_secret_grant"]

    /// Removes what an earlier engine run stored for this snapshot.
    func delete() throws {
        // identity_principal first, by its snapshot index, so deleting
        // identities cascades into nothing.
        for table in Self.derivedTables {
            try db.execute(sql: "DELETE FROM \(table) WHERE snapshot_id = ?", arguments: [snapshotID])
        }
    }

    func write(_ derived: DerivedAccess, computedAt: String) throws {
        try db.execute(sql: "INSERT INTO derived_meta (snapshot_id, engine_version, computed_at) VALUES (?, ?, ?)",
                       arguments: [snapshotID, derived.engineVersion, computedAt])
        try writeIdentities(derived.identities)
        try writeGrants(derived.grants)
        try writeNodeGrants(derived.nodeGrants)
    }

    private func writeIdentities(_ identities: [KnownIdentity]) throws {
        var insertIdentity = try RowInserter(db, table: "identity", columns: ["id", "snapshot_id", "kind", "namespace", "name", "username", "groups"])
        var insertPrincipal = try RowInserter(db, table: "identity_principal", columns: ["identity_id", "snapshot_id", "principal"])
        var ids = try IDAllocator(db, table: "identity")
        for identity in identities {
            let identityID = ids.next()
            insertIdentity.bind(identityID); insertIdentity.bind(snapshotID)
            insertIdentity.bind(identity.kind); insertIdentity.bind(identity.namespace); insertIdentity.bind(identity.name)
            insertIdentity.bind(identity.username); insertIdentity.bindJSON(identity.groups)
            try insertIdentity.insert()
            for principal in identity.principals {
                insertPrincipal.bind(identityID); insertPrincipal.bind(snapshotID); insertPrincipal.bind(principal.key)
                try insertPrincipal.insert()
            }
        }
        try insertIdentity.finish()
        try insertPrincipal.finish()
    }

    static let grantColumns = ["verb", "namespace", "secret_name", "principal",
                               "subject_kind", "subject_api_group", "subject_namespace", "subject_name",
                               "binding_kind", "binding_namespace", "binding_name",
                               "role_kind", "role_namespace", "role_name", "rule_index"]

    private func writeGrants(_ grants: [SecretGrant]) throws {
        var insert = try RowInserter(db, table: "secret_grant", columns: ["snapshot_id"] + Self.grantColumns)
        for grant in grants {
            insert.bind(snapshotID)
            insert.bind(grant.verb); insert.bind(grant.namespace); insert.bind(grant.secretName)
            insert.bind(grant.principal.key)
            insert.bind(grant.subject.kind); insert.bind(grant.subject.apiGroup)
            insert.bind(grant.subject.namespace); insert.bind(grant.subject.name)
            insert.bind(grant.binding.kind); insert.bind(grant.binding.namespace); insert.bind(grant.binding.name)
            insert.bind(grant.role.kind); insert.bind(grant.role.namespace); insert.bind(grant.role.name)
            insert.bind(grant.ruleIndex)
            try insert.insert()
        }
        try insert.finish()
    }

    static let nodeGrantColumns = ["node", "namespace", "secret_name", "pod_kind", "pod_namespace", "pod_name", "source"]

    private func writeNodeGrants(_ grants: [NodeSecretGrant]) throws {
        var insert = try RowInserter(db, table: "node_secret_grant", columns: ["snapshot_id"] + Self.nodeGrantColumns)
        for grant in grants {
            insert.bind(snapshotID)
            insert.bind(grant.node); insert.bind(grant.namespace); insert.bind(grant.secretName)
            insert.bind(grant.pod.kind); insert.bind(grant.pod.namespace); insert.bind(grant.pod.name)
            insert.bind(grant.source.rawValue)
            try insert.insert()
        }
        try insert.finish()
    }

    /// The stored derived access, or nil when none is stored or an engine of
    /// another version computed it (it must be recomputed, never trusted).
    func read() throws -> DerivedAccess? {
        let version = try Int.fetchOne(db, sql: "SELECT engine_version FROM derived_meta WHERE snapshot_id = ?",
                                       arguments: [snapshotID])
        guard let version, version == DerivedAccess.currentEngineVersion else { return nil }
        return DerivedAccess(engineVersion: version, identities: try readIdentities(),
                             grants: try readGrants(), nodeGrants: try readNodeGrants())
    }

    private func readIdentities() throws -> [KnownIdentity] {
        let row = try RowReader(db, sql: """
            SELECT kind, namespace, name, username, groups FROM identity WHERE +snapshot_id = ? ORDER BY id
            """, snapshotID: snapshotID)
        var identities: [KnownIdentity] = []
        while try row.next() {
            identities.append(KnownIdentity(kind: row.text(0), namespace: row.text(1), name: row.text(2),
                                            username: row.text(3), groups: try JSONText.parseArray(row.text(4))))
        }
        return identities
    }

    private func readGrants() throws -> [SecretGrant] {
        let row = try RowReader(db, sql: """
            SELECT \(Self.grantColumns.joined(separator: ", ")) FROM secret_grant WHERE +snapshot_id = ? ORDER BY id
            """, snapshotID: snapshotID)
        var grants: [SecretGrant] = []
        while try row.next() {
            grants.append(SecretGrant(
                verb: row.text(0), namespace: row.optionalText(1), secretName: row.optionalText(2),
                principal: try Self.principal(row.text(3)),
                subject: Subject(kind: row.text(4), apiGroup: row.text(5), name: row.text(7), namespace: row.text(6)),
                binding: ObjectRef(kind: row.text(8), namespace: row.text(9), name: row.text(10)),
                role: ObjectRef(kind: row.text(11), namespace: row.text(12), name: row.text(13)),
                ruleIndex: row.int(14)))
        }
        return grants
    }

    private func readNodeGrants() throws -> [NodeSecretGrant] {
        let row = try RowReader(db, sql: """
            SELECT \(Self.nodeGrantColumns.joined(separator: ", ")) FROM node_secret_grant WHERE +snapshot_id = ? ORDER BY id
            """, snapshotID: snapshotID)
        var grants: [NodeSecretGrant] = []
        while try row.next() {
            guard let source = PodSecretReference.Source(rawValue: row.text(6)) else {
                throw StoreError.corrupt("unknown node grant source \(row.text(6))")
            }
            grants.append(NodeSecretGrant(node: row.text(0), namespace: row.text(1), secretName: row.text(2),
                                          pod: ObjectRef(kind: row.text(3), namespace: row.text(4), name: row.text(5)),
                                          source: source))
        }
        return grants
    }

    /// Parses `user:NAME` / `group:NAME` (``Principal/key``).
    static func principal(_ key: String) throws -> Principal {
        guard let colon = key.firstIndex(of: ":"), let kind = Principal.Kind(rawValue: String(key[..<colon])) else {
            throw StoreError.corrupt("principal \(key)")
        }
        return Principal(kind, String(key[key.index(after: colon)...]))
    }
}
