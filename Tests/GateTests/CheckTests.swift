import Exposure
import Foundation
import Gate
@testable import KeyreachKit
import KubeModel
import Testing

/// `check`: exposure's findings against a level and a baseline.
@Suite struct CheckTests {
    static func report(_ fixture: String, failOn: Severity, baseline: Workspace? = nil,
                       expected: ExpectedHolders = ExpectedHolders()) throws -> CheckReport {
        try Fixture.workspace(fixture).check(failOn: failOn, expectedHolders: expected, baseline: baseline)
    }

    @Test func findingsAreExposuresUnexpectedReadersAtTheirSeverity() throws {
        let report = try Self.report("query-cases.yaml", failOn: .low)
        // Readers as bound: a kubelet in system:authenticated counts under that group, not apart.
        #expect(report.findings.map(\.severity) == [.high, .high, .high, .high, .medium, .medium, .medium, .low])
        let exposures = try Fixture.workspace("query-cases.yaml").exposures(namespace: nil, expectedHolders: ExpectedHolders())
        #expect(report.findings.count == exposures.map(\.readers.count).reduce(0, +))
        let auditor = report.findings.filter { $0.reader.name == "auditor@example.com" }
        #expect(auditor.map(\.severity) == [.medium, .low])
        #expect(auditor.map(\.ruleID) == ["private-key-reader/narrow", "private-key-reader/narrow"])
    }

    /// query-cases holds high, medium and low findings and no critical one.
    @Test func eachLevel() throws {
        #expect(try !Self.report("query-cases.yaml", failOn: .critical).fails)
        #expect(try Self.report("query-cases.yaml", failOn: .high).failing.count == 4)
        #expect(try Self.report("query-cases.yaml", failOn: .medium).failing.count == 7)
        #expect(try Self.report("query-cases.yaml", failOn: .low).failing.count == 8)
        #expect(try Self.report("demo/cluster.yaml", failOn: .critical).failing.count == 2)
        #expect(try !Self.report("rbac-edge-cases.yaml", failOn: .low).fails)
    }

    @Test func aBaselineCountsOnlyNewFindings() throws {
        let same = try Self.report("query-cases.yaml", failOn: .low, baseline: try Fixture.workspace("query-cases.yaml"))
        #expect(!same.fails)
        #expect(same.inBaseline == 8)
        // From the demo to query-cases every finding is new; the other way round too.
        #expect(try Self.report("query-cases.yaml", failOn: .low, baseline: try Fixture.workspace("demo/cluster.yaml")).failing.count == 8)
        let grown = try Self.grownDemo()
        let gate = try grown.check(failOn: .low, expectedHolders: ExpectedHolders(), baseline: try Fixture.workspace("demo/cluster.yaml"))
        // The kubelet node-1 authenticates in system:authenticated: it reads through that group's
        // grant, counted under the group (readers as bound), not as a reader of its own.
        #expect(gate.failing.map { "\($0.secret.name) \($0.reader.name) \($0.severity)" }.sorted() == [
            "app-tls system:authenticated critical",
            "new-tls default high", "new-tls ingress-nginx high", "new-tls kubernetes-dashboard high",
            "new-tls system:authenticated critical",
        ])
    }

    /// The demo plus a RoleBinding of secret-reader to system:authenticated and a new TLS secret.
    static func grownDemo() throws -> Workspace {
        let directory = try Fixture.temporaryDirectory()
        let file = directory.appendingPathComponent("grown.yaml")
        let demo = try String(contentsOfFile: Fixture.path("demo/cluster.yaml"), encoding: .utf8)
        try (demo + """

            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: everyone-reads, namespace: production}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: new-tls, namespace: production}
            type: kubernetes.io/tls
            data: {tls.key: ZmFrZQ==, tls.crt: ""}

            """).write(to: file, atomically: true, encoding: .utf8)
        return try Workspace.open(SnapshotSource(dumps: [file.path]))
    }

    @Test func findingsAreLocatedAtTheBindingInTheDumpFile() throws {
        let report = try Self.report("demo/cluster.yaml", failOn: .low)
        let lines = try String(contentsOfFile: Fixture.path("demo/cluster.yaml"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        for finding in report.findings {
            let location = try #require(finding.location)
            #expect(location.file == Fixture.path("demo/cluster.yaml"))
            let line = try #require(location.line)
            let binding = try #require(finding.grantingObject)
            #expect(lines[line - 1] == "kind: \(binding.kind)")
            #expect(lines[line...].prefix(8).contains { $0 == "  name: \(binding.name)" }, "\(binding) at \(line)")
        }
        // JSON dumps too.
        let json = try Self.report("demo/cluster.json", failOn: .low)
        #expect(json.findings.allSatisfy { $0.location?.line != nil })
    }

    @Test func aDatabaseHasNoFileToPointAt() throws {
        let directory = try Fixture.temporaryDirectory()
        let database = directory.appendingPathComponent("keyreach.db").path
        _ = try ImportPipeline.run(dumps: [Fixture.path("demo/cluster.yaml")], database: database, snapshot: "default")
        let report = try Workspace.open(SnapshotSource(database: database)).check(failOn: .low, expectedHolders: ExpectedHolders())
        #expect(report.findings.count == 4)
        #expect(report.findings.allSatisfy { $0.location == nil })
    }

    @Test func theLocatorReadsYAMLAndJSONShapes() {
        let yaml = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              labels:
                name: not-this
              name: reader
              namespace: shop
            roleRef:
              kind: Role
              name: secret-reader
            ---
            items:
            - kind: ClusterRole
              metadata:
                name: viewer
            ---
            kind: RoleBinding
            metadata: {name: flow, namespace: "shop"}
            """
        let found = ManifestLocator.objects(in: yaml).map { "\($0.0.kind) \($0.0.namespace)/\($0.0.name) \($0.1)" }
        #expect(found == ["RoleBinding shop/reader 2", "ClusterRole /viewer 13", "RoleBinding shop/flow 17"])
    }
}
