import Foundation
import Testing

/// Every example of every help page pastes and runs: one line each, no
/// line wrapped at 80 columns, no `\` continuation, and run in a shell (in a
/// folder where fixtures/ is the repository's) it exits 0 or 1, never 2.
@Suite struct HelpExamplesCLITests {
    static let pages = [[], ["import"], ["who-can"], ["can-i"], ["exposure"], ["query"], ["sql"], ["check"], ["diff"], ["blast"]]

    /// The example lines of a help page: under "Examples" or "Ask about it".
    static func examples(_ help: String) -> [String] {
        var lines: [String] = []
        var inExamples = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Examples") || line.hasPrefix("Ask about it") { inExamples = true; continue }
            if line.isEmpty { inExamples = false }
            if inExamples { lines.append(line.trimmingCharacters(in: .whitespaces)) }
        }
        return lines
    }

    static func help(_ page: [String]) throws -> String {
        try CLI.run(["help"] + page, environment: ["COLUMNS": "80"]).stdout
    }

    @Test(arguments: pages)
    func examplesFitOnOneLine(page: [String]) throws {
        let help = try Self.help(page)
        let examples = Self.examples(help)
        #expect(!examples.isEmpty, "\(page) has no examples")
        for line in help.split(separator: "\n") where !line.hasPrefix("USAGE:") {
            #expect(line.count <= 80, "\(page): \(line)")
            #expect(!line.hasSuffix("\\"), "\(page): a continuation line: \(line)")
        }
        for example in examples {
            #expect(example.hasPrefix("keyreach ") || example.hasPrefix("kubectl ") || example.contains("="), "\(page): \(example)")
        }
    }

    @Test(arguments: pages)
    func examplesRunOnTheDemoCluster(page: [String]) throws {
        let examples = Self.examples(try Self.help(page)).filter { !$0.hasPrefix("kubectl ") }
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("fixtures"),
                                                   withDestinationURL: CLI.root.appendingPathComponent("fixtures"))
        // One shell for the page, so `SA=...` carries over; each example's status on its own line.
        let commands = examples.map { $0.components(separatedBy: "  #")[0] }  // an example's trailing comment
        let script = commands.map { "\($0) >/dev/null 2>&1; echo \"status $?\"" }.joined(separator: "\n")
        let path = CLI.binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let run = try CLI.run(["-c", script], executable: URL(fileURLWithPath: "/bin/sh"), in: dir, environment: ["PATH": path])
        let statuses = run.stdout.split(separator: "\n").map { $0.replacingOccurrences(of: "status ", with: "") }
        #expect(statuses.count == examples.count, "\(run.stdout) \(run.stderr)")
        for (example, status) in zip(examples, statuses) {
            #expect(status == "0" || status == "1", "\(page): `\(example)` exited \(status)")
        }
    }
}
