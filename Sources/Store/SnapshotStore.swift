import Foundation
import GRDB
import KubeModel

/// The SQLite database of snapshots: typed rows of every object of a cluster
/// dump (never a secret value), several snapshots by name, and the engine's
/// derived tables beside each one.
///
/// ```swift
/// let store = try SnapshotStore(path: "keyreach.db")
/// try store.replaceSnapshot(named: "default", with: snapshot, source: "dump.json")
/// let again = try store.loadSnapshot(named: "default")   // == snapshot
/// let result = try store.query(sql: "SELECT namespace, name FROM secret", arguments: [:])
/// ```
///
/// A file database is created readable by its owner only (mode 0600; SQLite
/// gives its `-wal` and `-shm` files the same mode) and runs in WAL mode.
/// Every write is one transaction: when it fails, or the process is killed,
/// the database holds exactly what it held before.
public final class SnapshotStore: Sendable {
    let dbQueue: DatabaseQueue
    /// The database file, `nil` for an in-memory store.
    public let path: String?

    /// Opens the database at `path`, creating it (mode 0600) when absent, and
    /// migrates it to the current schema.
    public init(path: String) throws {
        try Self.createOwnerOnlyFile(at: path)
        var configuration = Configuration()
        configuration.journalMode = .wal
        // Readers (who-can, exposure) and an import can open the same file at
        // once: wait for a lock rather than fail with "database is locked".
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // NORMAL is safe in WAL mode: a crash loses at most the last
            // commit, never consistency. A 16 MB page cache (SQLite's default
            // is 2 MB) spills a million-row import's pages less often; 64 MB
            // was no faster and added 60 MB to a big import's peak memory.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384")
        }
        do {
            dbQueue = try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
        self.path = path
        try Self.migrate(dbQueue, path: path)
    }

    private init(memory dbQueue: DatabaseQueue) throws {
        self.dbQueue = dbQueue
        path = nil
        try Self.migrate(dbQueue, path: ":memory:")
    }

    /// A private database in memory, for `--dump` mode and tests.
    public static func inMemory() throws -> SnapshotStore {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        return try SnapshotStore(memory: DatabaseQueue(configuration: configuration))
    }

    /// The schema version (`PRAGMA user_version`).
    public func schemaVersion() throws -> Int {
        try dbQueue.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    // MARK: Snapshots

    /// Stores `snapshot` under `name`, replacing any snapshot of that name
    /// (and its derived tables), in one transaction. Returns the number of
    /// rows written.
    @discardableResult
    public func replaceSnapshot(named name: String, with snapshot: ClusterSnapshot, source: String) throws -> Int {
        try replaceSnapshot(named: name, with: snapshot, source: source, afterTable: { _ in })
    }

    /// Stores `snapshot` under `name` with its derived tables, in one
    /// transaction: a reader sees the previous snapshot or this one, never
    /// this one without its derived tables.
    @discardableResult
    public func replaceSnapshot(named name: String, with snapshot: ClusterSnapshot, source: String,
                                derived: DerivedAccess, privateKeys: [PrivateKeyRecord]? = nil,
                                indirect: IndirectGraphRecord? = nil) throws -> Int {
        try writeInBulk { db in
            let rows = try Self.writeSnapshot(db, name: name, snapshot: snapshot, source: source, afterTable: { _ in })
            try Self.writeDerived(db, derived, snapshot: name)
            if let privateKeys { try Self.writePrivateKeys(db, privateKeys, snapshot: name) }
            if let indirect { try Self.writeIndirect(db, indirect, snapshot: name) }
            return rows
        }
    }

    /// `replaceSnapshot` with a hook called after each table is written, so
    /// tests can fail an import halfway.
    func replaceSnapshot(named name: String, with snapshot: ClusterSnapshot, source: String,
                         afterTable: @escaping (String) throws -> Void) throws -> Int {
        try writeInBulk { db in
            try Self.writeSnapshot(db, name: name, snapshot: snapshot, source: source, afterTable: afterTable)
        }
    }

    private static func writeSnapshot(_ db: Database, name: String, snapshot: ClusterSnapshot, source: String,
                                      afterTable: @escaping (String) throws -> Void) throws -> Int {
        if let old = try snapshotID(db, name) {
            try deleteSnapshotRows(db, id: old)
        }
        // Alone in the database (a first import, `--dump`), the rows go
        // into index-free tables and the indexes are built once at the end.
        let recreateIndexes = try Int.fetchOne(db, sql: "SELECT count(*) FROM snapshot") == 0
            ? try Schema.dropIndexes(db) : []
        try db.execute(sql: "INSERT INTO snapshot (name, created_at, source) VALUES (?, ?, ?)",
                       arguments: [name, timestamp(Date()), source])
        var writer = SnapshotWriter(db: db, snapshotID: db.lastInsertedRowID, afterTable: afterTable)
        try writer.write(snapshot)
        for sql in recreateIndexes { try db.execute(sql: sql) }
        return writer.rowsWritten + 1
    }

    /// Runs `write` in one transaction with foreign key checks off. SQLite
    /// checks a foreign key on every inserted row; the writers link rows by
    /// construction, so the checks only cost time (about 15% of a bulk
    /// write). `PRAGMA foreign_keys` cannot change inside a transaction,
    /// hence the wrapping.
    private func writeInBulk<T>(_ write: (Database) throws -> T) throws -> T {
        try dbQueue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            var result: T?
            try db.inTransaction {
                result = try write(db)
                return .commit
            }
            return result!
        }
    }

