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

    public init(verb: String, secret: ObjectRef, exists: Bool, subjects: [SubjectAccess]) {
        self.verb = verb
        self.secret = secret
        self.exists = exists
        self.subjects = subjects
    }
}

/// Renders who-can answers in the shape DESIGN.md promises scripts:
/// `{"verb", "secret": {"namespace", "name", "exists"}, "subjects": [{"kind", "namespace"?, "name", "via": [...]}]}`.
public enum WhoCanRenderer {
    /// One answer (`who-can VERB secret/NAME`): a JSON object.
    public static func render(_ answer: WhoCanAnswer, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table: return Array(table([answer]).utf8)
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
        case .table:
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

    /// The answers of `groups` groups (e.g. one per namespace) as one compact
    /// JSON array, made by `answers(g)` and written in blocks on every core,
    /// handed to `write` in order. For `who-can VERB secrets -A` on a big
    /// cluster, where writing the JSON costs as much as reading the dump.
    public static func streamJSON(groups: Int, answers: @Sendable (Int) -> [WhoCanAnswer], write: ([UInt8]) -> Void) {
        let groupsPerBlock = 32
        let blocks = (groups + groupsPerBlock - 1) / groupsPerBlock
        let blocksPerRound = 4 * max(1, ProcessInfo.processInfo.activeProcessorCount)
        write([UInt8(ascii: "[")])
        var wroteAnswer = false
        var round = 0
        while round * blocksPerRound < blocks {
            let first = round * blocksPerRound
            let last = min(blocks, first + blocksPerRound)
            let rendered = RenderedBlocks(count: last - first)
            DispatchQueue.concurrentPerform(iterations: last - first) { offset in
                let block = first + offset
                var w = JSONWriter(capacity: 1 << 18)
                for group in (block * groupsPerBlock)..<min(groups, (block + 1) * groupsPerBlock) {
                    for answer in answers(group) {
                        w.rawValue([UInt8(ascii: ",")])
                        describe(answer, &w)
                    }
                }
                rendered.set(offset, w.bytes)
            }
            // Each block starts every answer with a comma; the very first goes.
            for var bytes in rendered.all where !bytes.isEmpty {
                if !wroteAnswer { bytes.removeFirst(); wroteAnswer = true }
                write(bytes)
            }
            round += 1
        }
        write(Array("]\n".utf8))
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

    static func table(_ answers: [WhoCanAnswer]) -> String {
        var out = ""
        for (i, answer) in answers.enumerated() {
            if i > 0 { out += "\n" }
            let name = "\(answer.secret.namespace)/\(answer.secret.name)"
            out += "Who can \(answer.verb) secret \(name):"
            out += answer.exists ? "\n" : " (the secret is not in the dump; RBAC on its name applies all the same)\n"
            var table = TextTable(columns: ["KIND", "NAMESPACE", "NAME", "VIA"])
            for subject in answer.subjects {
                for (j, path) in subject.via.enumerated() {
                    let identity = subject.identity
                    table.append(j == 0
                        ? [identity.kind, identity.namespace.isEmpty ? "-" : identity.namespace, identity.name, path.explanation]
                        : ["", "", "", path.explanation])
                }
            }
            out += table.isEmpty ? "  nobody but the API server itself\n" : table.render()
        }
        return out
    }
}

/// The blocks of one parallel round, each filled by one worker.
private final class RenderedBlocks: @unchecked Sendable {
    private var blocks: [[UInt8]]
    private let lock = NSLock()

    init(count: Int) { blocks = Array(repeating: [], count: count) }

    func set(_ index: Int, _ bytes: [UInt8]) {
        lock.lock()
        blocks[index] = bytes
        lock.unlock()
    }

    var all: [[UInt8]] { blocks }
}
