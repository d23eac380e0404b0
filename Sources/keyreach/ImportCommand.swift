import ArgumentParser
import DumpReader
import Foundation
import KeyreachKit
import KubeModel
import RBAC
import Render
import Store

/// `keyreach import DUMP... [--db FILE] [--snapshot NAME]`
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load cluster dumps into the database as one snapshot.",
        discussion: """
        DUMP is a JSON or YAML file (one object, a List, several documents, a JSON array of \
        them), a directory (read recursively: .yaml, .yml, .json; hidden folders and .build/ are \
        not walked) or - for stdin. Secret values are dropped while reading: the database keeps \
        key names, sizes, types and public certificates only.

        In a directory, a file that holds no Kubernetes object (values.yaml, a CI workflow, \
        package.json) is skipped with a warning naming it; --strict makes it an error. A named \
        file that is not Kubernetes is always an error, and so is an import that finds no \
        Kubernetes object at all (no database is created then).

        The import is atomic: if it fails, the database holds exactly what it held before. \
        Importing a snapshot name again replaces it.

        The "can become a reader" graph (--indirect answers: pods, exec, impersonation, \
        tokens, bindings) is built on the first --indirect question on the database and \
        stored then; --indirect builds and stores it now, in the same transaction (it adds \
        about half again to the peak memory of a big import).

        Examples:
          keyreach import fixtures/demo/cluster.yaml
          keyreach import fixtures/demo/ --snapshot demo
          keyreach import --indirect fixtures/indirect/cluster.yaml
          keyreach import - < fixtures/demo/cluster.json
          kubectl get roles,rolebindings,pods,secrets -A -o json > dump.json
        """)

    @Argument(help: "Files, directories, or - for stdin.")
    var dumps: [String]

    @Option(name: .long, help: "The SQLite database to write (created with mode 0600).")
    var db: String = "keyreach.db"

    @Option(name: .long, help: "The snapshot name; an existing snapshot of that name is replaced.")
    var snapshot: String = "default"

    @Option(name: [.customShort("o"), .long], help: "Output format: table, json or yaml.")
    var output: OutputFormat = .table

    @Flag(name: .long, help: "Fail on a file in a directory that holds no Kubernetes object, instead of skipping it.")
    var strict = false

    @Flag(name: .long, help: "Also build and store the can-become graph now (otherwise on the first --indirect question).")
    var indirect = false

    func validate() throws {
        if dumps.isEmpty { throw ValidationError("give at least one dump file, directory, or - for stdin") }
        if dumps.contains("-"), StandardInput.isEmpty() {
            throw ValidationError("no input on stdin: pipe a dump into `keyreach import -`, or name the dump file")
        }
        if !OutputFormat.structured.contains(output) { throw ValidationError("import prints table, json or yaml, not \(output.rawValue).") }
    }

    func run() throws {
        try Console.run {
            let outcome = try ImportPipeline.run(dumps: dumps, database: db, snapshot: snapshot, strict: strict,
                                                 indirect: indirect, reporter: Console.reporter)
            let summary = outcome.summary(database: db, snapshot: snapshot)
            Console.write(ImportSummaryRenderer.render(summary, as: output))
        }
    }
}
