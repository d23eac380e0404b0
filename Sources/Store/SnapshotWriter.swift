import GRDB
import KubeModel

/// Writes one ClusterSnapshot's objects into the object tables, inside the
/// caller's transaction. Ids are assigned here, counting up from each table's
/// largest id, so parents and children are linked without asking SQLite for
/// the last rowid and the rows of one snapshot keep their array order.
struct SnapshotWriter {
    let db: Database
    let snapshotID: Int64
    /// Called after each table is written; tests use it to fail an import
    /// halfway and check that nothing of it stays.
    let afterTable: (String) throws -> Void
    private(set) var rowsWritten = 0

    init(db: Database, snapshotID: Int64, afterTable: @escaping (String) throws -> Void) {
        self.db = db
        self.snapshotID = snapshotID
        self.afterTable = afterTable
    }

    static let metadataColumns = ["namespace", "name", "uid", "labels", "annotations", "owner_refs"]

    mutating func write(_ snapshot: ClusterSnapshot) throws {
        try writeCounts(snapshot.countsByKind)
        try writeMetadataOnly("namespace", snapshot.namespaces.map(\.meta))
        try writeMetadataOnly("node", snapshot.nodes.map(\.meta))
        try writeServiceAccounts(snapshot.serviceAccounts)
        try writeRoles(snapshot.roles)
        try writeBindings(snapshot.bindings)
        try writePods(snapshot.pods)
        try writeWorkloads(snapshot.workloads)
        try writeSecrets(snapshot.secrets)
        try writeIngresses(snapshot.ingresses)
        try writeGateways(snapshot.gateways)
        try writeCertificates(snapshot.certificates)
        try writeIssuers(snapshot.issuers)
        try finish("serving", rows: try ServingWriter(db: db, snapshotID: snapshotID).write(snapshot))
    }

    // MARK: Tables

    private mutating func writeCounts(_ counts: [String: Int]) throws {
        var insert = try RowInserter(db, table: "snapshot_kind_count", columns: ["snapshot_id", "kind", "count"])
        for (kind, count) in counts.sorted(by: { $0.key < $1.key }) {
            insert.bind(snapshotID); insert.bind(kind); insert.bind(count)
            try insert.insert()
        }
        try insert.finish()
        try finish("snapshot_kind_count", rows: counts.count)
    }

    private mutating func writeMetadataOnly(_ table: String, _ metas: [ObjectMeta]) throws {
        var insert = try objectInserter(table)
        var ids = try IDAllocator(db, table: table)
        for meta in metas {
            insert.bind(ids.next()); insert.bind(snapshotID); insert.bindMetadata(meta)
            try insert.insert()
        }
        try insert.finish()
        try finish(table, rows: metas.count)
    }

    private mutating func writeServiceAccounts(_ accounts: [ServiceAccount]) throws {
        var insert = try objectInserter("service_account", ["automount", "secret_names", "image_pull_secret_names"])
        var ids = try IDAllocator(db, table: "service_account")
        for account in accounts {
            insert.bind(ids.next()); insert.bind(snapshotID); insert.bindMetadata(account.meta)
            insert.bind(account.automountServiceAccountToken)
            insert.bindJSON(account.secretNames)
            insert.bindJSON(account.imagePullSecretNames)
            try insert.insert()
        }
        try insert.finish()
        try finish("service_account", rows: accounts.count)
    }

    private mutating func writeRoles(_ roles: [Role]) throws {
        var insertRole = try objectInserter("role", kind: true, ["aggregation_rule"])
        var insertRule = try childInserter("rule", parent: "role",
                                           ["verbs", "api_groups", "resources", "resource_names", "non_resource_urls"])
        var roleIDs = try IDAllocator(db, table: "role")
        var ruleIDs = try IDAllocator(db, table: "rule")
        var ruleCount = 0
        for role in roles {
            let roleID = roleIDs.next()
            insertRole.bind(roleID); insertRole.bind(snapshotID)
            insertRole.bind(role.isClusterRole ? "ClusterRole" : "Role")
            insertRole.bindMetadata(role.meta)
            insertRole.bind(JSONText.aggregationRule(role.aggregationRule))
            try insertRole.insert()
            for (index, rule) in role.rules.enumerated() {
                insertRule.bind(ruleIDs.next()); insertRule.bind(roleID); insertRule.bind(index)
                insertRule.bindJSON(rule.verbs)
                insertRule.bindJSON(rule.apiGroups)
                insertRule.bindJSON(rule.resources)
                insertRule.bindJSON(rule.resourceNames)
                insertRule.bindJSON(rule.nonResourceURLs)
                try insertRule.insert()
            }
            ruleCount += role.rules.count
        }
        try insertRole.finish()
        try insertRule.finish()
        try finish("role", rows: roles.count + ruleCount)
    }

