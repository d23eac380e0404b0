import KubeModel
import Testing
@testable import Exposure

/// The summary the exposure table and the report open with: keys per
/// severity and kind, and the grants that expose the most keys.
@Suite struct ExposureSummaryTests {
    @Test func aGrantCountsEachKeyOnceAndTheWorstSeverityItGives() throws {
        let exposures = analyze(try KeyCopiesTests.exposedSnapshot())
        let summary = ExposureSummary(exposures)
        #expect(summary.keys == 3)
        #expect(summary.counts.values.flatMap(\.values).reduce(0, +) == 3)
        // everyone-reads (system:authenticated) exposes one key; each of jane's two bindings one key.
        #expect(summary.topGrants.map { "\($0.binding.name) \($0.keys)" }.sorted()
                == ["everyone-reads 1", "jane-reads 1", "jane-reads-b 1"])
        let everyone = try #require(summary.topGrants.first { $0.binding.name == "everyone-reads" })
        #expect(everyone.worst == exposures.map(\.severity).max())
        #expect(summary.topGrants.first?.binding.name == "everyone-reads")  // the worst severity first on a tie of keys
    }

    /// The top grants are found in one pass: the same as sorting every grant.
    @Test(arguments: 1...20 as ClosedRange<UInt64>)
    func topGrantsAreTheFirstOfAFullSort(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let severities: [Severity] = [.info, .low, .medium, .high, .critical]
        let grants = (0..<(random.next(40))).map { index in
            GrantExposure(binding: ObjectRef(kind: "RoleBinding", namespace: "ns\(random.next(3))", name: "b\(random.next(5))"),
                          role: ObjectRef(kind: "ClusterRole", name: "r\(index)"),
                          subject: Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "g\(random.next(3))"),
                          keys: random.next(4), worst: severities[random.next(severities.count)])
        }
        for count in [0, 1, 5, 50] {
            #expect(ExposureSummary.top(count, of: grants)
                    == Array(grants.sorted(by: ExposureSummary.exposesMore).prefix(count)), "seed \(seed), top \(count)")
        }
    }

    /// Counted in blocks of 256 on every core: a list of many blocks sums like one.
    @Test func blocksMergeToTheSameSummary() throws {
        let exposures = analyze(try KeyCopiesTests.exposedSnapshot())
        let one = ExposureSummary(exposures)
        let many = ExposureSummary(Array(repeating: exposures, count: 300).flatMap { $0 })
        #expect(many.keys == 900)
        for (severity, kinds) in one.counts {
            for (kind, count) in kinds { #expect(many.count(severity, kind) == 300 * count) }
        }
        #expect(many.topGrants.map(\.binding) == one.topGrants.map(\.binding))
        #expect(many.topGrants.map(\.keys) == one.topGrants.map { 300 * $0.keys })
        #expect(many.topGrants.map(\.worst) == one.topGrants.map(\.worst))
    }
}
