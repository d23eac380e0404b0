import Foundation
import KubeModel
import Testing
import TestSupport
@testable import DumpReader

/// Directories of real manifests (issue 8): what a walk reads, skips and refuses.
@Suite struct DirectoryWalkTests {
    static let secretJSON = InputShapeTests.secretJSON
    static let roleJSON = InputShapeTests.roleJSON

    private func folder(_ files: [String: String]) throws -> URL {
        try TemporaryFolder.make(files, prefix: "dumpreader")
    }

    @Test func filesWithoutKindAreSkippedAndAddNothing() throws {
        // values.yaml's first document is Kubernetes, its second is not: the whole file is skipped.
        let dir = try folder([
            "a.json": Self.secretJSON,
            "values.yaml": "kind: ConfigMap\napiVersion: v1\nmetadata: {name: c, namespace: n}\n---\nreplicas: 2\n",
            "Chart.yaml": "apiVersion: v2\nname: shop\n",
            "strings.json": #"["a", "b"]"#,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try DumpReader().read([.path(dir.path)])
        #expect(result.snapshot.countsByKind == ["Secret": 1])
        #expect(result.skipped.isEmpty)
        #expect(result.skippedFiles == ["Chart.yaml", "strings.json", "values.yaml"].map { dir.appendingPathComponent($0).path })
        #expect(result.warnings.count == 3)
        #expect(result.warnings.contains { $0.hasPrefix(dir.appendingPathComponent("values.yaml").path + ": skipped") && $0.contains("line 5") })
    }

    @Test func strictRefusesTheFirstSkippedFile() throws {
        let dir = try folder(["a.json": Self.secretJSON, "b/values.yaml": "replicas: 2\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: DumpError(file: dir.appendingPathComponent("b/values.yaml").path, line: 1, column: 1,
                                  message: "not a Kubernetes object: a mapping without kind or apiVersion", notKubernetes: true)) {
            try DumpReader(strict: true).read([.path(dir.path)])
        }
    }

    @Test func hiddenFoldersAndTheBuildFolderAreNotWalked() throws {
        let dir = try folder([
            "a.json": Self.secretJSON,
            ".github/workflows/ci.yml": "on: push\n",
            ".build/x.json": "{ broken",
            "sub/.git/config.yaml": "{ broken",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try DumpReader().read([.path(dir.path)])
        #expect(result.files == 1 && result.warnings.isEmpty && result.skippedFiles.isEmpty)
    }

    @Test func aSyntaxErrorInAWalkedFileIsStillAnError() throws {
        let dir = try folder(["a.json": "{\"kind\": "])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: DumpError.self) { try DumpReader().read([.path(dir.path)]) }
    }

    @Test func duplicatesAcrossWalkedFilesNameTheLaterLine() throws {
        let dir = try folder(["a.json": Self.secretJSON, "b.json": "\n\n" + Self.secretJSON])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try DumpReader().read([.path(dir.path)])
        #expect(result.warnings == [dir.appendingPathComponent("b.json").path + ":3: Secret n/s1 appears twice; the last one wins"])
    }

    @Test func aTopLevelJSONArrayHoldsObjectsAndLists() throws {
        let list = #"{"kind": "List", "apiVersion": "v1", "items": [\#(Self.roleJSON)]}"#
        let result = try read("[\(Self.secretJSON), \(list)]", name: "slurped.json")
        #expect(result.snapshot.countsByKind == ["Secret": 1, "Role": 1])
        #expect(result.documents == 2)
        #expect(try read(" [ ] ", name: "empty.json").objects == 0)
        let scalar = readError(#"[{"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "a", "namespace": "n"}}, 3]"#,
                               name: "a.json")
        #expect(scalar?.line == 1 && scalar?.column == 87 && scalar?.message.contains("top-level array is not a mapping") == true)
        let missingComma = readError("[\(Self.secretJSON)\n\(Self.secretJSON)]", name: "a.json")
        #expect(missingComma?.line == 2 && missingComma?.message.contains("expected ',' or ']'") == true, "\(String(describing: missingComma))")
    }
}
