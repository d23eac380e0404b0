import ArgumentParser
import DumpReader
import Foundation
import KubeModel
import RBAC
import Render
import Store

/// `keyreach-bench end-to-end DUMP`: the phases of
/// `keyreach who-can get secrets -A --dump DUMP -o json`, in the order the
/// CLI runs them (Workspace.open, then WhoCanCommand), one figure each.
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
        let (result, read) = try Stopwatch.time { try DumpReader().read([.path(dump)]) }
        total += read
        figure(.endToEndRead, read, objects: result.objects, bytes: result.bytes)

        // With --dump, the CLI writes no database for who-can -A: the answer
        // comes from the snapshot and the derived tables in memory.
        let (derived, derivation) = Stopwatch.time { AccessIndexer.compute(result.snapshot) }
        total += derivation
        figure(.endToEndDerive, derivation, objects: derived.grants.count + derived.identities.count + derived.nodeGrants.count)

        let ((whoCan, secrets), indexing) = Stopwatch.time {
            let whoCan = WhoCan(derived: derived)
            let existing = Set(result.snapshot.secrets.map { ObjectRef(kind: "Secret", namespace: $0.meta.namespace, name: $0.meta.name) })
            return (whoCan, existing.sorted())
        }
        total += indexing
        figure(.endToEndIndex, indexing, objects: secrets.count)

        let (answers, answering) = Stopwatch.time {
            secrets.map { secret in
                WhoCanAnswer(verb: "get", secret: secret, exists: true,
                             subjects: whoCan.subjects(verb: .get, namespace: secret.namespace, secretName: secret.name))
            }
        }
        total += answering
        figure(.endToEndAnswers, answering, objects: answers.reduce(0) { $0 + $1.subjects.count })

        let (bytes, rendering) = Stopwatch.time { WhoCanRenderer.render(answers, as: .json) }
        total += rendering
        figure(.endToEndRender, rendering, objects: answers.count)

        let ((), writing) = try Stopwatch.time { try OutputFile.write(bytes, to: output) }
        total += writing
        figure(.endToEndWrite, writing)

        figure(.endToEndTotal, total, objects: result.objects, bytes: result.bytes)
    }
}

/// `keyreach-bench import DUMP --db DB`: the phases of `keyreach import`.
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
        let (result, read) = try Stopwatch.time { try DumpReader().read([.path(dump)]) }
        total += read
        figure(.importRead, read, objects: result.objects, bytes: result.bytes)

        let (store, stored) = try Stopwatch.time {
            let store = try SnapshotStore(path: db)
            try store.replaceSnapshot(named: "default", with: result.snapshot, source: dump)
            return store
        }
        total += stored
        figure(.importStore, stored, objects: result.objects)

        let (derived, derivation) = Stopwatch.time { AccessIndexer.compute(result.snapshot) }
        total += derivation
        figure(.importDerive, derivation, objects: result.objects)

        let ((), saving) = try Stopwatch.time { try store.saveDerived(derived, snapshot: "default") }
        total += saving
        figure(.importSaveDerived, saving, objects: derived.grants.count + derived.identities.count + derived.nodeGrants.count)

        figure(.importTotal, total, objects: result.objects, bytes: result.bytes)
    }
}

/// Writing the answer as the CLI does (Console.write): every byte, with write(2).
enum OutputFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        try bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                guard written > 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
                offset += written
            }
        }
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
