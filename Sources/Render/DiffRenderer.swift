import Exposure
import Gate
import KubeModel

/// Renders `keyreach diff`: JSON/YAML
/// `{"from", "to", "keysAdded", "keysRemoved", "readersGained", "readersLost", "severityChanges"}`,
/// or a table of one line per change.
public enum DiffRenderer {
    public static func render(_ diff: ExposureDiff, from: String, to: String, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table, .sarif, .dot:
            return Array((diff.isEmpty ? "no change in key exposure from \(from) to \(to)\n" : table(diff).render()).utf8)
        case .csv:
            return table(diff).csv()
        case .json:
            var w = JSONWriter(pretty: true)
            describe(diff, from: from, to: to, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml:
            var w = YAMLWriter()
            describe(diff, from: from, to: to, &w)
            return w.bytes
        }
    }

    static func table(_ diff: ExposureDiff) -> TextTable {
        var table = TextTable(columns: ["CHANGE", "SECRET", "DETAIL"])
        func name(_ ref: ObjectRef) -> String { "\(ref.namespace)/\(ref.name)" }
        for key in diff.keysAdded { table.append(["key added", name(key.key.secret), key.severity.rawValue]) }
        for key in diff.keysRemoved { table.append(["key removed", name(key.key.secret), key.severity.rawValue]) }
        for change in diff.readersGained {
            table.append(["reader gained", name(change.secret), reader(change) + " via " + (change.reader.via.first?.explanation ?? "")])
        }
        for change in diff.readersLost {
            table.append(["reader lost", name(change.secret), reader(change)])
        }
        for change in diff.severityChanges {
            table.append(["severity", name(change.secret), "\(change.from.rawValue) -> \(change.to.rawValue)"])
        }
        return table
    }

    static func reader(_ change: ExposureDiff.ReaderChange) -> String {
        let identity = change.reader.identity
        return identity.ref.kindAndName
    }

    static func describe<W: StructuredWriter>(_ diff: ExposureDiff, from: String, to: String, _ w: inout W) {
        func keys(_ name: String, _ exposures: [KeyExposure], _ o: inout W) {
            o.field(name) { a in
                a.array { a in
                    for exposure in exposures {
                        a.object { k in
                            k.field("secret") { WhoCanRenderer.ref(exposure.key.secret, &$0) }
                            k.field("severity", exposure.severity.rawValue)
                            k.field("reasons", strings: exposure.key.reasons.map(\.description))
                            k.field("readers", exposure.readers.count)
                        }
                    }
                }
            }
        }
        func readers(_ name: String, _ changes: [ExposureDiff.ReaderChange], _ o: inout W) {
            o.field(name) { a in
                a.array { a in
                    for change in changes {
                        a.object { r in
                            r.field("secret") { WhoCanRenderer.ref(change.secret, &$0) }
                            r.field("reader") { ExposureRenderer.describe(change.reader, &$0) }
                        }
                    }
                }
            }
        }
        w.object { o in
            o.field("from", from)
            o.field("to", to)
            keys("keysAdded", diff.keysAdded, &o)
            keys("keysRemoved", diff.keysRemoved, &o)
            readers("readersGained", diff.readersGained, &o)
            readers("readersLost", diff.readersLost, &o)
            o.field("severityChanges") { a in
                a.array { a in
                    for change in diff.severityChanges {
                        a.object { c in
                            c.field("secret") { WhoCanRenderer.ref(change.secret, &$0) }
                            c.field("from", change.from.rawValue)
                            c.field("to", change.to.rawValue)
                        }
                    }
                }
            }
        }
    }
}
