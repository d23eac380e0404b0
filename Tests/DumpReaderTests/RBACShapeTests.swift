import Foundation
import Testing
@testable import DumpReader

/// RBAC fields of the wrong type are read as empty, with a warning naming
/// the file, the line and the field: never silently.
@Suite struct RBACShapeTests {
    func read(_ yaml: String) throws -> ImportResult {
        try DumpReader().read([.data(Data(yaml.utf8), name: "shape.yaml")])
    }

    @Test func aScalarWhereAListBelongsIsWarnedAbout() throws {
        let result = try read("""
            kind: Role
            apiVersion: rbac.authorization.k8s.io/v1
            metadata: {name: r, namespace: a}
            rules:
            - verbs: get
              apiGroups: [""]
              resources: [secrets]
            """)
        #expect(result.snapshot.roles.first?.rules.first?.verbs == [])
        #expect(result.warnings == ["shape.yaml:5: Role a/r: rules[0].verbs is not a list of strings; read as empty, "
            + "so it grants nothing through it (the API server would reject this object)"])
    }

    @Test func bindingsWithoutRoleRefOrWithBadSubjectsAreWarnedAbout() throws {
        let result = try read("""
            kind: ClusterRoleBinding
            apiVersion: rbac.authorization.k8s.io/v1
            metadata: {name: b}
            subjects: {kind: User, name: alice}
            """)
        #expect(result.warnings.count == 2)
        #expect(result.warnings[0].hasPrefix("shape.yaml:1: ClusterRoleBinding b: roleRef is missing"))
        #expect(result.warnings[1].hasPrefix("shape.yaml:4: ClusterRoleBinding b: subjects is not a list"))
    }

    @Test func wellFormedObjectsAndNullFieldsRaiseNothing() throws {
        let result = try read("""
            kind: ClusterRole
            apiVersion: rbac.authorization.k8s.io/v1
            metadata: {name: edit}
            rules: null
            aggregationRule: {clusterRoleSelectors: [{}]}
            ---
            kind: ClusterRoleBinding
            apiVersion: rbac.authorization.k8s.io/v1
            metadata: {name: system:node}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:node}
            """)
        #expect(result.warnings.isEmpty)
    }
}
