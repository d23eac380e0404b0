import Exposure
import Foundation
import Gate
import KeyreachKit
import Testing

/// `diff` between two fixture snapshots.
@Suite struct DiffTests {
    @Test func readersGainedKeysAddedSeverityRaised() throws {
        let before = try Fixture.workspace("demo/cluster.yaml")
        let after = try CheckTests.grownDemo()
        let diff = try before.diff(to: after, expectedHolders: ExpectedHolders())
        #expect(diff.keysAdded.map(\.key.secret.name) == ["new-tls"])
        #expect(diff.keysRemoved.isEmpty)
        #expect(diff.readersGained.map { "\($0.secret.name) \($0.reader.identity.name)" } == ["app-tls system:authenticated"])
        let grant = try #require(diff.readersGained.first?.reader.via.first)
        #expect(grant.explanation.contains("RoleBinding production/everyone-reads"))
        #expect(diff.readersLost.isEmpty)
        #expect(diff.severityChanges.map { "\($0.secret.name) \($0.from)->\($0.to)" } == ["app-tls high->critical"])
    }

    @Test func theOtherWayRoundLosesThem() throws {
        let diff = try CheckTests.grownDemo().diff(to: try Fixture.workspace("demo/cluster.yaml"), expectedHolders: ExpectedHolders())
        #expect(diff.keysRemoved.map(\.key.secret.name) == ["new-tls"])
        // Readers as bound: node-1 reads through system:authenticated's grant, under that group.
        #expect(diff.readersLost.map(\.reader.identity.name) == ["system:authenticated"])
        #expect(diff.severityChanges.map { "\($0.from)->\($0.to)" } == ["critical->high"])
    }

    @Test func aSnapshotAgainstItselfIsEmpty() throws {
        #expect(try Fixture.workspace("demo/cluster.yaml").diff(to: try Fixture.workspace("demo/cluster.json"),
                                                                 expectedHolders: ExpectedHolders()).isEmpty)
    }
}
