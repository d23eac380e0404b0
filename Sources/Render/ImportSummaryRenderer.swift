import DumpReader
import KubeModel

/// What `keyreach import` tells its user: what was stored, what was skipped
/// and why, and every warning.
public struct ImportSummary: Sendable {
    public var database: String
    public var snapshot: String
    public var result: ImportResult

    public init(database: String, snapshot: String, result: ImportResult) {
        self.database = database
        self.snapshot = snapshot
        self.result = result
    }
}

/// Renders an ``ImportSummary``.
///
/// JSON: `{"database", "snapshot", "files", "bytes", "stored": {"Kind": n}, "skipped": {"Kind": n}, "warnings": [...],
/// "skippedFiles": n}` (files of a directory that hold no Kubernetes object; each also has a warning).
public enum ImportSummaryRenderer {
    public static func render(_ summary: ImportSummary, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table, .csv, .sarif, .dot: return Array(table(summary).utf8)
        case .json:
            var w = JSONWriter(pretty: true)
            describe(summary, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml:
            var w = YAMLWriter()
            describe(summary, &w)
            return w.bytes
        }
    }

    static func describe<W: StructuredWriter>(_ s: ImportSummary, _ w: inout W) {
        w.object { o in
            o.field("database", s.database)
            o.field("snapshot", s.snapshot)
            o.field("files", s.result.files)
            o.field("bytes", s.result.bytes)
            o.field("stored") { counts(s.result.snapshot.countsByKind, &$0) }
            o.field("skipped") { counts(s.result.skipped, &$0) }
            o.field("warnings", strings: s.result.warnings)
            o.field("skippedFiles", s.result.skippedFiles.count)
        }
    }

    private static func counts<W: StructuredWriter>(_ counts: [String: Int], _ w: inout W) {
        w.object { o in
            for (kind, n) in counts.sorted(by: { $0.key < $1.key }) { o.field(kind, n) }
        }
    }

    static func table(_ s: ImportSummary) -> String {
        var out = "Imported \(s.result.files) file(s), \(s.result.bytes) bytes, into snapshot \"\(s.snapshot)\" of \(s.database).\n\n"
        var stored = TextTable(columns: ["KIND", "STORED"])
        for (kind, n) in s.result.snapshot.countsByKind.sorted(by: { $0.key < $1.key }) { stored.append([kind, String(n)]) }
        out += stored.isEmpty ? "Nothing stored: no object of a kind keyreach reads.\n" : stored.render()
        if !s.result.skipped.isEmpty {
            var skipped = TextTable(columns: ["SKIPPED KIND", "COUNT"])
            for (kind, n) in s.result.skipped.sorted(by: { $0.key < $1.key }) { skipped.append([kind, String(n)]) }
            out += "\nSkipped (keyreach does not need these kinds to decide who can read a secret):\n" + skipped.render()
        }
        if !s.result.skippedFiles.isEmpty {
            out += "\nSkipped \(s.result.skippedFiles.count) file(s) that hold no Kubernetes object (see the warnings; --strict fails instead).\n"
        }
        if !s.result.warnings.isEmpty {
            out += "\nWarnings:\n" + s.result.warnings.map { "  \($0)\n" }.joined()
        }
        return out
    }
}
