import Foundation
import GRDB
import KubeModel

/// The tables of migration `v4-tls-kinds`: the objects of ``ServingObjects``
/// (where TLS ends) and containers' names, images and kept flags. Every table
/// carries `snapshot_id`, children too, so a snapshot's rows go with one
/// DELETE per table. Nested lists that no query filters on are JSON text.
extension Schema {
    /// The tables `v4-tls-kinds` adds, all keyed by `snapshot_id`.
    static let servingTables = [
        "service", "service_port", "gateway_route", "istio_gateway", "peer_authentication",
        "traefik_ingress_route", "external_secret", "container",
    ]

    static let tlsKindsMigration = """
        CREATE TABLE service (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,       -- JSON object
            annotations TEXT NOT NULL,  -- JSON object
            owner_refs TEXT NOT NULL,   -- JSON array
            type TEXT NOT NULL,         -- ClusterIP, NodePort, LoadBalancer, ExternalName
            selector TEXT NOT NULL      -- JSON object
        );
        CREATE INDEX service_by_name ON service(snapshot_id, namespace, name);
        CREATE TABLE service_port (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            service_id INTEGER NOT NULL REFERENCES service(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            name TEXT NOT NULL,
            port INTEGER NOT NULL,
            target_port TEXT NOT NULL,  -- number or name, as written; "" means port
            protocol TEXT NOT NULL,
            app_protocol TEXT NOT NULL  -- "" when unset
        );
        CREATE INDEX service_port_by_service ON service_port(service_id, idx);
        CREATE TABLE gateway_route (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,         -- HTTPRoute, TLSRoute, GRPCRoute, TCPRoute
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,
            annotations TEXT NOT NULL,
            owner_refs TEXT NOT NULL,
            parent_refs TEXT NOT NULL,  -- JSON array of {kind, namespace, name, sectionName}
            hostnames TEXT NOT NULL,    -- JSON array
            backend_refs TEXT NOT NULL  -- JSON array of {kind, namespace, name, port}
        );
        CREATE TABLE istio_gateway (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,
            annotations TEXT NOT NULL,
            owner_refs TEXT NOT NULL,
            selector TEXT NOT NULL,     -- JSON object: the gateway pods it configures
            servers TEXT NOT NULL       -- JSON array of servers (port, hosts, tls mode, credentialName)
        );
        CREATE TABLE peer_authentication (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,
            annotations TEXT NOT NULL,
            owner_refs TEXT NOT NULL,
            selector TEXT NOT NULL,     -- JSON object (matchLabels); {} selects the namespace
            mode TEXT NOT NULL,         -- STRICT, PERMISSIVE, DISABLE, UNSET or ""
            port_modes TEXT NOT NULL    -- JSON object: port -> mode
        );
        CREATE TABLE traefik_ingress_route (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,         -- IngressRoute or IngressRouteTCP
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,
            annotations TEXT NOT NULL,
            owner_refs TEXT NOT NULL,
            entry_points TEXT NOT NULL, -- JSON array
            routes TEXT NOT NULL,       -- JSON array of {match, services}
            tls_secret_name TEXT NOT NULL,
            has_tls INTEGER NOT NULL,
            tls_passthrough INTEGER NOT NULL
        );
        CREATE TABLE external_secret (
            id INTEGER PRIMARY KEY,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            labels TEXT NOT NULL,
            annotations TEXT NOT NULL,
            owner_refs TEXT NOT NULL,
            target_name TEXT NOT NULL,  -- the secret the controller writes (defaulted to the name)
            target_type TEXT NOT NULL,  -- target.template.type, "" when unset
            creation_policy TEXT NOT NULL,
            store_kind TEXT NOT NULL,
            store_name TEXT NOT NULL,
            secret_keys TEXT NOT NULL   -- JSON array of data[].secretKey
        );
        CREATE INDEX external_secret_by_target ON external_secret(snapshot_id, namespace, target_name);
        CREATE TABLE container (
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
            owner_kind TEXT NOT NULL,   -- Pod, or the workload's kind (its pod template)
            namespace TEXT NOT NULL,
            owner_name TEXT NOT NULL,
            idx INTEGER NOT NULL,
            name TEXT NOT NULL,
            image TEXT NOT NULL,
            flags TEXT NOT NULL         -- JSON array: command/args flags; values only of known harmless flags
        );
        CREATE INDEX container_by_owner ON container(snapshot_id, owner_kind, namespace, owner_name, idx);
        """
}