    private mutating func writeBindings(_ bindings: [RoleBinding]) throws {
        var insertBinding = try objectInserter("binding", kind: true,
                                               ["role_ref_api_group", "role_ref_kind", "role_ref_name"])
        var insertSubject = try childInserter("binding_subject", parent: "binding",
                                              ["kind", "api_group", "name", "namespace"])
        var bindingIDs = try IDAllocator(db, table: "binding")
        var subjectIDs = try IDAllocator(db, table: "binding_subject")
        var subjectCount = 0
        for binding in bindings {
            let bindingID = bindingIDs.next()
            insertBinding.bind(bindingID); insertBinding.bind(snapshotID)
            insertBinding.bind(binding.isClusterRoleBinding ? "ClusterRoleBinding" : "RoleBinding")
            insertBinding.bindMetadata(binding.meta)
            insertBinding.bind(binding.roleRef.apiGroup)
            insertBinding.bind(binding.roleRef.kind)
            insertBinding.bind(binding.roleRef.name)
            try insertBinding.insert()
            for (index, subject) in binding.subjects.enumerated() {
                insertSubject.bind(subjectIDs.next()); insertSubject.bind(bindingID); insertSubject.bind(index)
                insertSubject.bind(subject.kind); insertSubject.bind(subject.apiGroup)
                insertSubject.bind(subject.name); insertSubject.bind(subject.namespace)
                try insertSubject.insert()
            }
            subjectCount += binding.subjects.count
        }
        try insertBinding.finish()
        try insertSubject.finish()
        try finish("binding", rows: bindings.count + subjectCount)
    }

    private mutating func writePods(_ pods: [Pod]) throws {
        var insertPod = try objectInserter("pod", ["service_account", "node_name", "automount"])
        var insertReference = try childInserter("pod_secret_ref", parent: "pod", ["secret_name", "source", "detail"])
        var podIDs = try IDAllocator(db, table: "pod")
        var referenceIDs = try IDAllocator(db, table: "pod_secret_ref")
        var referenceCount = 0
        for pod in pods {
            let podID = podIDs.next()
            insertPod.bind(podID); insertPod.bind(snapshotID); insertPod.bindMetadata(pod.meta)
            insertPod.bind(pod.spec.serviceAccountName)
            insertPod.bind(pod.spec.nodeName)
            insertPod.bind(pod.spec.automountServiceAccountToken)
            try insertPod.insert()
            referenceCount += try Self.writeSecretReferences(pod.spec.secretReferences, parentID: podID,
                                                             insert: &insertReference, ids: &referenceIDs)
        }
        try insertPod.finish()
        try insertReference.finish()
        try finish("pod", rows: pods.count + referenceCount)
    }

    private mutating func writeWorkloads(_ workloads: [Workload]) throws {
        var insertWorkload = try objectInserter("workload", kind: true, ["service_account", "node_name", "automount"])
        var insertReference = try childInserter("workload_secret_ref", parent: "workload",
                                                ["secret_name", "source", "detail"])
        var workloadIDs = try IDAllocator(db, table: "workload")
        var referenceIDs = try IDAllocator(db, table: "workload_secret_ref")
        var referenceCount = 0
        for workload in workloads {
            let workloadID = workloadIDs.next()
            insertWorkload.bind(workloadID); insertWorkload.bind(snapshotID); insertWorkload.bind(workload.kind)
            insertWorkload.bindMetadata(workload.meta)
            insertWorkload.bind(workload.template.serviceAccountName)
            insertWorkload.bind(workload.template.nodeName)
            insertWorkload.bind(workload.template.automountServiceAccountToken)
            try insertWorkload.insert()
            referenceCount += try Self.writeSecretReferences(workload.template.secretReferences, parentID: workloadID,
                                                             insert: &insertReference, ids: &referenceIDs)
        }
        try insertWorkload.finish()
        try insertReference.finish()
        try finish("workload", rows: workloads.count + referenceCount)
    }

    private static func writeSecretReferences(_ references: [PodSecretReference], parentID: Int64,
                                              insert: inout RowInserter, ids: inout IDAllocator) throws -> Int {
        for (index, reference) in references.enumerated() {
            insert.bind(ids.next()); insert.bind(parentID); insert.bind(index)
            insert.bind(reference.name); insert.bind(reference.source.rawValue); insert.bind(reference.detail)
            try insert.insert()
        }
        return references.count
    }

