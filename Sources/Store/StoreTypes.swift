import Foundation

/// One stored snapshot as `keyreach import` left it: for `snapshots()` and
/// the `snapshots` named query.
public struct SnapshotInfo: Sendable, Hashable {
    public var name: String
    public var created: Date
    /// What was imported: the dump paths, `-` for stdin.
    public var source: String
    /// Objects per Kubernetes kind (`ClusterSnapshot.countsByKind`).
    public var objectCounts: [String: Int]
    /// The engine version of the stored derived tables, `nil` when none are stored.
    public var derivedEngineVersion: Int?

    public init(name: String, created: Date, source: String, objectCounts: [String: Int], derivedEngineVersion: Int? = nil) {
        self.name = name
        self.created = created
        self.source = source
        self.objectCounts = objectCounts
        self.derivedEngineVersion = derivedEngineVersion
    }
}

/// The answer to a read-only SQL query: column names and rows of values
/// that keep their SQLite types (an INTEGER stays a number in JSON, NULL
/// stays null), ready for any renderer.
///
/// ```swift
/// let result = try store.query(sql: "SELECT name, type FROM secret WHERE namespace = :ns", arguments: ["ns": "shop"])
/// for row in result.rows { print(row[0] ?? "", row[1] ?? "") }
/// result.values[0][0]   // .text("app-tls")
/// ```
public struct QueryResult: Sendable, Hashable {
    public var columns: [String]
    /// The rows, each value as SQLite returned it.
    public var values: [[QueryValue]]

    public init(columns: [String], values: [[QueryValue]]) {
        self.columns = columns
        self.values = values
    }

    /// The rows as text (`nil` for SQL NULL): for tables and tests.
    public var rows: [[String?]] { values.map { $0.map(\.text) } }

    /// The rows as dictionaries keyed by column name, for tests and JSON output.
    public var records: [[String: String?]] {
        rows.map { row in Dictionary(uniqueKeysWithValues: zip(columns, row)) }
    }
}

/// One value of a query result, with its SQLite storage class.
public enum QueryValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    /// A BLOB; keyreach stores none, a user's `sql` may make one (`x'00'`).
    case blob([UInt8])

    /// The value as text: numbers in decimal, a blob as lowercase hex, NULL as `nil`.
    public var text: String? {
        switch self {
        case .null: nil
        case .integer(let integer): String(integer)
        case .real(let real): String(real)
        case .text(let text): text
        case .blob(let bytes): bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        }
    }
}

/// Why the store could not do what was asked, worded for the user.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database file could not be created or opened.
    case cannotOpen(path: String, reason: String)
    /// The database was written by a newer keyreach.
    case newerSchema(path: String)
    /// `saveDerived` named a snapshot that is not stored.
    case noSuchSnapshot(String)
    /// A stored value keyreach cannot read back.
    case corrupt(String)
    /// `keyreach sql` was given a statement that is not a plain read.
    case notReadOnly(String)
    /// SQLite rejected a statement (syntax, unknown table...).
    case sql(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open database \(path): \(reason)"
        case .newerSchema(let path):
            return "database \(path) was written by a newer keyreach; upgrade keyreach or use another --db file"
        case .noSuchSnapshot(let name):
            return "no snapshot named \(name); run `keyreach import DUMP --snapshot \(name)` first"
        case .corrupt(let detail):
            return "the database holds a value keyreach cannot read (\(detail)); re-import the dump"
        case .notReadOnly(let detail):
            return "keyreach sql only reads: \(detail)"
        case .sql(let message):
            return "SQL error: \(message)"
        }
    }
}
