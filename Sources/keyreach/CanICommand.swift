import ArgumentParser
import KeyreachKit
import KubeModel
import RBAC
import Render

/// `keyreach can-i VERB RESOURCE[/NAME] [-n NS | -A] --as USER [--as-group G]...`
struct CanICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "can-i",
        abstract: "Answer yes or no, as `kubectl auth can-i --as` would against the dumped cluster.",
        discussion: """
        Exit status: 0 for yes, 1 for no, 2 for bad input. The request is evaluated as the \
        API server would: system:masters, the node authorizer, then RBAC. Impersonation \
        follows the API server: a service-account user name gets the service-account groups \
        when no --as-group is given, and system:authenticated is added unless \
        system:authenticated or system:unauthenticated is already there.

        --list prints every rule that applies to the user in the namespace, as \
        `kubectl auth can-i --list` does; -q prints nothing (the exit status answers).

        Examples (in the repository, on the demo cluster):
          keyreach import fixtures/demo/cluster.yaml
          SA=system:serviceaccount:production:default
          keyreach can-i get secret/app-tls -n production --as $SA --explain
          keyreach can-i list secrets -A --as jane --as-group dev-team
          keyreach can-i create pods --subresource exec -n shop --as bob -q
          keyreach can-i get /healthz --as system:anonymous
          keyreach can-i --list -n production --as $SA
        """)

    @Argument(help: "The verb, as in RBAC rules: get, list, watch, create, update, patch, delete, impersonate, ...")
    var verb: String?

    @Argument(help: "RESOURCE[/NAME] (pods, deploy, secrets.v1, certificates.cert-manager.io, ...) or a non-resource URL starting with /.")
    var resource: String?

    @Option(name: .long, help: "The subresource (exec, log, token, status, ...).")
    var subresource: String = ""

    @Option(name: .customLong("as"), help: "The user to ask for (required: there is no current user offline).")
    var user: String

    @Option(name: .customLong("as-group"), help: "A group to ask for (repeatable); replaces the implicit service-account groups.")
    var groups: [String] = []

    @Flag(name: .long, help: "Print every path that allows the request.")
    var explain = false

    @Flag(name: .long, help: "List every rule that applies to the user in the namespace (kubectl's --list).")
    var list = false

    @Flag(name: [.customShort("q"), .long], help: "Print nothing: the exit status is the answer (0 yes, 1 no).")
    var quiet = false

    @OptionGroup var scope: NamespaceOptions
    @OptionGroup var options: ReadOptions

    func validate() throws {
        try options.requireFormat(in: OutputFormat.structured, command: "can-i")
        if list {
            if verb != nil || resource != nil {
                throw ValidationError("--list takes no VERB or RESOURCE: it lists every rule the user has in the namespace.")
            }
            if explain || quiet || !subresource.isEmpty {
                throw ValidationError("--list can not be used with --explain, --quiet or --subresource.")
            }
            return
        }
        guard let resource, verb != nil else {
            throw ValidationError("give VERB and RESOURCE (can-i get secret/app-tls), or --list.")
        }
        if resource.hasPrefix("/"), !subresource.isEmpty {
            throw ValidationError("--subresource can not be used with a non-resource URL.")
        }
        if quiet, explain {
            throw ValidationError("-q prints nothing, so --explain would be lost: give one of them.")
        }
    }

    func run() throws {
        var allowed = false
        try Console.run {
            let workspace = try options.openWorkspace()
            if list {
                let userInfo = Impersonation.userInfo(as: user, groups: groups)
                let namespace = scope.allNamespaces ? "" : (scope.namespace ?? "default")
                let reviewed = try workspace.rulesReview(for: userInfo, namespace: namespace)
                Console.write(CanIList.render(reviewed, user: userInfo, namespace: namespace, as: options.output))
                allowed = true
                return
            }
            let request = makeRequest()
            let decision = try workspace.authorize(request)
            allowed = decision.allowed
            if !quiet {
                Console.write(CanIRenderer.render(request: request, decision: decision, explain: explain, as: options.output))
            }
        }
        if !allowed { throw ExitCode(1) }
    }

    private func makeRequest() -> ResourceRequest {
        let userInfo = Impersonation.userInfo(as: user, groups: groups)
        let resource = self.resource ?? ""
        switch ResourceResolver.resolve(resource) {
        case .nonResourceURL(let path):
            return ResourceRequest(user: userInfo, verb: verb ?? "", nonResourceURL: path)
        case .resource(let resolved):
            if !resolved.isKnown, !quiet {
                Console.warn("the resource type \"\(resource)\" is not a built-in keyreach knows; asking for it as written")
            }
            // kubectl sends the namespace as given, even for cluster-scoped resources.
            let namespace = scope.allNamespaces ? "" : (scope.namespace ?? "default")
            return ResourceRequest(user: userInfo, verb: verb ?? "", apiGroup: resolved.group, resource: resolved.resource,
                                   subresource: subresource, namespace: namespace, name: resolved.name)
        }
    }
}
