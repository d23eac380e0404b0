/// The one table renderer: left-aligned columns separated by two spaces,
/// upper-case headers, like `kubectl get`.
///
/// ```swift
/// var table = TextTable(columns: ["KIND", "NAME"])
/// table.append(["ServiceAccount", "production/default"])
/// print(table.render())
/// ```
public struct TextTable: Sendable {
    public var columns: [String]
    public private(set) var rows: [[String]] = []

    public init(columns: [String]) { self.columns = columns }

    public mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a table row needs one cell per column")
        rows.append(row)
    }

    public var isEmpty: Bool { rows.isEmpty }

    public func render() -> String { render(style: nil) }

    /// The table with `style` applied to cells after padding (colour codes do
    /// not count towards column widths): `style(row, column, cell)`.
    public func render(style: ((_ row: Int, _ column: Int, _ cell: String) -> String)?) -> String {
        var widths = columns.map { $0.count }
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String], _ rowIndex: Int?) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                let styled = rowIndex.flatMap { r in style.map { $0(r, i, cell) } } ?? cell
                if i == cells.count - 1 {
                    out += styled
                } else {
                    out += styled + String(repeating: " ", count: widths[i] - cell.count + 2)
                }
            }
            return out
        }
        return ([line(columns, nil)] + rows.enumerated().map { line($1, $0) }).joined(separator: "\n") + "\n"
    }

    /// The same rows as CSV (header row: the column names).
    public func csv() -> [UInt8] { CSVWriter.render(columns: columns, rows: rows) }
}

/// Output formats read commands accept with `-o`. Every command takes
/// `table`, `json` and `yaml`; `csv` is for tabular answers (`query`, `sql`,
/// `check`) and `sarif` for `check`. A command refuses a format it does not
/// print (exit 2) before rendering; renderers that never see one print their
/// table for it.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, yaml, csv, sarif, dot

    /// What every read command prints.
    public static let structured: [OutputFormat] = [.table, .json, .yaml]
}
