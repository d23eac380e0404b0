import Foundation
import KubeModel
import Testing
@testable import DumpReader

/// YAML read exactly as Kubernetes reads it: kubectl and the API server go
/// through sigs.k8s.io/yaml, which decodes with go-yaml v2 (YAML 1.1) into
/// untyped values, converts them to JSON, then decodes the JSON into the
/// typed object. Each test pins one shape: what is read, or, for what the API
/// server would reject, the warning with file and line and the skip.
@Suite struct KubernetesYAMLTests {
    // MARK: - Merge keys

    @Test func mergeKeysExpandMappingsAndAliases() throws {
        let result = try read("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              <<: {namespace: shop, labels: {team: web}}
              name: reader
            rules:
            - <<: &secrets {apiGroups: [""], resources: [secrets]}
              verbs: [get]
            - <<: *secrets
              verbs: [list]
            """)
        #expect(result.warnings.isEmpty)
        let role = try #require(result.snapshot.roles.first)
        #expect(role.meta.namespace == "shop" && role.meta.name == "reader")
        #expect(role.meta.labels == ["team": "web"])
        #expect(role.rules.map(\.verbs) == [["get"], ["list"]])
        #expect(role.rules.map(\.resources) == [["secrets"], ["secrets"]])
        #expect(role.rules.map(\.apiGroups) == [[""], [""]])
    }

    /// go-yaml v2 applies a mapping's entries in document order (a key after
    /// `<<` overrides the merged value, one before it is overridden), and a
    /// merged sequence last to first (the earlier mapping wins).
    @Test func mergePrecedenceIsGoYAMLv2s() throws {
        let result = try read("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: merged
              labels:
                a: before
                <<: [{a: first, b: first, c: first}, {b: second, d: second}]
                c: after
            """)
        #expect(result.snapshot.namespaces.first?.meta.labels == ["a": "first", "b": "first", "c": "after", "d": "second"])
    }

    @Test func mergeOfAnchoredMappingInsideAnItemOfAList() throws {
        let result = try read("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ServiceAccount
              metadata: &meta
                namespace: shop
                name: web
            - apiVersion: v1
              kind: ServiceAccount
              metadata:
                <<: *meta
                name: api
            """)
        #expect(result.snapshot.serviceAccounts.map { "\($0.meta.namespace)/\($0.meta.name)" } == ["shop/web", "shop/api"])
    }

    @Test func mergingAScalarOrAListOfScalarsSkipsTheObjectWithItsLine() throws {
        let result = try read("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: kept
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: broken
              labels:
                <<: [a, b]
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              <<: 5
              name: broken-too
            """, name: "merge.yaml")
        #expect(result.snapshot.namespaces.map(\.meta.name) == ["kept"])
        #expect(result.warnings.count == 2)
        #expect(result.warnings[0].hasPrefix("merge.yaml:11: Namespace broken: the merge key << holds something other than a mapping"))
        #expect(result.warnings[1].hasPrefix("merge.yaml:16: Namespace broken-too: the merge key << holds"))
        #expect(result.warnings.allSatisfy { $0.hasSuffix("skipped, as kubectl and the API server would reject it") })
    }

    @Test func aQuotedMergeKeyIsAnOrdinaryKey() throws {
        let result = try read("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: quoted
              labels: {"<<": x}
            """)
        #expect(result.snapshot.namespaces.first?.meta.labels == ["<<": "x"])
    }

    // MARK: - Anchors, markers, line endings

    @Test func anchorsAndAliasesCopyNodes() throws {
        let result = try read("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: b, namespace: shop}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: &role reader}
            subjects:
            - &alice {kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}
            - *alice
            - {kind: Group, apiGroup: rbac.authorization.k8s.io, name: *role}
            """)
        let binding = try #require(result.snapshot.bindings.first)
        #expect(binding.roleRef.name == "reader")
        #expect(binding.subjects.map(\.name) == ["alice", "alice", "reader"])
    }

    @Test func crlfAndAByteOrderMarkReadLikeLF() throws {
        let text = "\u{FEFF}apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: one\r\n---\r\napiVersion: v1\r\n"
            + "kind: Namespace\r\nmetadata:\r\n  name: one\r\n  labels: {tier: \"on\"}\r\n"
        let result = try read(text, name: "crlf.yaml")
        #expect(result.snapshot.namespaces.map(\.meta.name) == ["one"])
        #expect(result.snapshot.namespaces.first?.meta.labels == ["tier": "on"])
        #expect(result.warnings == ["crlf.yaml:6: Namespace one appears twice; the last one wins"])
    }