    private static func deleteSnapshotRows(_ db: Database, id: Int64) throws {
        for sql in Schema.deleteSnapshotStatements {
            try db.execute(sql: sql, arguments: ["snapshot": id])
        }
    }

    /// The snapshot stored under `name`, exactly as it was stored; nil when none is.
    public func loadSnapshot(named name: String) throws -> ClusterSnapshot? {
        try dbQueue.read { db in
            guard let id = try Self.snapshotID(db, name) else { return nil }
            return try SnapshotReader(db: db, snapshotID: id).read()
        }
    }

    /// The snapshot stored under `name` and its derived tables (nil when
    /// they were computed by another engine version), read in one
    /// transaction, so an import committing meanwhile cannot mix the two.
    public func loadSnapshotWithDerived(named name: String) throws -> (snapshot: ClusterSnapshot, derived: DerivedAccess?)? {
        try dbQueue.read { db in
            guard let id = try Self.snapshotID(db, name) else { return nil }
            let snapshot = try SnapshotReader(db: db, snapshotID: id).read()
            let derived = try DerivedTables(db: db, snapshotID: id).read()
            return (snapshot, derived?.engineVersion == DerivedAccess.currentEngineVersion ? derived : nil)
        }
    }

    /// The derived tables of snapshot `name` (nil when absent or computed by
    /// another engine version) and its secrets, sorted, in one transaction.
    public func loadDerivedWithSecretRefs(snapshot name: String) throws -> (derived: DerivedAccess?, secrets: [ObjectRef])? {
        try dbQueue.read { db in
            guard let id = try Self.snapshotID(db, name) else { return nil }
            let secrets = try Row.fetchAll(db, sql: "SELECT namespace, name FROM secret WHERE snapshot_id = ? ORDER BY namespace, name",
                                           arguments: [id]).map { ObjectRef(kind: "Secret", namespace: $0[0], name: $0[1]) }
            return (try DerivedTables(db: db, snapshotID: id).read(), secrets)
        }
    }

    /// Removes the snapshot `name` and its derived tables; false when there was none.
    @discardableResult
    public func deleteSnapshot(named name: String) throws -> Bool {
        try writeInBulk { db in
            guard let id = try Self.snapshotID(db, name) else { return false }
            try Self.deleteSnapshotRows(db, id: id)
            return true
        }
    }

