import Foundation
import Testing
import KubeModel
@testable import DumpReader

/// Every shape a dump comes in: single objects, Lists, typed lists,
/// concatenated JSON, multi-document YAML, directories.
@Suite struct InputShapeTests {
    static let secretJSON = #"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s1", "namespace": "n"}}"#
    static let roleJSON = #"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r1", "namespace": "n"}}"#

    @Test func jsonSingleObject() throws {
        let result = try read(Self.secretJSON, name: "one.json")
        #expect(result.snapshot.countsByKind == ["Secret": 1])
        #expect(result.documents == 1)
    }

    @Test func jsonConcatenatedValues() throws {
        let result = try read(Self.secretJSON + "\n" + Self.roleJSON + Self.roleJSON.replacingOccurrences(of: "r1", with: "r2"))
        #expect(result.snapshot.countsByKind == ["Secret": 1, "Role": 2])
        #expect(result.documents == 3)
    }

    @Test func jsonListStreamsItems() throws {
        let result = try read(#"{"apiVersion": "v1", "items": [\#(Self.secretJSON), \#(Self.roleJSON)], "kind": "List", "metadata": {}}"#)
        #expect(result.snapshot.countsByKind == ["Secret": 1, "Role": 1])
        #expect(result.documents == 1)
        #expect(result.objects == 2)
    }

    @Test(arguments: [true, false])
    func jsonTypedListItemsWithoutKind(kindFirst: Bool) throws {
        let items = #""items": [{"metadata": {"name": "a", "namespace": "n"}, "type": "kubernetes.io/tls"}, {"metadata": {"name": "b", "namespace": "n"}}]"#
        let kind = #""kind": "SecretList", "apiVersion": "v1""#
        let text = kindFirst ? "{\(kind), \(items)}" : "{\(items), \(kind)}"
        let result = try read(text, name: "raw.json")
        #expect(result.snapshot.secrets.map(\.meta.name) == ["a", "b"])
        #expect(result.snapshot.secrets.first?.type == "kubernetes.io/tls")
    }

    @Test func jsonTypedListOfAnotherGroupIsReadByItsGroup() throws {
        let result = try read(#"{"kind": "GatewayList", "apiVersion": "networking.istio.io/v1", "items": [{"metadata": {"name": "g", "namespace": "n"}}]}"#)
        #expect(result.snapshot.gateways.isEmpty)
        #expect(result.snapshot.serving.istioGateways.map(\.meta.name) == ["g"])
        #expect(result.skipped == [:])
    }

    @Test(arguments: [true, false])
    func yamlTypedList(kindFirst: Bool) throws {
        let items = """
            items:
            - metadata: {name: rb, namespace: ns}
              roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
              subjects:
              - {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
            """
        let kind = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBindingList"
        let result = try read(kindFirst ? kind + "\n" + items : items + "\n" + kind)
        #expect(result.snapshot.bindings == [RoleBinding(
            meta: ObjectMeta(name: "rb", namespace: "ns"), roleRef: RoleRef(kind: "ClusterRole", name: "view"),
            subjects: [Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "devs")])])
    }

    @Test func yamlListAndMultiDocumentWithEmptyDocuments() throws {
        let text = """
            # Source: chart/templates/rbac.yaml
            ---
            ---

            # only a comment here
            ---
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Namespace
              metadata:
                name: "quoted"
            - apiVersion: v1
              kind: ServiceAccount
              metadata: {name: sa, namespace: quoted}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: flow
            rules:
            - apiGroups: ['*']
              resources: ["*"]
              verbs: ["*"]
            ...
            """
        let result = try read(text)
        #expect(result.snapshot.countsByKind == ["Namespace": 1, "ServiceAccount": 1, "ClusterRole": 1])
        #expect(result.snapshot.namespaces.first?.meta.name == "quoted")
        #expect(result.snapshot.roles.first?.rules == [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"])])
        #expect(result.documents == 2)
        #expect(result.warnings.isEmpty)
    }

    @Test func commentOnlyAndEmptyFilesReadAsNothing() throws {
        #expect(try read("# nothing\n\n").objects == 0)
        #expect(try read("").objects == 0)
        #expect(try read("---\n...\n").objects == 0)
    }

    @Test func jsonStringEscapesIncludingSurrogatePairs() throws {
        let text = #"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"na\u006de": "caf\u00e9", "labels": {"emoji": "\ud83d\ude00", "path": "a\/b\"c\\d\te"}}}"#
        let namespace = try #require(try read(text).snapshot.namespaces.first)
        #expect(namespace.meta.name == "café")
        #expect(namespace.meta.labels == ["emoji": "😀", "path": "a/b\"c\\d\te"])
    }

    @Test func yamlAliasesAreExpanded() throws {
        let text = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: r, labels: &labels {team: core}}
            rules:
            - &rule {apiGroups: [""], resources: [secrets], verbs: [get]}
            - *rule
            """
        let role = try #require(try read(text).snapshot.roles.first)
        #expect(role.rules.count == 2 && role.rules[0] == role.rules[1])
        #expect(role.meta.labels == ["team": "core"])
    }

    @Test func directoriesAreReadRecursivelyInSortedOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dumpreader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.secretJSON.utf8).write(to: dir.appendingPathComponent("b.json"))
        let later = "kind: Secret\napiVersion: v1\nmetadata: {name: s1, namespace: \"n\"}\ntype: later\n"
        try Data(later.utf8).write(to: dir.appendingPathComponent("sub/c.yml"))
        try Data(Self.roleJSON.utf8).write(to: dir.appendingPathComponent("a.yaml"))
        try Data("not a dump".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        try Data().write(to: dir.appendingPathComponent("empty.json"))
        let result = try DumpReader().read([.path(dir.path)])
        #expect(result.files == 4)
        #expect(result.snapshot.countsByKind == ["Secret": 1, "Role": 1])
        // b.json before sub/c.yml: the later file wins.
        #expect(result.snapshot.secrets.first?.type == "later")
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.hasPrefix(dir.appendingPathComponent("sub/c.yml").path + ":1: Secret n/s1") == true)
        #expect(result.bytes == Self.secretJSON.utf8.count + Self.roleJSON.utf8.count + later.utf8.count)
    }

    @Test func progressReportsTheTotal() throws {
        let reports = Reports()
        let big = #"{"kind": "List", "apiVersion": "v1", "items": ["# + Array(repeating: Self.secretJSON, count: 2)
            .joined(separator: ",") + "]}"
        _ = try DumpReader(progress: { reports.add($0) }).read([.data(Data(big.utf8), name: "p.json")])
        let last = try #require(reports.all.last)
        #expect(last.bytesRead == big.utf8.count && last.totalBytes == big.utf8.count)
    }
}

/// Collects progress reports from the reader's @Sendable callback.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [ReadProgress] = []
    func add(_ report: ReadProgress) { lock.withLock { reports.append(report) } }
    var all: [ReadProgress] { lock.withLock { reports } }
}

/// Multi-document YAML parsed in parts on several cores gives exactly what
/// one sequential read gives: same snapshot, warnings, counts and error lines.
@Suite struct ParallelYAMLTests {
    /// Each round writes a Secret (7 lines with its `---`), a ClusterRole (5) and a ConfigMap (4).
    static let linesPerRound = 16

    static func stream(badLine: Bool = false) -> String {
        var docs: [String] = []
        for i in 0..<40 {
            docs.append("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\(i % 30)\n  namespace: ns\ntype: t\(i)")
            docs.append("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r\(i % 25)}\nrules: []")
            docs.append("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c\(i), namespace: ns}")
            if badLine && i == 33 { docs.append("kind: Secret\nmetadata: [oops") }
        }
        return docs.map { "---\n" + $0 }.joined(separator: "\n") + "\n"
    }

    func reader(cores: Int) -> DumpReader {
        let reader = DumpReader(cores: cores)
        reader.parallelMinimumBytes = 1
        return reader
    }

    @Test(arguments: [2, 3, 7])
    func partsMergeLikeASequentialRead(cores: Int) throws {
        let data = Data(Self.stream().utf8)
        let sequential = try reader(cores: 1).read([.data(data, name: "s.yaml")])
        let parallel = try reader(cores: cores).read([.data(data, name: "s.yaml")])
        #expect(YAMLChunks.split(data.withUnsafeBytes { $0.bindMemory(to: UInt8.self) }, parts: cores, minimumSize: 1).count == cores)
        #expect(parallel.snapshot == sequential.snapshot)
        #expect(parallel.snapshot.secrets.count == 30)
        #expect(parallel.snapshot.secrets.first?.type == "t30")
        #expect(Set(parallel.warnings) == Set(sequential.warnings))
        #expect(sequential.warnings.count == 10 + 15)
        #expect(sequential.warnings.contains("s.yaml:\(31 * Self.linesPerRound + 2): Secret ns/s1 appears twice; the last one wins"))
        #expect(parallel.skipped == ["ConfigMap": 40] && parallel.objects == 120 && parallel.documents == 120)
    }

    @Test func errorLineCountsLinesOfEarlierParts() throws {
        let data = Data(Self.stream(badLine: true).utf8)
        // After 34 rounds: `---`, `kind: Secret`, `metadata: [oops`, then the
        // next `---` where libyaml finds the flow sequence unterminated.
        let lineOfError = 34 * Self.linesPerRound + 4
        for cores in [1, 2, 4] {
            #expect(throws: DumpError.self) { try reader(cores: cores).read([.data(data, name: "bad.yaml")]) }
            do {
                _ = try reader(cores: cores).read([.data(data, name: "bad.yaml")])
            } catch {
                #expect(error.line == lineOfError, "\(error) with \(cores) cores")
            }
        }
    }
}

/// A big pretty-printed JSON List is read in two halves at once; the result
/// must not differ from a sequential read in any way.
@Suite struct ParallelJSONTests {
    func reader(cores: Int) -> DumpReader {
        let reader = DumpReader(cores: cores)
        reader.parallelMinimumBytes = 1
        return reader
    }

    static func list(kind: String = "List", items: [[String: Any]], extra: [String: Any] = [:]) -> Data {
        var list: [String: Any] = ["apiVersion": "v1", "kind": kind, "items": items, "metadata": [String: Any]()]
        list.merge(extra) { $1 }
        return try! JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys])
    }

    static func secrets(_ n: Int, typed: Bool = false) -> [[String: Any]] {
        (0..<n).map { i in
            var secret: [String: Any] = ["metadata": ["name": "s\(i % (n - 5))", "namespace": "n"], "type": "t\(i)",
                                         "data": ["k": "aGVsbG8="]]
            if !typed { secret["kind"] = "Secret"; secret["apiVersion"] = "v1" }
            return secret
        }
    }

    @Test(arguments: [false, true])
    func halvesMergeLikeASequentialRead(typed: Bool) throws {
        let data = Self.list(kind: typed ? "SecretList" : "List", items: Self.secrets(60, typed: typed))
        let sequential = try reader(cores: 1).read([.data(data, name: "l.json")])
        let parallel = try reader(cores: 2).read([.data(data, name: "l.json")])
        #expect(parallel.snapshot == sequential.snapshot)
        #expect(parallel.snapshot.secrets.count == 55)
        #expect(parallel.snapshot.secrets.first?.type == "t55")
        #expect(parallel.warnings == sequential.warnings)
        #expect(parallel.warnings.count == 5)
        #expect(parallel.objects == 60 && parallel.documents == 1)
        let text = String(decoding: data, as: UTF8.self)
        let lineOfLastS4 = text.prefix(upTo: text.range(of: "\"t59\"")!.lowerBound).filter { $0 == "\n" }.count + 1
        #expect(parallel.warnings.last?.hasPrefix("l.json:") == true)
        // The warning names the line of the object's opening brace, a few lines above its type.
        let named = Int(parallel.warnings.last!.split(separator: ":")[1])!
        #expect((lineOfLastS4 - 12)...lineOfLastS4 ~= named)
    }

    /// Several kinds, each array's order and duplicates across the halves:
    /// the merge must rebuild every array as one sequential read would.
    @Test func halvesOfMixedKindsMergeLikeASequentialRead() throws {
        let items: [[String: Any]] = (0..<80).map { i in
            let name = "o\(i % 7)"
            switch i % 5 {
            case 0: return ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": name, "namespace": "n"], "type": "t\(i)"]
            case 1: return ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": name, "namespace": "n"],
                            "rules": [["verbs": ["get"], "resources": ["r\(i)"]]]]
            case 2: return ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": name],
                            "rules": [["verbs": ["list"], "resources": ["r\(i)"]]]]
            case 3: return ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": name, "namespace": "n", "uid": "d\(i)"]]
            default: return ["apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": name, "namespace": "n", "uid": "s\(i)"]]
            }
        }
        let data = Self.list(items: items)
        let sequential = try reader(cores: 1).read([.data(data, name: "m.json")])
        let parallel = try reader(cores: 2).read([.data(data, name: "m.json")])
        #expect(parallel.snapshot == sequential.snapshot)
        // The later half's warnings come array by array, as before; the same ones.
        #expect(Set(parallel.warnings) == Set(sequential.warnings))
        // 7 names per kind; Role and ClusterRole share an array, as do the two workload kinds.
        #expect(parallel.snapshot.secrets.count == 7 && parallel.snapshot.roles.count == 14 && parallel.snapshot.workloads.count == 14)
        #expect(parallel.warnings.count == 80 - 7 * 5)
    }

    @Test func errorInTheSecondHalfNamesItsLine() throws {
        var items = Self.secrets(40)
        items[35]["metadata"] = ["namespace": "n"]
        let data = Self.list(items: items)
        let text = String(decoding: data, as: UTF8.self)
        for cores in [1, 2] {
            do {
                _ = try reader(cores: cores).read([.data(data, name: "e.json")])
                Issue.record("expected an error")
            } catch {
                #expect(error.message == "Secret without metadata.name")
                let line = try #require(error.line)
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines[line - 1].trimmingCharacters(in: .whitespaces) == "{", "\(error)")
                #expect(lines[line...].prefix(12).contains { $0.contains("\"t35\"") }, "\(error)")
            }
        }
    }

    @Test func aWrongGuessFallsBackToOneCore() throws {
        // The middle of the file lies in another top-level array as deep as the items.
        let others: [[String: Any]] = (0..<50).map { ["name": "x\($0)", "padding": String(repeating: "p", count: 40)] }
        let data = Self.list(items: Self.secrets(8), extra: ["zzz": others])
        let parallel = try reader(cores: 2).read([.data(data, name: "f.json")])
        #expect(parallel.snapshot == (try reader(cores: 1).read([.data(data, name: "f.json")])).snapshot)
        #expect(parallel.snapshot.secrets.count == 3)
    }
}
