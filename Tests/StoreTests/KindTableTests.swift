import Foundation
import Testing
import DumpReader
import KubeModel
@testable import Store

/// ``KindTable`` is the one list of kinds: every row must be read by the
/// reader, stored and loaded by the store, and counted under its name. A row
/// added without its mapping or its table fails here.
@Suite struct KindTableTests {
    /// One minimal object of `row` in `group`, as JSON (a binding needs its roleRef).
    private func object(_ row: ReadKind, group: String, name: String, namespace: String? = "ns1") -> String {
        let apiVersion = group.isEmpty ? "v1" : "\(group)/v1"
        let namespaceField = namespace.map { #", "namespace": "\#($0)""# } ?? ""
        let roleRef = row.name.hasSuffix("RoleBinding")
            ? #", "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}"# : ""
        return #"{"apiVersion": "\#(apiVersion)", "kind": "\#(row.name)", "metadata": {"name": "\#(name)"\#(namespaceField)}\#(roleRef)}"#
    }

    /// The name `countsByKind` files an object of `row` under.
    private func countedName(_ row: ReadKind) -> String {
        row.name == "Gateway" && row.group == "networking.istio.io" ? IstioGateway.kindName : row.name
    }

    @Test func everyRowInEveryGroupIsReadStoredAndLoaded() throws {
        var expected: [String: Int] = [:]
        var objects: [String] = []
        for row in KindTable.read {
            for (index, group) in row.groups.enumerated() {
                objects.append(object(row, group: group, name: "\(row.plural)-\(index)"))
                expected[countedName(row), default: 0] += 1
            }
        }
        let list = #"{"apiVersion": "v1", "kind": "List", "items": [\#(objects.joined(separator: ","))]}"#
        let result = try DumpReader().read([.data(Data(list.utf8), name: "kinds.json")])
        #expect(result.skipped.isEmpty, "kinds the table lists but the reader skipped: \(result.skipped)")
        #expect(result.snapshot.countsByKind == expected)

        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "kinds", with: result.snapshot, source: "")
        let loaded = try #require(try store.loadSnapshot(named: "kinds"))
        #expect(loaded.countsByKind == expected)
    }

    @Test func scopeComesFromTheTable() throws {
        // A cluster-scoped object's namespace is dropped; a namespaced one without a namespace is in `default`.
        for row in KindTable.read {
            let json = object(row, group: row.group, name: "x", namespace: "elsewhere")
            let bare = object(row, group: row.group, name: "y", namespace: nil)
            let snapshot = try DumpReader().read([.data(Data((json + bare).utf8), name: "scope.json")]).snapshot
            let namespaces = Set(namespacesOfEveryObject(snapshot))
            #expect(namespaces == (row.namespaced ? ["elsewhere", "default"] : [""]), "\(row.name).\(row.group)")
        }
    }

    @Test func otherGroupsAndKindNamesAreSkippedByQualifiedName() throws {
        let json = #"""
        {"apiVersion": "cert-manager.io/v1", "kind": "Gateway", "metadata": {"name": "a", "namespace": "n"}}
        {"apiVersion": "networking.gke.io/v1", "kind": "Certificate", "metadata": {"name": "b", "namespace": "n"}}
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "n"}}
        """#
        let result = try DumpReader().read([.data(Data(json.utf8), name: "other.json")])
        #expect(result.skipped == ["Gateway.cert-manager.io": 1, "Certificate.networking.gke.io": 1, "ConfigMap": 1])
        #expect(result.snapshot.countsByKind.isEmpty)
    }

    @Test func lookupByNameAndGroup() {
        #expect(KindTable.lookup("Pod", group: "") != nil)
        #expect(KindTable.lookup("Pod", group: "apps") == nil)
        #expect(KindTable.lookup("pod", group: "") == nil)
        #expect(KindTable.lookup("Deployment", group: "extensions")?.group == "apps")
        #expect(KindTable.lookup("Gateway", group: "networking.istio.io")?.plural == "gateways")
        #expect(KindTable.row(named: "Gateway")?.group == "gateway.networking.k8s.io")
    }

    private func namespacesOfEveryObject(_ s: ClusterSnapshot) -> [String] {
        s.namespaces.map(\.meta.namespace) + s.nodes.map(\.meta.namespace) + s.serviceAccounts.map(\.meta.namespace)
            + s.roles.map(\.meta.namespace) + s.bindings.map(\.meta.namespace) + s.pods.map(\.meta.namespace)
            + s.workloads.map(\.meta.namespace) + s.secrets.map(\.meta.namespace) + s.ingresses.map(\.meta.namespace)
            + s.gateways.map(\.meta.namespace) + s.certificates.map(\.meta.namespace) + s.issuers.map(\.meta.namespace)
            + s.serving.services.map(\.meta.namespace) + s.serving.gatewayRoutes.map(\.meta.namespace)
            + s.serving.istioGateways.map(\.meta.namespace) + s.serving.peerAuthentications.map(\.meta.namespace)
            + s.serving.ingressRoutes.map(\.meta.namespace) + s.serving.externalSecrets.map(\.meta.namespace)
    }
}
