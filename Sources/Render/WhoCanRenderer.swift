import Foundation
import KubeModel
import RBAC
import Store

/// One who-can answer: a verb, a secret, and every identity allowed.
public struct WhoCanAnswer: Sendable {
    public var verb: String
    public var secret: ObjectRef
    public var exists: Bool
    public var subjects: [SubjectAccess]
    /// With `--indirect`: who can become a reader, never one of ``subjects``.
    public var indirect: [IndirectReader]?

    public init(verb: String, secret: ObjectRef, exists: Bool, subjects: [SubjectAccess], indirect: [IndirectReader]? = nil) {
        self.verb = verb
        self.secret = secret
        self.exists = exists
        self.subjects = subjects
        self.indirect = indirect
    }
}

/// Renders who-can answers in the shape DESIGN.md promises scripts:
/// `{"verb", "secret": {"namespace", "name", "exists"}, "subjects": [{"kind", "namespace"?, "name", "via": [...]}]}`.
public enum WhoCanRenderer {
    /// One answer (`who-can VERB secret/NAME`): a JSON object.
    public static func render(_ answer: WhoCanAnswer, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table, .csv, .sarif, .dot: return Array(table([answer]).utf8)
        case .json:
            var w = JSONWriter(pretty: true)
            describe(answer, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml:
            var w = YAMLWriter()
            describe(answer, &w)
            return w.bytes
        }
    }

    /// Many answers (`who-can VERB secrets`): a JSON array.
    public static func render(_ answers: [WhoCanAnswer], as format: OutputFormat) -> [UInt8] {
        var out: [UInt8] = []
        stream(answers, as: format) { out += $0 }
        return out
    }

    /// Many answers, handed to `write` in chunks of about a megabyte as they
    /// are rendered: `-A` on a big cluster is hundreds of thousands of
    /// subjects, which need never sit in memory at once. `answers` may be lazy.
    public static func stream<Answers: Sequence<WhoCanAnswer>>(_ answers: Answers, as format: OutputFormat,
                                                                write: ([UInt8]) -> Void) {
        let chunk = 1 << 20
        switch format {
        case .table, .csv, .sarif, .dot:
            var first = true
            for answer in answers {
                write(Array(((first ? "" : "\n") + table([answer])).utf8))
                first = false
            }
        case .json:
            // Compact JSON, one array.
            var w = JSONWriter(capacity: chunk + chunk / 4)
            w.beginArray()
            for answer in answers {
                describe(answer, &w)
                if w.bytes.count >= chunk { write(w.takeBytes()) }
            }
            w.endArray()
            write(w.takeBytes() + [UInt8(ascii: "\n")])
        case .yaml:
            var w = YAMLWriter()
            w.array { a in for answer in answers { describe(answer, &a) } }
            write(w.bytes)
        }
    }

    /// One item of a list of answers, to be framed by ``listFraming(_:)``:
    /// compact JSON, a one-item YAML sequence, or a table block.
    public static func renderElement(_ answer: WhoCanAnswer, as format: OutputFormat) -> [UInt8] {
        element(format, table: { table([answer]) }) { describe(answer, &$0) } yaml: { describe(answer, &$0) }
    }

    /// One namespace's answer as an item of a list (`who-can VERB secrets -A`),
    /// with `--indirect` its indirect readers.
    public static func renderElement(_ readers: NamespaceReaders, indirect: [IndirectReader]? = nil,
                                     as format: OutputFormat) -> [UInt8] {
        element(format, table: { table(readers, indirect: indirect) }) { describe(readers, indirect: indirect, &$0) }
            yaml: { describe(readers, indirect: indirect, &$0) }
    }

    /// One namespace's answer (`who-can VERB secrets -n NS`): a JSON object.
    public static func render(_ readers: NamespaceReaders, indirect: [IndirectReader]? = nil, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table, .csv, .sarif, .dot: return Array(table(readers, indirect: indirect).utf8)
        case .json:
            var w = JSONWriter(pretty: true)
            describe(readers, indirect: indirect, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml:
            var w = YAMLWriter()
            describe(readers, indirect: indirect, &w)
            return w.bytes
        }
    }

