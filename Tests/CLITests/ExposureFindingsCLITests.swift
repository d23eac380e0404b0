import Foundation
import Testing

/// `exposure` and `suggest` read as one story: every unexpected reader names
/// the suggest findings (grants) behind it, and those are suggest's findings.
@Suite struct ExposureFindingsCLITests {
    @Test func everyReaderNamesItsSuggestFindings() throws {
        let demo = CLI.fixture("demo/cluster.yaml")
        let exposure = try CLI.run(["exposure", "--dump", demo, "-o", "json"])
        let suggest = try CLI.run(["suggest", "--dump", demo, "-o", "json"])
        #expect(exposure.status == 0 && suggest.status == 0)
        let keys = try #require(exposure.json as? [[String: Any]])
        let readers = keys.flatMap { ($0["readers"] as? [[String: Any]]) ?? [] }
        let named = Set(readers.flatMap { ($0["findings"] as? [String]) ?? [] })
        #expect(readers.allSatisfy { !(($0["findings"] as? [String]) ?? []).isEmpty })
        let findings = try #require((suggest.json as? [String: Any])?["findings"] as? [[String: Any]])
        #expect(named == Set(findings.compactMap { $0["id"] as? String }))
        #expect(named.contains("RoleBinding/production/read-secrets#0/ServiceAccount/production/default"))
    }
}
