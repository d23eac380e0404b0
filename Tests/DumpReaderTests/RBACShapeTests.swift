import Foundation
import Testing
@testable import DumpReader

/// RBAC objects the API server would reject (a field of the wrong type, a
/// binding without roleRef) are skipped, with a warning naming the file, the
/// line and the field: never silently, never guessed.
@Suite struct RBACShapeTests {
    func read(_ yaml: String) throws -> ImportResult {
        try DumpReader().read([.data(Data(yaml.utf8), name: "shape.yaml")])
    }

    @Test func aScalarWhereAListBelongsSkipsTheRole() throws {
        let result = try read("""
            kind: Role
            apiVersion: rbac.authorization.k8s.io/v1
            metadata: {name: r, namespace: a}
            rules:
            - verbs: get
              apiGroups: [""]
              resources: [secrets]
            """)
        #expect(result.snapshot.roles.isEmpty)
        #expect(result.warnings == ["shape.yaml:5: Role a/r: rules[0].verbs is not a list of strings; skipped, "
            + "as the API server would reject this object (it grants nothing)"])
    }

    @Test func bindingsWithoutRoleRefOrWithBadSubjectsAreSkipped() throws {
        let result = try read("""
            kind: ClusterRoleBinding
            apiVersion: rbac.authorization.k8s.io/v1
            metadata: {name: b}
            subjects: {kind: User, name: alice}
            """)
        #expect(result.snapshot.bindings.isEmpty)
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