    @Test func crlfStreamsSplitForParallelReadingKeepTheirLines() throws {
        var text = ""
        for i in 0..<200 { text += "---\r\napiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: ns-\(i)\r\n" }
        text += "---\r\napiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: bad\r\n  labels:\r\n    on: yes\r\n"
        let reader = DumpReader(cores: 4)
        reader.parallelMinimumBytes = 0
        let result = try reader.read([.data(Data(text.utf8), name: "split.yaml")])
        #expect(result.snapshot.namespaces.count == 200)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.hasPrefix("split.yaml:1007: Namespace bad: metadata.labels.true is a boolean") == true)
    }

    @Test func documentMarkersEmptyDocumentsAndComments() throws {
        let result = try read("""
            %YAML 1.1
            --- # first
            apiVersion: v1
            kind: Namespace
            metadata: {name: a}
            ...
            ---
            # only a comment
            ...
            ---
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: b}
            ...

            """)
        #expect(result.snapshot.namespaces.map(\.meta.name) == ["a", "b"])
        #expect(result.documents == 2)
        #expect(result.warnings.isEmpty)
    }

    @Test func nullTildeAndEmptyValuesAreAbsent() throws {
        let result = try read("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: s
              namespace: ~
              labels:
              annotations: null
            type:
            data:
              empty: ~
              also-empty: ""
            stringData:
              nothing: null
            """, name: "null.yaml")
        let secret = try #require(result.snapshot.secrets.first)
        #expect(secret.meta.namespace == "default")
        #expect(secret.meta.labels.isEmpty && secret.meta.annotations.isEmpty)
        #expect(secret.type == "Opaque")
        #expect(secret.keys.map(\.name) == ["empty", "also-empty", "nothing"])
        #expect(secret.keys.allSatisfy { $0.size == 0 })
        #expect(result.warnings == ["null.yaml: 1 namespaced object without metadata.namespace placed in namespace \"default\", as kubectl would"])
    }

    // MARK: - Scalars that look like numbers or booleans

    @Test func quotedScalarsAreStringsWhateverTheyLookLike() throws {
        let result = try read("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: "0755"
              labels:
                a: "on"
                b: 'yes'
                c: "1e3"
                d: "true"
                e: "True"
                f: "~"
                g: |
                  null
            """)
        #expect(result.warnings.isEmpty)
        let namespace = try #require(result.snapshot.namespaces.first)
        #expect(namespace.meta.name == "0755")
        #expect(namespace.meta.labels == ["a": "on", "b": "yes", "c": "1e3", "d": "true", "e": "True", "f": "~", "g": "null"])
    }

