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

    public func render() -> String {
        var widths = columns.map { $0.count }
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                if i == cells.count - 1 {
                    out += cell
                } else {
                    out += cell + String(repeating: " ", count: widths[i] - cell.count + 2)
                }
            }
            return out
        }
        return ([line(columns)] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

/// Output formats every read command accepts with `-o`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, yaml
}
