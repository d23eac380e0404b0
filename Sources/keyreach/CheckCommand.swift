import ArgumentParser
import Exposure
import Foundation
import Gate
import KeyreachKit
import Render

/// `keyreach check [--fail-on LEVEL] [--baseline SNAPSHOT] [-o table|json|yaml|csv|sarif]`
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "CI gate: exit 1 when a private key has an unexpected reader at or above a severity.",
        discussion: """
        A finding is an unexpected reader of a private key, as `keyreach exposure` reports it, \
        at that reader's severity. Exit 0 when no finding reaches --fail-on, 1 when one does, \
        2 on bad input. With --baseline, only findings new since that snapshot count (a finding \
        already there at a lower severity counts again). -o sarif prints SARIF 2.1.0 for \
        code-scanning UIs: one result per finding that counts, at the binding that grants it. \
        In CI, on rendered manifests: `helm template ... | keyreach check --dump -`.

        Examples (in the repository, on the demo cluster):
          keyreach check --dump fixtures/demo/cluster.yaml
          keyreach check --fail-on critical --dump fixtures/demo/cluster.yaml
          keyreach check --dump fixtures/demo/cluster.yaml -o sarif
          keyreach import fixtures/demo/cluster.yaml --snapshot main
          keyreach check --dump fixtures/demo/cluster.yaml --baseline main
        """)

    @Option(name: .long, help: ArgumentHelp("Fail on findings of this severity or worse: critical, high, medium or low.",
                                            valueName: "level"))
    var failOn: Severity = .low

    @Option(name: .long, help: ArgumentHelp(
        "Count only findings new since this snapshot (a name in --baseline-db, or a dump file: *.json, *.yaml, a path with /).",
        valueName: "snapshot"))
    var baseline: String?

    @Option(name: .long, help: ArgumentHelp("The database holding --baseline (default: --db, else keyreach.db).", valueName: "file"))
    var baselineDb: String?

    @OptionGroup var expected: ExpectedHolderOptions
    @OptionGroup var options: ReadOptions

    func validate() throws {
        if failOn == .info { throw ValidationError("--fail-on takes critical, high, medium or low.") }
        try options.requireFormat(in: OutputFormat.structured + [.csv, .sarif], command: "check")
    }

    func run() throws {
        try Console.run {
            let holders = try expected.expectedHolders()
            let workspace = try options.openWorkspace()
            let baselineWorkspace = try baseline.map { name in
                try Workspace.open(SnapshotArgument.source(name, database: baselineDb ?? options.db), reporter: Console.reporter)
            }
            let report = try workspace.check(failOn: failOn, expectedHolders: holders, baseline: baselineWorkspace)
            Console.write(CheckRenderer.render(report, as: options.output, toolVersion: KeyreachVersion.current,
                                               palette: Console.stdoutPalette))
            if report.fails { throw ExitCode(1) }
        }
    }
}

extension Severity: ExpressibleByArgument {}

/// A snapshot named on the command line: a dump path, or a snapshot name in a database.
enum SnapshotArgument {
    /// `*.json`, `*.yaml`, `*.yml`, `-`, or anything with a `/` is a dump; else a snapshot name.
    static func source(_ argument: String, database: String) -> SnapshotSource {
        let isDump = argument == "-" || argument.contains("/")
            || [".json", ".yaml", ".yml"].contains { argument.hasSuffix($0) }
        return isDump ? SnapshotSource(database: database, dumps: [argument], snapshot: "default")
            : SnapshotSource(database: database, snapshot: argument)
    }

    /// How to show it in an answer.
    static func label(_ argument: String) -> String { argument }
}
