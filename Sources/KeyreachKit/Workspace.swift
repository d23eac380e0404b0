import DumpReader
import Exposure
import Foundation
import Synchronization
import KubeModel
import RBAC
import Store

/// Where a read command's snapshot comes from: a database made by
/// `keyreach import`, or dump files read into memory (`--dump`).
public struct SnapshotSource: Sendable {
    /// The database file (used when ``dumps`` is empty).
    public var database: String
    /// Dump files, directories or `-`; when not empty, the database is not read.
    public var dumps: [String]
    /// The snapshot's name in the database.
    public var snapshot: String

    public init(database: String = "keyreach.db", dumps: [String] = [], snapshot: String = "default") {
        self.database = database
        self.dumps = dumps
        self.snapshot = snapshot
    }
}

/// What the pipeline tells the person running it, on stderr in the CLI:
/// warnings about the input and progress while reading big dumps.
public struct PipelineReporter: Sendable {
    public var warn: @Sendable (String) -> Void
    /// Called while reading dumps; `nil` shows none (not a terminal).
    public var progress: (@Sendable (ReadProgress) -> Void)?
    /// Called once reading is done, when ``progress`` was shown.
    public var endProgress: @Sendable () -> Void

    public init(warn: @escaping @Sendable (String) -> Void = { _ in },
                progress: (@Sendable (ReadProgress) -> Void)? = nil,
                endProgress: @escaping @Sendable () -> Void = {}) {
        self.warn = warn
        self.progress = progress
        self.endProgress = endProgress
    }

    /// Says nothing: for tests and the benchmark.
    public static let silent = PipelineReporter()
}

/// The snapshot a read command works on: in the database, or read from
/// `--dump` files. The snapshot and its derived access tables are loaded
/// only when an answer needs them; the derived tables are computed once per
/// snapshot and kept.
///
/// With `--dump`, nothing is written to SQLite unless an answer asks SQL
/// (`query`): the other answers come from the snapshot and the derived
/// tables in memory, which tests pin equal to the SQL answers.
///
/// ```swift
/// let workspace = try Workspace.open(SnapshotSource(dumps: ["fixtures/demo/cluster.yaml"]))
/// let readers = try workspace.namespaceReaders(verb: .get, namespace: "production")
/// ```
public final class Workspace {
    public let snapshotName: String
    private var openedStore: SnapshotStore?
    private var loadedSnapshot: ClusterSnapshot?
    private var loadedDerived: DerivedAccess?
    private var loadedWhoCan: WhoCan?
    /// The snapshot's secrets, sorted, read with the derived tables.
    private var loadedSecretRefs: [ObjectRef]?
    private var loadedPrivateKeys: [PrivateKeyRecord]?
    private let dumpSource: String
    /// The dump paths read, empty for a database.
    public let dumpPaths: [String]
    /// Whether the snapshot was read from dumps rather than a database.
    public let isFromDumps: Bool

    private init(store: SnapshotStore?, snapshotName: String, snapshot: ClusterSnapshot?, dumpPaths: [String] = [],
                 dumpSource: String = "") {
        openedStore = store
        self.snapshotName = snapshotName
        loadedSnapshot = snapshot
        self.dumpPaths = dumpPaths
        self.dumpSource = dumpSource
        isFromDumps = store == nil
    }

    /// Opens the source: reads the dumps, or checks that the database and
    /// its snapshot exist (and recomputes derived tables of an older engine).
    public static func open(_ source: SnapshotSource, reporter: PipelineReporter = .silent) throws -> Workspace {
        if !source.dumps.isEmpty {
            let result = try readDumps(source.dumps, reporter: reporter)
            for warning in result.warnings { reporter.warn(warning) }
            return Workspace(store: nil, snapshotName: source.snapshot, snapshot: result.snapshot, dumpPaths: source.dumps,
                             dumpSource: source.dumps.joined(separator: " "))
        }
        guard FileManager.default.fileExists(atPath: source.database) else {
            throw KeyreachError("no database at \(source.database): run `keyreach import DUMP` first, or pass --dump FILE")
        }
        let store = try SnapshotStore(path: source.database)
        let snapshots = try store.snapshots()
        guard let info = snapshots.first(where: { $0.name == source.snapshot }) else {
            let names = snapshots.map(\.name)
            throw KeyreachError("no snapshot \"\(source.snapshot)\" in \(source.database)"
                + (names.isEmpty ? "" : " (it has: \(names.joined(separator: ", ")))"))
        }
        let workspace = Workspace(store: store, snapshotName: source.snapshot, snapshot: nil)
        // Derived tables of an older engine are never trusted: recompute now,
        // so SQL queries see the current ones.
        if info.derivedEngineVersion != DerivedAccess.currentEngineVersion { _ = try workspace.derived() }
        // The same for the private-key inventory (a database of an older keyreach has none).
        if try store.privateKeysVersion(snapshot: source.snapshot) != PrivateKeyRecord.currentInventoryVersion {
            _ = try workspace.privateKeys()
        }
        return workspace
    }

