import GRDB
import KubeModel

/// The tables of migration `v5-indirect-chains`: the "can become" graph of a
/// snapshot (``IndirectGraphRecord``), written at import in the same
/// transaction as the derived tables. Chains are paths in it, so it grows with
/// bindings, rules, pods and identities, never with secrets × identities.
extension Schema {
    /// The tables `v5-indirect-chains` adds, all keyed by `snapshot_id`.
    static let indirectTables = ["indirect_meta", "indirect_node", "indirect_edge", "indirect_seed"]

    /// Migration v5, frozen as the literal SQL it shipped with.
    static let indirectChainsMigration = """
        CREATE TABLE indirect_meta (
            snapshot_id INTEGER PRIMARY KEY REFERENCES snapshot(id) ON DELETE CASCADE,
            graph_version INTEGER NOT NULL,
            identity_count INTEGER NOT NULL,    -- nodes 0..identity_count-1: the identity rows, in id order
            computed_at TEXT NOT NULL
        );
        -- The other nodes: principal (name 'user:NAME' / 'group:NAME'), mount (runs a pod in namespace),
        -- bind (binds itself any role there), pod, execAny, nodeProxy (name: the node), impersonateUsers,
        -- impersonateGroups, impersonateServiceAccounts, tokenAny, heldRole (a role one can bind by name;
        -- scope: where). A hub with namespace '' is the hub of every namespace.
        CREATE TABLE indirect_node (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            node INTEGER NOT NULL,
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            scope TEXT NOT NULL
        );
        CREATE INDEX indirect_node_by_node ON indirect_node(snapshot_id, node);
        -- "from_node can become or reach to_node": with a step (createPods, workloadController, exec,
        -- impersonate, tokenRequest, readToken, bind, escalate, nodeProxy), the permission named by via
        -- ('rbac': binding, role, rule, subject; 'node': the kubelet reading a token); without, structure.
        CREATE TABLE indirect_edge (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            from_node INTEGER NOT NULL,
            to_node INTEGER NOT NULL,
            step TEXT,
            through_kind TEXT,
            through_namespace TEXT,
            through_name TEXT,
            via TEXT,                           -- 'rbac', 'node' or NULL
            binding_kind TEXT,
            binding_namespace TEXT,
            binding_name TEXT,
            role_kind TEXT,
            role_namespace TEXT,
            role_name TEXT,
            rule_index INTEGER,
            subject_kind TEXT,
            subject_api_group TEXT,
            subject_namespace TEXT,
            subject_name TEXT,
            principal TEXT,
            node_name TEXT,
            pod_kind TEXT,
            pod_namespace TEXT,
            pod_name TEXT,
            pod_source TEXT
        );
        CREATE INDEX indirect_edge_by_to ON indirect_edge(snapshot_id, to_node);
        -- Nodes that read one secret by name without a grant: 'mounts' (a pod mounting it),
        -- 'readsByName' (a role one can bind reads it; namespace '': in every namespace).
        CREATE TABLE indirect_seed (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,
            secret_name TEXT NOT NULL,
            node INTEGER NOT NULL
        );
        CREATE INDEX indirect_seed_by_secret ON indirect_seed(snapshot_id, namespace, secret_name);
        """
}

/// Writes and reads the indirect graph of one snapshot, inside the caller's transaction.
struct IndirectTables {
    let db: Database
    let snapshotID: Int64

    func delete() throws {
        for table in Schema.indirectTables {
            try db.execute(sql: "DELETE FROM \(table) WHERE snapshot_id = ?", arguments: [snapshotID])
        }
    }

