import ArgumentParser
import Foundation

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

        Make a dump:
          kubectl get namespaces,nodes,serviceaccounts,roles,clusterroles,rolebindings,\\
            clusterrolebindings,pods,secrets,deployments,statefulsets,daemonsets,replicasets,\\
            jobs,cronjobs,ingresses -A -o json > cluster.json

        Ask about it:
          keyreach exposure --dump cluster.json
          keyreach import cluster.json            # keep it in keyreach.db
          keyreach who-can get secret/app-tls -n production
          keyreach can-i list secrets -n production --as system:serviceaccount:production:default
        """,
        subcommands: [
            ImportCommand.self,
            WhoCanCommand.self,
            CanICommand.self,
            ExposureCommand.self,
            QueryCommand.self,
        ]
    )
}

extension Keyreach {
    /// Like ArgumentParser's own `main()`, but usage errors exit 2 rather than
    /// 64: scripts read 0 as yes/ok, 1 as no/findings, 2 as bad input.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            // Everything is written (Console writes straight to the file
            // descriptor): skip tearing down a snapshot of 100k objects.
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
}
