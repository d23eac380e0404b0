import GRDB
import KubeModel

/// Reads one snapshot's object tables back into a ClusterSnapshot, in the
/// order they were written: parents by id, children by (parent id, idx).
struct SnapshotReader {
    let db: Database
    let snapshotID: Int64

    func read() throws -> ClusterSnapshot {
        var snapshot = ClusterSnapshot()
        snapshot.namespaces = try readObjects("namespace") { row, meta in Namespace(meta: meta) }.objects
        snapshot.nodes = try readObjects("node") { row, meta in Node(meta: meta) }.objects
        snapshot.serviceAccounts = try readServiceAccounts()
        snapshot.roles = try readRoles()
        snapshot.bindings = try readBindings()
        snapshot.pods = try readPods()
        snapshot.workloads = try readWorkloads()
        snapshot.secrets = try readSecrets()
        snapshot.ingresses = try readIngresses()
        snapshot.gateways = try readGateways()
        snapshot.certificates = try readCertificates()
        snapshot.issuers = try readIssuers()
        try ServingReader(db: db, snapshotID: snapshotID).read(into: &snapshot)
        return snapshot
    }

    // MARK: Tables

    private func readServiceAccounts() throws -> [ServiceAccount] {
        try readObjects("service_account", ["automount", "secret_names", "image_pull_secret_names"]) { row, meta in
            ServiceAccount(meta: meta, automountServiceAccountToken: row.optionalBool(7),
                           secretNames: try JSONText.parseArray(row.text(8)),
                           imagePullSecretNames: try JSONText.parseArray(row.text(9)))
        }.objects
    }

    private func readRoles() throws -> [Role] {
        var (roles, ids) = try readObjects("role", ["aggregation_rule"]) { row, meta in
            Role(meta: meta, rules: [], aggregationRule: try JSONText.parseAggregationRule(row.optionalText(7)))
        }
        try readChildren("rule", parent: "role", ids: ids,
                         ["verbs", "api_groups", "resources", "resource_names", "non_resource_urls"]) { row, index in
            roles[index].rules.append(PolicyRule(
                verbs: try JSONText.parseArray(row.text(1)), apiGroups: try JSONText.parseArray(row.text(2)),
                resources: try JSONText.parseArray(row.text(3)), resourceNames: try JSONText.parseArray(row.text(4)),
                nonResourceURLs: try JSONText.parseArray(row.text(5))))
        }
        return roles
    }

    private func readBindings() throws -> [RoleBinding] {
        var (bindings, ids) = try readObjects("binding", ["role_ref_api_group", "role_ref_kind", "role_ref_name"]) { row, meta in
            RoleBinding(meta: meta, roleRef: RoleRef(apiGroup: row.text(7), kind: row.text(8), name: row.text(9)), subjects: [])
        }
        try readChildren("binding_subject", parent: "binding", ids: ids, ["kind", "api_group", "name", "namespace"]) { row, index in
            bindings[index].subjects.append(
                Subject(kind: row.text(1), apiGroup: row.text(2), name: row.text(3), namespace: row.text(4)))
        }
        return bindings
    }

    private func readPods() throws -> [Pod] {
        var (pods, ids) = try readObjects("pod", ["service_account", "node_name", "automount"]) { row, meta in
            Pod(meta: meta, spec: PodSpec(serviceAccountName: row.text(7), nodeName: row.text(8),
                                          automountServiceAccountToken: row.optionalBool(9)))
        }
        try readChildren("pod_secret_ref", parent: "pod", ids: ids, ["secret_name", "source", "detail"]) { row, index in
            pods[index].spec.secretReferences.append(try Self.secretReference(row))
        }
        return pods
    }

