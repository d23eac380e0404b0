import ArgumentParser
import KeyreachKit
import Queries
import Render

/// `keyreach query NAME [--param k=v]...` and `keyreach query --list`
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a named SQL query of queries/ on the database.",
        discussion: """
        Each query is one .sql file whose header says what it answers and its parameters; \
        the same SQL runs in `sqlite3 keyreach.db`. The snapshot parameter defaults to --snapshot.

        Examples (in the repository, on the demo cluster):
          keyreach import fixtures/demo/cluster.yaml
          keyreach query --list
          keyreach query secrets --param namespace=production
          keyreach query bindings-to-secrets
          keyreach query private-key-secrets -o json
        """)

    @Argument(help: "The query's name (see --list).")
    var name: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter, as NAME=VALUE (repeatable).", valueName: "k=v"))
    var parameters: [String] = []

    @Flag(name: .long, help: "List the named queries and their parameters.")
    var list = false

    @OptionGroup var options: ReadOptions

    func validate() throws {
        if !list, name == nil { throw ValidationError("give a query name, or --list to see them.") }
        try options.requireFormat(in: OutputFormat.structured + [.csv], command: "query")
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("--param takes NAME=VALUE, not \"\(parameter)\".")
        }
    }

    func run() throws {
        try Console.run {
            if list {
                Console.write(QueryRenderer.renderList(NamedQueries.all, as: options.output))
                return
            }
            guard let query = NamedQueries.named(name!) else {
                throw CLIError.usage("no query named \"\(name!)\"; known: \(NamedQueries.all.map(\.name).joined(separator: ", "))")
            }
            var given: [String: String] = [:]
            for parameter in parameters {
                let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                given[String(parts[0])] = String(parts[1])
            }
            if query.parameters.contains(where: { $0.name == "snapshot" }), given["snapshot"] == nil {
                given["snapshot"] = options.snapshot
            }
            let workspace = try options.openWorkspace()
            do {
                let result = try workspace.run(query, parameters: given)
                Console.write(QueryRenderer.render(result, as: options.output))
            } catch let error as NamedQueryError {
                throw CLIError.usage(String(describing: error))
            }
        }
    }
}
