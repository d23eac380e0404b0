import Foundation
import Testing

/// `keyreach collect --import` and `collect -o FILE`: every kind asked of
/// kubectl, a Forbidden kind warned about and skipped, and no secret value in
/// any byte it writes.
@Suite struct CollectCLITests {
    static let marker = "KEYREACH-FAKE-9f3b2c-private-key-value"
    static let stringMarker = "KEYREACH-FAKE-string-data-password"
    static let forbidden = "clusterrolebindings.rbac.authorization.k8s.io"

    /// The secret list kubectl would print: a TLS key whose value, stringData
    /// and last-applied annotation all carry the markers.
    static var keyBase64: String {
        Data("-----BEGIN PRIVATE KEY-----\n\(marker)\n-----END PRIVATE KEY-----\n".utf8).base64EncodedString()
    }

    static var secretList: String {
        let encoded = keyBase64
        let lastApplied = #"{\"data\":{\"tls.key\":\"\#(encoded)\"},\"stringData\":{\"password\":\"\#(stringMarker)\"}}"#
        return """
        {"apiVersion": "v1", "kind": "List", "items": [
          {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
           "metadata": {"name": "app-tls", "namespace": "production",
                        "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "\(lastApplied)"}},
           "data": {"tls.key": "\(encoded)", "tls.crt": ""},
           "stringData": {"password": "\(stringMarker)"}}]}
        """
    }