    /// Every stored snapshot, by name.
    public func snapshots() throws -> [SnapshotInfo] {
        try dbQueue.read { db in
            var counts: [Int64: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT snapshot_id, kind, count FROM snapshot_kind_count") {
                counts[row[0], default: [:]][row[1]] = row[2]
            }
            return try Row.fetchAll(db, sql: """
                SELECT s.id, s.name, s.created_at, s.source, d.engine_version
                FROM snapshot s LEFT JOIN derived_meta d ON d.snapshot_id = s.id
                ORDER BY s.name
                """).map { row in
                let created: String = row[2]
                return SnapshotInfo(name: row[1], created: (try? Date(created, strategy: .iso8601)) ?? .distantPast,
                                    source: row[3], objectCounts: counts[row[0]] ?? [:], derivedEngineVersion: row[4])
            }
        }
    }

    // MARK: Derived access

    /// Stores the engine's output for the snapshot `snapshot`, replacing what
    /// was stored before, in one transaction.
    public func saveDerived(_ derived: DerivedAccess, snapshot name: String) throws {
        try writeInBulk { db in try Self.writeDerived(db, derived, snapshot: name) }
    }

    private static func writeDerived(_ db: Database, _ derived: DerivedAccess, snapshot name: String) throws {
        guard let id = try snapshotID(db, name) else { throw StoreError.noSuchSnapshot(name) }
        let tables = DerivedTables(db: db, snapshotID: id)
        try tables.delete()
        // As for snapshots: the first derived tables are written index-free.
        let recreateIndexes = try Int.fetchOne(db, sql: "SELECT count(*) FROM derived_meta") == 0
            ? try Schema.dropIndexes(db, tables: DerivedTables.derivedTables) : []
        try tables.write(derived, computedAt: timestamp(Date()))
        for sql in recreateIndexes { try db.execute(sql: sql) }
    }

    /// The engine's stored output for `snapshot`; nil when none is stored or
    /// when another engine version computed it.
    public func loadDerived(snapshot name: String) throws -> DerivedAccess? {
        try dbQueue.read { db in
            guard let id = try Self.snapshotID(db, name) else { return nil }
            return try DerivedTables(db: db, snapshotID: id).read()
        }
    }

    // MARK: Indirect paths

    /// Stores the "can become" graph of `snapshot`, replacing what was stored before, in one transaction.
    public func saveIndirect(_ graph: IndirectGraphRecord, snapshot name: String) throws {
        try writeInBulk { db in try Self.writeIndirect(db, graph, snapshot: name) }
    }

    private static func writeIndirect(_ db: Database, _ graph: IndirectGraphRecord, snapshot name: String) throws {
        guard let id = try snapshotID(db, name) else { throw StoreError.noSuchSnapshot(name) }
        let tables = IndirectTables(db: db, snapshotID: id)
        try tables.delete()
        try tables.write(graph, computedAt: timestamp(Date()))
    }

    /// The stored graph of `snapshot`; nil when none is stored or one of another version.
    public func loadIndirect(snapshot name: String) throws -> IndirectGraphRecord? {
        try dbQueue.read { db in
            guard let id = try Self.snapshotID(db, name) else { return nil }
            return try IndirectTables(db: db, snapshotID: id).read()
        }
    }

    /// Forgets the stored graph of `snapshot` (its derived tables were recomputed).
    public func deleteIndirect(snapshot name: String) throws {
        try writeInBulk { db in
            guard let id = try Self.snapshotID(db, name) else { return }
            try IndirectTables(db: db, snapshotID: id).delete()
        }
    }

    // MARK: Private keys

    /// Stores the private-key inventory of the snapshot `snapshot`, replacing
    /// what was stored before, in one transaction.
    public func savePrivateKeys(_ keys: [PrivateKeyRecord], snapshot name: String) throws {
        try writeInBulk { db in try Self.writePrivateKeys(db, keys, snapshot: name) }
    }