/// Writes a snapshot's ``ServingObjects`` and containers into the
/// `v4-tls-kinds` tables, inside the caller's transaction.
struct ServingWriter {
    let db: Database
    let snapshotID: Int64

    /// Writes every table; returns the number of rows written.
    func write(_ snapshot: ClusterSnapshot) throws -> Int {
        let serving = snapshot.serving
        return try writeServices(serving.services)
            + writeGatewayRoutes(serving.gatewayRoutes)
            + writeIstioGateways(serving.istioGateways)
            + writePeerAuthentications(serving.peerAuthentications)
            + writeIngressRoutes(serving.ingressRoutes)
            + writeExternalSecrets(serving.externalSecrets)
            + writeContainers(snapshot)
    }

    private func inserter(_ table: String, kind: Bool = false, _ columns: [String]) throws -> RowInserter {
        try RowInserter(db, table: table, columns: ["id", "snapshot_id"] + (kind ? ["kind"] : [])
                        + SnapshotWriter.metadataColumns + columns)
    }

    private func writeServices(_ services: [Service]) throws -> Int {
        var insert = try inserter("service", ["type", "selector"])
        var insertPort = try RowInserter(db, table: "service_port", columns: [
            "snapshot_id", "service_id", "idx", "name", "port", "target_port", "protocol", "app_protocol"])
        var ids = try IDAllocator(db, table: "service")
        var rows = 0
        for service in services {
            let id = ids.next()
            insert.bind(id); insert.bind(snapshotID); insert.bindMetadata(service.meta)
            insert.bind(service.type); insert.bindJSON(service.selector)
            try insert.insert()
            for (index, port) in service.ports.enumerated() {
                insertPort.bind(snapshotID); insertPort.bind(id); insertPort.bind(index)
                insertPort.bind(port.name); insertPort.bind(port.port); insertPort.bind(port.targetPort)
                insertPort.bind(port.protocol); insertPort.bind(port.appProtocol)
                try insertPort.insert()
            }
            rows += 1 + service.ports.count
        }
        try insert.finish()
        try insertPort.finish()
        return rows
    }

    private func writeGatewayRoutes(_ routes: [GatewayRoute]) throws -> Int {
        var insert = try inserter("gateway_route", kind: true, ["parent_refs", "hostnames", "backend_refs"])
        var ids = try IDAllocator(db, table: "gateway_route")
        for route in routes {
            insert.bind(ids.next()); insert.bind(snapshotID); insert.bind(route.kind); insert.bindMetadata(route.meta)
            insert.bind(try Self.json(route.parentRefs)); insert.bindJSON(route.hostnames)
            insert.bind(try Self.json(route.backendRefs))
            try insert.insert()
        }
        try insert.finish()
        return routes.count
    }

    private func writeIstioGateways(_ gateways: [IstioGateway]) throws -> Int {
        var insert = try inserter("istio_gateway", ["selector", "servers"])
        var ids = try IDAllocator(db, table: "istio_gateway")
        for gateway in gateways {
            insert.bind(ids.next()); insert.bind(snapshotID); insert.bindMetadata(gateway.meta)
            insert.bindJSON(gateway.selector); insert.bind(try Self.json(gateway.servers))
            try insert.insert()
        }
        try insert.finish()
        return gateways.count
    }

    private func writePeerAuthentications(_ policies: [PeerAuthentication]) throws -> Int {
        var insert = try inserter("peer_authentication", ["selector", "mode", "port_modes"])
        var ids = try IDAllocator(db, table: "peer_authentication")
        for policy in policies {
            insert.bind(ids.next()); insert.bind(snapshotID); insert.bindMetadata(policy.meta)
            insert.bindJSON(policy.selector); insert.bind(policy.mode); insert.bindJSON(policy.portModes)
            try insert.insert()
        }
        try insert.finish()
        return policies.count
    }

