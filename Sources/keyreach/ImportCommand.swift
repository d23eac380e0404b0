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
        DUMP is a JSON or YAML file (one object, a List, several documents), a directory \
        (read recursively: .yaml, .yml, .json) or - for stdin. Secret values are dropped while \
        reading: the database keeps key names, sizes, types and public certificates only.

        The import is atomic: if it fails, the database holds exactly what it held before. \
        Importing a snapshot name again replaces it.

        Examples:
          kubectl get roles,rolebindings,clusterroles,clusterrolebindings,serviceaccounts,\\
            pods,secrets,nodes -A -o json | keyreach import -
          keyreach import cluster.yaml manifests/ --snapshot before-upgrade
        """)

    @Argument(help: "Files, directories, or - for stdin.")
    var dumps: [String]

    @Option(name: .long, help: "The SQLite database to write (created with mode 0600).")
    var db: String = "keyreach.db"

    @Option(name: .long, help: "The snapshot name; an existing snapshot of that name is replaced.")
    var snapshot: String = "default"

    @Option(name: [.customShort("o"), .long], help: "Output format: table, json or yaml.")
    var output: OutputFormat = .table

    func validate() throws {
        if dumps.isEmpty { throw ValidationError("give at least one dump file, directory, or - for stdin") }
        if !OutputFormat.structured.contains(output) { throw ValidationError("import prints table, json or yaml, not \(output.rawValue).") }
    }

    func run() throws {
        try Console.run {
            let outcome = try ImportPipeline.run(dumps: dumps, database: db, snapshot: snapshot, reporter: Console.reporter)
            let summary = ImportSummary(database: db, snapshot: snapshot, result: outcome.result)
            Console.write(ImportSummaryRenderer.render(summary, as: output))
        }
    }
}
