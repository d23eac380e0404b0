import ArgumentParser
import KubeModel
import KeyreachKit
import RBAC
import Render

/// `keyreach who-can VERB secret/NAME -n NS` and `keyreach who-can VERB secrets [-n NS | -A]`
struct WhoCanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "who-can",
        abstract: "List every identity that can get, list or watch a secret, and the path that allows it.",
        discussion: """
        Identities are evaluated as the API server would: users, groups, service accounts \
        (with their implicit groups), nodes (through the pods they run) and system:masters. \
        list and watch return secret contents too, so they count as reading.

        Examples:
          keyreach who-can get secret/app-tls -n production
          keyreach who-can list secrets -n production -o json
          keyreach who-can get secrets -A --dump cluster.json -o json
        """)

    @Argument(help: "get, list or watch.")
    var verb: String

    @Argument(help: "secret/NAME for one secret, or secrets for every secret in scope.")
    var target: String

    @Flag(name: .long, help: "With secrets: one answer per secret of the snapshot instead of one per namespace.")
    var perSecret = false

    @OptionGroup var scope: NamespaceOptions
    @OptionGroup var options: ReadOptions

    func validate() throws {
        guard SecretReadVerb(rawValue: verb) != nil else {
            throw ValidationError("who-can answers get, list and watch (the verbs that reveal a secret); for other verbs use `keyreach can-i`.")
        }
        switch parseTarget() {
        case .none:
            throw ValidationError("target must be secret/NAME or secrets, not \"\(target)\".")
        case .one where scope.allNamespaces:
            throw ValidationError("secret/NAME names one secret: give its namespace with -n, not -A.")
        default: break
        }
    }

    private enum Target { case one(String), all }

    private func parseTarget() -> Target? {
        let parts = target.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard ["secret", "secrets"].contains(parts[0]) else { return nil }
        if parts.count == 1 { return parts[0] == "secrets" ? .all : nil }
        return parts[1].isEmpty ? nil : .one(parts[1])
    }

    func run() throws {
        try Console.run {
            let workspace = try options.openWorkspace()
            let readVerb = SecretReadVerb(rawValue: verb)!
            switch parseTarget()! {
            case .one(let name):
                let answer = try workspace.whoCanSecret(verb: readVerb, namespace: scope.namespace ?? "default", name: name)
                Console.write(WhoCanRenderer.render(answer, as: options.output))
            case .all where perSecret:
                try workspace.writePerSecretAnswers(verb: readVerb, namespace: scope.allNamespaces ? nil : (scope.namespace ?? "default"),
                                                    format: options.output, write: Console.write)
            case .all:
                try workspace.writeNamespaceReaders(verb: readVerb, namespace: scope.allNamespaces ? nil : (scope.namespace ?? "default"),
                                                    format: options.output, write: Console.write)
            }
        }
    }
}
