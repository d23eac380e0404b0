import DumpReader
import Foundation
import KubeModel
import RBAC
import Store

/// The snapshot a read command works on: in the database, or read from
/// `--dump` files into an in-memory database. The snapshot and its derived
/// access tables are loaded only when a command needs them; the derived
/// tables are computed once per snapshot and kept.
///
/// With `--dump`, the in-memory database is written only when a command
/// asks SQL (`query`, who-can of one secret): the other answers come from
/// the same snapshot and derived tables in memory, which tests pin equal
/// to the SQL answers.
final class Workspace {
    let snapshotName: String
    private var openedStore: SnapshotStore?
    private var loadedSnapshot: ClusterSnapshot?
    private var loadedDerived: DerivedAccess?
    private let dumpSource: String

    private init(store: SnapshotStore?, snapshotName: String, snapshot: ClusterSnapshot?, derived: DerivedAccess?,
                 dumpSource: String = "") {
        openedStore = store
        self.snapshotName = snapshotName
        loadedSnapshot = snapshot
        loadedDerived = derived
        self.dumpSource = dumpSource
    }

    /// The database: the file, or for `--dump` an in-memory one written on first use.
    func store() throws -> SnapshotStore {
        if let openedStore { return openedStore }
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: snapshotName, with: try snapshot(), source: dumpSource)
        try store.saveDerived(try derived(), snapshot: snapshotName)
        openedStore = store
        return store
    }

    /// The secrets of the snapshot in one namespace or all, sorted.
    func secretRefs(namespace: String?) throws -> [ObjectRef] {
        if let loadedSnapshot, openedStore == nil {
            return loadedSnapshot.secrets.lazy
                .filter { namespace == nil || $0.meta.namespace == namespace }
                .map { ObjectRef(kind: "Secret", namespace: $0.meta.namespace, name: $0.meta.name) }
                .sorted()
        }
        return try store().secretRefs(snapshot: snapshotName, namespace: namespace)
    }

    static func open(_ options: ReadOptions) throws -> Workspace {
        if !options.dump.isEmpty {
            let result = try readDumps(options.dump)
            for warning in result.warnings { Console.warn(warning) }
            // The derived tables are computed on first use: can-i needs none.
            return Workspace(store: nil, snapshotName: options.snapshot, snapshot: result.snapshot,
                             derived: nil, dumpSource: options.dump.joined(separator: " "))
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
        guard let snapshot = try openedStore?.loadSnapshot(named: snapshotName) else {
            throw CLIError.usage("snapshot \"\(snapshotName)\" disappeared from the database")
        }
        loadedSnapshot = snapshot
        return snapshot
    }

    /// The engine's derived access tables (loaded, or computed and saved).
    func derived() throws -> DerivedAccess {
        if let loadedDerived { return loadedDerived }
        let derived: DerivedAccess
        if let stored = try openedStore?.loadDerived(snapshot: snapshotName) {
            derived = stored
        } else {
            derived = AccessIndexer.compute(try snapshot())
            try openedStore?.saveDerived(derived, snapshot: snapshotName)
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
