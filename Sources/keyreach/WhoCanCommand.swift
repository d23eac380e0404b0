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

        The secret is named as kubectl names it: secret/NAME, Secret/NAME, secrets.v1/NAME, \
        secret.v1./NAME, or TYPE NAME (secret app-tls); secrets asks for every secret in \
        scope. -nNS, -ojson, -o=json and options before who-can work as in kubectl.

        Examples (in the repository, on the demo cluster):
          keyreach import fixtures/demo/cluster.yaml
          keyreach who-can get secret/app-tls -n production
          keyreach who-can get secret app-tls -nproduction -ojson
          keyreach who-can list secrets -n production
          keyreach who-can get secrets -A --dump fixtures/demo/cluster.yaml -o json
          keyreach who-can get secret/app-tls -n production --indirect

        --indirect adds who can become a reader without a rule on secrets: by creating \
        pods or workload controllers, exec into a pod, impersonation, token requests, \
        reading a service-account token secret, bind/escalate with rolebindings, or the \
        kubelet API (nodes/proxy); each with its shortest chain and the rule behind each step.
        """)

    @Argument(help: "get, list or watch.")
    var verb: String

    @Argument(help: ArgumentHelp("secret/NAME (or Secret/NAME, secrets.v1/NAME, ...) for one secret, secrets for every secret in scope.",
                                 valueName: "target"))
    var target: String

    @Flag(name: .long, help: "With secrets: one answer per secret of the snapshot instead of one per namespace.")
    var perSecret = false

    @Flag(name: .long, help: "Also list who can become a reader (pods, exec, impersonation, tokens, bind), each with its chain.")
    var indirect = false

    @Argument(help: ArgumentHelp("The secret's name, in kubectl's TYPE NAME form: who-can get secret app-tls.",
                                 valueName: "name"))
    var name: String?

    @OptionGroup var scope: NamespaceOptions
    @OptionGroup var options: ReadOptions

    func validate() throws {
        try options.requireFormat(in: OutputFormat.structured + [.dot], command: "who-can")
        guard SecretReadVerb(rawValue: verb) != nil else {
            throw ValidationError("who-can answers get, list and watch (the verbs that reveal a secret); for other verbs use `keyreach can-i`.")
        }
        switch parseTarget() {
        case .none:
            throw ValidationError("target must name secrets, as secret/NAME, secret NAME or secrets, not \"\(([target] + (name.map { [$0] } ?? [])).joined(separator: " "))\".")
        case .one where scope.allNamespaces:
            throw ValidationError("secret/NAME names one secret: give its namespace with -n, not -A.")
        case .one where perSecret:
            throw ValidationError("--per-secret goes with secrets (every secret in scope), not with one secret.")
        case .all where options.output == .dot:
            throw ValidationError("-o dot draws the paths to one secret: name it, as secret/NAME.")
        default: break
        }
    }

    private enum Target { case one(String), all }

    /// The target as kubectl resolves it (``ResourceResolver``): any spelling
    /// of core-group `secrets`, with a name after `/` or as a third argument.
    private func parseTarget() -> Target? {
        guard case .resource(var resolved) = ResourceResolver.resolve(target) else { return nil }
        if !resolved.isKnown, case .resource(let core) = ResourceResolver.resolve(Self.coreGroupSpelling(target)) {
            resolved = core
        }
        guard resolved.group == SecretResource.apiGroup, resolved.resource == SecretResource.resource else { return nil }
        if let name {
            // TYPE NAME: the type carries no name of its own.
            return target.contains("/") || name.isEmpty ? nil : .one(name)
        }
        if target.contains("/") { return resolved.name.isEmpty ? nil : .one(resolved.name) }
        return .all
    }

    /// `secrets.v1/NAME` as `secrets.v1./NAME`: a version with no group is the
    /// core group's, which kubectl spells with a trailing dot.
    static func coreGroupSpelling(_ target: String) -> String {
        let slash = target.firstIndex(of: "/") ?? target.endIndex
        let type = target[..<slash]
        guard type.filter({ $0 == "." }).count == 1, !type.hasSuffix(".") else { return target }
        return type + "." + target[slash...]
    }

    func run() throws {
        try Console.run {
            let workspace = try options.openWorkspace()
            let readVerb = SecretReadVerb(rawValue: verb)!
            switch parseTarget()! {
            case .one(let name):
                let namespace = scope.namespace ?? "default"
                let answer = indirect ? try workspace.whoCanSecretIndirect(verb: readVerb, namespace: namespace, name: name)
                    : try workspace.whoCanSecret(verb: readVerb, namespace: namespace, name: name)
                Console.write(options.output == .dot ? DotRenderer.render(answer) : WhoCanRenderer.render(answer, as: options.output))
            case .all where perSecret:
                try workspace.writePerSecretAnswers(verb: readVerb, namespace: scope.allNamespaces ? nil : (scope.namespace ?? "default"),
                                                    format: options.output, indirect: indirect ? workspace.indirectPaths() : nil,
                                                    write: Console.write)
            case .all where indirect:
                try workspace.writeNamespaceReadersIndirect(verb: readVerb, namespace: scope.allNamespaces ? nil : (scope.namespace ?? "default"),
                                                            format: options.output, write: Console.write)
            case .all:
                try workspace.writeNamespaceReaders(verb: readVerb, namespace: scope.allNamespaces ? nil : (scope.namespace ?? "default"),
                                                    format: options.output, write: Console.write)
            }
        }
    }
}
