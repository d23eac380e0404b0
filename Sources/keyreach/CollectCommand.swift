import ArgumentParser
import Foundation
import KeyreachKit
import Render

/// `keyreach collect [--context C] [--kubeconfig F] (-o FILE | --import [--db F] [--snapshot S])`
struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Read a live cluster with kubectl, secret values dropped before anything touches the disk.",
        discussion: """
        Runs `kubectl get KIND --all-namespaces -o json` for every kind keyreach reads, plus the \
        cert-manager, Gateway API, Istio, Traefik and External Secrets kinds the cluster serves \
        (`kubectl api-resources`), and reads kubectl's output in memory. kubectl's raw output is \
        never written to a file.

        -o FILE writes a sanitised dump (FILE.json, FILE.yaml or FILE.yml; - for JSON on stdout): \
        one List of what keyreach keeps, each secret value replaced by one of the same size and \
        PEM block types, public certificates kept, KEYREACH-REDACTED where private material was. \
        The file is created mode 0600 and appears only once complete; `keyreach import FILE` \
        reads it back into the same snapshot. --import stores the snapshot in the database \
        instead (-o then picks the summary's format: table, json or yaml).

        A kind kubectl refuses (Forbidden) is a warning naming it, not a failure. Progress goes \
        to stderr. Exit 2 when kubectl is not on PATH or answers no kind at all.

        Examples:
          keyreach collect -o cluster.yaml
          keyreach collect --context prod -o prod.json
          keyreach collect --import
          keyreach collect --context prod --import --db prod.db
          keyreach collect --kubeconfig ~/.kube/audit --import --snapshot audit
        """)

    @Option(name: .long, help: "The kubeconfig context to read (kubectl --context).")
    var context: String?

    @Option(name: .long, help: ArgumentHelp("The kubeconfig file (kubectl --kubeconfig).", valueName: "file"))
    var kubeconfig: String?

    @Flag(name: .customLong("import"), help: "Import what kubectl prints into the database instead of writing a dump.")
    var importIntoDatabase = false

    @Option(name: .long, help: "With --import: the SQLite database to write (created with mode 0600; default keyreach.db).")
    var db: String?

    @Option(name: .long, help: "With --import: the snapshot name, replaced if it exists (default \"default\").")
    var snapshot: String?

    @Option(name: [.customShort("o"), .long],
            help: ArgumentHelp("The sanitised dump to write (*.json, *.yaml, *.yml, or - for stdout); "
                + "with --import, the summary's format (table, json or yaml).", valueName: "file"))
    var output: String?

    func validate() throws {
        if importIntoDatabase {
            _ = try summaryFormat()
            return
        }
        if db != nil || snapshot != nil {
            // Silently ignored otherwise: the dump file would not be where the user looks.
            throw ValidationError("--db and --snapshot go with --import; -o FILE writes a dump file, not a database.")
        }
        guard let output else {
            throw ValidationError("collect needs -o FILE (a sanitised dump: cluster.yaml or cluster.json) "
                + "or --import (into the database, --db FILE).")
        }
        if output != "-" {
            if OutputFormat(rawValue: output) != nil {
                throw ValidationError("-o \(output) names a format; collect -o takes the dump file to write "
                    + "(e.g. -o cluster.\(output == "yaml" ? "yaml" : "json")), or add --import to print the import summary as \(output).")
            }
            do { _ = try SanitisedDump.format(of: output) } catch { throw ValidationError("\(error)") }
        }
    }

    /// With --import, `-o` is the summary's format (table by default).
    private func summaryFormat() throws -> OutputFormat {
        guard let output else { return .table }
        guard let format = OutputFormat(rawValue: output), OutputFormat.structured.contains(format) else {
            throw ValidationError("with --import, -o is the summary's format: table, json or yaml, not \(output) "
                + "(drop --import to write a dump file).")
        }
        return format
    }

    func run() throws {
        try Console.run {
            let kubectl = try Kubectl.locate(context: context, kubeconfig: kubeconfig)
            let collected = try ClusterCollector(kubectl: kubectl).collect(
                progress: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) },
                warn: Console.warn)
            if importIntoDatabase {
                let database = db ?? "keyreach.db", name = snapshot ?? "default"
                try collected.store(database: database, snapshot: name)
                Console.write(ImportSummaryRenderer.render(ImportSummary(database: database, snapshot: name, result: collected.result),
                                                           as: try summaryFormat()))
            } else {
                try writeDump(collected)
            }
        }
    }

    /// `-o FILE` or `-o -`: the sanitised dump, and a line on stderr saying what it holds.
    private func writeDump(_ collected: ClusterCollector.Collected) throws {
        let snapshot = collected.result.snapshot
        for warning in collected.result.warnings { Console.warn(warning) }
        let bytes: Int
        if output == "-" {
            var count = 0
            try ManifestWriter.write(snapshot, as: .json) { chunk in
                Console.write(chunk)
                count += chunk.count
            }
            bytes = count
        } else {
            bytes = try SanitisedDump.write(snapshot, to: output ?? "")
        }
        let objects = snapshot.countsByKind.values.reduce(0, +)
        let secrets = snapshot.secrets.count
        let target = output == "-" ? "stdout" : output ?? ""
        FileHandle.standardError.write(Data(("collect: wrote \(objects) objects (\(secrets) secrets, values replaced by "
            + "\(ManifestWriter.redactionMarker) stand-ins) to \(target), \(bytes) bytes\n").utf8))
    }
}