    private mutating func writeSecrets(_ secrets: [Secret]) throws {
        var insertSecret = try objectInserter("secret", ["type"])
        var insertKey = try childInserter("secret_key", parent: "secret", ["name", "size", "pem_types"])
        var insertCertificate = try RowInserter(db, table: "secret_certificate", columns: ["id", "secret_id", "key", "pem"])
        var secretIDs = try IDAllocator(db, table: "secret")
        var keyIDs = try IDAllocator(db, table: "secret_key")
        var certificateIDs = try IDAllocator(db, table: "secret_certificate")
        var childCount = 0
        for secret in secrets {
            let secretID = secretIDs.next()
            insertSecret.bind(secretID); insertSecret.bind(snapshotID); insertSecret.bindMetadata(secret.meta)
            insertSecret.bind(secret.type)
            try insertSecret.insert()
            for (index, key) in secret.keys.enumerated() {
                insertKey.bind(keyIDs.next()); insertKey.bind(secretID); insertKey.bind(index)
                insertKey.bind(key.name); insertKey.bind(key.size); insertKey.bindJSON(key.pemBlockTypes)
                try insertKey.insert()
            }
            for (key, pem) in secret.certificatesPEM.sortedByKey {
                insertCertificate.bind(certificateIDs.next()); insertCertificate.bind(secretID)
                insertCertificate.bind(key); insertCertificate.bind(pem)
                try insertCertificate.insert()
            }
            childCount += secret.keys.count + secret.certificatesPEM.count
        }
        try insertSecret.finish()
        try insertKey.finish()
        try insertCertificate.finish()
        try finish("secret", rows: secrets.count + childCount)
    }

    private mutating func writeIngresses(_ ingresses: [Ingress]) throws {
        var insertIngress = try objectInserter("ingress", ["ingress_class_name"])
        var insertTLS = try childInserter("ingress_tls", parent: "ingress", ["hosts", "secret_name"])
        var insertRule = try childInserter("ingress_rule", parent: "ingress", ["host"])
        var insertBackend = try childInserter("ingress_backend", parent: "ingress_rule", ["path", "service_name", "port"])
        var ingressIDs = try IDAllocator(db, table: "ingress")
        var tlsIDs = try IDAllocator(db, table: "ingress_tls")
        var ruleIDs = try IDAllocator(db, table: "ingress_rule")
        var backendIDs = try IDAllocator(db, table: "ingress_backend")
        var rows = 0
        for ingress in ingresses {
            let ingressID = ingressIDs.next()
            insertIngress.bind(ingressID); insertIngress.bind(snapshotID); insertIngress.bindMetadata(ingress.meta)
            insertIngress.bind(ingress.ingressClassName)
            try insertIngress.insert()
            for (index, tls) in ingress.tls.enumerated() {
                insertTLS.bind(tlsIDs.next()); insertTLS.bind(ingressID); insertTLS.bind(index)
                insertTLS.bindJSON(tls.hosts); insertTLS.bind(tls.secretName)
                try insertTLS.insert()
            }
            for (index, rule) in ingress.rules.enumerated() {
                let ruleID = ruleIDs.next()
                insertRule.bind(ruleID); insertRule.bind(ingressID); insertRule.bind(index); insertRule.bind(rule.host)
                try insertRule.insert()
                for (position, backend) in rule.backends.enumerated() {
                    insertBackend.bind(backendIDs.next()); insertBackend.bind(ruleID); insertBackend.bind(position)
                    insertBackend.bind(backend.path); insertBackend.bind(backend.serviceName); insertBackend.bind(backend.port)
                    try insertBackend.insert()
                }
                rows += rule.backends.count
            }
            rows += 1 + ingress.tls.count + ingress.rules.count
        }
        try insertIngress.finish()
        try insertTLS.finish()
        try insertRule.finish()
        try insertBackend.finish()
        try finish("ingress", rows: rows)
    }

