import ArgumentParser
import Foundation
import KeyreachKit
import Render

/// `keyreach report --html FILE [-n NS]`
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "One self-contained HTML page to read or attach to an audit.",
        discussion: """
        The page needs no network (inline CSS and SVG, a few lines of inline JS to filter and sort): \
        a summary of the keys by severity and kind, the grants that expose the most keys with \
        the change `suggest` proposes, then every critical and high key with its reasons, \
        certificate, readers (each path drawn identity → binding → role → rule → secret) and \
        workloads. The other keys are counted, so the page of a big cluster stays a few MB.

        Examples (in the repository, on the demo cluster):
          keyreach report --dump fixtures/demo/cluster.yaml --html /tmp/keyreach-report.html
          keyreach report --dump fixtures/demo/cluster.yaml -n production --html /tmp/production.html
        """)

    @Option(name: .long, help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var html: String

    @Option(name: [.customShort("n"), .long], help: "Only the keys of this namespace.")
    var namespace: String?

    @OptionGroup var options: ReadOptions

    @OptionGroup var holders: ExpectedHolderOptions

    func validate() throws {
        try options.requireFormat(in: [.table], command: "report (the page goes to --html FILE)")
    }

    func run() throws {
        try Console.run {
            let expectedHolders = try holders.expectedHolders()
            let workspace = try options.openWorkspace()
            NamespaceHint.warnIfAbsent(namespace, in: try workspace.snapshot())
            let title = options.dump.isEmpty ? "snapshot \(options.snapshot) of \(options.db)" : options.dump.joined(separator: ", ")
            let bytes = try workspace.writeHTMLReport(to: html, namespace: namespace, expectedHolders: expectedHolders, title: title)
            FileHandle.standardError.write(Data("wrote \(html) (\(bytes) bytes)\n".utf8))
        }
    }
}
