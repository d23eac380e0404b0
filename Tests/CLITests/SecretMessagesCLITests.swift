import Foundation
import Testing

/// No secret value appears in what keyreach prints or leaves behind — not
/// in warnings, not in the message of a dump that fails right inside a
/// secret's `data` or `stringData` value, not in the database, not in a
/// temporary file. Each dump carries a `KEYREACH-FAKE-` marker (fixtures/README.md)
/// as a value; the test greps stdout, stderr and every file of the working
/// directory (the database's and TMPDIR) for the marker and its base64.
@Suite struct SecretMessagesCLITests {
    static let marker = "KEYREACH-FAKE-MESSAGE-LEAK-3e5d"
    /// The marker as base64 (what `data` holds) and its prefix as the
    /// fixtures' tests look for it (base64 of `KEYREACH-FAKE`).
    static let needles = [marker, Data(marker.utf8).base64EncodedString(), "S0VZUkVBQ0gtRkFLRS", "KEYREACH-FAKE"]

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var text: String
        /// What `keyreach import` must exit with: 0 read, 2 refused.
        var status: Int32
        var testDescription: String { name }
    }

    static let encoded = Data(marker.utf8).base64EncodedString()

    static let cases: [Case] = [
        Case(name: "valid YAML with warnings", file: "dump.yaml", text: """
            apiVersion: v1
            kind: Secret
            metadata:
              name: s
              namespace: shop
              labels: {mode: "on"}
              annotations:
                kubectl.kubernetes.io/last-applied-configuration: '{"data":{"k":"\(encoded)"}}'
            data: {k: \(encoded)}
            stringData: {password: \(marker)}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: t, namespace: shop}
            data: {k: \(encoded)}
            stringData: {password: \(marker), pin: 1234}
            """, status: 0),
        Case(name: "YAML: unterminated quoted data value", file: "dump.yaml", text: """
            apiVersion: v1
            kind: Secret
            metadata: {name: s, namespace: shop}
            data:
              k: "\(encoded)
            """, status: 2),
        Case(name: "YAML: stringData value that breaks the mapping", file: "dump.yaml", text: """
            apiVersion: v1
            kind: Secret
            metadata: {name: s, namespace: shop}
            stringData:
              password: \(marker): more: text
            """, status: 2),
        Case(name: "YAML: stringData value that starts like an alias", file: "dump.yaml", text: """
            apiVersion: v1
            kind: Secret
            metadata: {name: s, namespace: shop}
            stringData:
              password: *\(marker)
            """, status: 2),
        Case(name: "YAML: tab and bad indentation inside a block value", file: "dump.yaml", text: """
            apiVersion: v1
            kind: Secret
            metadata: {name: s, namespace: shop}
            stringData:
              password: |
                \(marker)
            \t\(marker)
              x: y
            """, status: 2),
        Case(name: "JSON: unterminated data value", file: "dump.json", text: """
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "shop"},
             "data": {"k": "\(encoded)
            """, status: 2),
        Case(name: "JSON: bad escape inside a stringData value", file: "dump.json", text: """
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "shop"},
             "stringData": {"password": "\(marker)\\q\(marker)"}}
            """, status: 2),
        Case(name: "JSON: raw line break inside a stringData value", file: "dump.json", text: """
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "shop"},
             "stringData": {"password": "\(marker)
            \(marker)"}}
            """, status: 2),
        Case(name: "JSON: a data value of the wrong type", file: "dump.json", text: """
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "shop"},
             "data": {"k": ["\(encoded)"]}, "stringData": {"password": {"nested": "\(marker)"}}}
            """, status: 0),
    ]

    @Test(arguments: cases)
    func noSecretValueInOutputMessagesOrFiles(_ dump: Case) throws {
        let root = try CLI.temporaryDirectory()
        let input = root.appendingPathComponent("input")
        let work = root.appendingPathComponent("work")
        let tmp = work.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let file = input.appendingPathComponent(dump.file)
        try Data(dump.text.utf8).write(to: file)
        let environment = ["TMPDIR": tmp.path]

        let imported = try CLI.run(["import", file.path, "--db", work.appendingPathComponent("k.db").path],
                                   environment: environment)
        #expect(imported.status == dump.status, "\(imported.stderr)")
        if dump.status == 2 {
            // The message names the file and where, so the user can find it.
            #expect(imported.stderr.contains("\(dump.file):"), "\(imported.stderr)")
        }
        let answered = try CLI.run(["who-can", "get", "secrets", "-A", "--dump", file.path, "-o", "json"], environment: environment)
        let exposure = try CLI.run(["exposure", "--dump", file.path, "-o", "yaml"], environment: environment)
        let piped = try CLI.run(["import", "-", "--db", work.appendingPathComponent("stdin.db").path, "-o", "json"],
                                stdin: Data(dump.text.utf8), environment: environment)

        var outputs = [imported, answered, exposure, piped].flatMap { [$0.stdout, $0.stderr] }.map { Data($0.utf8) }
        let files = FileManager.default.enumerator(at: work, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for url in files {
            if let bytes = try? Data(contentsOf: url) { outputs.append(bytes) }
        }
        for needle in Self.needles {
            for bytes in outputs {
                #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) leaked (\(dump.name))")
            }
        }
    }

    /// Input text quoted by a message (a kind no one knows) is cut short and
    /// its control characters escaped.
    @Test func quotedInputIsShortAndEscaped() throws {
        let root = try CLI.temporaryDirectory()
        let file = root.appendingPathComponent("kind.yaml")
        let kind = "Weird\u{1B}[31m" + String(repeating: "x", count: 500)
        try Data("""
            apiVersion: v1
            kind: "\(kind.replacingOccurrences(of: "\u{1B}", with: "\\e"))"
            metadata: {}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: a}

            """.utf8).write(to: file)
        let run = try CLI.run(["import", file.path, "--db", root.appendingPathComponent("k.db").path])
        #expect(run.status == 0, "\(run.stderr)")
        // The summary lists the skipped kind, escaped and cut.
        #expect(run.stdout.contains("Weird\\u{1B}[31mxxx"), "\(run.stdout)")
        for output in [run.stdout, run.stderr] {
            #expect(!output.contains("\u{1B}"))
            #expect(!output.contains(String(repeating: "x", count: 100)))
        }
    }
}
