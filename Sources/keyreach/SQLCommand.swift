import ArgumentParser
import KeyreachKit
import Render
import Store

/// `keyreach sql "SELECT ..."`
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one ad-hoc SQL statement on the database, read-only.",
        discussion: """
        The connection is opened read-only and an authorizer refuses anything but reading: \
        INSERT, UPDATE, DELETE, CREATE, DROP, ATTACH, transactions, load_extension() and \
        PRAGMA writable_schema are errors (exit 2). The tables are documented in \
        queries/README.md; the named queries of queries/ are examples to start from.

        Examples (in the repository, on the demo cluster):
          keyreach import fixtures/demo/cluster.yaml
          keyreach sql "SELECT namespace, name, severity FROM private_key"
          keyreach sql "SELECT kind, count(*) AS n FROM binding GROUP BY kind" -o json
          keyreach sql "SELECT verb, binding_name FROM read_access" -o csv
        """)

    @Argument(help: "One SQL statement (quote it for the shell).")
    var statement: String

    @OptionGroup var options: ReadOptions

    func validate() throws {
        try options.requireFormat(in: OutputFormat.structured + [.csv], command: "sql")
    }

    func run() throws {
        try Console.run {
            let workspace = try options.openWorkspace()
            do {
                Console.write(QueryRenderer.render(try workspace.sql(statement), as: options.output))
            } catch let error as StoreError {
                throw CLIError.usage(error.description)
            }
        }
    }
}
