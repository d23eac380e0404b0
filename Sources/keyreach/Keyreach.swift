import ArgumentParser
import Foundation
import KeyreachKit

/// `keyreach`: who can read your private keys?
@main
struct Keyreach: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keyreach",
        abstract: "Find out who can read the private keys of a Kubernetes cluster.",
        discussion: """
        keyreach imports a cluster dump (JSON or YAML, as kubectl prints it) into a SQLite \
        database, computes exactly which identities can get, list or watch every private-key \
        secret, and by which RoleBinding, role and rule.

        Make a dump (one command per line; every file is read together):
          kubectl get ns,nodes,sa,pods,secrets,ingresses -A -o json >core.json
          kubectl get roles,rolebindings -A -o json >roles.json
          kubectl get clusterroles,clusterrolebindings -o json >cluster-roles.json
          kubectl get deploy,sts,ds,rs,jobs,cronjobs -A -o json >workloads.json

        Ask about it (the bundled demo: fixtures/demo/cluster.yaml):
          keyreach exposure --dump fixtures/demo/cluster.yaml
          keyreach import fixtures/demo/cluster.yaml    # keeps it in keyreach.db
          keyreach who-can get secret/app-tls -n production
          keyreach can-i list secrets -n production --as jane
        """,
        version: KeyreachVersion.current,
        subcommands: [
            ImportCommand.self,
            WhoCanCommand.self,
            CanICommand.self,
            ExposureCommand.self,
            SuggestCommand.self,
            TLSCommand.self,
            QueryCommand.self,
            SQLCommand.self,
            CheckCommand.self,
            DiffCommand.self,
            CollectCommand.self,
            ReportCommand.self,
            BlastCommand.self,
        ]
    )
}

extension Keyreach {
    /// Like ArgumentParser's own `main()`, but usage errors exit 2 rather than
    /// 64: scripts read 0 as yes/ok, 1 as no/findings, 2 as bad input.
    static func main() {
        let arguments = KubectlArguments.normalize(Array(CommandLine.arguments.dropFirst()))
        rejectUnknownSubcommand(arguments)
        // The process ends once the answer is written: its snapshot is freed by the OS, not object by object.
        Workspace.leavesMemoryToExit.store(true, ordering: .relaxed)
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            // Everything is written (Console writes straight to the file descriptor).
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.badInput.rawValue)
            }
            exit(withError: error)
        }
    }

    /// The subcommands' names, and `help`.
    static var subcommandNames: [String] {
        configuration.subcommands.map { $0._commandName } + ["help"]
    }

    /// A first argument that is no option and no subcommand: say which
    /// subcommand it most likely meant, exit 2 (never parse it as something else).
    static func rejectUnknownSubcommand(_ arguments: [String]) {
        guard let first = arguments.first, !first.hasPrefix("-"), !subcommandNames.contains(first) else { return }
        let commands = configuration.subcommands.map { $0._commandName }
        var message = "error: unknown command \"\(first)\""
        if let guess = KubectlArguments.suggestion(for: first, among: commands) {
            message += "; did you mean `\(guess)`?\n"
        } else {
            message += "; the commands are \(commands.joined(separator: ", ")).\n"
        }
        message += "See `keyreach --help`.\n"
        FileHandle.standardError.write(Data(message.utf8))
        Foundation.exit(ExitStatus.badInput.rawValue)
    }
}