    private func readWorkloads() throws -> [Workload] {
        var (workloads, ids) = try readObjects("workload", ["kind", "service_account", "node_name", "automount"]) { row, meta in
            Workload(kind: row.text(7), meta: meta,
                     template: PodSpec(serviceAccountName: row.text(8), nodeName: row.text(9),
                                       automountServiceAccountToken: row.optionalBool(10)))
        }
        try readChildren("workload_secret_ref", parent: "workload", ids: ids, ["secret_name", "source", "detail"]) { row, index in
            workloads[index].template.secretReferences.append(try Self.secretReference(row))
        }
        return workloads
    }

    private static func secretReference(_ row: RowReader) throws -> PodSecretReference {
        let source = row.text(2)
        guard let parsed = PodSecretReference.Source(rawValue: source) else {
            throw StoreError.corrupt("unknown secret reference source \(source)")
        }
        return PodSecretReference(name: row.text(1), source: parsed, detail: row.text(3))
    }

    private func readSecrets() throws -> [Secret] {
        var (secrets, ids) = try readObjects("secret", ["type"]) { row, meta in Secret(meta: meta, type: row.text(7)) }
        try readChildren("secret_key", parent: "secret", ids: ids, ["name", "size", "pem_types"]) { row, index in
            secrets[index].keys.append(SecretKey(name: row.text(1), size: row.int(2),
                                                 pemBlockTypes: try JSONText.parseArray(row.text(3))))
        }
        try readChildren("secret_certificate", parent: "secret", ids: ids, ["key", "pem"], orderedBy: "id") { row, index in
            secrets[index].certificatesPEM[row.text(1)] = row.text(2)
        }
        return secrets
    }

    private func readIngresses() throws -> [Ingress] {
        var (ingresses, ids) = try readObjects("ingress", ["ingress_class_name"]) { row, meta in
            Ingress(meta: meta, ingressClassName: row.text(7))
        }
        try readChildren("ingress_tls", parent: "ingress", ids: ids, ["hosts", "secret_name"]) { row, index in
            ingresses[index].tls.append(IngressTLS(hosts: try JSONText.parseArray(row.text(1)), secretName: row.text(2)))
        }
        // Rules keep their own ids so their backends can find them.
        var ruleIDs: [Int64] = []
        var rulePositions: [(ingress: Int, rule: Int)] = []
        try readChildren("ingress_rule", parent: "ingress", ids: ids, ["host", "id"]) { row, index in
            ruleIDs.append(row.int64(2))
            rulePositions.append((index, ingresses[index].rules.count))
            ingresses[index].rules.append(IngressRule(host: row.text(1)))
        }
        try readChildren("ingress_backend", parent: "ingress_rule", ids: ruleIDs, grandparent: ("ingress", "ingress"),
                         ["path", "service_name", "port"]) { row, index in
            let position = rulePositions[index]
            ingresses[position.ingress].rules[position.rule].backends.append(
                IngressBackend(path: row.text(1), serviceName: row.text(2), port: row.text(3)))
        }
        return ingresses
    }

    private func readGateways() throws -> [Gateway] {
        var (gateways, ids) = try readObjects("gateway", ["gateway_class_name"]) { row, meta in
            Gateway(meta: meta, gatewayClassName: row.text(7))
        }
        var listenerIDs: [Int64] = []
        var listenerPositions: [(gateway: Int, listener: Int)] = []
        try readChildren("gateway_listener", parent: "gateway", ids: ids,
                         ["name", "hostname", "port", "protocol", "tls_mode", "id"]) { row, index in
            listenerIDs.append(row.int64(6))
            listenerPositions.append((index, gateways[index].listeners.count))
            gateways[index].listeners.append(GatewayListener(name: row.text(1), hostname: row.text(2), port: row.int(3),
                                                             protocol: row.text(4), tlsMode: row.text(5)))
        }
        try readChildren("gateway_certificate_ref", parent: "gateway_listener", ids: listenerIDs,
                         grandparent: ("gateway", "gateway"), ["api_group", "kind", "namespace", "name"]) { row, index in
            let position = listenerPositions[index]
            gateways[position.gateway].listeners[position.listener].certificateRefs.append(
                GatewayCertificateRef(group: row.text(1), kind: row.text(2), namespace: row.text(3), name: row.text(4)))
        }
        return gateways
    }

