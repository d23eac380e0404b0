import ArgumentParser
import Exposure
import Foundation
import KeyreachKit
import KubeModel
import RBAC
import Render
import SeededRandom

/// Options of the phases that read an imported database.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "The database made by `keyreach import` (or `keyreach-bench import`).")
    var db: String

    @Option(help: "The snapshot to read.")
    var snapshot = "default"

    @Option(help: "The dump the database was imported from: only its size is read, to print beside each figure.")
    var dump: String?

    /// The database opened as every read command opens it.
    func open() throws -> Workspace {
        guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("no database at \(db)") }
        return try Workspace.open(SnapshotSource(database: db, snapshot: snapshot))
    }

    var dumpBytes: Int? { dump.flatMap(ProcessFigures.fileSize) }
}

/// `keyreach-bench derive --db DB`: AccessIndexer.compute alone, on a
/// snapshot loaded from the database (the load is timed apart).
struct DeriveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "derive",
        abstract: "Time loading a snapshot and computing its derived tables (median of --repeat runs).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var labels: FigureLabels

    @Option(help: "Runs of AccessIndexer.compute; the median is reported, p50/p99 over the runs too.")
    var `repeat` = 3

    func run() throws {
        let workspace = try database.open()
        let (snapshot, loading) = try Stopwatch.time { try workspace.snapshot() }
        let objects = snapshot.countsByKind.values.reduce(0, +)
        FigureOutput.emit(Figure(phase: Phase.loadSnapshot.rawValue, format: labels.format(of: database.dump),
                                 namespaces: labels.namespaces, seconds: loading, dumpBytes: database.dumpBytes,
                                 objects: objects))
        var runs: [Double] = []
        for _ in 0..<max(1, `repeat`) {
            let (derived, seconds) = Stopwatch.time { ImportPipeline.derive(snapshot) }
            precondition(derived.engineVersion == DerivedAccess.currentEngineVersion)
            runs.append(seconds)
        }
        FigureOutput.emit(Figure(phase: Phase.derive.rawValue, format: labels.format(of: database.dump),
                                 namespaces: labels.namespaces, seconds: Percentile.of(runs.sorted(), 0.5),
                                 dumpBytes: database.dumpBytes, objects: objects, latencies: runs))
        emitParts(of: snapshot)
    }

    /// The parts of AccessIndexer.compute, each timed alone (median of the
    /// runs), so a slow derived-table figure says which part to look at.
    private func emitParts(of snapshot: ClusterSnapshot) {
        func part(_ phase: Phase, _ body: () -> Int) {
            var runs: [Double] = []
            var rows = 0
            for _ in 0..<max(1, `repeat`) {
                let (count, seconds) = Stopwatch.time(body)
                rows = count
                runs.append(seconds)
            }
            FigureOutput.emit(Figure(phase: phase.rawValue, format: labels.format(of: database.dump),
                                     namespaces: labels.namespaces, seconds: Percentile.of(runs.sorted(), 0.5),
                                     dumpBytes: database.dumpBytes, objects: rows))
        }
        let roles = EffectiveRoles(snapshot.roles)
        part(.deriveRoles) { EffectiveRoles(snapshot.roles).clusterRoles.count }
        part(.deriveIdentities) { AccessIndexer.knownIdentities(snapshot).count }
        part(.deriveGrants) { AccessIndexer.secretGrants(bindings: snapshot.bindings, roles: roles).count }
        part(.deriveNodeGrants) { nodeSecretGrants(pods: snapshot.pods).count }
    }
}