    private func writeIngressRoutes(_ routes: [TraefikIngressRoute]) throws -> Int {
        var insert = try inserter("traefik_ingress_route", kind: true,
                                  ["entry_points", "routes", "tls_secret_name", "has_tls", "tls_passthrough"])
        var ids = try IDAllocator(db, table: "traefik_ingress_route")
        for route in routes {
            insert.bind(ids.next()); insert.bind(snapshotID); insert.bind(route.kind); insert.bindMetadata(route.meta)
            insert.bindJSON(route.entryPoints); insert.bind(try Self.json(route.routes))
            insert.bind(route.tlsSecretName); insert.bind(route.hasTLS); insert.bind(route.tlsPassthrough)
            try insert.insert()
        }
        try insert.finish()
        return routes.count
    }

    private func writeExternalSecrets(_ secrets: [ExternalSecret]) throws -> Int {
        var insert = try inserter("external_secret", ["target_name", "target_type", "creation_policy",
                                                      "store_kind", "store_name", "secret_keys"])
        var ids = try IDAllocator(db, table: "external_secret")
        for secret in secrets {
            insert.bind(ids.next()); insert.bind(snapshotID); insert.bindMetadata(secret.meta)
            insert.bind(secret.targetName); insert.bind(secret.targetType); insert.bind(secret.creationPolicy)
            insert.bind(secret.storeKind); insert.bind(secret.storeName); insert.bindJSON(secret.secretKeys)
            try insert.insert()
        }
        try insert.finish()
        return secrets.count
    }