    private static func writePrivateKeys(_ db: Database, _ keys: [PrivateKeyRecord], snapshot name: String) throws {
        guard let id = try snapshotID(db, name) else { throw StoreError.noSuchSnapshot(name) }
        let tables = PrivateKeyTables(db: db, snapshotID: id)
        try tables.delete()
        try tables.write(keys, computedAt: timestamp(Date()))
    }

    /// The stored private-key inventory of `snapshot`, sorted by namespace and
    /// name; nil when none is stored or an older keyreach computed it.
    public func loadPrivateKeys(snapshot name: String) throws -> [PrivateKeyRecord]? {
        try dbQueue.read { db in
            guard let id = try Self.snapshotID(db, name) else { return nil }
            return try PrivateKeyTables(db: db, snapshotID: id).read()
        }
    }

    /// The inventory version stored for `snapshot`, nil when none is stored.
    public func privateKeysVersion(snapshot name: String) throws -> Int? {
        try dbQueue.read { db in
            guard let id = try Self.snapshotID(db, name) else { return nil }
            return try PrivateKeyTables(db: db, snapshotID: id).version()
        }
    }

    // MARK: Queries

    /// Runs one read-only SQL statement with named arguments (`:verb` binds
    /// `arguments["verb"]`; unused arguments are ignored). Writes fail.
    public func query(sql: String, arguments: [String: String]) throws -> QueryResult {
        try dbQueue.read { db in
            let statement = try db.makeStatement(sql: sql)
            try statement.setArguments(StatementArguments(arguments.mapValues { $0 as (any DatabaseValueConvertible)? }))
            let columns = statement.columnNames
            var rows: [[QueryValue]] = []
            let cursor = try Row.fetchCursor(statement)
            while let row = try cursor.next() {
                rows.append(row.databaseValues.map(Self.value))
            }
            return QueryResult(columns: columns, values: rows)
        }
    }

    // MARK: Helpers

    static func snapshotID(_ db: Database, _ name: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM snapshot WHERE name = ?", arguments: [name])
    }

    private static func value(_ value: DatabaseValue) -> QueryValue {
        switch value.storage {
        case .null: .null
        case .int64(let integer): .integer(integer)
        case .double(let double): .real(double)
        case .string(let string): .text(string)
        case .blob(let data): .blob(Array(data))
        }
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// Creates the database file with mode 0600 before SQLite opens it, so it
    /// is never readable by others, not even for a moment; SQLite copies this
    /// mode to the `-wal` and `-shm` files. An existing file is left as it is.
    private static func createOwnerOnlyFile(at path: String) throws {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
    }

    private static func migrate(_ dbQueue: DatabaseQueue, path: String) throws {
        let migrator = Schema.migrator
        let (superseded, complete) = try dbQueue.read { db in
            (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
        }
        if superseded { throw StoreError.newerSchema(path: path) }
        // A reader of an up-to-date database takes no write lock.
        if !complete { try migrator.migrate(dbQueue) }
    }
}

extension SnapshotStore {
    /// The secrets of a snapshot, in one namespace or all (`nil`), sorted by
    /// namespace and name: what `who-can VERB secrets` iterates over, without
    /// loading the whole snapshot.
    public func secretRefs(snapshot: String, namespace: String?) throws -> [ObjectRef] {
        var sql = "SELECT s.namespace, s.name FROM secret s JOIN snapshot n ON n.id = s.snapshot_id WHERE n.name = :snapshot"
        var arguments = ["snapshot": snapshot]
        if let namespace {
            sql += " AND s.namespace = :namespace"
            arguments["namespace"] = namespace
        }
        let result = try query(sql: sql + " ORDER BY s.namespace, s.name", arguments: arguments)
        return result.rows.map { ObjectRef(kind: "Secret", namespace: $0[0] ?? "", name: $0[1] ?? "") }
    }
}
