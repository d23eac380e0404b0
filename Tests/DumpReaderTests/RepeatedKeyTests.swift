import Foundation
import KubeModel
import Testing
@testable import DumpReader

/// A key written twice in one mapping is read as kubectl hands the object to
/// the API server: the last value wins, wholly (go-yaml v2 and encoding/json
/// decode into maps; see RepeatedKeys.swift), and a warning names both lines.
@Suite struct RepeatedKeyTests {
    /// The one warning about a repeated key, or nil.
    private func repeatWarnings(_ result: ImportResult) -> [String] {
        result.warnings.filter { $0.contains("comes again at line") }
    }

    // MARK: - YAML

    @Test func yamlTopLevelKeyRepeatedKeepsTheLastValueWhole() throws {
        let result = try read("""
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: first
              namespace: shop
              labels: {team: web}
            metadata:
              name: second
            """, name: "sa.yaml")
        let account = try #require(result.snapshot.serviceAccounts.first)
        // Not merged: the first metadata's namespace and labels are gone too.
        #expect(account.meta.name == "second")
        #expect(account.meta.namespace == "default")
        #expect(account.meta.labels.isEmpty)
        #expect(result.snapshot.serviceAccounts.count == 1)
        #expect(repeatWarnings(result) == [
            "sa.yaml:3: ServiceAccount second: the key \"metadata\" comes again at line 7 of the same mapping; "
                + "Kubernetes reads only the last value (kubectl reads YAML with go-yaml and JSON with encoding/json "
                + "into maps), and so does keyreach",
        ])
    }

    @Test func yamlRepeatedSubjectsBindOnlyTheLastList() throws {
        let result = try read("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: readers, namespace: shop}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
            subjects:
            - {kind: User, name: alice}
            subjects:
            - {kind: User, name: bob}
            """)
        let binding = try #require(result.snapshot.bindings.first)
        #expect(binding.subjects.map(\.name) == ["bob"])
        #expect(repeatWarnings(result).count == 1)
        #expect(repeatWarnings(result).first?.hasPrefix("dump.yaml:5: RoleBinding shop/readers: the key \"subjects\" comes again at line 7") == true)
    }

    @Test func yamlNestedRepeatsInRulesLabelsAnnotationsAndData() throws {
        let result = try read("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: reader
              namespace: shop
              labels:
                tier: web
                tier: db
              annotations:
                note: one
                other: x
                note: two
            rules:
            - apiGroups: [""]
              resources: [secrets]
              verbs: [get, list]
              verbs: [get]
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: tls, namespace: shop}
            data:
              tls.key: QUJD
              tls.key: QUJDREVG
            """)
        let role = try #require(result.snapshot.roles.first)
        #expect(role.meta.labels == ["tier": "db"])
        #expect(role.meta.annotations == ["note": "two", "other": "x"])
        #expect(role.rules.map(\.verbs) == [["get"]])
        let secret = try #require(result.snapshot.secrets.first)
        #expect(secret.keys.map(\.name) == ["tls.key"])
        #expect(secret.keys.map(\.size) == [6])
        let lines = repeatWarnings(result).map { $0.split(separator: ":")[1] }
        #expect(lines == ["7", "10", "16", "23"])
        #expect(repeatWarnings(result)[3].contains("Secret shop/tls: the key \"tls.key\" comes again at line 24"))
    }

    /// sigs.k8s.io/yaml turns a key `1` into the JSON key "1": the same key as `"1"`.
    @Test func yamlKeysEqualAsJSONKeysAreRepeats() throws {
        let result = try read("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: ns1
              labels:
                1: plain
                "1": quoted
                yes: bool
                "true": text
            """)
        #expect(result.snapshot.namespaces.first?.meta.labels == ["1": "quoted", "true": "text"])
        #expect(repeatWarnings(result).count == 2)
    }

    @Test func yamlRepeatBesideAMergeIsWarnedButMergedKeysAreNot() throws {
        let result = try read("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: ns1
              labels:
                a: one
                <<: {a: merged, b: merged}
                a: two
                b: mine
            """)
        #expect(result.snapshot.namespaces.first?.meta.labels == ["a": "two", "b": "mine"])
        #expect(repeatWarnings(result).count == 1)
        #expect(repeatWarnings(result).first?.hasPrefix("dump.yaml:6: Namespace ns1: the key \"a\" comes again at line 8") == true)
    }

    /// More than 16 keys take the hashed path; a key repeated three times
    /// warns twice and keeps the third value.
    @Test func yamlManyKeysWithARepeat() throws {
        var labels = (0..<40).map { "    key\($0): v\($0)" }
        labels.insert("    key7: again", at: 30)
        labels.append("    key7: last")
        let result = try read("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n  labels:\n" + labels.joined(separator: "\n") + "\n")
        let read = try #require(result.snapshot.namespaces.first?.meta.labels)
        #expect(read.count == 40)
        #expect(read["key7"] == "last" && read["key39"] == "v39")
        #expect(repeatWarnings(result).count == 2)
    }

    @Test func yamlStreamedListItemWithARepeat() throws {
        let result = try read("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: a, namespace: shop}
              metadata: {name: b, namespace: web}
            """)
        #expect(result.snapshot.serviceAccounts.map { "\($0.meta.namespace)/\($0.meta.name)" } == ["web/b"])
        #expect(repeatWarnings(result).count == 1)
    }

    @Test func yamlListWithItemsTwiceIsRefused() throws {
        let error = try #require(readError("""
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: Namespace, metadata: {name: a}}
            items:
            - {apiVersion: v1, kind: Namespace, metadata: {name: b}}
            """, name: "list.yaml"))
        #expect(error.file == "list.yaml" && error.line == 5)
        #expect(error.message.contains("items twice"))
    }

    /// A mapping or a sequence as a key (found by the fuzz corpus's
    /// fuzz-unclosed-item.json read as YAML) is no JSON key: go-yaml fails
    /// ("invalid map key"), so the object is skipped with its line; never a crash.
    @Test func yamlComplexKeysAreNoRepeats() throws {
        let result = try read("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: ns1
              labels:
                ? [a, b]
                : one
                ? {c: d}
                : two
                ? [a, b]
                : three
                tier: web
                tier: db
            """)
        #expect(repeatWarnings(result).isEmpty)
        #expect(result.snapshot.namespaces.isEmpty)
        #expect(result.warnings == ["dump.yaml:6: Namespace ns1: a mapping or a list as a mapping key (go-yaml: \"invalid map key\"); "
            + "skipped, as kubectl and the API server would reject it"])
    }

    // MARK: - JSON

    @Test func jsonTopLevelAndNestedRepeats() throws {
        let result = try read("""
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
             "metadata": {"name": "first", "labels": {"a": "1"}},
             "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"], "verbs": ["get"]}],
             "metadata": {"name": "second",
                          "labels": {"a": "1", "a": "2"}}}
            """, name: "role.json")
        let role = try #require(result.snapshot.roles.first)
        #expect(role.meta.name == "second")
        #expect(role.meta.labels == ["a": "2"])
        #expect(role.rules.map(\.verbs) == [["get"]])
        #expect(repeatWarnings(result).map { $0.split(separator: ":")[1] } == ["2", "3", "5"])
        #expect(repeatWarnings(result).first?.hasPrefix("role.json:2: ClusterRole second: the key \"metadata\" comes again at line 4") == true)
    }

    /// JSON keys compare after their escapes are decoded: "n\u0061me" is "name".
    @Test func jsonEscapedKeyRepeatsAPlainOne() throws {
        let result = try read(#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "plain", "n\u0061me": "escaped"}}"#,
                              name: "ns.json")
        #expect(result.snapshot.namespaces.map(\.meta.name) == ["escaped"])
        #expect(repeatWarnings(result).count == 1)
    }

    @Test func jsonStreamedListItemWithARepeatAndItemsTwiceRefused() throws {
        let result = try read("""
            {"kind": "SecretList", "apiVersion": "v1", "items": [
              {"metadata": {"name": "s", "namespace": "a"}, "type": "Opaque", "type": "kubernetes.io/tls"}
            ]}
            """, name: "list.json")
        #expect(result.snapshot.secrets.map(\.type) == ["kubernetes.io/tls"])
        #expect(repeatWarnings(result).count == 1)

        let error = try #require(readError("""
            {"kind": "List", "apiVersion": "v1", "items": [],
             "items": [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "b"}}]}
            """, name: "list.json"))
        #expect(error.line == 2)
        #expect(error.message.contains("items twice"))
    }

    /// Keys are compared as bytes: "café" precomposed and decomposed are two keys, not a repeat.
    @Test func canonicallyEqualKeysAreNotRepeats() throws {
        let result = try read(#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n", "labels": {"caf\u00e9": "nfc", "cafe\u0301": "nfd"}}}"#,
                              name: "ns.json")
        #expect(repeatWarnings(result).isEmpty)
        let labels = try #require(result.snapshot.namespaces.first?.meta.labels)
        #expect(labels.count == 2)
    }
}
