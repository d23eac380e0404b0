import GRDB
import GRDBSQLite
import KubeModel

/// A prepared INSERT bound and stepped through the SQLite C API, reused for
/// every row of a table. The bulk write goes through here because binding and
/// stepping directly is several times faster than GRDB's generic
/// `StatementArguments`.
///
/// Rows go in batches: one statement inserts up to `batchSize` rows
/// (`INSERT ... SELECT * FROM (VALUES (...), (...), ...) LIMIT ?`), which
/// saves SQLite's per-statement work on every row; the LIMIT lets the last,
/// partial batch reuse the same statement. Call ``finish()`` after the last row.
struct RowInserter {
    /// Keeps the statement alive; GRDB finalizes it.
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private let columnCount: Int32
    private let batchSize: Int32
    /// The parameter bound last: row in batch × columnCount + column.
    private var column: Int32 = 0
    private var rowsInBatch: Int32 = 0
    /// Reused for every JSON column, so no String is built per value.
    private var json = JSONColumnWriter()

    init(_ db: Database, table: String, columns: [String], batchSize: Int = 32) throws {
        let row = "(" + columns.map { _ in "?" }.joined(separator: ", ") + ")"
        let rows = Array(repeating: row, count: batchSize).joined(separator: ", ")
        statement = try db.makeStatement(sql: """
            INSERT INTO \(table) (\(columns.joined(separator: ", "))) SELECT * FROM (VALUES \(rows)) LIMIT ?
            """)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        columnCount = Int32(columns.count)
        self.batchSize = Int32(batchSize)
    }

    mutating func bind(_ text: String) {
        column += 1
        var text = text
        text.withUTF8 { buffer in
            if buffer.isEmpty {
                // A NULL pointer would bind NULL, not "".
                _ = sqlite3_bind_text(handle, column, UnsafeRawPointer(emptyText.utf8Start).assumingMemoryBound(to: CChar.self), 0, nil)
            } else {
                _ = buffer.withMemoryRebound(to: CChar.self) {
                    sqlite3_bind_text(handle, column, $0.baseAddress, Int32($0.count), sqliteTransient)
                }
            }
        }
    }

    /// Binds a map as a JSON object (``JSONText/object(_:)``'s text).
    mutating func bindJSON(_ map: [String: String]) {
        if map.isEmpty { return bindStatic("{}") }
        json.reset()
        json.writeObject(map)
        bindJSONBytes()
    }

    mutating func bindJSON(_ map: ByteKeyedMap) {
        if map.isEmpty { return bindStatic("{}") }
        json.reset()
        json.writeObject(map)
        bindJSONBytes()
    }

    /// Binds a list as a JSON array (``JSONText/array(_:)``'s text).
    mutating func bindJSON(_ strings: [String]) {
        if strings.isEmpty { return bindStatic("[]") }
        json.reset()
        json.writeArray(strings)
        bindJSONBytes()
    }

    mutating func bindJSON(_ references: [OwnerReference]) {
        if references.isEmpty { return bindStatic("[]") }
        json.reset()
        json.writeOwnerReferences(references)
        bindJSONBytes()
    }

    private mutating func bindJSONBytes() {
        column += 1
        json.bytes.withUnsafeBufferPointer { buffer in
            _ = buffer.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(handle, column, $0.baseAddress, Int32($0.count), sqliteTransient)
            }
        }
    }

    /// Binds a literal; SQLite may keep the pointer, static text lives forever.
    private mutating func bindStatic(_ text: StaticString) {
        column += 1
        _ = sqlite3_bind_text(handle, column, UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self),
                              Int32(text.utf8CodeUnitCount), nil)
    }

    mutating func bind(_ text: String?) {
        if let text { bind(text) } else { bindNull() }
    }

    mutating func bind(_ integer: Int) {
        column += 1
        _ = sqlite3_bind_int64(handle, column, Int64(integer))
    }

    mutating func bind(_ integer: Int64) {
        column += 1
        _ = sqlite3_bind_int64(handle, column, integer)
    }

    mutating func bind(_ flag: Bool) { bind(flag ? 1 : 0) }

    mutating func bind(_ flag: Bool?) {
        if let flag { bind(flag) } else { bindNull() }
    }

    mutating func bindNull() {
        column += 1
        _ = sqlite3_bind_null(handle, column)
    }

    /// Ends the row bound since the last call; inserts the batch when full.
    mutating func insert() throws {
        rowsInBatch += 1
        assert(column == rowsInBatch * columnCount, "a row must bind every column")
        if rowsInBatch == batchSize { try flush() }
    }

    /// Inserts the rows of a partial last batch.
    mutating func finish() throws {
        if rowsInBatch > 0 { try flush() }
    }

    private mutating func flush() throws {
        // Parameters after the last row keep older values; LIMIT leaves them out.
        _ = sqlite3_bind_int64(handle, batchSize * columnCount + 1, Int64(rowsInBatch))
        column = 0
        rowsInBatch = 0
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: connection.map { String(cString: sqlite3_errmsg($0)) },
                                sql: statement.sql)
        }
    }
}

/// Iterates the rows of a prepared SELECT through the SQLite C API, reading
/// columns by position. The snapshot load goes through here so no Codable
/// record or GRDB `Row` is built per row.
struct RowReader {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?

    init(_ db: Database, sql: String, snapshotID: Int64) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        // Every load query filters on one parameter: the snapshot id.
        _ = sqlite3_bind_int64(handle, 1, snapshotID)
    }

    /// Advances to the next row; false when there is none.
    func next() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: sqlite3_reset(handle); return false
        case let code:
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: connection.map { String(cString: sqlite3_errmsg($0)) },
                                sql: statement.sql)
        }
    }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : text(column)
    }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }

    func optionalBool(_ column: Int32) -> Bool? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : bool(column)
    }
}

/// Finds, for child rows sorted by parent id, the position of their parent
/// in a parent list sorted by id, walking both lists once.
struct ParentCursor {
    private let ids: [Int64]
    private var position = 0

    init(ids: [Int64]) { self.ids = ids }

    mutating func index(of id: Int64) -> Int? {
        while position < ids.count, ids[position] < id { position += 1 }
        return position < ids.count && ids[position] == id ? position : nil
    }
}

private let emptyText: StaticString = ""

/// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
private var sqliteTransient: sqlite3_destructor_type {
    unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
