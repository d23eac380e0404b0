import Exposure
import KubeModel
import TLSPosture

/// Renders `keyreach tls`: the JSON/YAML contract of DESIGN.md "Where TLS ends"
/// (an array, one object per host route) and a table, one line per host, its
/// findings under it, then the ingress controllers and their secret access.
/// `tls --controllers -o json` is the array of controllers instead.
///
/// ```json
/// {"ingress": {"kind": "Ingress", "namespace": "shop", "name": "web"}, "host": "shop.example.org",
///  "listener": null, "secret": {"namespace": "shop", "name": "shop-tls", "exists": true},
///  "certificate": {"dnsNames": [...], "notAfter": "...", ...} | null,
///  "pattern": "edge", "backendEncrypted": false, "backendVerified": false,
///  "mesh": null | "istio" | "linkerd", "meshMode": "STRICT", "controller": "ingress-nginx",
///  "routes": [], "backends": [{"service": "web", "namespace": "shop", "port": "8080", "pods": [...], "mesh": null}],
///  "findings": [{"annotation": "nginx.ingress.kubernetes.io/ssl-redirect", "value": "yes",
///                "severity": "medium", "problem": "...", "fix": "..."}]}
/// ```
public enum TLSRenderer {
    public static func render(_ report: TLSReport, as format: OutputFormat, controllersOnly: Bool = false) -> [UInt8] {
        switch format {
        case .table, .csv, .sarif, .dot:
            return Array((controllersOnly ? controllerTable(report.controllers) : table(report)).utf8)
        case .json:
            var w = JSONWriter(pretty: true)
            structured(report, controllersOnly: controllersOnly, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml:
            var w = YAMLWriter()
            structured(report, controllersOnly: controllersOnly, &w)
            return w.bytes
        }
    }

    static func structured<W: StructuredWriter>(_ report: TLSReport, controllersOnly: Bool, _ w: inout W) {
        w.array { a in
            if controllersOnly {
                for controller in report.controllers { describe(controller, &a) }
            } else {
                for route in report.routes { describe(route, &a) }
            }
        }
    }

    // MARK: - Structured (json, yaml)

    public static func describe<W: StructuredWriter>(_ route: HostRoute, _ w: inout W) {
        w.object { o in
            o.field("ingress") { WhoCanRenderer.ref(route.frontend, &$0) }
            o.field("host", route.host)
            o.field("listener", route.listener)
            o.field("secret") { s in
                if let secret = route.secret {
                    s.object { s in
                        s.field("namespace", secret.namespace)
                        s.field("name", secret.name)
                        s.field("exists", route.secretExists)
                    }
                } else {
                    s.null()
                }
            }
            o.field("certificate") { c in
                if let certificate = route.certificate { ExposureRenderer.describe(certificate, &c) } else { c.null() }
            }
            o.field("pattern", route.pattern.rawValue)
            o.field("backendEncrypted", route.backendEncrypted)
            o.field("backendVerified", route.backendVerified)
            o.field("mesh", route.mesh?.mesh)
            if let mesh = route.mesh, !mesh.mode.isEmpty {
                o.field("meshMode", mesh.mode)
                o.field("meshPolicy", mesh.policy)
            }
            o.field("controller", route.controller)
            o.field("routes", strings: route.routes)
            o.field("backends") { a in
                a.array { a in
                    for backend in route.backends {
                        a.object { b in
                            b.field("service", backend.service)
                            b.field("namespace", backend.namespace)
                            b.field("port", backend.port)
                            b.field("pods", strings: backend.pods)
                            b.field("mesh", backend.mesh?.mesh)
                            if let mesh = backend.mesh { b.field("meshEvidence", mesh.evidence) }
                        }
                    }
                }
            }
            o.field("findings") { a in a.array { a in for finding in route.findings { describe(finding, &a) } } }
        }
    }

    public static func describe<W: StructuredWriter>(_ finding: TLSFinding, _ w: inout W) {
        w.object { f in
            f.field("annotation", finding.annotation)
            f.field("value", finding.value)
            f.field("severity", finding.severity.rawValue)
            f.field("problem", finding.problem)
            f.field("fix", finding.fix)
        }
    }

    public static func describe<W: StructuredWriter>(_ controller: IngressControllerFacts, _ w: inout W) {
        w.object { o in
            o.field("controller", controller.controller)
            o.field("workload") { WhoCanRenderer.ref(controller.workload, &$0) }
            o.field("serviceAccount") { WhoCanRenderer.ref(controller.serviceAccount, &$0) }
            o.field("image", controller.image)
            o.field("ingressClass", controller.ingressClass)
            o.field("sslPassthrough", controller.sslPassthrough)
            o.field("mesh", controller.mesh)
            o.field("secretAccess") { a in
                a.array { a in
                    for access in controller.secretAccess {
                        a.object { s in
                            s.field("verb", access.verb)
                            s.field("namespace", access.scope ?? "*")
                            s.field("via", strings: access.via)
                        }
                    }
                }
            }
            o.field("explanation", controller.explanation)
        }
    }

    // MARK: - Table

    static func table(_ report: TLSReport) -> String {
        var out = ""
        if report.routes.isEmpty {
            out += "No Ingress host, Gateway listener, Istio Gateway server or IngressRoute in scope.\n"
        } else {
            var table = TextTable(columns: ["FRONTEND", "HOST", "CERTIFICATE", "PATTERN", "TO POD", "MESH", "FINDINGS"])
            for route in report.routes {
                table.append([frontend(route), route.host, certificateCell(route), route.pattern.rawValue, hopCell(route),
                              route.mesh.map { $0.mode.isEmpty ? $0.mesh : "\($0.mesh) \($0.mode)" } ?? "-",
                              String(route.findings.count)])
            }
            out += table.render()
            for route in report.routes where !route.findings.isEmpty {
                out += "\n\(frontend(route)) \(route.host):\n"
                for finding in route.findings {
                    let what = finding.annotation.map { "\($0)\(finding.value.map { "=\"\($0)\"" } ?? ""): " } ?? ""
                    out += "  \(finding.severity.rawValue.uppercased()) \(what)\(finding.problem)\n"
                    out += "    fix: \(finding.fix)\n"
                }
            }
        }
        if !report.controllers.isEmpty { out += "\n" + controllerTable(report.controllers) }
        return out
    }

