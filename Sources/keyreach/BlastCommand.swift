import ArgumentParser
import KeyreachKit
import KubeModel
import RBAC
import Render

/// `keyreach blast pod/NAME -n NS` (also serviceaccount/, user/, group/, node/)
struct BlastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blast",
        abstract: "A pod or identity is compromised: every private key it can read, and what to rotate first.",
        discussion: """
        The reverse of who-can: from one pod, ServiceAccount, user, group or node, every \
        private key it can get, list or watch, directly or by a chain of indirect steps \
        (creating pods, exec, impersonation, tokens, bind/escalate, nodes/proxy: as \
        who-can --indirect finds them), each with its shortest chain and the rule behind it.

        A pod is its ServiceAccount (when its token is mounted) and the secrets its \
        containers mount. Its node's kubelet credentials are not counted: a pod holds them \
        only when privileged or mounting the host, which the dump does not say; ask \
        blast node/NAME for those.

        Keys are grouped by what a holder can impersonate (domain names, CAs, ACME \
        accounts, other) and put in rotation order: CA keys first, then every leaf they \
        signed (by an Issuer using the CA key, or by issuer DN), then the other keys. \
        Each key says how to replace it: cmctl renew or deleting the secret for \
        cert-manager keys, else the owner to ask. Exit 1 when a key is reached, 0 when none.

        Examples (in the repository, on the demo cluster and fixtures/blast):
          keyreach blast user/dev --dump fixtures/blast/cluster.yaml
          keyreach import fixtures/demo/cluster.yaml
          keyreach blast pod/web-5d9c7-abcde -n production
          keyreach blast sa/default -n production -o json
          keyreach blast serviceaccount/ingress-nginx -n ingress-nginx
          keyreach blast node/node-1 -o yaml
          keyreach blast group/system:masters
        """)

    @Argument(help: ArgumentHelp("pod/NAME, serviceaccount/NAME (sa/NAME), user/NAME, group/NAME or node/NAME.",
                                 valueName: "target"))
    var target: String

    @Argument(help: ArgumentHelp("The name, in kubectl's TYPE NAME form: blast pod web-0.", valueName: "name"))
    var name: String?

    @Option(name: [.customShort("n"), .long], help: "The namespace of the pod or ServiceAccount (default: default).")
    var namespace: String?

    @OptionGroup var options: ReadOptions

    @Option(name: .long, help: "Where cert-manager keeps ClusterIssuer secrets (its --cluster-resource-namespace).")
    var clusterResourceNamespace = "cert-manager"

    func validate() throws {
        try options.requireFormat(in: OutputFormat.structured, command: "blast")
        let subject = try parseSubject()
        switch subject {
        case .user, .group, .node:
            if namespace != nil {
                throw ValidationError("\(subject.ref.kind.lowercased())/NAME is not namespaced: drop -n.")
            }
        default: break
        }
    }

    /// kubectl's spellings: `pod/NAME`, `po/NAME`, `pods NAME`,
    /// `serviceaccount/NAME`, `sa/NAME`, `node/NAME`, `no/NAME` (resolved as
    /// kubectl resolves types), and `user/NAME`, `group/NAME` as `--as`/`--as-group` name them.
    func parseSubject() throws -> BlastSubject {
        let type: String
        let objectName: String
        if let name {
            guard !target.contains("/") else { throw usage() }
            (type, objectName) = (target, name)
        } else {
            guard let slash = target.firstIndex(of: "/") else { throw usage() }
            (type, objectName) = (String(target[..<slash]), String(target[target.index(after: slash)...]))
        }
        guard !objectName.isEmpty else { throw usage() }
        let namespace = self.namespace ?? "default"
        switch type.lowercased() {
        case "user", "users": return .user(objectName)
        case "group", "groups": return .group(objectName)
        default: break
        }
        guard case .resource(let resolved) = ResourceResolver.resolve(type), resolved.isKnown, resolved.group.isEmpty else {
            throw usage()
        }
        switch resolved.resource {
        case "pods": return .pod(namespace: namespace, name: objectName)
        case "serviceaccounts": return .serviceAccount(namespace: namespace, name: objectName)
        case "nodes": return .node(objectName)
        default: throw usage()
        }
    }

    private func usage() -> ValidationError {
        let given = ([target] + (name.map { [$0] } ?? [])).joined(separator: " ")
        return ValidationError("blast names whom to start from, as pod/NAME, serviceaccount/NAME (sa/NAME), user/NAME, "
            + "group/NAME or node/NAME, not \"\(given)\".")
    }

    func run() throws {
        try Console.run {
            let subject = try parseSubject()
            let workspace = try options.openWorkspace()
            do {
                let report = try workspace.blast(subject, clusterResourceNamespace: clusterResourceNamespace)
                Console.write(BlastRenderer.render(report, as: options.output))
                // Like a finding: a key is reached.
                if !report.keys.isEmpty { throw ExitCode(1) }
            } catch let unknown as UnknownBlastSubject {
                throw CLIError.usage(Self.message(unknown))
            }
        }
    }

    /// "no pod production/wbe in the dump; did you mean web?" with the
    /// namespaces that have one of that name.
    static func message(_ unknown: UnknownBlastSubject) -> String {
        let ref = unknown.subject.ref
        var message = "no \(ref.kindAndName) in the dump"
        if ref.kind != "Pod" { message += " (blast starts from identities who-can knows: bound in a binding, or an object)" }
        if let guess = KubectlArguments.suggestion(for: ref.name, among: unknown.candidates), guess != ref.name {
            message += "; did you mean \(ref.kind.lowercased())/\(guess)?"
        }
        if !unknown.elsewhere.isEmpty {
            message += "; there is one in namespace \(unknown.elsewhere.prefix(5).joined(separator: ", "))"
                + (unknown.elsewhere.count > 5 ? ", ..." : "") + " (-n)"
        }
        return message
    }
}
