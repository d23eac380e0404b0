import GRDB

/// The database schema as named migrations. Every object table is keyed by
/// `snapshot_id` (ON DELETE CASCADE), so deleting a snapshot row removes
/// everything it holds; nested lists (rules, subjects, secret keys, ...) are
/// child tables keyed by their parent's id with an `idx` column that keeps
/// the order they had in the dump.
///
/// Maps and string lists that no query filters on are JSON text (`labels`,
/// `annotations`, `owner_refs`, rule `verbs`...), readable with SQLite's
/// `json_each` and `->>`. No column can hold a secret value: a secret keeps
/// its type, key names, value sizes, PEM block types and public certificates.
///
/// `PRAGMA user_version` tells the schema version to anyone with an sqlite3
/// shell; GRDB's `grdb_migrations` table lists the migrations applied.
enum Schema {
    /// The version `PRAGMA user_version` holds once every migration ran.
    static let version = 6

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-snapshot") { db in
            try db.execute(sql: snapshotTables)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v2-derived-access") { db in
            try db.execute(sql: derivedTables)
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        migrator.registerMigration("v3-private-keys") { db in
            try db.execute(sql: privateKeyTables)
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        // Services, routes, Istio and Traefik objects, External Secrets, containers: `keyreach tls`.
        migrator.registerMigration("v4-tls-kinds") { db in
            try db.execute(sql: tlsKindsMigration)
            try db.execute(sql: "PRAGMA user_version = 4")
        }
        // The "can become" graph behind who-can/exposure --indirect (IndirectTables.swift).
        migrator.registerMigration("v5-indirect-chains") { db in
            try db.execute(sql: indirectChainsMigration)
            try db.execute(sql: "PRAGMA user_version = 5")
        }
        // The key each private-key secret holds (issue 17): copies share a key_id.
        migrator.registerMigration("v6-key-identity") { db in
            try db.execute(sql: keyIdentityMigration)
            try db.execute(sql: "PRAGMA user_version = 6")
        }
        return migrator
    }

    /// Tables whose rows carry `snapshot_id`.
    static let snapshotKeyedTables = [
        "snapshot_kind_count", "namespace", "node", "service_account", "role", "binding", "pod", "workload",
        "secret", "ingress", "gateway", "certificate", "issuer",
        "derived_meta", "identity", "identity_principal", "secret_grant", "node_secret_grant",
        "private_key_meta", "private_key",
    ] + servingTables + indirectTables

    /// Tables whose rows hang off a parent row (`PARENT_id`), grandchildren first.
    static let childTables: [(table: String, parent: String)] = [
        ("ingress_backend", "ingress_rule"), ("gateway_certificate_ref", "gateway_listener"),
        ("rule", "role"), ("binding_subject", "binding"), ("pod_secret_ref", "pod"),
        ("workload_secret_ref", "workload"), ("secret_key", "secret"), ("secret_certificate", "secret"),
        ("ingress_tls", "ingress"), ("ingress_rule", "ingress"), ("gateway_listener", "gateway"),
        ("private_key_reason", "private_key"), ("private_key_certificate", "private_key"),
    ]

    /// Deletes every row of one snapshot (`:snapshot` is its id), table by
    /// table. The schema's ON DELETE CASCADE does the same for a user who
    /// deletes a snapshot row by hand; these set-wise deletes are what the
    /// store runs, as they are much faster than per-row cascades.
    static var deleteSnapshotStatements: [String] {
        let parents = Dictionary(uniqueKeysWithValues: childTables.map { ($0.table, $0.parent) })
        func ids(of table: String) -> String {
            guard let parent = parents[table] else { return "SELECT id FROM \(table) WHERE snapshot_id = :snapshot" }
            return "SELECT id FROM \(table) WHERE \(parent)_id IN (\(ids(of: parent)))"
        }
        return childTables.map { "DELETE FROM \($0.table) WHERE \($0.parent)_id IN (\(ids(of: $0.parent)))" }
            + snapshotKeyedTables.map { "DELETE FROM \($0) WHERE snapshot_id = :snapshot" }
            + ["DELETE FROM snapshot WHERE id = :snapshot"]
    }

