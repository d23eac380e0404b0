import Foundation
import Testing

/// A newcomer's first hour: the README's install and build steps, its
/// examples, and `query --list`, as they are on disk and as they run.
@Suite struct NewcomerCLITests {
    static func readme() throws -> String {
        try String(contentsOf: CLI.root.appendingPathComponent("README.md"), encoding: .utf8)
    }

    @Test func readmeListsEveryPackageCIInstalls() throws {
        let ci = try String(contentsOf: CLI.root.appendingPathComponent(".ci/run"), encoding: .utf8)
        let installLine = try #require(ci.split(separator: "\n").first { $0.contains("apt-get install") })
        let packages = installLine.split(separator: " ").filter { $0.hasSuffix("-dev") || $0 == "pkg-config" }
        #expect(packages.count == 3, "\(installLine)")
        let readme = try Self.readme()
        let readmeLine = try #require(readme.split(separator: "\n").first { $0.contains("apt-get install") })
        for package in packages { #expect(readmeLine.contains(package), "README's apt line lacks \(package)") }
    }

    /// The README opens with what keyreach does, then exactly two commands: the main
    /// job on a bundled fixture, and the test command `.ci/run` runs.
    @Test func readmeOpensWithTheTwoCommands() throws {
        let readme = try Self.readme()
        let block = try #require(readme.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let commands = block.split(separator: "\n").map(String.init)
        #expect(commands.count == 2)
        #expect(commands.first?.hasPrefix("swift run -c release keyreach exposure --dump fixtures/") == true)
        #expect(commands.last == "swift test")
        let fixture = try #require(commands.first?.split(separator: " ").last.map(String.init))
        #expect(FileManager.default.fileExists(atPath: CLI.root.appendingPathComponent(fixture).path))
        let ci = try String(contentsOf: CLI.root.appendingPathComponent(".ci/run"), encoding: .utf8)
        #expect(ci.contains("\nswift test"))
    }

    @Test func readmeImportsEveryFileItsDumpStepWrites() throws {
        let readme = try Self.readme()
        let written = Set(readme.matches(#"> ([a-z-]+\.json)"#))
        #expect(written == ["cluster.json", "extras.json"])
        let importLine = try #require(readme.split(separator: "\n").first { $0.hasPrefix("keyreach import cluster.json") })
        for file in written { #expect(importLine.contains(file), "\(importLine) does not import \(file)") }
    }

    @Test func readmeSaysHowToInstallAndHowLongTheFirstBuildTakes() throws {
        let readme = try Self.readme()
        #expect(readme.contains("make install"))
        #expect(readme.contains("keyreach --version"))
        #expect(readme.contains("7 minutes"))
    }

    @Test func readmeLinksStayInTheRepository() throws {
        let readme = try Self.readme()
        for target in readme.matches(#"\]\(([^)#]+)"#) {
            #expect(!target.hasPrefix("/") && !target.hasPrefix("..") && !target.contains("://"), "link out of the repository: \(target)")
            let url = CLI.root.appendingPathComponent(target).standardizedFileURL
            #expect(url.path.hasPrefix(CLI.root.standardizedFileURL.path), "\(target)")
            #expect(FileManager.default.fileExists(atPath: url.path), "broken link: \(target)")
        }
    }

    @Test func makeInstallPutsTheBinaryUnderPrefix() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/make") else { return }
        // A dry run: the real one is a release build of several minutes.
        let run = try CLI.run(["-n", "-C", CLI.root.path, "install", "PREFIX=/opt/kr"], executable: URL(fileURLWithPath: "/usr/bin/make"))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("swift build -c release"))
        #expect(run.stdout.contains("/opt/kr/bin/keyreach"))
    }

    @Test func queryListShowsWholeFirstSentences() throws {
        let run = try CLI.run(["query", "--list"])
        #expect(run.status == 0)
        let summaries = run.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }
        #expect(!summaries.isEmpty)
        for line in summaries { #expect(line.hasSuffix("."), "cut mid-sentence: \(line)") }
        #expect(run.stdout.contains("snapshots: every stored snapshot: when and from what it was imported, how many objects it holds,"))
    }
}

extension String {
    /// The first capture group of every match of `pattern`.
    func matches(_ pattern: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(startIndex..., in: self)
        return regex.matches(in: self, range: range).compactMap { match in
            Range(match.range(at: 1), in: self).map { String(self[$0]) }
        }
    }
}
