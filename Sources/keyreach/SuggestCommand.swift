import ArgumentParser
import Exposure
import Foundation
import KeyreachKit
import Render

/// `keyreach suggest [-n NS] [-o table|yaml|json] [--verify] [--allow FILE]`
struct SuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Least privilege: the grants that expose private keys, and the RBAC manifests that remove that access and nothing else.",
        discussion: """
        A finding is one grant (binding, role, rule, subject) that lets an identity other than \
        an expected holder get, list or watch a private key; the same grant exposing 4,000 keys \
        is one finding. Each carries its blast radius and its change: key names removed from \
        resourceNames, a rule split so secrets stay readable by name, a shared role derived as \
        <role>-no-private-keys and re-bound, a ClusterRoleBinding turned into namespaced ones, \
        or (`*` on `*`) a drafted role left for review.

        -o yaml prints a manifest for `kubectl apply -f`, then the deletions as commented \
        `kubectl delete` lines. --verify applies the proposal in memory, runs the engine again \
        and prints the unexpected readers of every key before and after, and the number of \
        other named decisions that changed (must be 0): exit 0 verified, 1 not.

        Examples (in the repository, on the demo cluster):
          keyreach suggest --dump fixtures/demo/cluster.yaml
          keyreach suggest --dump fixtures/demo/cluster.yaml -o yaml
          keyreach suggest --dump fixtures/demo/cluster.yaml --verify
          keyreach suggest --indirect --dump fixtures/indirect/cluster.yaml

        --indirect adds the grants behind indirect chains (create pods, workload \
        controllers, exec, impersonate, token requests, reading a token secret, \
        bind/escalate, nodes/proxy) as findings of their own, each with the keys it \
        lets someone become a reader of and one chain through it. They are not \
        rewritten: creating pods is a legitimate need; -o yaml lists them as comments.
        """)

    @Option(name: [.customShort("n"), .long], help: "Only the keys of this namespace.")
    var namespace: String?

    @OptionGroup var options: ReadOptions

    @Flag(name: .long, help: "Apply the proposal in memory and check it (exit 0 verified, 1 not).")
    var verify = false

    @Flag(name: .long, help: "Also list the grants behind indirect chains (create pods, exec, impersonate, ...): not rewritten.")
    var indirect = false

    @OptionGroup var holders: ExpectedHolderOptions

    func validate() throws {
        try options.requireFormat(in: OutputFormat.structured, command: "suggest")
        if indirect, verify {
            throw ValidationError("--indirect and --verify: the check covers the applied manifest, and indirect findings are never applied; run them apart.")
        }
    }

    func run() throws {
        var verified = true
        try Console.run {
            let expectedHolders = try holders.expectedHolders()
            let workspace = try options.openWorkspace()
            NamespaceHint.warnIfAbsent(namespace, in: try workspace.snapshot())
            let suggestion = try workspace.suggest(namespace: namespace, expectedHolders: expectedHolders, indirect: indirect)
            guard verify else {
                Console.write(SuggestRenderer.render(suggestion, as: options.output))
                return
            }
            let verification = try workspace.verify(suggestion, namespace: namespace, expectedHolders: expectedHolders)
            verified = verification.verified
            Console.write(SuggestRenderer.render(verification, as: options.output))
        }
        if !verified { throw ExitCode(1) }
    }
}