    /// Drops the secondary indexes and returns the statements that create
    /// them again: a bulk write into empty tables, then one index build, is
    /// faster than updating every index row by row.
    /// `tables` limits it to those tables' indexes.
    static func dropIndexes(_ db: Database, tables: [String]? = nil) throws -> [String] {
        let indexes = try Row.fetchAll(db, sql: "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            .filter { index in tables.map { $0.contains(index["tbl_name"]) } ?? true }
        for index in indexes {
            let name: String = index["name"]
            try db.execute(sql: "DROP INDEX \(name)")
        }
        return indexes.map { $0["sql"] }
    }

    /// Migration v1, frozen as the literal SQL it shipped with (a shipped
    /// migration never changes: later schema changes are new migrations).
    static let snapshotTables = """
        CREATE TABLE snapshot (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,   -- ISO 8601, UTC
            source TEXT NOT NULL        -- what was imported (paths, "-" for stdin)
        );
        CREATE TABLE snapshot_kind_count (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (snapshot_id, kind)
        );
        CREATE TABLE namespace (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,    -- "" for cluster-scoped objects
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object; never last-applied-configuration
            -- owner_refs: JSON array of ownerReferences
            owner_refs TEXT NOT NULL
        );
        CREATE INDEX namespace_by_name ON namespace(snapshot_id, namespace, name);
        CREATE TABLE node (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,    -- "" for cluster-scoped objects
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object; never last-applied-configuration
            -- owner_refs: JSON array of ownerReferences
            owner_refs TEXT NOT NULL
        );
        CREATE INDEX node_by_name ON node(snapshot_id, namespace, name);
        CREATE TABLE service_account (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,    -- "" for cluster-scoped objects
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object; never last-applied-configuration
            -- owner_refs: JSON array of ownerReferences
            owner_refs TEXT NOT NULL,
            automount INTEGER,              -- automountServiceAccountToken: NULL unset, 0, 1
            secret_names TEXT NOT NULL,     -- JSON array of secrets[].name
            image_pull_secret_names TEXT NOT NULL
        );
        CREATE INDEX service_account_by_name ON service_account(snapshot_id, namespace, name);
        CREATE TABLE role (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,    -- "" for cluster-scoped objects
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object; never last-applied-configuration
            -- owner_refs: JSON array of ownerReferences
            owner_refs TEXT NOT NULL,
            aggregation_rule TEXT           -- JSON aggregationRule, NULL when not aggregated
        );
        CREATE INDEX role_by_name ON role(snapshot_id, namespace, name);
        CREATE TABLE rule (
            id INTEGER PRIMARY KEY,
            role_id INTEGER NOT NULL REFERENCES role(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,       -- position in the list it came from
            verbs TEXT NOT NULL,            -- JSON arrays, exactly as written
            api_groups TEXT NOT NULL,
            resources TEXT NOT NULL,
            resource_names TEXT NOT NULL,
            non_resource_urls TEXT NOT NULL
        );
        CREATE INDEX rule_by_role ON rule(role_id, idx);
        CREATE TABLE binding (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,    -- "" for cluster-scoped objects
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object; never last-applied-configuration
            -- owner_refs: JSON array of ownerReferences
            owner_refs TEXT NOT NULL,
            role_ref_api_group TEXT NOT NULL,
            role_ref_kind TEXT NOT NULL,
            role_ref_name TEXT NOT NULL
        );
        CREATE INDEX binding_by_name ON binding(snapshot_id, namespace, name);
        CREATE INDEX binding_by_role_ref ON binding(snapshot_id, role_ref_kind, role_ref_name);
        CREATE TABLE binding_subject (
            id INTEGER PRIMARY KEY,
            binding_id INTEGER NOT NULL REFERENCES binding(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,       -- position in the list it came from
            kind TEXT NOT NULL,
            api_group TEXT NOT NULL,
            name TEXT NOT NULL,
            namespace TEXT NOT NULL     -- as written; "" may mean the binding's namespace
        );
        CREATE INDEX binding_subject_by_binding ON binding_subject(binding_id, idx);
        CREATE TABLE pod (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,    -- "" for cluster-scoped objects
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object; never last-applied-configuration
            -- owner_refs: JSON array of ownerReferences
            owner_refs TEXT NOT NULL,
            service_account TEXT NOT NULL,
            node_name TEXT NOT NULL,    -- "" when unscheduled
            automount INTEGER           -- NULL unset, 0, 1
        );
        CREATE INDEX pod_by_name ON pod(snapshot_id, namespace, name);
        CREATE INDEX pod_by_node ON pod(snapshot_id, node_name);
        CREATE TABLE pod_secret_ref (
            id INTEGER PRIMARY KEY,
            pod_id INTEGER NOT NULL REFERENCES pod(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,       -- position in the list it came from
            secret_name TEXT NOT NULL,
            source TEXT NOT NULL,       -- volume, projectedVolume, csiVolume, otherVolume, env, envFrom, imagePullSecret
            detail TEXT NOT NULL        -- the volume or container holding the reference
        );
        CREATE INDEX pod_secret_ref_by_pod ON pod_secret_ref(pod_id, idx);
        CREATE TABLE workload (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,    -- "" for cluster-scoped objects
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object; never last-applied-configuration
            -- owner_refs: JSON array of ownerReferences
            owner_refs TEXT NOT NULL,
            service_account TEXT NOT NULL,  -- of the pod template
            node_name TEXT NOT NULL,
            automount INTEGER
        );
        CREATE INDEX workload_by_name ON workload(snapshot_id, namespace, name);
        CREATE TABLE workload_secret_ref (
            id INTEGER PRIMARY KEY,
            workload_id INTEGER NOT NULL REFERENCES workload(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,       -- position in the list it came from
            secret_name TEXT NOT NULL,
            source TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        CREATE INDEX workload_secret_ref_by_workload ON workload_secret_ref(workload_id, idx);
        CREATE TABLE secret (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,    -- "" for cluster-scoped objects
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object; never last-applied-configuration
            -- owner_refs: JSON array of ownerReferences
            owner_refs TEXT NOT NULL,
            type TEXT NOT NULL
        );
        CREATE INDEX secret_by_name ON secret(snapshot_id, namespace, name);
        CREATE TABLE secret_key (
            id INTEGER PRIMARY KEY,
            secret_id INTEGER NOT NULL REFERENCES secret(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,       -- position in the list it came from
            name TEXT NOT NULL,
            size INTEGER NOT NULL,      -- decoded value size in bytes; the value itself is never stored
            pem_types TEXT NOT NULL     -- JSON array of PEM block types found, e.g. ["RSA PRIVATE KEY"]
        );
        CREATE INDEX secret_key_by_secret ON secret_key(secret_id, idx);
        CREATE TABLE secret_certificate (
            id INTEGER PRIMARY KEY,
            secret_id INTEGER NOT NULL REFERENCES secret(id) ON DELETE CASCADE,
            key TEXT NOT NULL,              -- data key, e.g. tls.crt
            pem TEXT NOT NULL               -- CERTIFICATE blocks only: public
        );
        CREATE INDEX secret_certificate_by_secret ON secret_certificate(secret_id);
        CREATE TABLE ingress (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,    -- "" for cluster-scoped objects
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object; never last-applied-configuration
            -- owner_refs: JSON array of ownerReferences
            owner_refs TEXT NOT NULL,
            ingress_class_name TEXT NOT NULL
        );
        CREATE INDEX ingress_by_name ON ingress(snapshot_id, namespace, name);
        CREATE TABLE ingress_tls (
            id INTEGER PRIMARY KEY,
            ingress_id INTEGER NOT NULL REFERENCES ingress(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,       -- position in the list it came from
            hosts TEXT NOT NULL,            -- JSON array
            secret_name TEXT NOT NULL
        );
        CREATE INDEX ingress_tls_by_ingress ON ingress_tls(ingress_id, idx);
        CREATE TABLE ingress_rule (
            id INTEGER PRIMARY KEY,
            ingress_id INTEGER NOT NULL REFERENCES ingress(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,       -- position in the list it came from
            host TEXT NOT NULL
        );
        CREATE INDEX ingress_rule_by_ingress ON ingress_rule(ingress_id, idx);
        CREATE TABLE ingress_backend (
            id INTEGER PRIMARY KEY,
            ingress_rule_id INTEGER NOT NULL REFERENCES ingress_rule(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,       -- position in the list it came from
            path TEXT NOT NULL,
            service_name TEXT NOT NULL,
            port TEXT NOT NULL          -- number or name, as written
        );
        CREATE INDEX ingress_backend_by_ingress_rule ON ingress_backend(ingress_rule_id, idx);
        CREATE TABLE gateway (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,    -- "" for cluster-scoped objects
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object; never last-applied-configuration
            -- owner_refs: JSON array of ownerReferences
            owner_refs TEXT NOT NULL,
            gateway_class_name TEXT NOT NULL
        );
        CREATE INDEX gateway_by_name ON gateway(snapshot_id, namespace, name);
        CREATE TABLE gateway_listener (
            id INTEGER PRIMARY KEY,
            gateway_id INTEGER NOT NULL REFERENCES gateway(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,       -- position in the list it came from
            name TEXT NOT NULL,
            hostname TEXT NOT NULL,
            port INTEGER NOT NULL,
            protocol TEXT NOT NULL,
            tls_mode TEXT NOT NULL      -- Terminate, Passthrough, or "" without tls
        );
        CREATE INDEX gateway_listener_by_gateway ON gateway_listener(gateway_id, idx);
        CREATE TABLE gateway_certificate_ref (
            id INTEGER PRIMARY KEY,
            gateway_listener_id INTEGER NOT NULL REFERENCES gateway_listener(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,       -- position in the list it came from
            api_group TEXT NOT NULL,
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL
        );
        CREATE INDEX gateway_certificate_ref_by_gateway_listener ON gateway_certificate_ref(gateway_listener_id, idx);
        CREATE TABLE certificate (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,    -- "" for cluster-scoped objects
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object; never last-applied-configuration
            -- owner_refs: JSON array of ownerReferences
            owner_refs TEXT NOT NULL,
            secret_name TEXT NOT NULL,
            common_name TEXT NOT NULL,
            dns_names TEXT NOT NULL,    -- JSON array
            issuer_name TEXT NOT NULL,
            issuer_kind TEXT NOT NULL,
            issuer_group TEXT NOT NULL,
            is_ca INTEGER NOT NULL
        );
        CREATE INDEX certificate_by_name ON certificate(snapshot_id, namespace, name);
        CREATE TABLE issuer (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,    -- "" for cluster-scoped objects
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object; never last-applied-configuration
            -- owner_refs: JSON array of ownerReferences
            owner_refs TEXT NOT NULL,
            ca_secret_name TEXT NOT NULL,
            acme_private_key_secret_name TEXT NOT NULL,
            other_secret_refs TEXT NOT NULL  -- JSON object: field path -> secret name
        );
        CREATE INDEX issuer_by_name ON issuer(snapshot_id, namespace, name);

        """

    /// The engine's output (DerivedAccess), one set per snapshot.
    static let derivedTables = """
        CREATE TABLE derived_meta (
            snapshot_id INTEGER PRIMARY KEY REFERENCES snapshot(id) ON DELETE CASCADE,
            engine_version INTEGER NOT NULL,
            computed_at TEXT NOT NULL
        );
        CREATE TABLE identity (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,             -- User, Group, ServiceAccount, Node
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            username TEXT NOT NULL,         -- "" for a Group checked as itself
            groups TEXT NOT NULL            -- JSON array
        );
        CREATE INDEX identity_by_name ON identity(snapshot_id, kind, namespace, name);
        -- Every user and group name an identity authenticates with, as 'user:NAME' / 'group:NAME':
        -- the join key to secret_grant.principal.
        CREATE TABLE identity_principal (
            identity_id INTEGER NOT NULL REFERENCES identity(id) ON DELETE CASCADE,
            snapshot_id INTEGER NOT NULL,
            principal TEXT NOT NULL
        );
        CREATE INDEX identity_principal_by_principal ON identity_principal(snapshot_id, principal);
        CREATE INDEX identity_principal_by_identity ON identity_principal(identity_id);
        -- One binding subject granted one secret verb by one rule.
        CREATE TABLE secret_grant (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            verb TEXT NOT NULL,             -- get, list, watch
            namespace TEXT,                 -- NULL: every namespace (ClusterRoleBinding)
            secret_name TEXT,               -- NULL: every name (no resourceNames)
            principal TEXT NOT NULL,        -- 'user:NAME' or 'group:NAME'
            subject_kind TEXT NOT NULL,
            subject_api_group TEXT NOT NULL,
            subject_namespace TEXT NOT NULL,
            subject_name TEXT NOT NULL,
            binding_kind TEXT NOT NULL,
            binding_namespace TEXT NOT NULL,
            binding_name TEXT NOT NULL,
            role_kind TEXT NOT NULL,
            role_namespace TEXT NOT NULL,
            role_name TEXT NOT NULL,
            rule_index INTEGER NOT NULL
        );
        CREATE INDEX secret_grant_by_secret ON secret_grant(snapshot_id, verb, namespace, secret_name);
        CREATE INDEX secret_grant_by_principal ON secret_grant(snapshot_id, principal);
        -- The node authorizer: the kubelet of node may read the secret a pod bound to it references.
        CREATE TABLE node_secret_grant (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            node TEXT NOT NULL,
            namespace TEXT NOT NULL,
            secret_name TEXT NOT NULL,
            pod_kind TEXT NOT NULL,
            pod_namespace TEXT NOT NULL,
            pod_name TEXT NOT NULL,
            source TEXT NOT NULL
        );
        CREATE INDEX node_secret_grant_by_secret ON node_secret_grant(snapshot_id, namespace, secret_name);
        """

    /// Migration v3: the private-key inventory (Exposure's `PrivateKeyRecord`),
    /// stored at import, and `read_access`, the engine's grants joined to the
    /// identities they reach. Literal SQL: a shipped migration never changes,
    /// so it shares no helper with other code.
    static let privateKeyTables = """
        CREATE TABLE private_key_meta (
            snapshot_id INTEGER PRIMARY KEY REFERENCES snapshot(id) ON DELETE CASCADE,
            inventory_version INTEGER NOT NULL,
            computed_at TEXT NOT NULL
        );
        -- One private-key secret: why is in private_key_reason, its certificates in private_key_certificate.
        CREATE TABLE private_key (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            secret_exists INTEGER NOT NULL,     -- 0: named by a Certificate, issuer, Ingress... but not in the dump
            type TEXT,                          -- the secret's type, NULL when it does not exist
            key_kind TEXT NOT NULL,             -- meshCA, certificateAuthority, acmeAccount, leaf
            severity TEXT NOT NULL,             -- info, low, medium, high, critical (default expected holders)
            severity_rank INTEGER NOT NULL,     -- 0 info ... 4 critical, for max() and ORDER BY
            unexpected_readers INTEGER NOT NULL,
            expected_readers INTEGER NOT NULL
        );
        CREATE INDEX private_key_by_name ON private_key(snapshot_id, namespace, name);
        CREATE TABLE private_key_reason (
            id INTEGER PRIMARY KEY,
            private_key_id INTEGER NOT NULL REFERENCES private_key(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            code TEXT NOT NULL,                 -- type, dataKey, pemBlock, certificate, issuerCA, ingress, ...
            reason TEXT NOT NULL                -- the sentence keyreach exposure prints
        );
        CREATE INDEX private_key_reason_by_private_key ON private_key_reason(private_key_id, idx);
        CREATE TABLE private_key_certificate (
            id INTEGER PRIMARY KEY,
            private_key_id INTEGER NOT NULL REFERENCES private_key(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,               -- tls.crt first, leaf first
            data_key TEXT NOT NULL,
            bundle_index INTEGER NOT NULL,      -- position in that key's PEM bundle
            subject TEXT NOT NULL,
            common_name TEXT NOT NULL,
            issuer TEXT NOT NULL,
            dns_names TEXT NOT NULL,            -- JSON array
            ip_addresses TEXT NOT NULL,         -- JSON array
            not_before TEXT NOT NULL,           -- ISO 8601 UTC, "" when unparsed
            not_after TEXT NOT NULL,
            is_ca INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            parse_error TEXT                    -- NULL when parsed
        );
        CREATE INDEX private_key_certificate_by_private_key ON private_key_certificate(private_key_id, idx);
        -- Effective read access: one row per identity, verb, scope and path, from the engine's
        -- tables (secret_grant x identity_principal x identity; system:masters; node_secret_grant).
        -- namespace NULL: every namespace; secret_name NULL: every secret in scope.
        CREATE VIEW read_access AS
        WITH read_verb(verb) AS (VALUES ('get'), ('list'), ('watch'))
        SELECT g.snapshot_id, i.id AS identity_id, i.kind, i.namespace AS identity_namespace, i.name AS identity_name,
               g.verb, g.namespace, g.secret_name, 'rbac' AS via, g.principal AS via_principal,
               g.binding_kind, g.binding_namespace, g.binding_name, g.role_kind, g.role_namespace, g.role_name,
               g.rule_index, NULL AS pod_namespace, NULL AS pod_name, NULL AS pod_source
        FROM secret_grant g
        JOIN identity_principal p ON p.snapshot_id = g.snapshot_id AND p.principal = g.principal
        JOIN identity i ON i.id = p.identity_id
        UNION ALL
        SELECT p.snapshot_id, i.id, i.kind, i.namespace, i.name, v.verb, NULL, NULL, 'superuser', p.principal,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM identity_principal p JOIN identity i ON i.id = p.identity_id CROSS JOIN read_verb v
        WHERE p.principal = 'group:system:masters'
        UNION ALL
        SELECT n.snapshot_id, i.id, i.kind, i.namespace, i.name, v.verb, n.namespace, n.secret_name, 'node',
               'user:' || i.username, NULL, NULL, NULL, NULL, NULL, NULL, NULL, n.pod_namespace, n.pod_name, n.source
        FROM node_secret_grant n
        JOIN identity i ON i.snapshot_id = n.snapshot_id AND i.kind = 'Node' AND i.namespace = '' AND i.name = n.node
        CROSS JOIN read_verb v;
        """

    /// Migration v6, frozen: the key identity of issue 17. `key_id` is the
    /// `namespace/name` the key is listed under by `exposure`, the same for every
    /// secret holding that key; `copy_via` says how a copy holds it (NULL for
    /// the listed one); `public_key_sha256` is the SHA-256 of a certificate's
    /// SubjectPublicKeyInfo (the key pair's identity, never the private key).
    static let keyIdentityMigration = """
        ALTER TABLE private_key ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE private_key ADD COLUMN copy_via TEXT;  -- same public key | replicator annotation | reflector annotation | kubed annotation
        ALTER TABLE private_key_certificate ADD COLUMN public_key_sha256 TEXT NOT NULL DEFAULT '';
        CREATE INDEX private_key_by_key_id ON private_key(snapshot_id, key_id);
        """
}
