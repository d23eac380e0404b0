import GRDB

extension SnapshotStore {
    /// SQLite's own consistency check of every table and index
    /// (`PRAGMA integrity_check`): `["ok"]` for a sound database, otherwise
    /// one line per problem found.
    public func integrityCheck() throws -> [String] {
        try dbQueue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }
}
