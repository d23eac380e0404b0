import RBAC

/// Renders a can-i decision: `yes` / `no` (like kubectl), optionally every
/// path that allowed it. JSON: `{"allowed": true, "user": ..., "groups": [...], "via": [...]}`.
public enum CanIRenderer {
    public static func render(request: ResourceRequest, decision: Decision, explain: Bool, as format: OutputFormat) -> [UInt8] {
        switch format {
        case .table, .csv, .sarif, .dot:
            var out = decision.allowed ? "yes\n" : "no\n"
            if explain {
                out += "  as user \(request.user.name.isEmpty ? "(none)" : request.user.name) in groups \(request.user.groups.joined(separator: ", "))\n"
                for path in decision.paths { out += "  \(path.explanation)\n" }
                if !decision.allowed { out += "  no binding, role or rule allows this request\n" }
            }
            return Array(out.utf8)
        case .json:
            var w = JSONWriter(pretty: true)
            describe(request, decision, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml:
            var w = YAMLWriter()
            describe(request, decision, &w)
            return w.bytes
        }
    }

    static func describe<W: StructuredWriter>(_ request: ResourceRequest, _ decision: Decision, _ w: inout W) {
        w.object { o in
            o.field("allowed", decision.allowed)
            o.field("user", request.user.name)
            o.field("groups", strings: request.user.groups)
            o.field("via") { a in
                a.array { a in for path in decision.paths { WhoCanRenderer.describe(path, &a) } }
            }
        }
    }
}
