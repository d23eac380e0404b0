import Foundation
import Testing
import TestSupport

/// `keyreach import DIR` on a real repository's deploy folder: manifests
/// beside Helm values, CI workflows and package.json (issue 8).
@Suite struct DirectoryImportCLITests {
    static let role = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: reader, namespace: shop}
        rules:
        - {apiGroups: [""], resources: [secrets], verbs: [get]}
        """
    static let secret = #"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "tls", "namespace": "shop"}}"#

    /// A deploy folder as repositories have them, alone in a fresh folder
    /// (databases go beside it); returns the deploy folder.
    static func deployFolder() throws -> URL {
        let files = [
            "role.yaml": role,
            "secret.json": secret,
            "values.yaml": "replicaCount: 2\nimage:\n  tag: latest\n",
            "package.json": #"{"name": "shop", "version": "1.0.0"}"#,
            "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
            ".build/debug/output.json": "not even JSON {",
            ".hidden.yaml": "not: kubernetes\n",
        ]
        let root = try TemporaryFolder.make(Dictionary(uniqueKeysWithValues: files.map { ("deploy/" + $0.key, $0.value) }),
                                            prefix: "keyreach-cli")
        return root.appendingPathComponent("deploy")
    }

    @Test func aDirectoryWalkSkipsFilesThatAreNotKubernetesWithOneWarningEach() throws {
        let deploy = try Self.deployFolder()
        let db = deploy.deletingLastPathComponent().appendingPathComponent("k.db").path
        let run = try CLI.run(["import", deploy.path, "--db", db, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try #require(run.json as? [String: Any])
        #expect(summary["stored"] as? [String: Int] == ["Role": 1, "Secret": 1])
        #expect(summary["skippedFiles"] as? Int == 3)
        #expect(summary["files"] as? Int == 2)
        let warnings = try #require(summary["warnings"] as? [String])
        for name in ["values.yaml", "package.json", "chart/Chart.yaml"] {
            #expect(warnings.filter { $0.hasPrefix(deploy.appendingPathComponent(name).path + ": skipped") }.count == 1,
                    "\(name): \(warnings)")
        }
        // Hidden folders and .build/ are never walked: neither warned about nor read.
        #expect(!warnings.contains { $0.contains(".github") || $0.contains(".build") || $0.contains(".hidden") })
    }

    @Test func theTableSummaryCountsTheSkippedFiles() throws {
        let deploy = try Self.deployFolder()
        let run = try CLI.run(["import", deploy.path, "--db", deploy.appendingPathComponent("../k.db").path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Skipped 3 file(s) that hold no Kubernetes object"))
    }

    @Test func strictMakesASkippedFileAnError() throws {
        let deploy = try Self.deployFolder()
        let db = deploy.deletingLastPathComponent().appendingPathComponent("k.db")
        let run = try CLI.run(["import", deploy.path, "--db", db.path, "--strict"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("Chart.yaml:1:") || run.stderr.contains("package.json:1:")
                || run.stderr.contains("values.yaml:1:"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db.path))
    }

    @Test func aNamedFileThatIsNotKubernetesIsStillAnError() throws {
        let deploy = try Self.deployFolder()
        let values = deploy.appendingPathComponent("values.yaml").path
        let run = try CLI.run(["import", values, "--db", deploy.appendingPathComponent("../k.db").path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("values.yaml:1:"), "\(run.stderr)")
    }

    @Test func aTopLevelJSONArrayOfObjectsAndListsIsRead() throws {
        let dir = try CLI.temporaryDirectory()
        let list = #"{"apiVersion": "v1", "kind": "List", "items": [\#(Self.secret.replacingOccurrences(of: "\"tls\"", with: "\"other\""))]}"#
        let slurped = "[\(Self.secret),\n \(list)]\n"
        let run = try CLI.run(["import", "-", "--db", dir.appendingPathComponent("k.db").path, "-o", "json"],
                              stdin: Data(slurped.utf8))
        #expect(run.status == 0, "\(run.stderr)")
        #expect((run.json as? [String: Any])?["stored"] as? [String: Int] == ["Secret": 2])
    }

    @Test func anImportThatFindsNoKubernetesObjectFailsAndCreatesNoDatabase() throws {
        let dir = try CLI.temporaryDirectory()
        let only = dir.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: only, withIntermediateDirectories: true)
        try Data("replicaCount: 2\n".utf8).write(to: only.appendingPathComponent("values.yaml"))
        let db = dir.appendingPathComponent("k.db")
        let run = try CLI.run(["import", only.path, "--db", db.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("no Kubernetes object found"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").last?.contains("kubectl get") == true, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db.path))
        let empty = try CLI.run(["import", "-", "--db", db.path], stdin: Data("# nothing\n".utf8))
        #expect(empty.status == 2)
        #expect(!FileManager.default.fileExists(atPath: db.path))
    }
}
