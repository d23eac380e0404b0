import ArgumentParser
import Foundation
import KeyreachKit
import KubeModel

/// `keyreach-bench end-to-end DUMP`: the phases of
/// `keyreach who-can get secrets -A --dump DUMP -o json`, in the order the
/// CLI runs them, each one the shipping stage of ``Workspace``: open (read
/// the dump), derived tables, the who-can index, then the answers rendered
/// and written namespace by namespace (`Workspace.writeNamespaceReaders`,
/// which renders on every core while it writes, so the three are one phase).
struct EndToEndCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end-to-end",
        abstract: "Time each phase of `who-can get secrets -A --dump DUMP -o json` in one process.")

    @Argument(help: "The dump file (JSON or YAML).")
    var dump: String

    @Option(help: "Where the JSON answer goes.")
    var output = "/dev/null"

    @OptionGroup var labels: FigureLabels

    func run() throws {
        let dumpBytes = ProcessFigures.fileSize(dump)
        let format = labels.format(of: dump)
        func figure(_ phase: Phase, _ seconds: Double, objects: Int? = nil, bytes: Int? = nil) {
            FigureOutput.emit(Figure(phase: phase.rawValue, format: format, namespaces: labels.namespaces,
                                     seconds: seconds, dumpBytes: dumpBytes, bytesHandled: bytes, objects: objects))
        }
        var total = 0.0
        let (workspace, read) = try Stopwatch.time { try Workspace.open(SnapshotSource(dumps: [dump])) }
        total += read
        let snapshot = try workspace.snapshot()
        figure(.endToEndRead, read, objects: snapshot.countsByKind.values.reduce(0, +), bytes: dumpBytes)

        let (derived, derivation) = try Stopwatch.time { try workspace.derived() }
        total += derivation
        figure(.endToEndDerive, derivation, objects: derived.grants.count + derived.identities.count + derived.nodeGrants.count)

        let ((), indexing) = try Stopwatch.time { _ = try workspace.whoCan() }
        total += indexing
        figure(.endToEndIndex, indexing, objects: derived.identities.count)

        let (written, answering) = try Stopwatch.time {
            let file = try OutputFile(path: output)
            try workspace.writeNamespaceReaders(verb: .get, namespace: nil, format: .json) { file.write($0) }
            return try file.close()
        }
        total += answering
        figure(.endToEndAnswers, answering, objects: try workspace.namespacesToAnswer(verb: .get).count, bytes: written)

        figure(.endToEndTotal, total, objects: snapshot.countsByKind.values.reduce(0, +), bytes: dumpBytes)
    }
}

/// `keyreach-bench import DUMP --db DB`: the phases of `keyreach import`,
/// each a stage of `ImportPipeline` (what `ImportPipeline.run` composes).
struct ImportPhasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Time each phase of `keyreach import DUMP --db DB` in one process.")

    @Argument(help: "The dump file (JSON or YAML).")
    var dump: String

    @Option(help: "The database to write (replaced if it exists).")
    var db: String

    @OptionGroup var labels: FigureLabels

    func run() throws {
        let dumpBytes = ProcessFigures.fileSize(dump)
        let format = labels.format(of: dump)
        func figure(_ phase: Phase, _ seconds: Double, objects: Int?, bytes: Int? = nil) {
            FigureOutput.emit(Figure(phase: phase.rawValue, format: format, namespaces: labels.namespaces,
                                     seconds: seconds, dumpBytes: dumpBytes, bytesHandled: bytes, objects: objects))
        }
        try DatabaseFiles.remove(db)
        var total = 0.0
        let (result, read) = try Stopwatch.time { try ImportPipeline.read([dump]) }
        total += read
        figure(.importRead, read, objects: result.objects, bytes: result.bytes)

        let (derived, derivation) = Stopwatch.time { ImportPipeline.derive(result.snapshot) }
        total += derivation
        figure(.importDerive, derivation, objects: result.objects)

        let (judged, classifying) = Stopwatch.time { ImportPipeline.privateKeys(result.snapshot, derived: derived) }
        total += classifying
        figure(.importKeys, classifying, objects: judged.records.count)

        let ((), stored) = try Stopwatch.time {
            try ImportPipeline.store(result.snapshot, derived: derived, privateKeys: judged.records, database: db,
                                     snapshot: "default", source: [dump])
        }
        total += stored
        figure(.importStore, stored, objects: result.objects + derived.grants.count + derived.identities.count
            + derived.nodeGrants.count + judged.records.count)
        figure(.importTotal, total, objects: result.objects, bytes: result.bytes)

        // What `import --indirect` adds (not in the total, which is `import`'s):
        // the graph, built last so the peak memory above is the plain import's.
        let (graph, graphing) = Stopwatch.time { ImportPipeline.indirectGraph(result.snapshot, whoCan: judged.whoCan) }
        figure(.importIndirect, graphing, objects: graph.nodes.count + graph.edges.count)
    }
}

/// Writing the answer as the CLI does (Console.write): every byte, with write(2).
final class OutputFile {
    private let descriptor: Int32
    private let path: String
    private var written = 0
    private var failure: String?

    init(path: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        self.path = path
        guard descriptor >= 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count, failure == nil {
                let n = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { failure = String(cString: strerror(errno)) } else { offset += n }
            }
        }
        written += bytes.count
    }

    /// Closes the file; the bytes written.
    func close() throws -> Int {
        Foundation.close(descriptor)
        if let failure { throw ValidationError("cannot write \(path): \(failure)") }
        return written
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let file = try OutputFile(path: path)
        file.write(bytes)
        _ = try file.close()
    }
}

/// A SQLite database and its WAL companions.
enum DatabaseFiles {
    static func remove(_ path: String) throws {
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.removeItem(atPath: file)
        }
    }
}
