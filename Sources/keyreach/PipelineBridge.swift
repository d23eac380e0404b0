import KeyreachKit

/// How the CLI's options and console meet the pipeline.
extension ReadOptions {
    /// The snapshot source these options name.
    var source: SnapshotSource { SnapshotSource(database: db, dumps: dump, snapshot: snapshot) }

    /// Opens the workspace, with warnings and progress on stderr.
    func openWorkspace() throws -> Workspace { try Workspace.open(source, reporter: Console.reporter) }
}

extension Console {
    /// Warnings on stderr; progress only when stderr is a terminal.
    static var reporter: PipelineReporter {
        PipelineReporter(warn: { Console.warn($0) }, progress: stderrIsTerminal ? Console.showProgress : nil,
                         endProgress: { Console.endProgress() })
    }
}
