import ArgumentParser
import Render

/// Options every read command shares: where the cluster comes from and how
/// to print the answer.
struct ReadOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database to read (made by `keyreach import`).")
    var db: String = "keyreach.db"

    @Option(name: .long, help: ArgumentHelp(
        "A dump file or directory to read instead of the database (repeatable; `-` for stdin).",
        valueName: "file"))
    var dump: [String] = []

    @Option(name: .long, help: "The snapshot to read from the database.")
    var snapshot: String = "default"

    @Option(name: [.customShort("o"), .long], help: "Output format: table, json or yaml.")
    var output: OutputFormat = .table
}

extension OutputFormat: ExpressibleByArgument {}

/// The namespace scope of a read command: `-n NS`, or `-A` for all.
struct NamespaceOptions: ParsableArguments {
    @Option(name: [.customShort("n"), .long], help: "The namespace.")
    var namespace: String?

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Every namespace.")
    var allNamespaces = false

    func validate() throws {
        if allNamespaces, namespace != nil {
            throw ValidationError("-n and -A ask for different scopes: give one of them.")
        }
    }
}
