import ArgumentParser
import Exposure
import Foundation
import KeyreachKit
import RBAC
import Render

/// `keyreach exposure [-n NS | -A] [--allow FILE] [--cluster-resource-namespace NS]`
struct ExposureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exposure",
        abstract: "Every private-key secret: why it is one, what it impersonates, who can read it beyond its expected holders.",
        discussion: """
        A secret holds a private key by its type (kubernetes.io/tls, ssh-auth), its key names \
        (tls.key, *.key), a PEM PRIVATE KEY block, cert-manager metadata, or because a \
        Certificate, Issuer, Ingress or Gateway names it. Its readers are every identity \
        that can get, list or watch it; expected holders (system:masters, control-plane \
        controllers, cert-manager, the ingress controller serving its Ingress, nodes running \
        a pod that uses it, and the --allow file) are listed apart and are not findings.

        Readers are the subjects as bound: a Group (system:authenticated, a namespace's \
        service accounts) is one reader with the count of its known members (--members \
        lists them); workloads are counted per controller.

        A key held by several secrets (the same public key in tls.crt, or copies that \
        kubernetes-replicator, reflector or kubed annotations make) is listed once with its \
        copies: its readers are the union over copies, its severity the worst copy's, and \
        an annotation copying it to broader readers is a finding. -n lists the keys with a \
        copy in that namespace.

        Every namespace by default; -n narrows to one. The table starts with keys by \
        severity and kind and the five grants that expose the most keys, then lists every \
        critical and high key, worst first, and counts the rest (--limit N, --all). \
        -o json is an array of every key, sorted by namespace and name (the stable \
        contract scripts read).

        Examples (in the repository, on the demo cluster):
          keyreach exposure --dump fixtures/demo/cluster.yaml
          keyreach import fixtures/demo/cluster.yaml
          keyreach exposure -n production -o json
          keyreach exposure -A --cluster-resource-namespace security -o yaml
          keyreach exposure --all --members
          keyreach exposure --indirect --dump fixtures/indirect/cluster.yaml

        --indirect adds, per key, who can become a reader without a rule on \
        secrets (create pods, exec, impersonate, token requests, reading a token \
        secret, bind/escalate, nodes/proxy), each with its shortest chain and the \
        rule behind every step. Expected holders and the allow-list apply to them, \
        and an indirect reader raises the key's severity as a direct reader of the \
        same breadth would.
        """)

    @OptionGroup var scope: NamespaceOptions
    @OptionGroup var options: ReadOptions
    @OptionGroup var expected: ExpectedHolderOptions

    @Flag(name: .long, help: "List the known members of every Group reader (by default only counted).")
    var members = false

    @Option(name: .long, help: ArgumentHelp(
        "The table lists this many keys with findings, worst first (default: every critical and high key).",
        valueName: "n"))
    var limit: Int?

    @Flag(name: .long, help: "The table lists every key, also those read by expected holders only.")
    var all = false

    @Flag(name: .long, help: "Also list who can become a reader of each key (pods, exec, impersonation, tokens, bindings).")
    var indirect = false

    func validate() throws {
        try options.requireFormat(in: OutputFormat.structured + [.dot], command: "exposure")
        if all, limit != nil {
            throw ValidationError("--limit and --all ask for different lengths: give one of them.")
        }
        if indirect, options.output == .dot {
            throw ValidationError("--indirect and -o dot: the graph draws direct paths only; use -o table, json or yaml for chains.")
        }
        if let limit, limit < 0 {
            throw ValidationError("--limit \(limit): give a number of keys, 0 or more.")
        }
    }

    func run() throws {
        try Console.run {
            let holders = try expected.expectedHolders()
            let workspace = try options.openWorkspace()
            let exposures = try workspace.keyExposures(
                namespace: scope.allNamespaces ? nil : scope.namespace, expectedHolders: holders, listMembers: members,
                indirect: indirect)
            NamespaceHint.warnIfAbsent(scope.allNamespaces ? nil : scope.namespace, in: try workspace.snapshot())
            guard options.output != .dot else { return Console.write(DotRenderer.render(exposures)) }
            workspace.writeExposures(exposures, format: options.output,
                                     limit: all ? .all : limit.map { .first($0) } ?? .criticalAndHigh, write: Console.write)
            Workspace.leaveToExit(exposures)
        }
    }
}
