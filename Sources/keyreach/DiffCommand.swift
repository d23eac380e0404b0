import ArgumentParser
import KeyreachKit
import Render

/// `keyreach diff --from A --to B [-o table|json|yaml|csv]`
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed in key exposure between two snapshots.",
        discussion: """
        Keys added and removed, unexpected readers gained and lost on keys both hold (each \
        with the grants behind it), and severity changes. A snapshot is a name in --db, or a \
        dump file (*.json, *.yaml, or a path with /). Exit 0 whether or not something changed.

        Examples (in the repository):
          keyreach import fixtures/demo/cluster.yaml --snapshot before
          keyreach diff --from before --to fixtures/query-cases.yaml
          keyreach diff --from before --to fixtures/demo/cluster.json -o json
        """)

    @Option(name: .long, help: ArgumentHelp("The snapshot before: a name in --db, or a dump file.", valueName: "snapshot"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("The snapshot after: a name in --db, or a dump file.", valueName: "snapshot"))
    var to: String

    @Option(name: .customLong("db"), help: ArgumentHelp("The database holding named snapshots.",
                                                       valueName: "file"))
    var database = "keyreach.db"

    @Option(name: [.customShort("o"), .long], help: "Output format: table, json, yaml or csv.")
    var output: OutputFormat = .table

    @OptionGroup var expected: ExpectedHolderOptions

    func validate() throws {
        if output == .sarif { throw ValidationError("diff prints table, json, yaml or csv; sarif is for `keyreach check`.") }
        if from == "-", to == "-" { throw ValidationError("--from and --to cannot both read stdin.") }
    }

    func run() throws {
        try Console.run {
            let holders = try expected.expectedHolders()
            let before = try Workspace.open(SnapshotArgument.source(from, database: database), reporter: Console.reporter)
            let after = try Workspace.open(SnapshotArgument.source(to, database: database), reporter: Console.reporter)
            let diff = try before.diff(to: after, expectedHolders: holders)
            Console.write(DiffRenderer.render(diff, from: from, to: to, as: output))
        }
    }
}