    /// What opens a list of rendered elements, goes between two, and closes it;
    /// `empty` is the whole output of a list with no element.
    public static func listFraming(_ format: OutputFormat) -> (open: [UInt8], separator: [UInt8], close: [UInt8], empty: [UInt8]) {
        switch format {
        case .json: (Array("[".utf8), Array(",".utf8), Array("]\n".utf8), Array("[]\n".utf8))
        case .yaml: ([], [], [], Array("[]\n".utf8))
        case .table, .csv, .sarif, .dot: ([], Array("\n".utf8), [], [])
        }
    }

    private static func element(_ format: OutputFormat, table: () -> String, json: (inout JSONWriter) -> Void,
                                yaml: (inout YAMLWriter) -> Void) -> [UInt8] {
        switch format {
        case .table, .csv, .sarif, .dot: return Array(table().utf8)
        case .json:
            var w = JSONWriter()
            json(&w)
            return w.bytes
        case .yaml:
            var w = YAMLWriter()
            w.array { yaml(&$0) }
            return w.bytes
        }
    }

    /// `{"verb", "namespace", "subjects": [...], "byName": {"NAME": [...]}, "indirect"?: [...]}`.
    public static func describe<W: StructuredWriter>(_ readers: NamespaceReaders, indirect: [IndirectReader]? = nil,
                                                     _ w: inout W) {
        w.object { o in
            o.field("verb", readers.verb.rawValue)
            o.field("namespace", readers.namespace)
            o.field("subjects") { a in
                a.array { a in for subject in readers.subjects { describe(subject, &a) } }
            }
            o.field("byName") { b in
                b.object { b in
                    for (name, subjects) in readers.byName {
                        b.field(name) { a in a.array { a in for subject in subjects { describe(subject, &a) } } }
                    }
                }
            }
            if let indirect { describeIndirect(indirect, &o) }
        }
    }

    public static func describe<W: StructuredWriter>(_ answer: WhoCanAnswer, _ w: inout W) {
        w.object { o in
            o.field("verb", answer.verb)
            o.field("secret") { s in
                s.object { s in
                    s.field("namespace", answer.secret.namespace)
                    s.field("name", answer.secret.name)
                    s.field("exists", answer.exists)
                }
            }
            o.field("subjects") { a in
                a.array { a in for subject in answer.subjects { describe(subject, &a) } }
            }
            if let indirect = answer.indirect { describeIndirect(indirect, &o) }
        }
    }

    /// The `"indirect"` field: `[{"kind", "namespace"?, "name", "chain": [{"step", "target", "through"?, "via"}]}]`.
    public static func describeIndirect<W: StructuredWriter>(_ readers: [IndirectReader], _ o: inout W) {
        o.field("indirect") { a in
            a.array { a in
                for reader in readers {
                    a.object { r in
                        describeIdentity(reader.identity, &r)
                        describeChain(reader.chain, &r)
                    }
                }
            }
        }
    }

    /// The `"chain"` field of an indirect reader: `[{"step", "target", "through"?, "via"}]`
    /// (`who-can --indirect` and `exposure --indirect` write the same shape).
    public static func describeChain<W: StructuredWriter>(_ chain: [ChainStep], _ r: inout W) {
        r.field("chain") { c in
            c.array { c in
                for step in chain {
                    c.object { s in
                        s.field("step", step.step.rawValue)
                        s.field("target") { ref(step.target, &$0) }
                        if let through = step.through { s.field("through") { ref(through, &$0) } }
                        s.field("via") { describe(step.via, &$0) }
                    }
                }
            }
        }
    }

    public static func describe<W: StructuredWriter>(_ subject: SubjectAccess, _ w: inout W) {
        w.object { o in
            describeIdentity(subject.identity, &o)
            o.field("via") { a in
                a.array { a in for path in subject.via { describe(path, &a) } }
            }
        }
    }

