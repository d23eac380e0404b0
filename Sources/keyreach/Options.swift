import ArgumentParser
import Exposure
import Foundation
import Render

/// Options every read command shares: where the cluster comes from and how
/// to print the answer.
struct ReadOptions: ParsableArguments {
    static let defaultDatabase = "keyreach.db"
    static let defaultSnapshot = "default"

    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The SQLite database to read, made by `keyreach import` (default: keyreach.db).", valueName: "file"))
    var databaseOption: String?

    @Option(name: .long, help: ArgumentHelp(
        "A dump file or directory to read instead of the database (repeatable; `-` for stdin).",
        valueName: "file"))
    var dump: [String] = []

    @Option(name: .customLong("snapshot"), help: ArgumentHelp(
        "The snapshot to read from the database (default: default).", valueName: "name"))
    var snapshotOption: String?

    @Option(name: [.customShort("o"), .long], help: "Output format: table, json or yaml (csv for query, sql, check; sarif for check; dot for who-can secret/NAME and exposure).")
    var output: OutputFormat = .table

    /// The database to read: `--db`, else `keyreach.db`.
    var db: String { databaseOption ?? Self.defaultDatabase }

    /// The snapshot to read: `--snapshot`, else `default`.
    var snapshot: String { snapshotOption ?? Self.defaultSnapshot }

    /// `--dump` answers from the dump alone: a `--db` or `--snapshot` beside
    /// it would be silently ignored, so it is an error that says what to do.
    /// `--dump -` on an empty stdin is an error too (not "nothing found").
    func validate() throws {
        if !dump.isEmpty, let databaseOption {
            throw ValidationError("--dump reads the dump into memory, so --db \(databaseOption) would be ignored: "
                + "drop --db, or run `keyreach import DUMP --db \(databaseOption)` first and drop --dump.")
        }
        if !dump.isEmpty, let snapshotOption {
            throw ValidationError("--snapshot \(snapshotOption) names a snapshot in a database, and --dump reads none: "
                + "drop --snapshot, or run `keyreach import DUMP --snapshot \(snapshotOption)` first and drop --dump.")
        }
        if dump.contains("-"), StandardInput.isEmpty() {
            throw ValidationError("--dump - found no input on stdin: pipe a dump in "
                + "(`kubectl get ... -o json | keyreach ... --dump -`) or give a file.")
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}

extension ReadOptions {
    /// Refuses (exit 2) an `-o` the command does not print: csv is for tabular
    /// answers, sarif for `check`.
    func requireFormat(in supported: [OutputFormat], command: String) throws {
        guard !supported.contains(output) else { return }
        throw ValidationError("\(command) prints \(supported.map(\.rawValue).joined(separator: ", ")), not \(output.rawValue): "
            + "csv is for tabular output (query, sql, check, diff), sarif for check, dot for who-can secret/NAME and exposure.")
    }
}

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

/// `--allow FILE` and `--cluster-resource-namespace NS`: who is expected to hold keys.
struct ExpectedHolderOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The allow-list of expected readers (default: keyreach.yaml in the current directory, if it exists).",
        valueName: "file"))
    var allow: String?

    @Option(name: .long, help: "Where cert-manager keeps ClusterIssuer secrets (its --cluster-resource-namespace).")
    var clusterResourceNamespace = "cert-manager"

    static let defaultAllowList = "keyreach.yaml"

    func validate() throws {
        if let allow, !FileManager.default.fileExists(atPath: allow) {
            throw ValidationError("--allow \(allow): no such file. Give the path of an existing allow-list, "
                + "or drop --allow (keyreach.yaml in the current directory is read when it exists).")
        }
    }

    /// The expected holders, with `--allow FILE` or `keyreach.yaml` when present.
    func expectedHolders() throws -> ExpectedHolders {
        let path = allow ?? Self.defaultAllowList
        var allowList = AllowList()
        if allow != nil || FileManager.default.fileExists(atPath: path) {
            do {
                allowList = try AllowList.load(path: path)
            } catch {
                throw CLIError.usage(error.description + " (fix the file, or drop --allow)")
            }
        }
        return ExpectedHolders(clusterResourceNamespace: clusterResourceNamespace, allowList: allowList)
    }
}
