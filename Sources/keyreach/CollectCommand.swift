import ArgumentParser
import Foundation
import KeyreachKit
import Render

/// `keyreach collect [--context C] [--kubeconfig F] --import [--db F] [--snapshot S]`
struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Read a live cluster with kubectl, secret values dropped before anything touches the disk.",
        discussion: """
        Runs `kubectl get KIND --all-namespaces -o json` for every kind keyreach reads, plus the \
        cert-manager, Gateway API, Istio, Traefik and External Secrets kinds the cluster serves \
        (`kubectl api-resources`), and reads kubectl's output in memory: only what keyreach keeps \
        (key names, sizes, PEM block types, public certificates) reaches the database. kubectl's \
        raw output is never written to a file.

        A kind kubectl refuses (Forbidden) is a warning naming it, not a failure. Progress goes \
        to stderr. Exit 2 when kubectl is not on PATH or answers no kind at all.

        Examples:
          keyreach collect --import
          keyreach collect --context prod --import --db prod.db
          keyreach collect --kubeconfig ~/.kube/audit --import --snapshot audit
        """)

    @Option(name: .long, help: "The kubeconfig context to read (kubectl --context).")
    var context: String?

    @Option(name: .long, help: ArgumentHelp("The kubeconfig file (kubectl --kubeconfig).", valueName: "file"))
    var kubeconfig: String?

    @Flag(name: .customLong("import"), help: "Import what kubectl prints into the database (required).")
    var importIntoDatabase = false

    @Option(name: .long, help: "The SQLite database to write (created with mode 0600).")
    var db: String = "keyreach.db"

    @Option(name: .long, help: "The snapshot name; an existing snapshot of that name is replaced.")
    var snapshot: String = "default"

    @Option(name: [.customShort("o"), .long], help: "How to print the import summary: table, json or yaml.")
    var output: OutputFormat = .table

    func validate() throws {
        if !importIntoDatabase {
            throw ValidationError("collect writes into a database only: add --import (and --db FILE to choose it). "
                + "No dump file is written, so no secret value can reach the disk.")
        }
        if !OutputFormat.structured.contains(output) { throw ValidationError("collect prints table, json or yaml, not \(output.rawValue).") }
    }

    func run() throws {
        try Console.run {
            let kubectl = try Kubectl.locate(context: context, kubeconfig: kubeconfig)
            let collected = try ClusterCollector(kubectl: kubectl).collect(
                progress: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) },
                warn: Console.warn)
            try collected.store(database: db, snapshot: snapshot)
            Console.write(ImportSummaryRenderer.render(ImportSummary(database: db, snapshot: snapshot, result: collected.result),
                                                       as: output))
        }
    }
}