    static func controllerTable(_ controllers: [IngressControllerFacts]) -> String {
        guard !controllers.isEmpty else { return "No ingress or gateway controller recognised in the dump.\n" }
        var out = "Ingress controllers:\n"
        for controller in controllers {
            let workload = controller.workload
            out += "  \(controller.controller): \(workload.kind) \(workload.namespace)/\(workload.name)"
            out += controller.image.isEmpty ? "\n" : " (\(controller.image))\n"
            if let ingressClass = controller.ingressClass { out += "    class: \(ingressClass)\n" }
            if controller.controller == "ingress-nginx" {
                out += "    ssl-passthrough: \(controller.sslPassthrough ? "enabled (--enable-ssl-passthrough)" : "off (no --enable-ssl-passthrough: ssl-passthrough annotations are ignored)")\n"
            }
            out += "    \(controller.explanation)\n"
            for access in controller.secretAccess {
                for via in access.via {
                    out += "      \(access.verb) secrets in \(access.scope ?? "every namespace"): \(via)\n"
                }
            }
        }
        return out
    }

    static func frontend(_ route: HostRoute) -> String {
        let kind = route.frontend.kind == IstioGateway.kindName ? "IstioGateway" : route.frontend.kind
        let name = "\(kind) \(route.frontend.namespace)/\(route.frontend.name)"
        return route.listener.map { "\(name):\($0)" } ?? name
    }

    static func certificateCell(_ route: HostRoute) -> String {
        guard let secret = route.secret else { return "-" }
        guard route.secretExists else { return "\(secret.name) (missing)" }
        guard let certificate = route.certificate else { return secret.name }
        return "\(secret.name) until \(certificate.notAfterISO.prefix(10))"
    }

    static func hopCell(_ route: HostRoute) -> String {
        switch (route.backendEncrypted, route.backendVerified) {
        case (true, true): "encrypted, verified"
        case (true, false): "encrypted, NOT verified"
        default: "plain text"
        }
    }
}
