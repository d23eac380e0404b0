import Foundation
import GRDB
import GRDBSQLite

/// `keyreach sql "SELECT ..."`: one ad-hoc statement on a connection of its
/// own that can only read. Three locks, each enough on its own for writes:
///
/// - SQLite opens the file read-only (`SQLITE_OPEN_READONLY`); an in-memory
///   store (`--dump`) is copied into a read-only deserialized database;
/// - `PRAGMA query_only` refuses any write;
/// - an authorizer (`sqlite3_set_authorizer`) allows reading tables, SELECT,
///   CTEs, functions other than `load_extension`, and pragmas that only read;
///   it refuses INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, ATTACH, DETACH,
///   transactions, `load_extension` and `PRAGMA writable_schema` before the
///   statement runs. Extension loading stays off (SQLite's default).
///
/// ```swift
/// let result = try ReadOnlySQL.run("SELECT count(*) FROM secret", on: store)
/// try ReadOnlySQL.run("DELETE FROM secret", on: store)   // throws StoreError.notReadOnly
/// ```
public enum ReadOnlySQL {
    /// Pragmas that take an argument and only read.
    static let readingPragmasWithArgument: Set<String> = [
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    ]
    /// Pragmas that change something even without an argument, or undo the other locks.
    static let refusedPragmas: Set<String> = [
        "writable_schema", "wal_checkpoint", "optimize", "incremental_vacuum", "shrink_memory", "query_only",
    ]

    /// Runs one statement; throws ``StoreError/notReadOnly(_:)`` for anything but a read.
    public static func run(_ sql: String, on store: SnapshotStore) throws -> QueryResult {
        let connection = try open(store)
        defer { sqlite3_close_v2(connection) }
        guard sqlite3_exec(connection, "PRAGMA query_only = 1", nil, nil, nil) == SQLITE_OK else {
            throw StoreError.sql(message(connection))
        }
        let refusal = Refusal()
        let box = Unmanaged.passRetained(refusal)
        defer { box.release() }
        sqlite3_set_authorizer(connection, authorize, box.toOpaque())

        var statement: OpaquePointer?
        // What follows the first statement; the tail pointer lives only as long as the C string.
        var remainder = ""
        let code = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(connection, text, -1, &statement, &tail)
            if let tail { remainder = String(cString: tail) }
            return code
        }
        defer { sqlite3_finalize(statement) }
        if let refused = refusal.action { throw StoreError.notReadOnly("refused \(refused)") }
        guard code == SQLITE_OK else { throw StoreError.sql(message(connection)) }
        if !remainder.allSatisfy({ $0.isWhitespace || $0 == ";" }) {
            throw StoreError.notReadOnly("give one statement at a time")
        }
        guard let statement else { throw StoreError.notReadOnly("no statement given") }
        guard sqlite3_stmt_readonly(statement) != 0 else { throw StoreError.notReadOnly("the statement writes") }

        let count = sqlite3_column_count(statement)
        let columns = (0..<count).map { String(cString: sqlite3_column_name(statement, $0)) }
        var rows: [[QueryValue]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw StoreError.sql(message(connection)) }
            rows.append((0..<count).map { value(statement, $0) })
        }
        return QueryResult(columns: columns, values: rows)
    }

    private static func open(_ store: SnapshotStore) throws -> OpaquePointer {
        var connection: OpaquePointer?
        if let path = store.path {
            guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let connection else {
                defer { sqlite3_close_v2(connection) }
                throw StoreError.cannotOpen(path: path, reason: connection.map(message) ?? "out of memory")
            }
            return connection
        }
        // An in-memory store: copy its pages into a read-only database of this connection.
        var size: sqlite3_int64 = 0
        let pages = try store.dbQueue.read { db in sqlite3_serialize(db.sqliteConnection, "main", &size, 0) }
        guard let pages else { throw StoreError.sql("cannot copy the in-memory database") }
        guard sqlite3_open_v2(":memory:", &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let connection else {
            sqlite3_free(pages)
            throw StoreError.sql("cannot open a read-only copy")
        }
        let flags = UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY)
        guard sqlite3_deserialize(connection, "main", pages, size, size, flags) == SQLITE_OK else {
            defer { sqlite3_close_v2(connection) }
            throw StoreError.sql(message(connection))
        }
        return connection
    }

    private static func value(_ statement: OpaquePointer, _ column: Int32) -> QueryValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, column)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    private static func message(_ connection: OpaquePointer) -> String { String(cString: sqlite3_errmsg(connection)) }

    /// The first action the authorizer refused, to name it in the error.
    final class Refusal {
        var action: String?
    }

    /// The authorizer: what a plain read needs, nothing else.
    private static let authorize: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?,
                                                   UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32 = {
        context, action, first, second, _, _ in
        let first = first.map { String(cString: $0) }
        let second = second.map { String(cString: $0) }
        let refused: String?
        switch action {
        case SQLITE_READ, SQLITE_SELECT, SQLITE_RECURSIVE:
            refused = nil
        case SQLITE_FUNCTION:
            refused = second?.lowercased() == "load_extension" ? "load_extension()" : nil
        case SQLITE_PRAGMA:
            let name = (first ?? "").lowercased()
            if refusedPragmas.contains(name) {
                refused = "PRAGMA \(name)"
            } else if second != nil, !readingPragmasWithArgument.contains(name) {
                refused = "PRAGMA \(name) = \(second ?? "")"
            } else {
                refused = nil
            }
        case SQLITE_INSERT: refused = "INSERT into \(first ?? "")"
        case SQLITE_UPDATE: refused = "UPDATE of \(first ?? "")"
        case SQLITE_DELETE: refused = "DELETE from \(first ?? "")"
        case SQLITE_ATTACH: refused = "ATTACH"
        case SQLITE_DETACH: refused = "DETACH"
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT: refused = "transactions"
        default: refused = "statements that change the schema (CREATE, DROP, ALTER, REINDEX, ANALYZE, VACUUM)"
        }
        guard let refused else { return SQLITE_OK }
        if let context {
            let refusal = Unmanaged<Refusal>.fromOpaque(context).takeUnretainedValue()
            if refusal.action == nil { refusal.action = refused }
        }
        return SQLITE_DENY
    }
}
