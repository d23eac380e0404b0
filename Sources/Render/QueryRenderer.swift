import Queries
import Store

/// Renders named queries and their results (`query`, `sql`). In JSON and
/// YAML a result is an array of objects, one per row, keyed by column name;
/// values keep their SQLite types (INTEGER and REAL are numbers, NULL is
/// `null`, a BLOB is lowercase hex text). CSV and the table print text.
public enum QueryRenderer {
    public static func render(_ result: QueryResult, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table, .sarif, .dot:
            var table = TextTable(columns: result.columns.map { $0.uppercased() })
            for row in result.rows { table.append(row.map { $0 ?? "-" }) }
            return Array((table.isEmpty ? "(no rows)\n" : table.render()).utf8)
        case .csv:
            return CSVWriter.render(columns: result.columns, rows: result.rows)
        case .json:
            var w = JSONWriter(pretty: true)
            describe(result, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml:
            var w = YAMLWriter()
            describe(result, &w)
            return w.bytes
        }
    }

    static func describe<W: StructuredWriter>(_ result: QueryResult, _ w: inout W) {
        w.array { a in
            for row in result.values {
                a.object { o in
                    for (column, value) in zip(result.columns, row) {
                        o.key(column)
                        write(value, &o)
                    }
                }
            }
        }
    }

    static func write<W: StructuredWriter>(_ value: QueryValue, _ w: inout W) {
        switch value {
        case .null: w.null()
        case .integer(let integer): w.int(Int(integer))
        case .real(let real): w.double(real)
        case .text(let text): w.string(text)
        case .blob: w.string(value.text ?? "")
        }
    }

    /// `query --list`: each query, what it answers and its parameters.
    public static func renderList(_ queries: [NamedQuery], as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table, .sarif, .dot:
            var out = ""
            for query in queries {
                out += "\(query.name): \(query.summary)\n"
                for parameter in query.parameters {
                    let fallback = parameter.defaultValue.map { " (default \"\($0)\")" } ?? " (required)"
                    out += "    --param \(parameter.name)=…  \(parameter.summary)\(fallback)\n"
                }
                for example in query.examples { out += "    example: \(example)\n" }
            }
            return Array(out.utf8)
        case .csv:
            return CSVWriter.render(columns: ["name", "summary", "parameters", "example"], rows: queries.map { query in
                [query.name, query.summary, query.parameters.map(\.name).joined(separator: " "), query.examples.first]
            })
        case .json, .yaml:
            func describe<W: StructuredWriter>(_ w: inout W) {
                w.array { a in
                    for query in queries {
                        a.object { o in
                            o.field("name", query.name)
                            o.field("summary", query.summary)
                            o.field("parameters") { p in
                                p.array { p in
                                    for parameter in query.parameters {
                                        p.object { o in
                                            o.field("name", parameter.name)
                                            o.field("summary", parameter.summary)
                                            o.field("default", parameter.defaultValue)
                                        }
                                    }
                                }
                            }
                            o.field("examples", strings: query.examples)
                        }
                    }
                }
            }
            if format == .json {
                var w = JSONWriter(pretty: true)
                describe(&w)
                return w.bytes + [UInt8(ascii: "\n")]
            }
            var w = YAMLWriter()
            describe(&w)
            return w.bytes
        }
    }
}