    func write(_ graph: IndirectGraphRecord, computedAt: String) throws {
        try db.execute(sql: "INSERT INTO indirect_meta (snapshot_id, graph_version, identity_count, computed_at) VALUES (?, ?, ?, ?)",
                       arguments: [snapshotID, graph.version, graph.identityCount, computedAt])
        var nodes = try RowInserter(db, table: "indirect_node", columns: ["snapshot_id", "node", "kind", "namespace", "name", "scope"])
        for (offset, node) in graph.nodes.enumerated() {
            nodes.bind(snapshotID); nodes.bind(graph.identityCount + offset)
            nodes.bind(node.kind); nodes.bind(node.namespace); nodes.bind(node.name); nodes.bind(node.scope)
            try nodes.insert()
        }
        try nodes.finish()
        var edges = try RowInserter(db, table: "indirect_edge", columns: ["snapshot_id", "idx"] + Self.edgeColumns)
        for (index, edge) in graph.edges.enumerated() {
            edges.bind(snapshotID); edges.bind(index)
            edges.bind(edge.from); edges.bind(edge.to); edges.bind(edge.step)
            edges.bind(edge.through?.kind); edges.bind(edge.through?.namespace); edges.bind(edge.through?.name)
            switch edge.via {
            case let .rbac(binding, role, ruleIndex, subject, principal)?:
                edges.bind("rbac")
                edges.bind(binding.kind); edges.bind(binding.namespace); edges.bind(binding.name)
                edges.bind(role.kind); edges.bind(role.namespace); edges.bind(role.name); edges.bind(ruleIndex)
                edges.bind(subject.kind); edges.bind(subject.apiGroup); edges.bind(subject.namespace); edges.bind(subject.name)
                edges.bind(principal.key)
                for _ in 0..<5 { edges.bindNull() }
            case let .node(node, pod, source)?:
                edges.bind("node")
                for _ in 0..<12 { edges.bindNull() }
                edges.bind(node); edges.bind(pod.kind); edges.bind(pod.namespace); edges.bind(pod.name); edges.bind(source.rawValue)
            case nil:
                for _ in 0..<18 { edges.bindNull() }
            }
            try edges.insert()
        }
        try edges.finish()
        var seeds = try RowInserter(db, table: "indirect_seed", columns: ["snapshot_id", "kind", "namespace", "secret_name", "node"])
        for seed in graph.seeds {
            seeds.bind(snapshotID); seeds.bind(seed.kind); seeds.bind(seed.namespace); seeds.bind(seed.secretName); seeds.bind(seed.node)
            try seeds.insert()
        }
        try seeds.finish()
    }

    static let edgeColumns = ["from_node", "to_node", "step", "through_kind", "through_namespace", "through_name", "via",
                              "binding_kind", "binding_namespace", "binding_name", "role_kind", "role_namespace", "role_name",
                              "rule_index", "subject_kind", "subject_api_group", "subject_namespace", "subject_name", "principal",
                              "node_name", "pod_kind", "pod_namespace", "pod_name", "pod_source"]

    /// The stored graph; nil when none is stored or one of another version.
    func read() throws -> IndirectGraphRecord? {
        guard let meta = try Row.fetchOne(db, sql: "SELECT graph_version, identity_count FROM indirect_meta WHERE snapshot_id = ?",
                                          arguments: [snapshotID]),
              meta["graph_version"] as Int == IndirectGraphRecord.currentVersion else { return nil }
        let identityCount: Int = meta["identity_count"]
        var nodes: [IndirectNodeRecord] = []
        let nodeRow = try RowReader(db, sql: "SELECT kind, namespace, name, scope FROM indirect_node WHERE snapshot_id = ? ORDER BY node",
                                    snapshotID: snapshotID)
        while try nodeRow.next() {
            nodes.append(IndirectNodeRecord(kind: nodeRow.text(0), namespace: nodeRow.text(1), name: nodeRow.text(2), scope: nodeRow.text(3)))
        }
        var edges: [IndirectEdgeRecord] = []
        let row = try RowReader(db, sql: "SELECT \(Self.edgeColumns.joined(separator: ", ")) FROM indirect_edge WHERE +snapshot_id = ? ORDER BY idx",
                                snapshotID: snapshotID)
        while try row.next() {
            let through = row.optionalText(3).map { ObjectRef(kind: $0, namespace: row.text(4), name: row.text(5)) }
            var via: IndirectViaRecord?
            switch row.optionalText(6) {
            case "rbac":
                via = .rbac(binding: ObjectRef(kind: row.text(7), namespace: row.text(8), name: row.text(9)),
                            role: ObjectRef(kind: row.text(10), namespace: row.text(11), name: row.text(12)), ruleIndex: row.int(13),
                            subject: Subject(kind: row.text(14), apiGroup: row.text(15), name: row.text(17), namespace: row.text(16)),
                            principal: try DerivedTables.principal(row.text(18)))
            case "node":
                guard let source = PodSecretReference.Source(rawValue: row.text(23)) else {
                    throw StoreError.corrupt("unknown indirect edge source \(row.text(23))")
                }
                via = .node(node: row.text(19), pod: ObjectRef(kind: row.text(20), namespace: row.text(21), name: row.text(22)), source: source)
            default: via = nil
            }
            edges.append(IndirectEdgeRecord(from: row.int(0), to: row.int(1), step: row.optionalText(2), through: through, via: via))
        }
        var seeds: [IndirectSeedRecord] = []
        let seedRow = try RowReader(db, sql: "SELECT kind, namespace, secret_name, node FROM indirect_seed WHERE +snapshot_id = ? ORDER BY rowid",
                                    snapshotID: snapshotID)
        while try seedRow.next() {
            seeds.append(IndirectSeedRecord(kind: seedRow.text(0), namespace: seedRow.text(1), secretName: seedRow.text(2), node: seedRow.int(3)))
        }
        return IndirectGraphRecord(identityCount: identityCount, nodes: nodes, edges: edges, seeds: seeds)
    }
}