    /// Set by a process that exits right after answering (the CLI): a
    /// workspace's snapshot, derived tables and index are then left to the
    /// operating system at exit rather than freed object by object when the
    /// workspace goes away, which costs a tenth of `who-can -A`'s time on a
    /// 100k-object cluster. The database is closed either way.
    public static let leavesMemoryToExit = Atomic<Bool>(false)

    deinit {
        guard Self.leavesMemoryToExit.load(ordering: .relaxed) else { return }
        Self.leaveToExit(LeftMemory(snapshot: loadedSnapshot, derived: loadedDerived, whoCan: loadedWhoCan,
                                    privateKeys: loadedPrivateKeys))
    }

    /// Leaves `answer` to the process's exit, as a workspace leaves its
    /// snapshot (``leavesMemoryToExit``); freed here when that is off. A
    /// 100k-object cluster's key exposures take a tenth of `exposure`'s time
    /// to free reader by reader.
    public static func leaveToExit(_ answer: some Sendable) {
        guard leavesMemoryToExit.load(ordering: .relaxed) else { return }
        leftToExit.withLock { $0.append(answer) }
    }

    /// A workspace over a snapshot already in memory (tests, `suggest --verify`).
    public static func inMemory(_ snapshot: ClusterSnapshot, name: String = "default") -> Workspace {
        Workspace(store: nil, snapshotName: name, snapshot: snapshot, dumpSource: "memory")
    }

    /// The database: the file, or for `--dump` an in-memory one written on first use.
    public func store() throws -> SnapshotStore {
        if let openedStore { return openedStore }
        let store = try SnapshotStore.inMemory()
        try store.replaceSnapshot(named: snapshotName, with: try snapshot(), source: dumpSource)
        try store.saveDerived(try derived(), snapshot: snapshotName)
        try store.savePrivateKeys(try privateKeys(), snapshot: snapshotName)
        openedStore = store
        return store
    }

    /// The secrets of the snapshot in one namespace or all, sorted.
    public func secretRefs(namespace: String?) throws -> [ObjectRef] {
        let all: [ObjectRef]
        if let loadedSnapshot {
            all = loadedSnapshot.secrets.map { ObjectRef(kind: "Secret", namespace: $0.meta.namespace, name: $0.meta.name) }.sorted()
        } else if loadedDerived == nil, let openedStore {
            // Nothing loaded yet (who-can of one secret): one indexed query, not the derived tables.
            return try openedStore.secretRefs(snapshot: snapshotName, namespace: namespace)
        } else {
            _ = try derived()
            all = loadedSecretRefs ?? []
        }
        return namespace.map { namespace in all.filter { $0.namespace == namespace } } ?? all
    }

    /// The namespaces that hold a secret, by bytes (`-A` answers for each):
    /// from a loaded snapshot without listing and sorting every secret first.
    func secretNamespaces() throws -> Set<ByteString> {
        guard let loadedSnapshot else { return Set(try secretRefs(namespace: nil).map { ByteString($0.namespace) }) }
        return Set(loadedSnapshot.secrets.map { ByteString($0.meta.namespace) })
    }

    // Every load from the database reads what belongs together in one
    // transaction (the snapshot with its derived tables, or the derived
    // tables with the secrets' names), so an import committing meanwhile
    // never gives a command half of each.

