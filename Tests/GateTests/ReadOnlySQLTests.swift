import Foundation
import KeyreachKit
import Store
import Testing

/// `keyreach sql` reads and never writes: SQLite's read-only open, query_only
/// and an authorizer each refuse a write before it runs.
@Suite struct ReadOnlySQLTests {
    /// Where a refused `VACUUM INTO` would have written a copy (in the temporary folder).
    static let copyPath = FileManager.default.temporaryDirectory.appendingPathComponent("keyreach-copy-\(getpid()).db").path

    static let refused = [
        "INSERT INTO snapshot (name, created_at, source) VALUES ('x', '', '')",
        "DELETE FROM secret",
        "UPDATE secret SET name = 'x'",
        "DROP TABLE secret",
        "CREATE TABLE stolen (value TEXT)",
        "CREATE TEMP TABLE stolen (value TEXT)",
        "ALTER TABLE secret ADD COLUMN value TEXT",
        "ATTACH DATABASE '/tmp/keyreach-attached.db' AS other",
        "DETACH DATABASE main",
        "PRAGMA writable_schema = 1",
        "PRAGMA writable_schema",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA query_only = 0",
        "SELECT load_extension('/tmp/nothing.so')",
        "BEGIN",
        "VACUUM INTO '\(copyPath)'",
        "SELECT 1; DELETE FROM secret",
        "WITH x AS (SELECT 1) DELETE FROM secret",
        "REINDEX",
        "ANALYZE",
    ]

    static func census(_ workspace: Workspace) throws -> [[String?]] {
        try workspace.sql("""
            SELECT (SELECT count(*) FROM secret), (SELECT count(*) FROM snapshot), (SELECT count(*) FROM sqlite_master)
            """).rows
    }

    @Test(arguments: refused) func refusedOnADumpInMemory(_ statement: String) throws {
        let workspace = try Fixture.workspace("demo/cluster.yaml")
        let before = try Self.census(workspace)
        #expect(throws: StoreError.self) { try workspace.sql(statement) }
        #expect(try Self.census(workspace) == before)
        #expect(!FileManager.default.fileExists(atPath: Self.copyPath))
    }

    @Test func refusedOnADatabaseFileAndTheFileIsUnchanged() throws {
        let directory = try Fixture.temporaryDirectory()
        let database = directory.appendingPathComponent("keyreach.db").path
        _ = try ImportPipeline.run(dumps: [Fixture.path("demo/cluster.yaml")], database: database, snapshot: "default")
        let workspace = try Workspace.open(SnapshotSource(database: database))
        let before = try Self.census(workspace)
        for statement in Self.refused {
            #expect(throws: StoreError.self, "\(statement)") { try workspace.sql(statement) }
        }
        #expect(try Self.census(workspace) == before)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("keyreach-attached.db").path))
    }

    @Test func refusalsSayWhat() throws {
        let workspace = try Fixture.workspace("demo/cluster.yaml")
        #expect(throws: StoreError.notReadOnly("refused DELETE from secret")) { try workspace.sql("DELETE FROM secret") }
        #expect(throws: StoreError.notReadOnly("refused ATTACH")) { try workspace.sql("ATTACH 'x.db' AS x") }
        #expect(throws: StoreError.notReadOnly("refused PRAGMA writable_schema")) { try workspace.sql("PRAGMA writable_schema = 1") }
        #expect(throws: StoreError.notReadOnly("give one statement at a time")) { try workspace.sql("SELECT 1; SELECT 2") }
    }

    @Test func readsWorkAndKeepTheirTypes() throws {
        let workspace = try Fixture.workspace("demo/cluster.yaml")
        let result = try workspace.sql("SELECT count(*) AS n, 0.5 AS half, NULL AS missing, 'text' AS word, x'00ff' AS bytes FROM private_key")
        #expect(result.columns == ["n", "half", "missing", "word", "bytes"])
        #expect(result.values == [[.integer(2), .real(0.5), .null, .text("text"), .blob([0, 255])]])
        // Reading pragmas, CTEs, views and json functions are reads.
        #expect(try workspace.sql("PRAGMA table_info(private_key)").rows.count == 13)  // v6 added key_id, copy_via
        #expect(try workspace.sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i FROM n").rows
                == [["1"], ["2"], ["3"]])
        #expect(try workspace.sql("SELECT count(*) FROM read_access WHERE identity_name = 'default'").rows == [["1"]])
    }
}