    private mutating func writeGateways(_ gateways: [Gateway]) throws {
        var insertGateway = try objectInserter("gateway", ["gateway_class_name"])
        var insertListener = try childInserter("gateway_listener", parent: "gateway",
                                               ["name", "hostname", "port", "protocol", "tls_mode"])
        var insertReference = try childInserter("gateway_certificate_ref", parent: "gateway_listener",
                                                ["api_group", "kind", "namespace", "name"])
        var gatewayIDs = try IDAllocator(db, table: "gateway")
        var listenerIDs = try IDAllocator(db, table: "gateway_listener")
        var referenceIDs = try IDAllocator(db, table: "gateway_certificate_ref")
        var rows = 0
        for gateway in gateways {
            let gatewayID = gatewayIDs.next()
            insertGateway.bind(gatewayID); insertGateway.bind(snapshotID); insertGateway.bindMetadata(gateway.meta)
            insertGateway.bind(gateway.gatewayClassName)
            try insertGateway.insert()
            for (index, listener) in gateway.listeners.enumerated() {
                let listenerID = listenerIDs.next()
                insertListener.bind(listenerID); insertListener.bind(gatewayID); insertListener.bind(index)
                insertListener.bind(listener.name); insertListener.bind(listener.hostname); insertListener.bind(listener.port)
                insertListener.bind(listener.protocol); insertListener.bind(listener.tlsMode)
                try insertListener.insert()
                for (position, reference) in listener.certificateRefs.enumerated() {
                    insertReference.bind(referenceIDs.next()); insertReference.bind(listenerID); insertReference.bind(position)
                    insertReference.bind(reference.group); insertReference.bind(reference.kind)
                    insertReference.bind(reference.namespace); insertReference.bind(reference.name)
                    try insertReference.insert()
                }
                rows += listener.certificateRefs.count
            }
            rows += 1 + gateway.listeners.count
        }
        try insertGateway.finish()
        try insertListener.finish()
        try insertReference.finish()
        try finish("gateway", rows: rows)
    }

    private mutating func writeCertificates(_ certificates: [Certificate]) throws {
        var insert = try objectInserter("certificate", ["secret_name", "common_name", "dns_names",
                                                        "issuer_name", "issuer_kind", "issuer_group", "is_ca"])
        var ids = try IDAllocator(db, table: "certificate")
        for certificate in certificates {
            insert.bind(ids.next()); insert.bind(snapshotID); insert.bindMetadata(certificate.meta)
            insert.bind(certificate.secretName); insert.bind(certificate.commonName)
            insert.bindJSON(certificate.dnsNames)
            insert.bind(certificate.issuerRef.name); insert.bind(certificate.issuerRef.kind)
            insert.bind(certificate.issuerRef.group); insert.bind(certificate.isCA)
            try insert.insert()
        }
        try insert.finish()
        try finish("certificate", rows: certificates.count)
    }

    private mutating func writeIssuers(_ issuers: [Issuer]) throws {
        var insert = try objectInserter("issuer", kind: true,
                                        ["ca_secret_name", "acme_private_key_secret_name", "other_secret_refs"])
        var ids = try IDAllocator(db, table: "issuer")
        for issuer in issuers {
            insert.bind(ids.next()); insert.bind(snapshotID); insert.bind(issuer.kind); insert.bindMetadata(issuer.meta)
            insert.bind(issuer.caSecretName); insert.bind(issuer.acmePrivateKeySecretName)
            insert.bindJSON(issuer.otherSecretRefs)
            try insert.insert()
        }
        try insert.finish()
        try finish("issuer", rows: issuers.count)
    }

    // MARK: Helpers

    private mutating func finish(_ table: String, rows: Int) throws {
        rowsWritten += rows
        try afterTable(table)
    }

    private func objectInserter(_ table: String, kind: Bool = false, _ columns: [String] = []) throws -> RowInserter {
        let all = ["id", "snapshot_id"] + (kind ? ["kind"] : []) + Self.metadataColumns + columns
        return try RowInserter(db, table: table, columns: all)
    }

    private func childInserter(_ table: String, parent: String, _ columns: [String]) throws -> RowInserter {
        try RowInserter(db, table: table, columns: ["id", parent + "_id", "idx"] + columns)
    }

}

/// Hands out ids for one table, starting after the largest id it holds.
struct IDAllocator {
    private var nextID: Int64

    init(_ db: Database, table: String) throws {
        nextID = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM \(table)") ?? 1
    }

    mutating func next() -> Int64 {
        defer { nextID += 1 }
        return nextID
    }
}

extension RowInserter {
    /// Binds the six metadata columns, in `SnapshotWriter.metadataColumns` order.
    mutating func bindMetadata(_ meta: ObjectMeta) {
        bind(meta.namespace)
        bind(meta.name)
        bind(meta.uid)
        bindJSON(meta.labels)
        bindJSON(meta.annotations)
        bindJSON(meta.ownerReferences)
    }
}