    /// The `kind`, `namespace` (ServiceAccounts only) and `name` fields of an identity.
    public static func describeIdentity<W: StructuredWriter>(_ identity: KnownIdentity, _ o: inout W) {
        o.field("kind", identity.kind)
        if !identity.namespace.isEmpty { o.field("namespace", identity.namespace) }
        o.field("name", identity.name)
    }

    public static func describe<W: StructuredWriter>(_ path: AccessPath, _ w: inout W) {
        w.object { o in
            switch path {
            case .superuser(let group):
                o.field("superuser", true)
                o.field("group", group)
            case .node(let access):
                o.field("node") { ref(ObjectRef(kind: "Node", name: access.node), &$0) }
                o.field("pod") { ref(access.pod, &$0) }
                o.field("source", access.source.rawValue)
            case .rbac(let access):
                o.field("binding") { ref(access.binding, &$0) }
                o.field("role") { ref(access.role, &$0) }
                o.field("rule", access.ruleIndex)
                o.field("as") { ref(ObjectRef(kind: access.subject.kind, namespace: access.subject.namespace,
                                              name: access.subject.name), &$0) }
            }
        }
    }

    /// `{"kind", "namespace"?, "name"}`: namespace left out when empty.
    public static func ref<W: StructuredWriter>(_ ref: ObjectRef, _ w: inout W) {
        w.object { o in
            o.field("kind", ref.kind)
            if !ref.namespace.isEmpty { o.field("namespace", ref.namespace) }
            o.field("name", ref.name)
        }
    }

    static func table(_ readers: NamespaceReaders, indirect: [IndirectReader]? = nil) -> String {
        var out = "Who can \(readers.verb.rawValue) secrets in namespace \(readers.namespace):\n"
        out += subjectsTable(readers.subjects)
        for (name, subjects) in readers.byName {
            out += "\nOnly secret \(readers.namespace)/\(name), by name:\n" + subjectsTable(subjects)
        }
        if let indirect { out += "\nWho can become a reader of every secret there (indirect):\n" + indirectTable(indirect) }
        return out
    }

    /// One row per chain step: the identity on its first, then each step,
    /// what it lands on, and the permission behind it.
    static func indirectTable(_ readers: [IndirectReader]) -> String {
        var table = TextTable(columns: ["KIND", "NAMESPACE", "NAME", "STEP", "TARGET", "VIA"])
        for reader in readers {
            for (j, step) in reader.chain.enumerated() {
                let identity = reader.identity
                let target = describeRef(step.target) + (step.through.map { " (through \(describeRef($0)))" } ?? "")
                let columns = [step.step.rawValue, target, step.via.explanation]
                table.append(j == 0
                    ? [identity.kind, identity.namespace.isEmpty ? "-" : identity.namespace, identity.name] + columns
                    : ["", "", ""] + columns)
            }
        }
        return table.isEmpty ? "  nobody\n" : table.render()
    }

    static func describeRef(_ ref: ObjectRef) -> String {
        ref.kindAndName
    }

    static func subjectsTable(_ subjects: [SubjectAccess]) -> String {
        var table = TextTable(columns: ["KIND", "NAMESPACE", "NAME", "VIA"])
        for subject in subjects {
            for (j, path) in subject.via.enumerated() {
                let identity = subject.identity
                table.append(j == 0
                    ? [identity.kind, identity.namespace.isEmpty ? "-" : identity.namespace, identity.name, path.explanation]
                    : ["", "", "", path.explanation])
            }
        }
        return table.isEmpty ? "  nobody but the API server itself\n" : table.render()
    }

    static func table(_ answers: [WhoCanAnswer]) -> String {
        var out = ""
        for (i, answer) in answers.enumerated() {
            if i > 0 { out += "\n" }
            let name = "\(answer.secret.namespace)/\(answer.secret.name)"
            out += "Who can \(answer.verb) secret \(name):"
            out += answer.exists ? "\n" : " (the secret is not in the dump; RBAC on its name applies all the same)\n"
            out += subjectsTable(answer.subjects)
            if let indirect = answer.indirect { out += "\nWho can become a reader (indirect):\n" + indirectTable(indirect) }
        }
        return out
    }
}
