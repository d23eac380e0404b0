import ArgumentParser
import Foundation

/// `keyreach-bench`: runs one phase of keyreach in-process on a dump or an
/// imported database and prints its figures as JSON lines (issue 5).
/// `bench/run` runs one process per phase, so each peak RSS is that phase's.
@main
struct KeyreachBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keyreach-bench",
        abstract: "Measure keyreach's phases in-process; print one JSON line per figure.",
        discussion: """
        Each subcommand runs in a process of its own and prints figures as JSON lines on \
        standard output: phase, seconds, MB/s, objects/s, p50/p99 ms, peak RSS (VmHWM, KiB), \
        cores, dump bytes. `report` turns collected lines into the table bench/run prints.
        Build in release mode: debug figures mean nothing.

        Examples:
          keyreach-bench end-to-end /tmp/big.json --namespaces 2000
          keyreach-bench import /tmp/big.yaml --db /tmp/big.db
          keyreach-bench who-can --db /tmp/big.db --samples 1000
          keyreach-bench report results.jsonl
        """,
        subcommands: [
            EndToEndCommand.self,
            ImportPhasesCommand.self,
            DeriveCommand.self,
            WhoCanLatencyCommand.self,
            ExposureCommand.self,
            ReportCommand.self,
        ]
    )
}

/// Labels copied onto every figure: which dump size and format it belongs to.
struct FigureLabels: ParsableArguments {
    @Option(help: "The dump's size label (namespaces given to keyreach-gen), copied into each figure.")
    var namespaces: Int?

    @Option(help: "json or yaml; by default guessed from the dump's file extension.")
    var format: String?

    func format(of path: String?) -> String? {
        if let format { return format }
        guard let path else { return nil }
        if path.hasSuffix(".json") { return "json" }
        if path.hasSuffix(".yaml") || path.hasSuffix(".yml") { return "yaml" }
        return nil
    }
}

/// Prints figures as they are measured, one JSON line each.
enum FigureOutput {
    static func emit(_ figure: Figure) {
        // Unbuffered, so a phase that crashes later still leaves its figures.
        FileHandle.standardOutput.write(Data((figure.jsonLine + "\n").utf8))
    }
}
