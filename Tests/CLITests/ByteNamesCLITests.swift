import Foundation
import Testing

/// Issue 16 through the command line: fixtures/bytes/cluster.yaml binds the
/// service account `shop/café` spelled decomposed (e + U+0301); the one
/// spelled precomposed (U+00E9) is another account, which the API server —
/// comparing bytes — does not let read the secret, though Swift's `==` calls
/// the two names equal. Names are checked as UTF-8 bytes throughout.
@Suite struct ByteNamesCLITests {
    static let dump = CLI.fixture("bytes/cluster.yaml")
    static let precomposed = "caf\u{E9}"
    static let decomposed = "cafe\u{301}"

    static func serviceAccount(_ name: String) -> String { "system:serviceaccount:shop:" + name }

    /// The subjects of a who-can answer as (kind, namespace, name bytes).
    static func subjects(_ answer: Any?) -> [(kind: String, namespace: String, name: [UInt8])] {
        let subjects = (answer as? [String: Any])?["subjects"] as? [[String: Any]] ?? []
        return subjects.map { ($0["kind"] as? String ?? "", $0["namespace"] as? String ?? "",
                               Array(($0["name"] as? String ?? "").utf8)) }
    }

    @Test func canIAnswersTheBoundSpellingOnly() throws {
        let bound = try CLI.run(["can-i", "get", "secret/shop-tls", "-n", "shop", "--as", Self.serviceAccount(Self.decomposed),
                                 "--dump", Self.dump])
        #expect(bound.status == 0, "\(bound.stderr)")
        #expect(bound.stdout == "yes\n")
        let other = try CLI.run(["can-i", "get", "secret/shop-tls", "-n", "shop", "--as", Self.serviceAccount(Self.precomposed),
                                 "--dump", Self.dump])
        #expect(other.status == 1, "\(other.stderr)")
        #expect(other.stdout == "no\n")
    }

    @Test("a group spelled with KELVIN SIGN is not the bound group K8s-admins")
    func canIComparesGroupsAsBytes() throws {
        let ascii = try CLI.run(["can-i", "get", "secret/shop-tls", "-n", "shop", "--as", "jane", "--as-group", "K8s-admins",
                                 "--dump", Self.dump])
        #expect(ascii.status == 0, "\(ascii.stderr)")
        let kelvin = try CLI.run(["can-i", "get", "secret/shop-tls", "-n", "shop", "--as", "jane",
                                  "--as-group", "\u{212A}8s-admins", "--dump", Self.dump])
        #expect(kelvin.status == 1, "\(kelvin.stderr)")
    }

    @Test func whoCanListsTheBoundSpellingOnly() throws {
        for arguments in [["secret/shop-tls"], ["secrets"]] {
            let run = try CLI.run(["who-can", "get"] + arguments + ["-n", "shop", "--dump", Self.dump, "-o", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            let serviceAccounts = Self.subjects(run.json).filter { $0.kind == "ServiceAccount" }
            #expect(serviceAccounts.map(\.namespace) == ["shop"], "\(arguments)")
            #expect(serviceAccounts.map(\.name) == [Array(Self.decomposed.utf8)], "\(arguments)")
            let groups = Self.subjects(run.json).filter { $0.kind == "Group" }.map(\.name)
            #expect(groups == [Array("K8s-admins".utf8), Array("system:masters".utf8)], "\(arguments)")
        }
    }

    @Test("the reader keeps both accounts; the database answers as the dump does")
    func importKeepsBothSpellingsAndAnswersTheSame() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("keyreach.db").path
        let imported = try CLI.run(["import", Self.dump, "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let serviceAccountLine = imported.stdout.split(separator: "\n").first { $0.hasPrefix("ServiceAccount ") }
        #expect(serviceAccountLine?.split(separator: " ").last == "2")

        let whoCan = try CLI.run(["who-can", "get", "secret/shop-tls", "-n", "shop", "--db", db, "-o", "json"])
        #expect(whoCan.status == 0, "\(whoCan.stderr)")
        #expect(Self.subjects(whoCan.json).filter { $0.kind == "ServiceAccount" }.map(\.name) == [Array(Self.decomposed.utf8)])
        let other = try CLI.run(["can-i", "get", "secret/shop-tls", "-n", "shop", "--as", Self.serviceAccount(Self.precomposed),
                                 "--db", db])
        #expect(other.status == 1)
    }
}
