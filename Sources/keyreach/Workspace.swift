import DumpReader
import Foundation
import KubeModel
import RBAC
import Store

/// The snapshot a read command works on: read from the database, or from
/// `--dump` files into an in-memory database. Derived access tables are
/// computed once per snapshot and kept.
struct Workspace {
    let store: SnapshotStore
    let snapshotName: String
    let snapshot: ClusterSnapshot
    let derived: DerivedAccess

    static func open(_ options: ReadOptions) throws -> Workspace {
        if !options.dump.isEmpty {
            let result = try readDumps(options.dump)
            for warning in result.warnings { Console.warn(warning) }
            let store = try SnapshotStore.inMemory()
            try store.replaceSnapshot(named: options.snapshot, with: result.snapshot, source: options.dump.joined(separator: " "))
            let derived = AccessIndexer.compute(result.snapshot)
            try store.saveDerived(derived, snapshot: options.snapshot)
            return Workspace(store: store, snapshotName: options.snapshot, snapshot: result.snapshot, derived: derived)
        }
        guard FileManager.default.fileExists(atPath: options.db) else {
            throw CLIError.usage("no database at \(options.db): run `keyreach import DUMP` first, or pass --dump FILE")
        }
        let store = try SnapshotStore(path: options.db)
        guard let snapshot = try store.loadSnapshot(named: options.snapshot) else {
            let names = try store.snapshots().map(\.name)
            throw CLIError.usage("no snapshot \"\(options.snapshot)\" in \(options.db)"
                + (names.isEmpty ? "" : " (it has: \(names.joined(separator: ", ")))"))
        }
        let derived: DerivedAccess
        if let stored = try store.loadDerived(snapshot: options.snapshot) {
            derived = stored
        } else {
            derived = AccessIndexer.compute(snapshot)
            try store.saveDerived(derived, snapshot: options.snapshot)
        }
        return Workspace(store: store, snapshotName: options.snapshot, snapshot: snapshot, derived: derived)
    }

    /// Reads dump paths, showing progress on a terminal.
    static func readDumps(_ paths: [String]) throws -> ImportResult {
        let reader = DumpReader(progress: Console.stderrIsTerminal ? Console.showProgress : nil)
        defer { if Console.stderrIsTerminal { Console.endProgress() } }
        return try reader.read(paths.map { DumpSource.path($0) })
    }
}
