import Advisor
import DumpReader
import Exposure
import Foundation
import KubeModel
import RBAC
import Render
import Testing

/// The `-o yaml` manifest of each change kind, pinned in fixtures/suggest/
/// (`KEYREACH_UPDATE_GOLDEN=1 swift test --filter GoldenManifests` rewrites
/// them), and read back through keyreach's own reader: the objects that come
/// back are the objects the proposal holds.
@Suite struct GoldenManifests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/suggest")

    /// A namespace `shop` with one TLS key and two other secrets.
    static func shop() -> ClusterSnapshot {
        var cluster = ClusterSnapshot()
        cluster.namespaces = [Namespace(meta: ObjectMeta(name: "shop")), Namespace(meta: ObjectMeta(name: "blog"))]
        cluster.secrets = [tlsSecret("shop", "shop-tls"), opaqueSecret("shop", "db"), opaqueSecret("shop", "smtp"),
                           tlsSecret("blog", "blog-tls"), opaqueSecret("blog", "wp")]
        return cluster
    }

    static let cases: [(name: String, kind: Change.Kind, cluster: ClusterSnapshot)] = {
        var removeNames = shop()
        removeNames.roles = [role("shop", "tls-reader", [rule(["get"], names: ["shop-tls", "db"])])]
        removeNames.bindings = [binding("shop", "tls-reader", "Role", "tls-reader", [userSubject("alice")])]

        var splitRule = shop()
        splitRule.roles = [role("shop", "secret-reader", [rule(["get", "list"], [""], ["secrets", "configmaps"])])]
        splitRule.bindings = [binding("shop", "read-secrets", "Role", "secret-reader",
                                      [serviceAccountSubject("default", namespace: "shop")])]
        splitRule.pods = [pod("shop", "web-7d9-abcde", owner: "web-7d9")]

        var deriveRole = shop()
        deriveRole.roles = [
            clusterRole("edit", [], labels: ["kubernetes.io/bootstrapping": "rbac-defaults"],
                        aggregating: [LabelSelector(matchLabels: ["rbac.authorization.k8s.io/aggregate-to-edit": "true"])]),
            clusterRole("system:aggregate-to-edit", [rule(["get", "list", "watch", "create"], [""], ["secrets", "pods"]),
                                                     rule(["get"], ["apps"], ["deployments"])],
                        labels: ["rbac.authorization.k8s.io/aggregate-to-edit": "true"]),
        ]
        deriveRole.bindings = [binding("shop", "devs-edit", "ClusterRole", "edit",
                                       [groupSubject("devs"), serviceAccountSubject("cert-manager", namespace: "cert-manager")])]

        var namespacedBindings = shop()
        namespacedBindings.roles = [clusterRole("dashboard-secrets", [rule(["list"]), rule(["get"], [""], ["pods"])])]
        namespacedBindings.bindings = [clusterBinding("dashboard-viewer", roleName: "dashboard-secrets",
                                                      [serviceAccountSubject("kubernetes-dashboard", namespace: "kubernetes-dashboard")])]

        var review = shop()
        review.roles = [clusterRole("cluster-admin", [rule(["*"], ["*"], ["*"])])]
        review.bindings = [clusterBinding("bob-admin", roleName: "cluster-admin", [userSubject("bob")])]
        return [("remove-names", .removeNames, removeNames), ("split-rule", .splitRule, splitRule),
                ("derive-role", .deriveRole, deriveRole), ("namespaced-bindings", .namespacedBindings, namespacedBindings),
                ("review", .review, review)]
    }()

    static func suggestion(_ cluster: ClusterSnapshot) -> Suggestion {
        Advisor.suggest(snapshot: cluster, whoCan: WhoCan(derived: AccessIndexer.compute(cluster)), expectedHolders: ExpectedHolders())
    }

    @Test("Each change kind's manifest is the pinned one", arguments: 0..<5)
    func manifestMatchesGolden(index: Int) throws {
        let (name, kind, cluster) = Self.cases[index]
        let suggestion = Self.suggestion(cluster)
        #expect(suggestion.findings.map(\.change.kind).contains(kind), "\(name): \(suggestion.findings.map(\.change.kind))")
        let manifest = SuggestRenderer.manifest(suggestion)
        let file = Self.root.appendingPathComponent("\(name).yaml")
        if ProcessInfo.processInfo.environment["KEYREACH_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.root, withIntermediateDirectories: true)
            try manifest.write(to: file, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(manifest == golden, "\(name): regenerate with KEYREACH_UPDATE_GOLDEN=1 if the change is intended")
    }

    @Test("The manifest re-imports through keyreach's reader as exactly the proposed objects", arguments: 0..<5)
    func manifestReimports(index: Int) throws {
        let (name, _, cluster) = Self.cases[index]
        let suggestion = Self.suggestion(cluster)
        let manifest = SuggestRenderer.manifest(suggestion)
        let read = try DumpReader().read([.data(Data(manifest.utf8), name: "\(name).yaml")])
        #expect(read.warnings.isEmpty, "\(name): \(read.warnings)")
        var roles: [ObjectRef: Role] = [:]
        var bindings: [ObjectRef: RoleBinding] = [:]
        for object in suggestion.apply {
            switch object {
            case .role(let role): roles[object.ref] = role
            case .binding(let binding): bindings[object.ref] = binding
            }
        }
        #expect(read.snapshot.roles.count == roles.count && read.snapshot.bindings.count == bindings.count, "\(name)")
        for role in read.snapshot.roles {
            let proposed = roles[roleRef(role)]
            #expect(proposed?.rules == role.rules, "\(name): \(roleRef(role))")
            #expect(proposed?.meta.labels == role.meta.labels && proposed?.meta.annotations == role.meta.annotations, "\(name)")
        }
        for binding in read.snapshot.bindings {
            let proposed = bindings[bindingRef(binding)]
            #expect(proposed?.roleRef == binding.roleRef && proposed?.subjects == binding.subjects, "\(name): \(bindingRef(binding))")
        }
        // The deletions are comments: nothing kubectl apply would act on.
        for ref in suggestion.delete {
            #expect(manifest.contains("# " + SuggestRenderer.deleteCommand(ref) + "\n"))
        }
    }

    /// `kubectl apply --dry-run=client` needs an API server for discovery; `kubectl label
    /// --local` reads the file with kubectl's own decoder and no server: every object must come back.
    @Test("kubectl reads every object of the manifests (when kubectl is installed)",
          .enabled(if: GoldenManifests.kubectl != nil, "kubectl is not installed: skipped"), arguments: 0..<5)
    func kubectlReads(index: Int) throws {
        let (name, _, cluster) = Self.cases[index]
        let file = Self.root.appendingPathComponent("\(name).yaml")
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: Self.kubectl!)
        process.arguments = ["label", "--local", "-f", file.path, "keyreach-check=1", "-o", "name"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let names = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let suggestion = Self.suggestion(cluster)
        #expect(process.terminationStatus == 0 || suggestion.apply.isEmpty, "\(name)")
        #expect(names.split(separator: "\n").count == suggestion.apply.count, "\(name): \(names)")
    }

    static let kubectl: String? = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}
