import Foundation
import Testing

/// kubectl's habits work in keyreach: resource spellings, `TYPE NAME`,
/// attached short-option values, options before the subcommand, a version,
/// and a "did you mean" for a mistyped subcommand (exit 2).
@Suite struct KubectlHabitsCLITests {
    let demo = CLI.fixture("demo/cluster.yaml")

    /// The readers of production/app-tls, asked the canonical way.
    func canonical() throws -> Set<String> {
        let run = try CLI.run(["who-can", "get", "secret/app-tls", "-n", "production", "--dump", demo, "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        return subjectNames(run.json)
    }

    @Test(arguments: [
        ["who-can", "get", "Secret/app-tls", "-n", "production"],
        ["who-can", "get", "secrets.v1/app-tls", "-n", "production"],
        ["who-can", "get", "secret.v1./app-tls", "-n", "production"],
        ["who-can", "get", "secret", "app-tls", "-n", "production"],
        ["who-can", "get", "secrets", "app-tls", "-nproduction"],
        ["who-can", "get", "secret/app-tls", "-n=production"],
        ["who-can", "get", "secret/app-tls", "--namespace=production"],
        ["-n", "production", "who-can", "get", "secret/app-tls"],
        ["-nproduction", "who-can", "get", "secret/app-tls"],
    ])
    func kubectlSpellingsAskTheSameQuestion(arguments: [String]) throws {
        let run = try CLI.run(arguments + ["--dump", demo, "-ojson"])
        #expect(run.status == 0, "\(arguments): \(run.stderr)")
        let answer = try #require(run.json as? [String: Any], "\(arguments): \(run.stdout)")
        #expect((answer["secret"] as? [String: Any])?["name"] as? String == "app-tls")
        #expect((answer["secret"] as? [String: Any])?["namespace"] as? String == "production")
        #expect(subjectNames(answer) == (try canonical()))
        #expect(subjectNames(answer).contains("ServiceAccount production/default"))
    }

    @Test(arguments: ["-o=json", "-ojson", "--output=json"])
    func outputFlagSpellings(flag: String) throws {
        let run = try CLI.run(["can-i", "get", "secret/app-tls", "-n", "production",
                               "--as", "system:serviceaccount:production:default", flag, "--dump", demo])
        #expect(run.status == 0, "\(run.stderr)")
        #expect((run.json as? [String: Any])?["allowed"] as? Bool == true)
    }

    @Test(arguments: [
        ["who-can", "get", "pods/app-tls", "-n", "production"],
        ["who-can", "get", "secret/app-tls", "other", "-n", "production"],
        ["who-can", "get", "configmaps", "app-tls", "-n", "production"],
    ])
    func otherResourcesAreBadInput(arguments: [String]) throws {
        let run = try CLI.run(arguments + ["--dump", demo])
        #expect(run.status == 2)
        #expect(run.stderr.contains("target must name secrets"), "\(run.stderr)")
    }

    @Test func versionIsPrinted() throws {
        let run = try CLI.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3, "\(run.stdout)")
    }

    @Test(arguments: [("whocan", "who-can"), ("exposre", "exposure"), ("canI", "can-i"), ("imoprt", "import"), ("qeury", "query")])
    func mistypedSubcommandSuggestsTheRightOne(typo: String, meant: String) throws {
        let run = try CLI.run([typo, "get", "secrets", "--dump", demo])
        #expect(run.status == 2)
        #expect(run.stderr.contains("did you mean `\(meant)`?"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func unknownSubcommandListsTheCommands() throws {
        let run = try CLI.run(["frobnicate"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("who-can"), "\(run.stderr)")
    }
}
