import KubeModel
import RBAC
import Render

/// The output of `keyreach can-i --list`: kubectl's table (Resources,
/// Non-Resource URLs, Resource Names, Verbs) of the compacted rules, or in
/// JSON/YAML every applying rule as stored, with the binding that grants it:
/// `{"user", "groups", "namespace", "rules": [{"verbs", "apiGroups", "resources",
/// "resourceNames", "nonResourceURLs", "binding", "role", "rule", "as"}]}`.
enum CanIList {
    static func render(_ reviewed: [ReviewedRule], user: UserInfo, namespace: String, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table, .csv, .sarif, .dot:
            var table = TextTable(columns: ["Resources", "Non-Resource URLs", "Resource Names", "Verbs"])
            for rule in RulesReview.compact(reviewed.map(\.rule)) {
                table.append([RulesReview.resourceColumn(rule), goList(rule.nonResourceURLs),
                              goList(rule.resourceNames), goList(rule.verbs)])
            }
            return Array(table.render().utf8)
        case .json:
            var w = JSONWriter(pretty: true)
            describe(reviewed, user: user, namespace: namespace, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml:
            var w = YAMLWriter()
            describe(reviewed, user: user, namespace: namespace, &w)
            return w.bytes
        }
    }

    /// Go's `%v` of a string slice, as kubectl prints the columns: `[get list]`.
    static func goList(_ values: [String]) -> String { "[" + values.joined(separator: " ") + "]" }

    static func describe<W: StructuredWriter>(_ reviewed: [ReviewedRule], user: UserInfo, namespace: String, _ w: inout W) {
        w.object { o in
            o.field("user", user.name)
            o.field("groups", strings: user.groups)
            o.field("namespace", namespace)
            o.field("rules") { a in
                a.array { a in
                    for entry in reviewed {
                        a.object { r in
                            r.field("verbs", strings: entry.rule.verbs)
                            r.field("apiGroups", strings: entry.rule.apiGroups)
                            r.field("resources", strings: entry.rule.resources)
                            r.field("resourceNames", strings: entry.rule.resourceNames)
                            r.field("nonResourceURLs", strings: entry.rule.nonResourceURLs)
                            r.field("binding") { reference(entry.binding, &$0) }
                            r.field("role") { reference(entry.role, &$0) }
                            r.field("rule", entry.ruleIndex)
                            r.field("as") { s in
                                s.object { s in
                                    s.field("kind", entry.subject.kind)
                                    if !entry.subject.namespace.isEmpty { s.field("namespace", entry.subject.namespace) }
                                    s.field("name", entry.subject.name)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func reference<W: StructuredWriter>(_ ref: ObjectRef, _ w: inout W) {
        w.object { o in
            o.field("kind", ref.kind)
            if !ref.namespace.isEmpty { o.field("namespace", ref.namespace) }
            o.field("name", ref.name)
        }
    }
}