/// `keyreach-bench who-can --db DB --samples N`: opens the database as the
/// CLI does (`Workspace.open`), then answers `who-can get secret/X -n NS -o json`
/// for N random existing secrets with the CLI's own call (`Workspace.whoCanSecret`,
/// an SQL lookup on a database) and its JSON rendering.
struct WhoCanLatencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "who-can",
        abstract: "Time opening a database as the CLI does, then p50/p99 of who-can for random secrets.",
        discussion: """
        The open figure is what every `keyreach who-can --db` call pays before answering \
        (Workspace.open); the lookup figure is one answer after that: Workspace.whoCanSecret \
        and its JSON rendering. The secrets are picked from the snapshot, loaded apart.
        """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var labels: FigureLabels

    @Option(help: "How many secrets to ask about.")
    var samples = 1000

    @Option(help: "Seed for picking the secrets.")
    var seed: UInt64 = 1

    @Option(help: "Also write the first 20 secrets picked, one `NAMESPACE NAME` line each, to this file (bench/run asks the CLI about them).")
    var pickedSecrets: String?

    func run() throws {
        let format = labels.format(of: database.dump)
        let (workspace, opening) = try Stopwatch.time { try database.open() }
        let secrets = try workspace.secretRefs(namespace: nil)
        FigureOutput.emit(Figure(phase: Phase.whoCanOpen.rawValue, format: format, namespaces: labels.namespaces,
                                 seconds: opening, dumpBytes: database.dumpBytes, objects: secrets.count))
        guard !secrets.isEmpty else { throw ValidationError("the snapshot has no secrets") }

        var random = SplitMix64(seed: seed)
        let picked = (0..<samples).map { _ in secrets[Int(random.next() % UInt64(secrets.count))] }
        if let pickedSecrets {
            let lines = picked.prefix(20).map { "\($0.namespace) \($0.name)\n" }.joined()
            try OutputFile.write(Array(lines.utf8), to: pickedSecrets)
        }
        var latencies: [Double] = []
        var subjects = 0
        latencies.reserveCapacity(samples)
        for ref in picked {
            let (bytes, seconds) = try Stopwatch.time {
                let answer = try workspace.whoCanSecret(verb: .get, namespace: ref.namespace, name: ref.name)
                subjects += answer.subjects.count
                return WhoCanRenderer.render(answer, as: .json)
            }
            precondition(!bytes.isEmpty)
            latencies.append(seconds)
        }
        FigureOutput.emit(Figure(phase: Phase.whoCanLookup.rawValue, format: format, namespaces: labels.namespaces,
                                 dumpBytes: database.dumpBytes, objects: subjects, latencies: latencies))
    }
}

/// `keyreach-bench exposure --db DB`: `keyreach exposure` on the database,
/// phase by phase as the CLI runs it (`Workspace.open`, the snapshot, the
/// who-can index, `Workspace.exposures`, then `ExposureRenderer` as JSON and
/// as the table), and the private-key classification alone.
struct ExposureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exposure",
        abstract: "Time `keyreach exposure` on a database: load, index, analysis, JSON and table rendering.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var labels: FigureLabels

    func run() throws {
        let format = labels.format(of: database.dump)
        func figure(_ phase: Phase, _ seconds: Double, objects: Int?, bytes: Int? = nil) {
            FigureOutput.emit(Figure(phase: phase.rawValue, format: format, namespaces: labels.namespaces,
                                     seconds: seconds, dumpBytes: database.dumpBytes, bytesHandled: bytes, objects: objects,
                                     outputBytes: bytes))
        }
        let workspace = try database.open()
        let (snapshot, loading) = try Stopwatch.time { try workspace.snapshot() }
        figure(.loadSnapshot, loading, objects: snapshot.countsByKind.values.reduce(0, +))
        let (keys, classifying) = Stopwatch.time { PrivateKeyInventory.classify(snapshot) }
        figure(.exposureClassify, classifying, objects: keys.count)
        let (derived, indexing) = try Stopwatch.time { _ = try workspace.whoCan(); return try workspace.derived() }
        figure(.exposureIndex, indexing, objects: derived.grants.count + derived.identities.count + derived.nodeGrants.count)
        let (exposures, analysing) = try Stopwatch.time {
            try workspace.keyExposures(namespace: nil, expectedHolders: ExpectedHolders())
        }
        figure(.exposureAnalyze, analysing, objects: exposures.reduce(0) { $0 + $1.readers.count + $1.expected.count })
        let (json, renderingJSON) = Stopwatch.time { ExposureRenderer.render(exposures, as: .json) }
        figure(.exposureRenderJSON, renderingJSON, objects: exposures.count, bytes: json.count)
        let (table, renderingTable) = Stopwatch.time { ExposureRenderer.render(exposures, as: .table) }
        figure(.exposureRenderTable, renderingTable, objects: exposures.count, bytes: table.count)
    }
}
