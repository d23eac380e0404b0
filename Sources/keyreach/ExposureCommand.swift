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

        Every namespace by default; -n narrows to one. The table shows the worst keys first; \
        -o json is an array sorted by namespace and name (the stable contract scripts read).

        Examples (in the repository, on the demo cluster):
          keyreach exposure --dump fixtures/demo/cluster.yaml
          keyreach import fixtures/demo/cluster.yaml
          keyreach exposure -n production -o json
          keyreach exposure -A --cluster-resource-namespace security -o yaml
        """)

    @OptionGroup var scope: NamespaceOptions
    @OptionGroup var options: ReadOptions
    @OptionGroup var expected: ExpectedHolderOptions

    func validate() throws {
        try options.requireFormat(in: OutputFormat.structured, command: "exposure")
    }

    func run() throws {
        try Console.run {
            let holders = try expected.expectedHolders()
            let workspace = try options.openWorkspace()
            let exposures = try workspace.exposures(
                namespace: scope.allNamespaces ? nil : scope.namespace, expectedHolders: holders)
            NamespaceHint.warnIfAbsent(scope.allNamespaces ? nil : scope.namespace, in: try workspace.snapshot())
            Console.write(ExposureRenderer.render(exposures, as: options.output))
        }
    }
}
