/// `-o csv` for tabular answers: RFC 4180 (comma separated, CRLF line ends,
/// a field quoted when it holds a comma, a quote, CR or LF, quotes doubled),
/// a header row of column names first. SQL NULL is an empty field.
///
/// ```swift
/// CSVWriter.render(columns: ["name", "note"], rows: [["app-tls", "a, b"]])   // "name,note\r\napp-tls,\"a, b\"\r\n"
/// ```
public enum CSVWriter {
    public static func render(columns: [String], rows: [[String?]]) -> [UInt8] {
        var out: [UInt8] = []
        appendRow(columns, to: &out)
        for row in rows { appendRow(row.map { $0 ?? "" }, to: &out) }
        return out
    }

    static func appendRow(_ fields: [String], to out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendField(field, to: &out)
        }
        out.append(contentsOf: [13, 10])
    }

    static func appendField(_ field: String, to out: inout [UInt8]) {
        let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }
        guard needsQuotes else { return out.append(contentsOf: field.utf8) }
        out.append(UInt8(ascii: "\""))
        for byte in field.utf8 {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Colour for tables: only when standard output is a terminal and `NO_COLOR`
/// (https://no-color.org) is unset or empty. The CLI decides; renderers ask.
///
/// ```swift
/// let palette = Palette(enabled: Palette.shouldColour(isTerminal: isatty(1) == 1, environment: env))
/// palette.severity("critical")   // red when enabled, plain text otherwise
/// ```
public struct Palette: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    public static let plain = Palette(enabled: false)

    /// Colour on a terminal, unless `NO_COLOR` is set to anything but "".
    public static func shouldColour(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
    }

    /// A severity in its colour: critical and high red, medium yellow, low cyan.
    public func severity(_ text: String) -> String {
        guard enabled else { return text }
        let code = switch text {
        case "critical": "1;31"
        case "high": "31"
        case "medium": "33"
        case "low": "36"
        default: ""
        }
        return code.isEmpty ? text : "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
