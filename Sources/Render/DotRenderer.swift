import Exposure
import KubeModel
import RBAC

/// `-o dot` for Graphviz: every path as identity → binding → role → rule →
/// secret (node-authorizer paths: identity → pod → secret; the superuser:
/// identity → system:masters → secret), one node per distinct step, each edge once.
///
/// ```sh
/// keyreach who-can get secret/app-tls -n production --dump fixtures/demo/cluster.yaml -o dot | dot -Tsvg > app-tls.svg
/// ```
public enum DotRenderer {
    /// The steps of one path, from the reader to the secret; the labels the
    /// HTML report draws as boxes too.
    public static func steps(_ path: AccessPath, reader: KnownIdentity, secret: ObjectRef) -> [String] {
        let target = "Secret \(ExposureRenderer.name(secret))"
        let identity = ExposureRenderer.identityName(reader)
        switch path {
        case .superuser(let group):
            return [identity, "Group \(group) (superuser)", target]
        case .node(let access):
            return [identity, "Pod \(ExposureRenderer.name(access.pod))", "references it (\(access.source.rawValue))", target]
        case .rbac(let access):
            var first = identity
            let subject = access.subject
            if subject.kind != reader.kind || subject.name != reader.name {
                first += " as " + subject.kindAndName
            }
            let role = "\(access.role.kind) \(ExposureRenderer.name(access.role))"
            return [first, "\(access.binding.kind) \(ExposureRenderer.name(access.binding))", role,
                    "\(role) rule \(access.ruleIndex)", target]
        }
    }

    /// `who-can VERB secret/NAME -o dot`.
    public static func render(_ answer: WhoCanAnswer) -> [UInt8] {
        var graph = Graph(name: "who-can \(answer.verb) \(ExposureRenderer.name(answer.secret))")
        for subject in answer.subjects {
            for path in subject.via { graph.add(steps(path, reader: subject.identity, secret: answer.secret)) }
        }
        return Array(graph.text.utf8)
    }

    /// `exposure -o dot`: the paths of every unexpected reader of every key.
    public static func render(_ exposures: [KeyExposure]) -> [UInt8] {
        var graph = Graph(name: "exposure")
        for exposure in exposures {
            for reader in exposure.readers {
                for path in reader.via { graph.add(steps(path, reader: reader.identity, secret: exposure.key.secret)) }
            }
        }
        return Array(graph.text.utf8)
    }

    /// Nodes and edges in first-seen order, each once.
    struct Graph {
        var name: String
        var nodes: [String] = []
        var nodeIDs: [String: Int] = [:]
        var edges: [(Int, Int)] = []
        var seenEdges: Set<[Int]> = []

        init(name: String) { self.name = name }

        mutating func node(_ label: String) -> Int {
            if let id = nodeIDs[label] { return id }
            nodeIDs[label] = nodes.count
            nodes.append(label)
            return nodes.count - 1
        }

        mutating func add(_ steps: [String]) {
            let ids = steps.map { node($0) }
            for (from, to) in zip(ids, ids.dropFirst()) where seenEdges.insert([from, to]).inserted {
                edges.append((from, to))
            }
        }

        var text: String {
            var out = "digraph \(quote(name)) {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"sans-serif\"];\n"
            for (id, label) in nodes.enumerated() {
                let secret = label.hasPrefix("Secret ") ? ", style=\"rounded,filled\", fillcolor=\"#fde2e2\"" : ""
                out += "  n\(id) [label=\(quote(label))\(secret)];\n"
            }
            for (from, to) in edges { out += "  n\(from) -> n\(to);\n" }
            return out + "}\n"
        }

        /// A DOT quoted string: backslash and quote escaped, newlines as `\n`.
        func quote(_ text: String) -> String {
            var out = "\""
            for character in text {
                switch character {
                case "\\": out += "\\\\"
                case "\"": out += "\\\""
                case "\n": out += "\\n"
                default: out.append(character)
                }
            }
            return out + "\""
        }
    }
}
