import Queries
import Store

/// Renders named queries and their results. A result in JSON is an array
/// of objects, one per row, keyed by column name (SQL NULL is `null`).
public enum QueryRenderer {
    public static func render(_ result: QueryResult, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table:
            var table = TextTable(columns: result.columns.map { $0.uppercased() })
            for row in result.rows { table.append(row.map { $0 ?? "-" }) }
            return Array((table.isEmpty ? "(no rows)\n" : table.render()).utf8)
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
            for row in result.rows {
                a.object { o in
                    for (column, value) in zip(result.columns, row) { o.field(column, value) }
                }
            }
        }
    }

    /// `query --list`: each query, what it answers and its parameters.
    public static func renderList(_ queries: [NamedQuery], as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table:
            var out = ""
            for query in queries {
                out += "\(query.name): \(query.summary)\n"
                for parameter in query.parameters {
                    let fallback = parameter.defaultValue.map { " (default \"\($0)\")" } ?? " (required)"
                    out += "    --param \(parameter.name)=…  \(parameter.summary)\(fallback)\n"
                }
            }
            return Array(out.utf8)
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
