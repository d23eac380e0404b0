import Foundation
import KeyreachKit
import Queries
import Store
import Testing

/// Each named query on the fixtures, rows asserted; parameters bound, never spliced.
@Suite struct NamedQueryFixtureTests {
    static func rows(_ name: String, _ fixture: String = "query-cases.yaml", _ parameters: [String: String] = [:]) throws -> [[String?]] {
        let query = try #require(NamedQueries.named(name))
        return try Fixture.workspace(fixture).run(query, parameters: parameters).rows
    }

    @Test func privateKeyReaders() throws {
        #expect(try Self.rows("private-key-readers").map { Array($0.prefix(6)) } == [
            ["shop", "legacy-key", "leaf", "high", "3", "1"],
            ["tools", "tools-tls", "leaf", "high", "2", "1"],  // readers as bound: a kubelet counts under its group
            ["shop", "acme-key", "acmeAccount", "medium", "3", "1"],
        ])
        #expect(try Self.rows("private-key-readers", "query-cases.yaml", ["namespace": "tools"]).map { $0[1] } == ["tools-tls"])
    }

    @Test func keyCopies() throws {
        // The key listed under shared/, its copies by annotation and by the same public key; the
        // look-alike in team-d (same names and subject, another key pair) is a key of its own.
        #expect(try Self.rows("key-copies", "copies/cluster.yaml").map { [$0[0], $0[1], $0[2], $0[3], $0[5]] } == [
            ["shared/wildcard-example-com", "shared", "wildcard-example-com", "listed", "4"],
            ["shared/wildcard-example-com", "team-a", "wildcard-example-com", "replicator annotation", "4"],
            ["shared/wildcard-example-com", "team-b", "wildcard-by-hand", "same public key", "4"],
            ["shared/wildcard-example-com", "team-c", "wildcard-mirror", "reflector annotation", "4"],
        ])
        #expect(try Self.rows("key-copies", "demo/cluster.yaml").isEmpty)
    }

    @Test func keyReadersAcrossNamespaces() throws {
        #expect(try Self.rows("key-readers-across-namespaces") == [
            ["Group", "", "system:masters", "2", "3"],
            ["ServiceAccount", "ci", "deployer", "2", "3"],
        ])
        // Reached key by key (namespaced grants) rather than through a grant on everything.
        #expect(try Self.rows("key-readers-across-namespaces", "demo/cluster.yaml").map { [$0[1], $0[2], $0[3]] } == [
            ["", "system:masters", "2"], ["cert-manager", "cert-manager", "2"],
            ["ingress-nginx", "ingress-nginx", "2"], ["kubernetes-dashboard", "kubernetes-dashboard", "2"],
        ])
        // auditor reads two keys, both in shop: not listed.
        #expect(try Self.rows("key-readers-across-namespaces").allSatisfy { $0[2] != "auditor@example.com" })
    }

    @Test func defaultServiceAccountAccess() throws {
        #expect(try Self.rows("default-service-account-access").map { [$0[0], $0[1], $0[2], $0[3], $0[4], $0[7]] } == [
            ["shop", "get", "shop", "acme-key", "0", "default-reads-one"],
            ["shop", "get", "shop", "legacy-key", "0", "default-reads-one"],
            ["tools", "get", "tools", "*", "1", "all-sa-admin"],
            ["tools", "list", "tools", "*", "1", "all-sa-admin"],
            ["tools", "watch", "tools", "*", "1", "all-sa-admin"],
        ])
        #expect(try Self.rows("default-service-account-access", "demo/cluster.yaml").map { [$0[0], $0[1], $0[3]] }
                == [["production", "get", "*"]])
    }

    @Test func wildcardSecretGrants() throws {
        #expect(try Self.rows("wildcard-secret-grants").map { [$0[2], $0[4], $0[8], $0[9], $0[10]] } == [
            ["deployer-admin", "cluster-admin", "deployer", "*", "[\"*\"]"],
            ["all-sa-admin", "cluster-admin", "system:serviceaccounts:tools", "tools", "[\"*\"]"],
        ])
        // apiGroups "*" with resources "*" and verb get only: still a wildcard grant.
        #expect(try Self.rows("wildcard-secret-grants", "rbac-edge-cases.yaml").map { [$0[2], $0[8], $0[10], $0[11]] }
                == [["wildcard", "wildcard-user", "[\"get\"]", "[\"*\"]"]])
    }

    @Test func bindingsMissingRole() throws {
        #expect(try Self.rows("bindings-missing-role", "rbac-edge-cases.yaml") == [
            ["ClusterRoleBinding", "", "crb-to-role", "Role", "edge-secret-getter", "a ClusterRoleBinding cannot refer to a Role"],
            ["RoleBinding", "edge", "missing-role", "ClusterRole", "does-not-exist", "no ClusterRole does-not-exist in the dump"],
        ])
        #expect(try Self.rows("bindings-missing-role").isEmpty)
    }

    @Test func clusterAdminServiceAccounts() throws {
        #expect(try Self.rows("cluster-admin-service-accounts") == [
            ["ci", "deployer", "*", "ClusterRoleBinding", "", "deployer-admin", "user:system:serviceaccount:ci:deployer"],
            ["tools", "default", "tools", "RoleBinding", "tools", "all-sa-admin", "group:system:serviceaccounts:tools"],
        ])
    }

    @Test func expiringCertificatesOnTheDemo() throws {
        let soon = try Self.rows("expiring-certificates", "demo/cluster.yaml", ["now": "2027-02-01T00:00:00Z", "days": "30"])
        #expect(soon.map { [$0[0], $0[1], $0[2], $0[5]] } == [["production", "app-tls", "tls.crt", "28"]])
        let all = try Self.rows("expiring-certificates", "demo/cluster.yaml", ["now": "2027-02-01T00:00:00Z", "days": "3650"])
        #expect(all.count == 4)
    }

    @Test func whoCanSecretOnTheDemo() throws {
        let rows = try Self.rows("who-can-secret", "demo/cluster.yaml", ["verb": "get", "namespace": "production", "name": "app-tls"])
        #expect(rows.contains { $0[0] == "ServiceAccount" && $0[1] == "production" && $0[2] == "default" })
    }

    // MARK: Parameters

    static let hostile = [
        "'; DROP TABLE secret; --", "production' OR '1'='1", "\" OR 1=1 --", "x; DELETE FROM private_key",
        "名前\u{202E}🔑", "line one\nline two -- ", "%", "*",
    ]

    /// Every named query with every parameter set to a hostile value: no rows, and nothing changes.
    @Test(arguments: hostile) func hostileParametersReturnNoRowsAndChangeNothing(_ value: String) throws {
        let workspace = try Fixture.workspace("query-cases.yaml")
        let census = "SELECT (SELECT count(*) FROM secret), (SELECT count(*) FROM private_key), (SELECT count(*) FROM binding), "
            + "(SELECT count(*) FROM sqlite_master)"
        let before = try workspace.sql(census).rows
        for query in NamedQueries.all where !query.parameters.isEmpty {
            let parameters = Dictionary(uniqueKeysWithValues: query.parameters.map { ($0.name, value) })
            #expect(try workspace.run(query, parameters: parameters).rows.isEmpty, "\(query.name) with \(value)")
        }
        #expect(try workspace.sql(census).rows == before)
        #expect(try workspace.sql(census).rows[0][0] == "2")
    }

    @Test func aMissingParameterIsNamed() throws {
        let query = try #require(NamedQueries.named("who-can-secret"))
        #expect(throws: NamedQueryError.missingParameter(query: "who-can-secret", parameter: "name")) {
            try Fixture.workspace("demo/cluster.yaml").run(query, parameters: ["verb": "get", "namespace": "production"])
        }
        #expect(String(describing: NamedQueryError.missingParameter(query: "who-can-secret", parameter: "name"))
                == "query who-can-secret needs --param name=VALUE")
    }
}