    private func writeContainers(_ snapshot: ClusterSnapshot) throws -> Int {
        var insert = try RowInserter(db, table: "container", columns: [
            "snapshot_id", "owner_kind", "namespace", "owner_name", "idx", "name", "image", "flags"])
        var rows = 0
        func add(_ kind: String, _ meta: ObjectMeta, _ containers: [ContainerSummary]) throws {
            for (index, container) in containers.enumerated() {
                insert.bind(snapshotID); insert.bind(kind); insert.bind(meta.namespace); insert.bind(meta.name)
                insert.bind(index); insert.bind(container.name); insert.bind(container.image)
                insert.bindJSON(container.flags)
                try insert.insert()
            }
            rows += containers.count
        }
        for pod in snapshot.pods { try add("Pod", pod.meta, pod.spec.containers) }
        for workload in snapshot.workloads { try add(workload.kind, workload.meta, workload.template.containers) }
        try insert.finish()
        return rows
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Reads the `v4-tls-kinds` tables back: ``ServingObjects`` and the
/// containers of the snapshot's pods and workloads.
struct ServingReader {
    let db: Database
    let snapshotID: Int64

    func read(into snapshot: inout ClusterSnapshot) throws {
        snapshot.serving.services = try readServices()
        snapshot.serving.gatewayRoutes = try readObjects("gateway_route", kind: true,
                                                         ["parent_refs", "hostnames", "backend_refs"]) { row, kind, meta in
            GatewayRoute(kind: kind, meta: meta, parentRefs: try Self.decode(row.text(8)),
                         hostnames: try JSONText.parseArray(row.text(9)), backendRefs: try Self.decode(row.text(10)))
        }
        snapshot.serving.istioGateways = try readObjects("istio_gateway", ["selector", "servers"]) { row, _, meta in
            IstioGateway(meta: meta, selector: try JSONText.parseMap(row.text(7)), servers: try Self.decode(row.text(8)))
        }
        snapshot.serving.peerAuthentications = try readObjects("peer_authentication",
                                                               ["selector", "mode", "port_modes"]) { row, _, meta in
            PeerAuthentication(meta: meta, selector: try JSONText.parseMap(row.text(7)), mode: row.text(8),
                               portModes: try JSONText.parseMap(row.text(9)))
        }
        snapshot.serving.ingressRoutes = try readObjects(
            "traefik_ingress_route", kind: true,
            ["entry_points", "routes", "tls_secret_name", "has_tls", "tls_passthrough"]) { row, kind, meta in
            TraefikIngressRoute(kind: kind, meta: meta, entryPoints: try JSONText.parseArray(row.text(8)),
                                routes: try Self.decode(row.text(9)), tlsSecretName: row.text(10),
                                hasTLS: row.bool(11), tlsPassthrough: row.bool(12))
        }
        snapshot.serving.externalSecrets = try readObjects(
            "external_secret",
            ["target_name", "target_type", "creation_policy", "store_kind", "store_name", "secret_keys"]) { row, _, meta in
            ExternalSecret(meta: meta, targetName: row.text(7), targetType: row.text(8), creationPolicy: row.text(9),
                           storeKind: row.text(10), storeName: row.text(11),
                           secretKeys: try JSONText.parseArray(row.text(12)))
        }
        try readContainers(into: &snapshot)
    }

    /// Rows of a top-level table: column 0 is the id, then `kind` when asked,
    /// then the six metadata columns, then `columns` (from 7, or 8 with kind).
    private func readObjects<Object>(_ table: String, kind: Bool = false, _ columns: [String],
                                     _ make: (RowReader, String, ObjectMeta) throws -> Object) throws -> [Object] {
        let selected = (["id"] + (kind ? ["kind"] : []) + SnapshotWriter.metadataColumns + columns)
            .joined(separator: ", ")
        let row = try RowReader(db, sql: "SELECT \(selected) FROM \(table) WHERE +snapshot_id = ? ORDER BY id",
                                snapshotID: snapshotID)
        let m: Int32 = kind ? 2 : 1
        var objects: [Object] = []
        while try row.next() {
            let meta = ObjectMeta(name: row.text(m + 1), namespace: row.text(m), uid: row.text(m + 2),
                                  labels: try JSONText.parseMap(row.text(m + 3)),
                                  annotations: try JSONText.parseMap(row.text(m + 4)),
                                  ownerReferences: try JSONText.parseOwnerReferences(row.text(m + 5)))
            objects.append(try make(row, kind ? row.text(1) : "", meta))
        }
        return objects
    }

    private func readServices() throws -> [Service] {
        var ids: [Int64: Int] = [:]
        var services = try readObjects("service", ["type", "selector", "id"]) { row, _, meta in
            ids[row.int64(9)] = ids.count
            return Service(meta: meta, type: row.text(7), selector: try JSONText.parseMap(row.text(8)))
        }
        let row = try RowReader(db, sql: """
            SELECT service_id, name, port, target_port, protocol, app_protocol FROM service_port
            WHERE snapshot_id = ? ORDER BY service_id, idx
            """, snapshotID: snapshotID)
        while try row.next() {
            guard let index = ids[row.int64(0)] else { throw StoreError.corrupt("service_port row points at a missing service") }
            services[index].ports.append(ServicePort(name: row.text(1), port: row.int(2), targetPort: row.text(3),
                                                     protocol: row.text(4), appProtocol: row.text(5)))
        }
        return services
    }

    /// Containers go back to the pod or workload of the same kind, namespace and name.
    private func readContainers(into snapshot: inout ClusterSnapshot) throws {
        struct Owner: Hashable { var kind, namespace, name: String }
        var pods: [Owner: Int] = [:]
        for (index, pod) in snapshot.pods.enumerated() { pods[Owner(kind: "Pod", namespace: pod.meta.namespace, name: pod.meta.name)] = index }
        var workloads: [Owner: Int] = [:]
        for (index, workload) in snapshot.workloads.enumerated() {
            workloads[Owner(kind: workload.kind, namespace: workload.meta.namespace, name: workload.meta.name)] = index
        }
        let row = try RowReader(db, sql: """
            SELECT owner_kind, namespace, owner_name, name, image, flags FROM container
            WHERE snapshot_id = ? ORDER BY owner_kind, namespace, owner_name, idx
            """, snapshotID: snapshotID)
        while try row.next() {
            let owner = Owner(kind: row.text(0), namespace: row.text(1), name: row.text(2))
            let container = ContainerSummary(name: row.text(3), image: row.text(4), flags: try JSONText.parseArray(row.text(5)))
            if let index = pods[owner] {
                snapshot.pods[index].spec.containers.append(container)
            } else if let index = workloads[owner] {
                snapshot.workloads[index].template.containers.append(container)
            }
        }
    }

    static func decode<T: Decodable>(_ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