    /// The whole snapshot (loaded on first use, with its derived tables).
    public func snapshot() throws -> ClusterSnapshot {
        if let loadedSnapshot { return loadedSnapshot }
        guard let (snapshot, derived) = try openedStore?.loadSnapshotWithDerived(named: snapshotName) else {
            throw KeyreachError("snapshot \"\(snapshotName)\" disappeared from the database")
        }
        loadedSnapshot = snapshot
        // Answers already computed stay with the tables they were computed from;
        // later ones use this read's.
        if loadedDerived == nil { loadedDerived = derived }
        return snapshot
    }

    /// The engine's derived access tables (loaded, or computed and saved).
    public func derived() throws -> DerivedAccess {
        if let loadedDerived { return loadedDerived }
        if loadedSnapshot == nil, let store = openedStore,
           let (derived, secrets) = try store.loadDerivedWithSecretRefs(snapshot: snapshotName) {
            loadedSecretRefs = secrets
            if let derived {
                loadedDerived = derived
                return derived
            }
        }
        // Not stored, or by an older engine: compute from the snapshot (and
        // keep the secrets' names of that same snapshot).
        let snapshot = try snapshot()
        if let loadedDerived { return loadedDerived }
        let derived = ImportPipeline.derive(snapshot)
        try openedStore?.saveDerived(derived, snapshot: snapshotName)
        // The stored "can become" graph was built over the old identities.
        try openedStore?.deleteIndirect(snapshot: snapshotName)
        loadedDerived = derived
        // Stored severities were judged on the old access: recompute them too.
        if let openedStore {
            let keys = try computePrivateKeys()
            try openedStore.savePrivateKeys(keys, snapshot: snapshotName)
            loadedPrivateKeys = keys
        }
        return derived
    }

    /// The private-key inventory as the store keeps it (loaded, or computed and saved).
    public func privateKeys() throws -> [PrivateKeyRecord] {
        if let loadedPrivateKeys { return loadedPrivateKeys }
        let keys: [PrivateKeyRecord]
        if let stored = try openedStore?.loadPrivateKeys(snapshot: snapshotName) {
            keys = stored
        } else {
            keys = try computePrivateKeys()
            try openedStore?.savePrivateKeys(keys, snapshot: snapshotName)
        }
        loadedPrivateKeys = keys
        return keys
    }

    /// Exposure's inventory and severities with the default expected holders (no allow-list).
    private func computePrivateKeys() throws -> [PrivateKeyRecord] {
        try ImportPipeline.privateKeys(try snapshot(), index: whoCan).records
    }

    /// The in-memory who-can index over the derived tables (built on first use).
    public func whoCan() throws -> WhoCan {
        if let loadedWhoCan { return loadedWhoCan }
        let whoCan = WhoCan(derived: try derived())
        loadedWhoCan = whoCan
        return whoCan
    }

    /// Reads dump paths, reporting progress only for inputs larger than
    /// ``PipelineReporter/progressThreshold`` (a small dump is read before a
    /// line would be worth drawing).
    public static func readDumps(_ paths: [String], strict: Bool = false,
                                 reporter: PipelineReporter = .silent) throws -> ImportResult {
        let shown = ProgressShown()
        let progress = reporter.progress.map { show in
            { @Sendable (progress: ReadProgress) in
                guard max(progress.totalBytes, progress.bytesRead) > PipelineReporter.progressThreshold else { return }
                shown.set()
                show(progress)
            }
        }
        let reader = DumpReader(progress: progress, strict: strict)
        defer { if shown.value { reporter.endProgress() } }
        return try reader.read(paths.map { DumpSource.path($0) })
    }
}

/// Whether a progress line was drawn (and must be cleared).
private final class ProgressShown: Sendable {
    private let shown = Mutex(false)

    func set() { shown.withLock { $0 = true } }
    var value: Bool { shown.withLock { $0 } }
}

extension PipelineReporter {
    /// Dumps larger than this (50 MB) show a progress line while read.
    public static let progressThreshold = 50_000_000
}

/// What a workspace leaves to the process's exit (``Workspace/leavesMemoryToExit``).
private struct LeftMemory: Sendable {
    var snapshot: ClusterSnapshot?
    var derived: DerivedAccess?
    var whoCan: WhoCan?
    var privateKeys: [PrivateKeyRecord]?
}

/// What was left to the process's exit (``Workspace/leaveToExit(_:)``).
private let leftToExit = Mutex<[any Sendable]>([])
