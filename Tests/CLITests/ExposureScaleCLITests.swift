import Exposure
import Foundation
import KeyreachKit
import Render
import Testing

/// `exposure` on a cluster where one group grant reaches many service
/// accounts with many pods: the answer names the grant, not every identity
/// and pod behind it, and every format renders the same values.
@Suite("exposure at scale")
struct ExposureScaleCLITests {
    static let namespaces = 30
    static let podsPerNamespace = 12

    /// `shop/shop-tls`, listable by Group `system:serviceaccounts` through one
    /// RoleBinding; 30 namespaces with two service accounts each and 12 pods of
    /// one ReplicaSet running as `default` with the token mounted.
    static func dump() -> String {
        var documents = [
            "{apiVersion: v1, kind: Secret, metadata: {name: shop-tls, namespace: shop}, type: kubernetes.io/tls}",
            "{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: lister}, "
                + "rules: [{apiGroups: [''], resources: [secrets], verbs: [list]}]}",
            "{apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: all-accounts, namespace: shop}, "
                + "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: lister}, "
                + "subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: 'system:serviceaccounts'}]}",
        ]
        for n in 0..<namespaces {
            for account in ["default", "api"] {
                documents.append("{apiVersion: v1, kind: ServiceAccount, metadata: {name: \(account), namespace: ns\(n)}}")
            }
            for p in 0..<podsPerNamespace {
                documents.append("{apiVersion: v1, kind: Pod, metadata: {name: web-abc-\(p), namespace: ns\(n), "
                    + "ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-abc, uid: u\(n), controller: true}]}, "
                    + "spec: {serviceAccountName: default, nodeName: node-\(p % 4), containers: [{name: web, image: web}]}}")
            }
        }
        return documents.map { "---\n" + $0 + "\n" }.joined()
    }

    static func writeDump() throws -> (URL, String) {
        let dir = try CLI.temporaryDirectory()
        let path = dir.appendingPathComponent("group-grant.yaml").path
        try dump().write(toFile: path, atomically: true, encoding: .utf8)
        return (dir, path)
    }

    @Test("one group grant reaching 60 accounts and 360 pods: the table lists the group once, with member and workload counts")
    func groupOnce() throws {
        let (dir, path) = try Self.writeDump()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(["exposure", "--dump", path])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.contains("Group system:serviceaccounts:") }.count == 1)
        #expect(lines.contains("    Group system:serviceaccounts: list (critical: everyone who can reach the API server)"))
        #expect(lines.contains("      60 known members; tokens mounted in 360 pods of 30 controllers in 30 namespaces"))
        #expect(lines.contains("1     critical  RoleBinding shop/all-accounts → ClusterRole lister → Group system:serviceaccounts"))
        // No identity or pod behind the group is listed: the answer does not grow with them.
        #expect(!run.stdout.contains("ServiceAccount ns"))
        #expect(!run.stdout.contains("web-abc"))
        #expect(lines.count < 30, "\(lines.count) lines")

        let members = try CLI.run(["exposure", "--dump", path, "--members"])
        #expect(members.stdout.components(separatedBy: "      member ServiceAccount ns").count - 1 == 60)
    }

    @Test("table, JSON and YAML written by the CLI are the renderer's output of the same exposures")
    func sameModelEveryFormat() throws {
        let (dir, path) = try Self.writeDump()
        defer { try? FileManager.default.removeItem(at: dir) }
        for dump in [path, CLI.fixture("demo/cluster.yaml")] {
            let workspace = try Workspace.open(SnapshotSource(dumps: [dump]))
            let exposures = try workspace.exposures(namespace: nil, expectedHolders: ExpectedHolders())
            for format in OutputFormat.structured {
                let run = try CLI.run(["exposure", "--dump", dump, "-o", format.rawValue])
                #expect(run.status == 0)
                #expect(run.stdout == String(decoding: ExposureRenderer.render(exposures, as: format), as: UTF8.self),
                        "\(dump) -o \(format.rawValue)")
            }
        }
    }

    @Test("--limit and --all: one of them, a count of 0 or more")
    func limits() throws {
        let demo = CLI.fixture("demo/cluster.yaml")
        let none = try CLI.run(["exposure", "--dump", demo, "--limit", "0"])
        #expect(none.status == 0)
        #expect(!none.stdout.contains("CRITICAL cert-manager/internal-ca-key"))
        #expect(none.stdout.contains("… and 2 more keys with findings (1 critical, 1 high): --limit N or --all lists them."))
        let one = try CLI.run(["exposure", "--dump", demo, "--limit", "1"])
        #expect(one.stdout.contains("CRITICAL cert-manager/internal-ca-key"))
        #expect(!one.stdout.contains("HIGH production/app-tls"))
        #expect(try CLI.run(["exposure", "--dump", demo, "--limit", "1", "--all"]).status == 2)
        #expect(try CLI.run(["exposure", "--dump", demo, "--limit", "-1"]).status == 2)
    }
}
