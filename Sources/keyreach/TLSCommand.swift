import ArgumentParser
import KeyreachKit
import Render

/// `keyreach tls [-n NS | -A] [--controllers]`
struct TLSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "Where TLS ends for every host: edge certificate, pattern, backend verification, mesh, annotation traps.",
        discussion: """
        One row per Ingress host, Gateway listener (with its HTTPRoutes and TLSRoutes), \
        Istio Gateway server host and Traefik IngressRoute host: the edge certificate \
        (secret, names, expiry), the pattern (edge: TLS ends at the ingress; reencrypt; \
        passthrough; none), whether the hop to the pod is encrypted and verified \
        (ingress-nginx proxy-ssl-verify, or mesh mTLS when the edge and the pods share \
        an Istio or Linkerd mesh), and findings, each with its fix: mistyped or \
        wrong-case annotations, protocols or ciphers below TLS 1.2, re-encryption \
        without verification, secrets that do not exist, ssl-passthrough without the \
        controller's flag, hosts the certificate does not cover. The ingress controllers \
        of the dump follow, with what they can read of the secrets and why.

        -o json is an array, one object per host route; --controllers prints the \
        controllers instead. The exit status is 0.

        Examples (in the repository):
          keyreach tls --dump fixtures/demo/cluster.yaml
          keyreach tls --dump fixtures/tls/annotation-traps.yaml -o json
          keyreach tls --controllers --dump fixtures/tls/passthrough.yaml
        """)

    @OptionGroup var scope: NamespaceOptions
    @OptionGroup var options: ReadOptions

    @Flag(name: .long, help: "Print the ingress controllers and their secret access instead of the host routes.")
    var controllers = false

    func validate() throws {
        try options.requireFormat(in: OutputFormat.structured, command: "tls")
    }

    func run() throws {
        try Console.run {
            let workspace = try options.openWorkspace()
            let namespace = scope.allNamespaces ? nil : scope.namespace
            let report = try workspace.tls(namespace: namespace)
            NamespaceHint.warnIfAbsent(namespace, in: try workspace.snapshot())
            Console.write(TLSRenderer.render(report, as: options.output, controllersOnly: controllers))
        }
    }
}