    /// A fake kubectl: logs its arguments, answers api-resources with
    /// cert-manager's kinds, secrets with the list above, one kind Forbidden.
    static func fakeKubectl() throws -> (folder: URL, log: URL) {
        let folder = try CLI.temporaryDirectory()
        let log = folder.appendingPathComponent("kubectl.log")
        try Data(secretList.utf8).write(to: folder.appendingPathComponent("secrets.json"))
        let script = """
        #!/bin/sh
        echo "$*" >> '\(log.path)'
        case "$*" in
          *api-resources*) printf 'pods\\nsecrets\\ncertificates.cert-manager.io\\nissuers.cert-manager.io\\nwidgets.example.com\\n' ;;
          *"get secrets "*) cat '\(folder.path)/secrets.json' ;;
          *"get \(forbidden) "*)
            echo 'Error from server (Forbidden): clusterrolebindings.rbac.authorization.k8s.io is forbidden: User "auditor" cannot list resource "clusterrolebindings"' >&2
            exit 1 ;;
          *"get namespaces "*) echo '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"production"}}]}' ;;
          *) echo '{"apiVersion":"v1","kind":"List","items":[]}' ;;
        esac
        """
        let url = folder.appendingPathComponent("kubectl")
        try Data(script.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return (folder, log)
    }

    @Test func collectsEveryKindSkipsTheForbiddenOneAndWritesNoValue() throws {
        let (folder, log) = try Self.fakeKubectl()
        let db = folder.appendingPathComponent("collected.db")
        let run = try CLI.run(["collect", "--context", "prod", "--import", "--db", db.path, "-o", "json"],
                              environment: ["PATH": "\(folder.path):/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.stderr)")

        let calls = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(calls.first == "--context prod api-resources -o name")
        let asked = Set(calls.compactMap { call -> String? in
            let words = call.split(separator: " ").map(String.init)
            guard let get = words.firstIndex(of: "get"), get + 1 < words.count else { return nil }
            #expect(words.suffix(3) == ["--all-namespaces", "-o", "json"], "\(call)")
            return words[get + 1]
        })
        for kind in ["namespaces", "nodes", "serviceaccounts", "roles.rbac.authorization.k8s.io",
                     "clusterroles.rbac.authorization.k8s.io", "rolebindings.rbac.authorization.k8s.io", Self.forbidden,
                     "pods", "secrets", "deployments.apps", "statefulsets.apps", "daemonsets.apps", "replicasets.apps",
                     "jobs.batch", "cronjobs.batch", "ingresses.networking.k8s.io",
                     "certificates.cert-manager.io", "issuers.cert-manager.io"] {
            #expect(asked.contains(kind), "kubectl get \(kind) was not run")
        }
        // The cluster does not serve these: not asked for.
        #expect(!asked.contains("clusterissuers.cert-manager.io"))
        #expect(!asked.contains("gateways.gateway.networking.k8s.io"))

        #expect(run.stderr.contains("warning: skipped \(Self.forbidden): forbidden"), "\(run.stderr)")
        #expect(run.stderr.contains("kubectl get secrets"), "progress on stderr: \(run.stderr)")
        let summary = try #require(run.json as? [String: Any], "\(run.stdout)")
        #expect("\(summary)".contains("Secret"), "\(run.stdout)")

        // The secret was imported: exposure sees its key.
        let exposure = try CLI.run(["exposure", "--db", db.path, "-o", "json"])
        #expect(exposure.stdout.contains("app-tls"), "\(exposure.stdout)")

        var written = [run.stdout, run.stderr, exposure.stdout].map { Data($0.utf8) }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("collected.db") }
        #expect(files.contains("collected.db"))
        for file in files { written.append(try Data(contentsOf: folder.appendingPathComponent(file))) }
        for bytes in written {
            for needle in [Self.marker, Self.stringMarker, "KEYREACH-FAKE", Self.keyBase64] {
                #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) reached a written byte")
            }
        }
    }

    @Test func withoutKubectlOnPathItExits2AndSaysSo() throws {
        let empty = try CLI.temporaryDirectory()
        let run = try CLI.run(["collect", "--import", "--db", empty.appendingPathComponent("x.db").path],
                              environment: ["PATH": empty.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("kubectl is not on PATH"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: empty.appendingPathComponent("x.db").path))
    }

    @Test func withNeitherAFileNorImportItRefusesAndWritesNothing() throws {
        let run = try CLI.run(["collect"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--import") && run.stderr.contains("-o FILE"), "\(run.stderr)")
        // A format where a file is expected is a mistake, not a file named "json".
        let format = try CLI.run(["collect", "-o", "json"])
        #expect(format.status == 2)
        #expect(format.stderr.contains("names a format"), "\(format.stderr)")
        let database = try CLI.run(["collect", "-o", "cluster.yaml", "--db", "x.db"])
        #expect(database.status == 2)
        #expect(database.stderr.contains("--db and --snapshot go with --import"), "\(database.stderr)")
        let unknown = try CLI.run(["collect", "-o", "cluster.txt"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains(".json, *.yaml or *.yml"), "\(unknown.stderr)")
    }

    // MARK: - collect -o FILE

    /// Every byte under `folder` except the fake kubectl's own files (its
    /// recording and log), by file name.
    static func writtenFiles(in folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where !["kubectl", "kubectl.log", "secrets.json"].contains(name) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    static func expectNoValue(in bytes: Data, _ what: String) {
        for needle in [marker, stringMarker, "KEYREACH-FAKE", keyBase64, Data(stringMarker.utf8).base64EncodedString(),
                       "last-applied-configuration"] {
            #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) reached \(what)")
        }
    }

    @Test(arguments: ["cluster.yaml", "cluster.json"])
    func writesASanitisedDumpThatImportsIntoTheSameSnapshot(file: String) throws {
        let (folder, log) = try Self.fakeKubectl()
        let dump = folder.appendingPathComponent(file)
        let environment = ["PATH": "\(folder.path):/usr/bin:/bin"]
        let run = try CLI.run(["collect", "--context", "prod", "-o", dump.path], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty, "the dump goes to the file: \(run.stdout)")
        #expect(run.stderr.contains("warning: skipped \(Self.forbidden): forbidden"), "\(run.stderr)")
        #expect(run.stderr.contains("collect: wrote"), "\(run.stderr)")
        let calls = try String(contentsOf: log, encoding: .utf8)
        #expect(calls.contains("get secrets --all-namespaces -o json"), "\(calls)")

        // Owner only, complete, and alone: no temporary file left beside it.
        let mode = try FileManager.default.attributesOfItem(atPath: dump.path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "mode \(String(mode ?? 0, radix: 8))")
        let files = try Self.writtenFiles(in: folder)
        #expect(Set(files.keys) == [file], "\(files.keys)")
        for (name, bytes) in files { Self.expectNoValue(in: bytes, name) }
        Self.expectNoValue(in: Data((run.stdout + run.stderr).utf8), "the output")
        let text = String(decoding: files[file]!, as: UTF8.self)
        #expect(text.contains("kind: List") || text.contains(#""kind":"List""#), "\(text.prefix(200))")

        // The dump answers as the collected database does.
        let db = folder.appendingPathComponent("collected.db")
        let imported = try CLI.run(["collect", "--context", "prod", "--import", "--db", db.path], environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)")
        let fromDump = try CLI.run(["exposure", "--dump", dump.path, "-o", "json"])
        let fromDatabase = try CLI.run(["exposure", "--db", db.path, "-o", "json"])
        #expect(fromDump.status == fromDatabase.status)
        #expect(fromDump.stdout.contains("production/app-tls") || fromDump.stdout.contains("app-tls"), "\(fromDump.stdout)")
        #expect(fromDump.stdout == fromDatabase.stdout)
    }

    @Test func dashWritesTheDumpToStdoutForAPipe() throws {
        let (folder, _) = try Self.fakeKubectl()
        let run = try CLI.run(["collect", "-o", "-"], environment: ["PATH": "\(folder.path):/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.stderr)")
        let list = try #require(run.json as? [String: Any], "\(run.stdout.prefix(300))")
        #expect(list["kind"] as? String == "List")
        Self.expectNoValue(in: Data(run.stdout.utf8), "stdout")
        let imported = try CLI.run(["exposure", "--dump", "-", "-o", "json"], stdin: Data(run.stdout.utf8))
        #expect(imported.stdout.contains("app-tls"), "\(imported.stdout) \(imported.stderr)")
        #expect(try Self.writtenFiles(in: folder).isEmpty, "collect -o - wrote a file")
    }

    @Test func withoutKubectlOrAWritableFolderItExits2AndWritesNothing() throws {
        let empty = try CLI.temporaryDirectory()
        let dump = empty.appendingPathComponent("cluster.yaml")
        let run = try CLI.run(["collect", "-o", dump.path], environment: ["PATH": empty.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("kubectl is not on PATH"), "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty)

        let (folder, _) = try Self.fakeKubectl()
        let nowhere = folder.appendingPathComponent("missing/cluster.yaml")
        let failed = try CLI.run(["collect", "-o", nowhere.path], environment: ["PATH": "\(folder.path):/usr/bin:/bin"])
        #expect(failed.status == 2)
        #expect(failed.stderr.contains("cannot write \(nowhere.path)"), "\(failed.stderr)")
        #expect(try Self.writtenFiles(in: folder).isEmpty)
    }
}
