import Foundation
import Testing

/// `keyreach collect --import`: every kind asked of kubectl, a Forbidden kind
/// warned about and skipped, and no secret value in any byte it writes.
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

    @Test func withoutImportItRefusesAndWritesNothing() throws {
        let run = try CLI.run(["collect"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--import"), "\(run.stderr)")
    }
}