    @Test func plainScalarsThatYAML11ReadsAsStringsStayStrings() throws {
        let result = try read("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: plain
              labels:
                date: 2024-01-31
                version: 1.2.3
                hex-ish: 0x1G
                word: yesterday
                dash: "-"
                colon: a:b
                dot: .
                tagged: !!str 0755
            """)
        #expect(result.warnings.isEmpty)
        #expect(result.snapshot.namespaces.first?.meta.labels == [
            "date": "2024-01-31", "version": "1.2.3", "hex-ish": "0x1G", "word": "yesterday", "dash": "-",
            "colon": "a:b", "dot": ".", "tagged": "0755",
        ])
    }

    /// An unquoted `yes`, `on`, `0755`, `1e3`, `true` or `True` is a boolean or
    /// a number by the time Kubernetes decodes the object; in a string field
    /// that fails ("cannot unmarshal bool into Go struct field ... of type
    /// string"): the object is skipped, with the line of the value.
    @Test(arguments: [
        ("yes", "a boolean"), ("on", "a boolean"), ("True", "a boolean"), ("true", "a boolean"), ("n", "a boolean"),
        ("0755", "a number"), ("1e3", "a number"), ("0x1F", "a number"), ("+1_000", "a number"), (".5", "a number"),
        ("-.inf", "a number"), ("12", "a number"),
    ])
    func unquotedBooleansAndNumbersInStringFieldsSkipTheObject(value: String, found: String) throws {
        let result = try read("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: kept}
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: skipped
              labels:
                app: web
                mode: \(value)
            """, name: "typed.yaml")
        #expect(result.snapshot.namespaces.map(\.meta.name) == ["kept"])
        #expect(result.warnings == ["typed.yaml:11: Namespace skipped: metadata.labels.mode is \(found)"
            + (found == "a boolean" ? " (YAML 1.1 reads unquoted yes/no/on/off/true/false as one)" : "")
            + " where Kubernetes expects a string (quote the value); skipped, as the API server would reject this object"])
    }

    @Test func booleanFieldsAcceptYAML11Booleans() throws {
        let result = try read("""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: a, namespace: shop}
            automountServiceAccountToken: yes
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: b, namespace: shop}
            automountServiceAccountToken: Off
            """)
        #expect(result.snapshot.serviceAccounts.map(\.automountServiceAccountToken) == [true, false])
    }

    @Test func numberFieldsAndIntOrStringPortsReadNumbers() throws {
        let result = try read("""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: shop}
            spec:
              rules:
              - host: shop.example.org
                http:
                  paths:
                  - path: /
                    backend: {service: {name: web, port: {number: 8080}}}
            ---
            apiVersion: extensions/v1beta1
            kind: Ingress
            metadata: {name: old, namespace: shop}
            spec:
              backend: {serviceName: old, servicePort: 80}
            """)
        #expect(result.warnings.isEmpty)
        #expect(result.snapshot.ingresses.flatMap { $0.rules.flatMap(\.backends).map(\.port) } == ["8080", "80"])
    }

    /// sigs.k8s.io/yaml turns keys that resolve to booleans or numbers into
    /// their JSON strings.
    @Test func plainKeysBecomeTheirJSONStrings() throws {
        let result = try read("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: keys
              labels: {yes: a, off: b, 0x10: c, 0755: d, 1_000: e, "on": f}
            """)
        #expect(result.snapshot.namespaces.first?.meta.labels
            == ["true": "a", "false": "b", "16": "c", "493": "d", "1000": "e", "on": "f"])
    }

    // MARK: - Other shapes the API server rejects

    @Test func aListOrAMappingWhereAStringBelongsSkipsTheObject() throws {
        let result = try read("""
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: shop}
            spec:
              serviceAccountName: [web]
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: [web]
              namespace: shop
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: api, namespace: shop}
            spec:
              serviceAccountName: api
            """, name: "shapes.yaml")
        #expect(result.snapshot.pods.map(\.meta.name) == ["api"])
        #expect(result.snapshot.serviceAccounts.isEmpty)
        #expect(result.warnings.count == 2)
        #expect(result.warnings[0].hasPrefix("shapes.yaml:5: Pod shop/web: spec.serviceAccountName is a list where Kubernetes expects a string"))
        #expect(result.warnings[1].hasPrefix("shapes.yaml:10: ServiceAccount: metadata.name is a list where Kubernetes expects a string"))
    }

    @Test func aBooleanWhereAStringBelongsInJSONSkipsTheObjectWithItsLine() throws {
        let result = try read("""
            {"kind": "List", "apiVersion": "v1", "items": [
              {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "a"}},
              {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "b",
                "labels": {"x": true}}}
            ]}
            """, name: "typed.json")
        #expect(result.snapshot.namespaces.map(\.meta.name) == ["a"])
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.hasPrefix("typed.json:4: Namespace b: metadata.labels.x is a boolean") == true)
    }

    @Test func aSecretValueOfTheWrongTypeSkipsTheSecretWithoutQuotingIt() throws {
        let result = try read("""
            apiVersion: v1
            kind: Secret
            metadata: {name: s, namespace: shop}
            data:
              pin: 987654321
            """, name: "secret.yaml")
        #expect(result.snapshot.secrets.isEmpty)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.hasPrefix("secret.yaml:5: Secret shop/s: data.pin is a number") == true)
        #expect(result.warnings.first?.contains("987654321") == false)
    }

    /// A list where a list belongs is not enough: its elements must be
    /// strings too (RBACShapeTests pins `verbs: get`).
    @Test func aBooleanVerbSkipsTheRole() throws {
        let result = try read("""
            kind: Role
            apiVersion: rbac.authorization.k8s.io/v1
            metadata: {name: r, namespace: a}
            rules:
            - verbs: [get, yes]
              apiGroups: [""]
              resources: [secrets]
            """, name: "shape.yaml")
        #expect(result.snapshot.roles.isEmpty)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.hasPrefix("shape.yaml:5: Role a/r: rules[0].verbs[1] is a boolean") == true)
    }

    // MARK: - JSON in a .yaml file

    @Test func aYAMLFileHoldingJSONReadsAsJSON() throws {
        let result = try read("""
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "json", "labels": {"n": "1"}}}
            """, name: "namespace.yaml")
        #expect(result.snapshot.namespaces.first?.meta.labels == ["n": "1"])
    }

    @Test func aYAMLFlowMappingStartingWithABraceReadsAsYAML() throws {
        let text = "{apiVersion: v1, kind: Namespace, metadata: {name: flow, labels: {tier: web}}}\n"
        let result = try read(text, name: "flow.yaml")
        #expect(result.snapshot.namespaces.first?.meta.labels == ["tier": "web"])
        // The same bytes named .json are JSON, and invalid.
        let error = try #require(readError(text, name: "flow.json"))
        #expect(error.line == 1 && error.message.hasPrefix("invalid JSON"))
    }
}