    private func readCertificates() throws -> [Certificate] {
        try readObjects("certificate", ["secret_name", "common_name", "dns_names", "issuer_name", "issuer_kind",
                                        "issuer_group", "is_ca"]) { row, meta in
            Certificate(meta: meta, secretName: row.text(7), commonName: row.text(8),
                        dnsNames: try JSONText.parseArray(row.text(9)),
                        issuerRef: IssuerRef(name: row.text(10), kind: row.text(11), group: row.text(12)),
                        isCA: row.bool(13))
        }.objects
    }

    private func readIssuers() throws -> [Issuer] {
        try readObjects("issuer", ["kind", "ca_secret_name", "acme_private_key_secret_name", "other_secret_refs"]) { row, meta in
            Issuer(meta: meta, kind: row.text(7), caSecretName: row.text(8), acmePrivateKeySecretName: row.text(9),
                   otherSecretRefs: try JSONText.parseObject(row.text(10)))
        }.objects
    }

    // MARK: Helpers

    /// Reads a top-level table: column 0 is the id, 1...6 the metadata, then
    /// `columns` from 7 on.
    private func readObjects<Object>(_ table: String, _ columns: [String] = [],
                                     _ make: (RowReader, ObjectMeta) throws -> Object) throws -> (objects: [Object], ids: [Int64]) {
        let selected = (["id"] + SnapshotWriter.metadataColumns + columns).joined(separator: ", ")
        // `+snapshot_id`: scan the table in id order rather than search an index
        // on snapshot_id and sort what it finds (a database holds one snapshot
        // or a few: the scan reads no more, and needs no temporary B-tree).
        let row = try RowReader(db, sql: "SELECT \(selected) FROM \(table) WHERE +snapshot_id = ? ORDER BY id",
                                snapshotID: snapshotID)
        var objects: [Object] = []
        var ids: [Int64] = []
        while try row.next() {
            ids.append(row.int64(0))
            let meta = ObjectMeta(name: row.text(2), namespace: row.text(1), uid: row.text(3),
                                  labels: try JSONText.parseMap(row.text(4)),
                                  annotations: try JSONText.parseMap(row.text(5)),
                                  ownerReferences: try JSONText.parseOwnerReferences(row.text(6)))
            objects.append(try make(row, meta))
        }
        return (objects, ids)
    }

    /// Reads a child table of the snapshot's `parent` rows (whose ids are
    /// `ids`, ascending): column 0 is the parent id, then `columns` from 1 on.
    /// `append` gets the parent's position in `ids`. A grandchild table names
    /// the table above its parent and that table's id column prefix.
    private func readChildren(_ table: String, parent: String, ids: [Int64],
                              grandparent: (table: String, column: String)? = nil,
                              _ columns: [String], orderedBy order: String = "idx",
                              _ append: (RowReader, Int) throws -> Void) throws {
        if ids.isEmpty { return }
        let selected = (["c.\(parent)_id"] + columns.map { "c." + $0 }).joined(separator: ", ")
        var joins = "JOIN \(parent) p ON p.id = c.\(parent)_id"
        var owner = "p"
        if let grandparent {
            joins += " JOIN \(grandparent.table) g ON g.id = p.\(grandparent.column)_id"
            owner = "g"
        }
        // `+snapshot_id` for the same reason: children are read along their
        // (parent, order) index, each owner found by its id, and nothing sorted.
        let sql = "SELECT \(selected) FROM \(table) c \(joins) WHERE +\(owner).snapshot_id = ? ORDER BY c.\(parent)_id, c.\(order)"
        let row = try RowReader(db, sql: sql, snapshotID: snapshotID)
        var cursor = ParentCursor(ids: ids)
        while try row.next() {
            guard let index = cursor.index(of: row.int64(0)) else {
                throw StoreError.corrupt("\(table) row points at a missing \(parent)")
            }
            try append(row, index)
        }
    }
}
