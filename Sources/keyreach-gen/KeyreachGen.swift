import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PodDetail: ExpressibleByArgument {}

/// `keyreach-gen`: writes a seeded, realistic synthetic cluster dump of any
/// size, for keyreach's benchmark (issue 5). All secret values are fake.
@main
struct KeyreachGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keyreach-gen",
        abstract: "Write a synthetic Kubernetes cluster dump (fake secret values only) for benchmarks.",
        discussion: """
        Each namespace holds about 62 objects: 3-6 service accounts, 4-8 \
        Deployments with their ReplicaSets and 2-4 pods each (see --pod-detail), \
        Services, ConfigMaps, about 5.5 secrets (TLS, Opaque, \
        service-account-token, dockerconfigjson), cert-manager Certificates, \
        3-5 Roles and RoleBindings of varied shapes. Cluster-wide: nodes, about 47 \
        ClusterRoles (aggregated admin/edit/view included), about 33 \
        ClusterRoleBindings (broad groups included), ClusterIssuers and the \
        add-ons' namespaces. The same seed always gives the same bytes.

        JSON is one `List` (items one per line, compact), as \
        `kubectl get ... -o json` would hold them; YAML is one document per \
        object in `kubectl get -o yaml` style. A summary (objects per kind, \
        bytes, seconds) goes to standard error.

        Examples:
          keyreach-gen --namespaces 2000 --seed 1 --format json --output /tmp/big.json
          keyreach-gen --namespaces 20 --format yaml --output - | head -50
          swift run -c release keyreach-gen --namespaces 8000 --format yaml --output /tmp/huge.yaml
          keyreach-gen --namespaces 500 --pod-detail full --output /tmp/realistic-pods.json
          keyreach-gen --namespaces 500 --authenticated-listers 1 --namespace-account-readers 50 \\
            --default-account-pods 40 --output /tmp/broad-grants.json

        At 2,000 namespaces (seed 1, compact pods): 123,816 objects, 11,028 \
        secrets, 136 MB of JSON, 147 MB of YAML.
        """
    )

    /// The output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, yaml
    }

    @Option(help: "Number of application namespaces (2000 gives about 130k objects).")
    var namespaces: Int = 100

    @Option(help: "Seed of the generator: the same seed gives the same dump.")
    var seed: UInt64 = 1

    @Option(help: "Output format: json or yaml.")
    var format: Format = .json

    @Option(help: "compact: ~1.5 KB pods, 2000 namespaces give ~120 MB of JSON (issue 5's dump); full: ~4.5 KB pods as a live cluster returns them (~305 MB).")
    var podDetail: PodDetail = .compact

    @Option(help: "In the first N namespaces, Group system:authenticated can list every secret (a list-only role).")
    var authenticatedListers = 0

    @Option(help: "In the first N namespaces, Group system:serviceaccounts can list every secret.")
    var serviceaccountListers = 0

    @Option(help: "In the first N namespaces, the namespace's own service accounts (system:serviceaccounts:NS) can get and list every secret.")
    var namespaceAccountReaders = 0

    @Option(help: "Per namespace, an extra Deployment running as `default` with this many pods, each mounting a TLS secret, spread over the nodes.")
    var defaultAccountPods = 0

    @Option(help: "One wildcard key copied into the first N namespaces: by replicator annotation, by reflector mirror, and by the same certificate (issue 17's benchmark).")
    var wildcardCopies = 0

    @Option(name: [.short, .long], help: "Output file, or - for standard output.")
    var output: String

    @Flag(name: .shortAndLong, help: "Do not print the summary.")
    var quiet = false

    func validate() throws {
        guard namespaces >= 1 else {
            throw ValidationError("--namespaces must be at least 1")
        }
        guard [authenticatedListers, serviceaccountListers, namespaceAccountReaders, defaultAccountPods, wildcardCopies].allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("the shape options take a count, 0 or more")
        }
    }

    var shapes: Shapes {
        Shapes(authenticatedListers: authenticatedListers, serviceAccountListers: serviceaccountListers,
               namespaceAccountReaders: namespaceAccountReaders, defaultAccountPods: defaultAccountPods,
               wildcardCopies: min(wildcardCopies, namespaces))
    }

    func run() throws {
        let start = monotonicSeconds()
        let sink = try ByteSink(path: output)
        let tally: GenerationTally
        switch format {
        case .json:
            var generator = ClusterGenerator(writer: JSONListWriter(sink: sink), seed: seed, namespaceCount: namespaces, podDetail: podDetail)
            generator.shapes = shapes
            tally = try generator.generate()
            printSummary(tally, bytes: generator.out.sink.totalBytes, seconds: monotonicSeconds() - start)
        case .yaml:
            var generator = ClusterGenerator(writer: YAMLWriter(sink: sink), seed: seed, namespaceCount: namespaces, podDetail: podDetail)
            generator.shapes = shapes
            tally = try generator.generate()
            printSummary(tally, bytes: generator.out.sink.totalBytes, seconds: monotonicSeconds() - start)
        }
    }

    private func printSummary(_ tally: GenerationTally, bytes: Int, seconds: Double) {
        guard !quiet else { return }
        var lines = ["keyreach-gen: \(namespaces) namespaces, seed \(seed), \(podDetail.rawValue) pods, \(format.rawValue) -> \(output)"]
        lines.append(pad("kind", 20) + pad("objects", 10, right: true) + pad("MB", 10, right: true) + pad("avg bytes", 11, right: true))
        for kind in GeneratedKind.allCases where tally.objects[kind.rawValue] > 0 {
            let count = tally.objects[kind.rawValue]
            let kindBytes = tally.bytes[kind.rawValue]
            lines.append(pad(kind.name, 20) + pad(String(count), 10, right: true)
                + pad(format1(Double(kindBytes) / 1e6), 10, right: true) + pad(String(kindBytes / count), 11, right: true))
        }
        lines.append(pad("total", 20) + pad(String(tally.totalObjects), 10, right: true) + pad(format1(Double(bytes) / 1e6), 10, right: true))
        lines.append("\(bytes) bytes in \(format1(seconds)) s (\(format1(Double(bytes) / 1e6 / max(seconds, 1e-9))) MB/s)")
        writeToStandardError(lines.joined(separator: "\n") + "\n")
    }
}

private func writeToStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count)
    }
}

private func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

private func format1(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return right ? padding + text : text + padding
}
