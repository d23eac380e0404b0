import KubeModel

/// What `keyreach import` tells its user: what was stored, what was skipped
/// and why, and every warning. A view model: the pipeline fills it from
/// what the reader returned.
public struct ImportSummary: Sendable {
    public var database: String
    public var snapshot: String
    /// Files and bytes read.
    public var files: Int
    public var bytes: Int
    /// Objects stored, and objects of kinds keyreach does not need, by kind.
    public var stored: [String: Int]
    public var skipped: [String: Int]
    /// Files of a directory that held no Kubernetes object.
    public var skippedFiles: Int
    public var warnings: [String]

    public init(database: String, snapshot: String, files: Int, bytes: Int, stored: [String: Int],
                skipped: [String: Int], skippedFiles: Int, warnings: [String]) {
        self.database = database
        self.snapshot = snapshot
        self.files = files
        self.bytes = bytes
        self.stored = stored
        self.skipped = skipped
        self.skippedFiles = skippedFiles
        self.warnings = warnings
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
            o.field("files", s.files)
            o.field("bytes", s.bytes)
            o.field("stored") { counts(s.stored, &$0) }
            o.field("skipped") { counts(s.skipped, &$0) }
            o.field("warnings", strings: s.warnings)
            o.field("skippedFiles", s.skippedFiles)
        }
    }

    private static func counts<W: StructuredWriter>(_ counts: [String: Int], _ w: inout W) {
        w.object { o in
            for (kind, n) in counts.sorted(by: { $0.key < $1.key }) { o.field(kind, n) }
        }
    }

    static func table(_ s: ImportSummary) -> String {
        var out = "Imported \(s.files) file(s), \(s.bytes) bytes, into snapshot \"\(s.snapshot)\" of \(s.database).\n\n"
        var stored = TextTable(columns: ["KIND", "STORED"])
        for (kind, n) in s.stored.sorted(by: { $0.key < $1.key }) { stored.append([kind, String(n)]) }
        out += stored.isEmpty ? "Nothing stored: no object of a kind keyreach reads.\n" : stored.render()
        if !s.skipped.isEmpty {
            var skipped = TextTable(columns: ["SKIPPED KIND", "COUNT"])
            for (kind, n) in s.skipped.sorted(by: { $0.key < $1.key }) { skipped.append([kind, String(n)]) }
            out += "\nSkipped (keyreach does not need these kinds to decide who can read a secret):\n" + skipped.render()
        }
        if !(s.skippedFiles == 0) {
            out += "\nSkipped \(s.skippedFiles) file(s) that hold no Kubernetes object (see the warnings; --strict fails instead).\n"
        }
        if !s.warnings.isEmpty {
            out += "\nWarnings:\n" + s.warnings.map { "  \($0)\n" }.joined()
        }
        return out
    }
}
