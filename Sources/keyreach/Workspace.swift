import DumpReader
import Foundation
import KubeModel
import RBAC
import Store

/// The snapshot a read command works on: in the database, or read from
/// `--dump` files into an in-memory database. The snapshot and its derived
/// access tables are loaded only when a command needs them; the derived
/// tables are computed once per snapshot and kept.
final class Workspace {
    let store: SnapshotStore
    let snapshotName: String
    private var loadedSnapshot: ClusterSnapshot?
    private var loadedDerived: DerivedAccess?

    private init(store: SnapshotStore, snapshotName: String, snapshot: ClusterSnapshot?, derived: DerivedAccess?) {
        self.store = store
        self.snapshotName = snapshotName
        loadedSnapshot = snapshot
        loadedDerived = derived
    }

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
        let snapshots = try store.snapshots()
        guard let info = snapshots.first(where: { $0.name == options.snapshot }) else {
            let names = snapshots.map(\.name)
            throw CLIError.usage("no snapshot \"\(options.snapshot)\" in \(options.db)"
                + (names.isEmpty ? "" : " (it has: \(names.joined(separator: ", ")))"))
        }
        let workspace = Workspace(store: store, snapshotName: options.snapshot, snapshot: nil, derived: nil)
        // Derived tables of an older engine are never trusted: recompute now,
        // so SQL queries see the current ones.
        if info.derivedEngineVersion != DerivedAccess.currentEngineVersion { _ = try workspace.derived() }
        return workspace
    }

    /// The whole snapshot (loaded on first use).
    func snapshot() throws -> ClusterSnapshot {
        if let loadedSnapshot { return loadedSnapshot }
        guard let snapshot = try store.loadSnapshot(named: snapshotName) else {
            throw CLIError.usage("snapshot \"\(snapshotName)\" disappeared from the database")
        }
        loadedSnapshot = snapshot
        return snapshot
    }

    /// The engine's derived access tables (loaded, or computed and saved).
    func derived() throws -> DerivedAccess {
        if let loadedDerived { return loadedDerived }
        let derived: DerivedAccess
        if let stored = try store.loadDerived(snapshot: snapshotName) {
            derived = stored
        } else {
            derived = AccessIndexer.compute(try snapshot())
            try store.saveDerived(derived, snapshot: snapshotName)
        }
        loadedDerived = derived
        return derived
    }

    /// Reads dump paths, showing progress on a terminal.
    static func readDumps(_ paths: [String]) throws -> ImportResult {
        let reader = DumpReader(progress: Console.stderrIsTerminal ? Console.showProgress : nil)
        defer { if Console.stderrIsTerminal { Console.endProgress() } }
        return try reader.read(paths.map { DumpSource.path($0) })
    }
}
