import Foundation
import KubeModel
import Queries
import Store
import Testing

/// The named queries of `queries/`, each run on `Fixtures.rich()` with
/// `Fixtures.richDerived()` and checked row by row.
@Suite struct NamedQueryTests {
    let store: SnapshotStore

    init() throws {
        store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: "default", with: Fixtures.rich(), source: "rich.yaml")
        try store.saveDerived(Fixtures.richDerived(), snapshot: "default")
        try store.savePrivateKeys(Fixtures.richPrivateKeys(), snapshot: "default")
        // A second snapshot whose grants must never leak into "default" answers.
        try store.replaceSnapshot(named: "other", with: Fixtures.rich(), source: "other.yaml")
        var other = Fixtures.richDerived()
        other.grants = other.grants.map { var grant = $0; grant.principal = .user("bob"); return grant }
        try store.saveDerived(other, snapshot: "other")
    }

    func run(_ name: String, _ parameters: [String: String] = [:]) throws -> [[String?]] {
        let query = try #require(NamedQueries.named(name), "no query \(name)")
        return try query.run(on: store, parameters: parameters).rows
    }

    // MARK: who-can-secret

    @Test func whoCanGetATLSSecret() throws {
        let rows = try run("who-can-secret", ["verb": "get", "namespace": "production", "name": "app-tls"])
        #expect(rows.map { Array($0.prefix(14)) } == [
            ["Group", "", "devs", "rbac", "group:devs", "ClusterRoleBinding", "", "devs-read", "ClusterRole", "view-secrets", "3", nil, nil, nil],
            ["Group", "", "system:masters", "superuser", "group:system:masters", nil, nil, nil, nil, nil, nil, nil, nil, nil],
            ["Node", "", "node-a", "node", "user:system:node:node-a", nil, nil, nil, nil, nil, nil, "production", "web-0", "volume"],
            ["ServiceAccount", "production", "default", "rbac", "user:system:serviceaccount:production:default",
             "RoleBinding", "production", "read-tls", "Role", "secret-reader", "0", nil, nil, nil],
            ["User", "", "alice@example.com", "rbac", "user:alice@example.com",
             "RoleBinding", "production", "read-tls", "Role", "secret-reader", "0", nil, nil, nil],
        ])
    }

    @Test func whoCanWatchAnotherSecretOfTheNamespace() throws {
        // Only rule 1 (watch, no resourceNames) reaches db; alice's rule names app-tls only.
        let rows = try run("who-can-secret", ["verb": "watch", "namespace": "production", "name": "db"])
        #expect(rows.map { [$0[0], $0[2], $0[3], $0[10], $0[13]] } == [
            ["Group", "system:masters", "superuser", nil, nil],
            ["Node", "node-a", "node", nil, "env"],
            ["ServiceAccount", "default", "rbac", "1", nil],
        ])
    }

    @Test func aMissingSecretIsStillAnswered() throws {
        let rows = try run("who-can-secret", ["verb": "get", "namespace": "elsewhere", "name": "ghost"])
        #expect(rows.map { $0[2] } == ["devs", "system:masters"])
        let listRows = try run("who-can-secret", ["verb": "list", "namespace": "elsewhere", "name": "ghost"])
        #expect(listRows.map { $0[2] } == ["system:masters"])
    }

    @Test func whoCanAnswersFromTheNamedSnapshotOnly() throws {
        let rows = try run("who-can-secret", ["verb": "get", "namespace": "production", "name": "app-tls", "snapshot": "other"])
        // In "other" every grant goes to user bob.
        #expect(rows.filter { $0[3] == "rbac" }.map { $0[2] } == ["bob", "bob", "bob"])
    }

    @Test func whoCanStartsFromTheGrantIndexNotFromEveryIdentity() throws {
        let query = try #require(NamedQueries.named("who-can-secret"))
        let plan = try store.query(sql: "EXPLAIN QUERY PLAN " + query.sql,
                                   arguments: query.arguments(["verb": "get", "namespace": "production", "name": "app-tls"]))
        let steps = plan.rows.compactMap { $0.last ?? nil }
        #expect(steps.contains { $0.contains("secret_grant_by_secret") })
        #expect(!steps.contains { $0.hasPrefix("SCAN") && !$0.hasPrefix("SCAN snap") }, "\(steps)")
        // Identities are looked up by the principal of each grant, never walked.
        let principalSteps = steps.filter { $0.contains("identity_principal_by_principal") }
        #expect(!principalSteps.isEmpty && principalSteps.allSatisfy { $0.contains("principal=?") }, "\(steps)")
    }

    // MARK: secrets

    @Test func secretsListsTypesAndKeyNames() throws {
        #expect(try run("secrets") == [
            ["kube-system", "signing", "Opaque", "sa.key,sa.pub", "2150"],
            ["production", "app-tls", "kubernetes.io/tls", "tls.crt,tls.key,ca.crt", "2900"],
            ["production", "db", "Opaque", "password", "12"],
            ["production", "deploy-key", "kubernetes.io/ssh-auth", "ssh-privatekey", "400"],
            ["production", "empty", "", nil, "0"],
        ])
        #expect(try run("secrets", ["namespace": "kube-system"]).map { $0[1] } == ["signing"])
    }

    // MARK: private-key-secrets

    @Test func privateKeySecretsReadWhatTheInventoryStored() throws {
        // The query repeats no rule: it returns the stored reasons, in their order,
        // also for a key whose secret is not in the dump.
        #expect(try run("private-key-secrets") == [
            ["kube-system", "signing", "Opaque", "1", "leaf", "dataKey", "data key sa.key"],
            ["production", "app-tls", "kubernetes.io/tls", "1", "leaf", "type", "type kubernetes.io/tls"],
            ["production", "app-tls", "kubernetes.io/tls", "1", "leaf", "dataKey", "data key tls.key"],
            ["production", "future-tls", nil, "0", "leaf", "certificate", "cert-manager Certificate production/future"],
        ])
        #expect(try run("private-key-secrets", ["namespace": "kube-system"]).count == 1)
        #expect(try run("private-key-secrets", ["snapshot": "other"]).isEmpty, "no inventory stored for other")
    }

    @Test func privateKeysRoundTripThroughTheStore() throws {
        #expect(try store.loadPrivateKeys(snapshot: "default") == Fixtures.richPrivateKeys())
        #expect(try store.loadPrivateKeys(snapshot: "other") == nil)
        #expect(try store.privateKeysVersion(snapshot: "default") == PrivateKeyRecord.currentInventoryVersion)
    }

    @Test func privateKeyReadersPutTheWorstFirst() throws {
        #expect(try run("private-key-readers").map { Array($0.prefix(6)) } == [
            ["production", "app-tls", "leaf", "high", "3", "2"],
            ["production", "future-tls", "leaf", "medium", "1", "2"],
            ["kube-system", "signing", "leaf", "info", "0", "1"],
        ])
    }

    @Test func expiringCertificatesCountFromTheGivenMoment() throws {
        #expect(try run("expiring-certificates", ["now": "2027-02-01T00:00:00Z"]).map { [$0[1], $0[2], $0[5]] } ==
                [["app-tls", "tls.crt", "28"]])
        #expect(try run("expiring-certificates", ["now": "2026-01-01T00:00:00Z"]).isEmpty)
        #expect(try run("expiring-certificates", ["now": "2026-01-01T00:00:00Z", "days": "500"]).count == 1)
        // Expired: days_left goes negative.
        #expect(try run("expiring-certificates", ["now": "2027-03-11T00:00:00Z"]).map { $0[5] } == ["-10"])
    }

    @Test func integersStayIntegers() throws {
        let query = try #require(NamedQueries.named("private-key-readers"))
        let result = try query.run(on: store)
        #expect(result.values[0][4] == .integer(3))
        #expect(result.values[0][3] == .text("high"))
        let nulls = try #require(NamedQueries.named("private-key-secrets")).run(on: store)
        #expect(nulls.values[3][2] == .null)
    }

    // MARK: bindings-to-secrets

    @Test func bindingsToSecretsGroupVerbsPerSubjectAndScope() throws {
        #expect(try run("bindings-to-secrets") == [
            ["ClusterRoleBinding", "", "devs-read", "ClusterRole", "view-secrets", "Group", "", "devs", "*", "*", "get"],
            ["RoleBinding", "production", "read-tls", "Role", "secret-reader", "ServiceAccount", "production", "default",
             "production", "*", "watch"],
            ["RoleBinding", "production", "read-tls", "Role", "secret-reader", "ServiceAccount", "production", "default",
             "production", "app-tls", "get list"],
            ["RoleBinding", "production", "read-tls", "Role", "secret-reader", "User", "", "alice@example.com",
             "production", "app-tls", "get list"],
        ])
    }

    // MARK: snapshots

    @Test func snapshotsListsEachWithCountsAndEngineVersion() throws {
        let rows = try run("snapshots")
        let objects = String(Fixtures.rich().countsByKind.values.reduce(0, +))
        #expect(rows.map { [$0[0], $0[2], $0[3], $0[4]] } == [
            ["default", "rich.yaml", objects, String(DerivedAccess.currentEngineVersion)],
            ["other", "other.yaml", objects, String(DerivedAccess.currentEngineVersion)],
        ])
        #expect(rows.allSatisfy { $0[1]?.hasPrefix("20") == true })
    }

    // MARK: The query files themselves

    @Test func everyQueryFileIsLoadedAndDocumented() {
        #expect(NamedQueries.all.map(\.name) == [
            "bindings-missing-role", "bindings-to-secrets", "cluster-admin-service-accounts",
            "default-service-account-access", "expiring-certificates", "key-copies", "key-readers-across-namespaces",
            "private-key-readers", "private-key-secrets", "secrets", "snapshots", "who-can-secret",
            "wildcard-secret-grants",
        ])
        for query in NamedQueries.all {
            #expect(!query.summary.isEmpty, "\(query.name) has no summary line")
            #expect(query.examples.contains { $0.hasPrefix("keyreach query \(query.name)") }, "\(query.name) has no example")
            #expect(!query.parameters.contains { $0.summary.isEmpty }, "\(query.name) has an undocumented parameter")
        }
    }

    @Test func declaredParametersAreExactlyTheOnesTheSQLUses() {
        for query in NamedQueries.all {
            #expect(Set(query.parameters.map(\.name)) == Self.boundNames(in: query.sql), "\(query.name)")
        }
    }

    @Test func headerParsing() throws {
        let query = try #require(NamedQueries.named("who-can-secret"))
        #expect(query.summary == "every identity allowed to VERB one secret, with the grant that allows it.")
        #expect(query.parameters == [
            .init(name: "verb", summary: "get, list or watch"),
            .init(name: "namespace", summary: "the secret's namespace"),
            .init(name: "name", summary: "the secret's name"),
            .init(name: "snapshot", summary: "snapshot name", defaultValue: "default"),
        ])
        #expect(query.discussion.contains("system:masters"))
        #expect(NamedQueries.named("no-such-query") == nil)
    }

    @Test func argumentsFillDefaultsAndRejectMistakes() throws {
        let query = try #require(NamedQueries.named("who-can-secret"))
        #expect(try query.arguments(["verb": "get", "namespace": "a", "name": "b"]) ==
                ["verb": "get", "namespace": "a", "name": "b", "snapshot": "default"])
        #expect(throws: NamedQueryError.missingParameter(query: "who-can-secret", parameter: "name")) {
            try query.arguments(["verb": "get", "namespace": "a"])
        }
        #expect(throws: NamedQueryError.unknownParameter(query: "who-can-secret", parameter: "nmae",
                                                         known: ["verb", "namespace", "name", "snapshot"])) {
            try query.arguments(["verb": "get", "namespace": "a", "nmae": "b"])
        }
    }

    /// The `:name` parameters an SQL text binds, outside comments and string literals.
    static func boundNames(in sql: String) -> Set<String> {
        let code = sql.split(separator: "\n").map { line in
            line.range(of: "--").map { String(line[..<$0.lowerBound]) } ?? String(line)
        }.joined(separator: "\n")
        var names: Set<String> = []
        var inLiteral = false
        var index = code.startIndex
        while index < code.endIndex {
            let character = code[index]
            if character == "'" { inLiteral.toggle() }
            if !inLiteral, character == ":" {
                let name = code[code.index(after: index)...].prefix { $0.isLetter || $0 == "_" }
                if !name.isEmpty { names.insert(String(name)) }
            }
            index = code.index(after: index)
        }
        return names
    }
}
