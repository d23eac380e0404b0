import ArgumentParser
import KubeModel
import Queries
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
        """)

    @Argument(help: "get, list or watch.")
    var verb: String

    @Argument(help: ArgumentHelp("secret/NAME (or Secret/NAME, secrets.v1/NAME, ...) for one secret, secrets for every secret in scope.",
                                 valueName: "target"))
    var target: String

    @Argument(help: ArgumentHelp("The secret's name, in kubectl's TYPE NAME form: who-can get secret app-tls.",
                                 valueName: "name"))
    var name: String?

    @OptionGroup var scope: NamespaceOptions
    @OptionGroup var options: ReadOptions

    func validate() throws {
        guard SecretReadVerb(rawValue: verb) != nil else {
            throw ValidationError("who-can answers get, list and watch (the verbs that reveal a secret); for other verbs use `keyreach can-i`.")
        }
        switch parseTarget() {
        case .none:
            throw ValidationError("target must name secrets, as secret/NAME, secret NAME or secrets, not \"\(([target] + (name.map { [$0] } ?? [])).joined(separator: " "))\".")
        case .one where scope.allNamespaces:
            throw ValidationError("secret/NAME names one secret: give its namespace with -n, not -A.")
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
            let workspace = try Workspace.open(options)
            let readVerb = SecretReadVerb(rawValue: verb)!
            switch parseTarget()! {
            case .one(let name):
                // One secret: answered by the query layer, an index lookup in SQL.
                let namespace = scope.namespace ?? "default"
                let subjects = try WhoCanQuery.subjects(in: workspace.store(), snapshot: workspace.snapshotName,
                                                        verb: readVerb, namespace: namespace, secretName: name)
                let exists = try workspace.secretRefs(namespace: namespace).contains { $0.name == name }
                let answer = WhoCanAnswer(verb: verb, secret: ObjectRef(kind: "Secret", namespace: namespace, name: name),
                                          exists: exists, subjects: subjects)
                Console.write(WhoCanRenderer.render(answer, as: options.output))
            case .all:
                // Every secret in scope: the derived tables once, then an
                // in-memory lookup per secret.
                let whoCan = WhoCan(derived: try workspace.derived())
                let namespace = scope.allNamespaces ? nil : (scope.namespace ?? "default")
                // Secrets come sorted: answer them namespace by namespace.
                let secrets = try workspace.secretRefs(namespace: namespace)
                var byNamespace: [[ObjectRef]] = []
                for secret in secrets {
                    if byNamespace.last?.first?.namespace == secret.namespace {
                        byNamespace[byNamespace.count - 1].append(secret)
                    } else {
                        byNamespace.append([secret])
                    }
                }
                let groups = byNamespace
                let verb = self.verb
                let answers: @Sendable (Int) -> [WhoCanAnswer] = { index in
                    let group = groups[index]
                    let subjects = whoCan.subjectsForSecrets(verb: readVerb, namespace: group[0].namespace,
                                                             names: group.map(\.name))
                    return zip(group, subjects).map { WhoCanAnswer(verb: verb, secret: $0, exists: true, subjects: $1) }
                }
                if options.output == .json {
                    WhoCanRenderer.streamJSON(groups: byNamespace.count, answers: answers, write: Console.write)
                } else {
                    WhoCanRenderer.stream(byNamespace.indices.lazy.flatMap(answers), as: options.output, write: Console.write)
                }
            }
        }
    }
}
