import Exposure
import Gate
import KubeModel
import RBAC

/// Renders `keyreach check`: a table (or CSV) of findings, JSON/YAML, or
/// SARIF 2.1.0 for code-scanning UIs (one result per finding, located at the
/// binding that grants it, rule ids stable across runs).
public enum CheckRenderer {
    public static func render(_ report: CheckReport, as format: OutputFormat, toolVersion: String,
                              palette: Palette = .plain) -> [UInt8] {
        switch format {
        case .table, .dot:
            var out = table(report).render { _, column, cell in column == 0 ? palette.severity(cell) : cell }
            if report.findings.isEmpty { out = "no findings\n" }
            return Array((out + summary(report) + "\n").utf8)
        case .csv:
            return table(report).csv()
        case .json:
            var w = JSONWriter(pretty: true)
            describe(report, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        case .yaml:
            var w = YAMLWriter()
            describe(report, &w)
            return w.bytes
        case .sarif:
            var w = JSONWriter(pretty: true)
            sarif(report, toolVersion: toolVersion, &w)
            return w.bytes + [UInt8(ascii: "\n")]
        }
    }

    static func table(_ report: CheckReport) -> TextTable {
        let counted = Set(report.failing.map(\.fingerprint))
        var table = TextTable(columns: ["SEVERITY", "SECRET", "READER", "VERBS", "VIA", "COUNTS"])
        for finding in report.findings {
            table.append([finding.severity.rawValue, "\(finding.secret.namespace)/\(finding.secret.name)",
                          identityName(finding.reader), finding.verbs.map(\.rawValue).joined(separator: ","),
                          finding.via.first?.explanation ?? "", counted.contains(finding.fingerprint) ? "yes" : "no"])
        }
        return table
    }

    static func summary(_ report: CheckReport) -> String {
        var text = "\(report.findings.count) finding(s), \(report.failing.count) at or above \(report.failOn.rawValue)"
        if let baseline = report.baseline { text += " and new since \(baseline) (\(report.inBaseline) already there)" }
        return text + (report.fails ? ": FAIL" : ": ok")
    }

    static func identityName(_ identity: KnownIdentity) -> String {
        identity.ref.kindAndName
    }

    /// `{"failOn", "baseline", "fails", "findings": [...], "failing": n}`; each finding with `counts`.
    static func describe<W: StructuredWriter>(_ report: CheckReport, _ w: inout W) {
        let counted = Set(report.failing.map(\.fingerprint))
        w.object { o in
            o.field("failOn", report.failOn.rawValue)
            o.field("baseline", report.baseline)
            o.field("fails", report.fails)
            o.field("failing", report.failing.count)
            o.field("findings") { a in
                a.array { a in
                    for finding in report.findings {
                        a.object { o in
                            o.field("ruleId", finding.ruleID)
                            o.field("severity", finding.severity.rawValue)
                            o.field("breadth", finding.breadth.rawValue)
                            o.field("counts", counted.contains(finding.fingerprint))
                            o.field("secret") { WhoCanRenderer.ref(finding.secret, &$0) }
                            o.field("keyKind", finding.keyKind.rawValue)
                            o.field("reader") { r in r.object { WhoCanRenderer.describeIdentity(finding.reader, &$0) } }
                            o.field("verbs", strings: finding.verbs.map(\.rawValue))
                            o.field("via") { v in v.array { v in for path in finding.via { WhoCanRenderer.describe(path, &v) } } }
                            o.field("message", finding.message)
                            o.field("location") { l in
                                if let location = finding.location {
                                    l.object { l in
                                        l.field("file", location.file)
                                        l.key("line")
                                        if let line = location.line { l.int(line) } else { l.null() }
                                    }
                                } else {
                                    l.null()
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: SARIF 2.1.0

    /// SARIF levels: critical and high are errors, medium a warning, low a note.
    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    /// One run of tool `keyreach`; rules are every reader breadth (stable
    /// order, so `ruleIndex` is stable); results are the findings that count.
    static func sarif<W: StructuredWriter>(_ report: CheckReport, toolVersion: String, _ w: inout W) {
        let rules = ReaderBreadth.allCases
        w.object { o in
            o.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
            o.field("version", "2.1.0")
            o.field("runs") { runs in
                runs.array { runs in
                    runs.object { run in
                        run.field("tool") { tool in
                            tool.object { tool in
                                tool.field("driver") { driver in
                                    driver.object { d in
                                        d.field("name", "keyreach")
                                        d.field("version", toolVersion)
                                        d.field("informationUri", "https://github.com/keyreach/keyreach")
                                        d.field("rules") { r in
                                            r.array { r in
                                                for breadth in rules {
                                                    r.object { rule in
                                                        rule.field("id", CheckRule.id(breadth))
                                                        rule.field("name", breadth.rawValue)
                                                        rule.field("shortDescription") { $0.object { $0.field("text", CheckRule.summary(breadth)) } }
                                                        rule.field("help") { $0.object { $0.field("text", "Run `keyreach exposure` for the grant and `keyreach who-can` for every path; remove the grant or add the reader to keyreach.yaml with a reason.") } }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        run.field("results") { results in
                            results.array { results in
                                for finding in report.failing {
                                    results.object { r in sarifResult(finding, ruleIndex: rules.firstIndex(of: finding.breadth) ?? 0, &r) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func sarifResult<W: StructuredWriter>(_ finding: CheckFinding, ruleIndex: Int, _ r: inout W) {
        r.field("ruleId", finding.ruleID)
        r.field("ruleIndex", ruleIndex)
        r.field("level", level(finding.severity))
        r.field("message") { $0.object { $0.field("text", finding.message) } }
        r.field("locations") { l in
            l.array { l in
                l.object { l in
                    if let location = finding.location {
                        l.field("physicalLocation") { p in
                            p.object { p in
                                p.field("artifactLocation") { $0.object { $0.field("uri", location.file) } }
                                if let line = location.line {
                                    p.field("region") { $0.object { $0.field("startLine", line) } }
                                }
                            }
                        }
                    }
                    l.field("logicalLocations") { g in
                        g.array { g in
                            if let object = finding.grantingObject {
                                g.object { g in
                                    let name = qualifiedName(namespace: object.namespace, name: object.name)
                                    g.field("name", name)
                                    g.field("fullyQualifiedName", "\(object.kind)/\(name)")
                                    g.field("kind", "resource")
                                }
                            }
                            g.object { g in
                                g.field("name", "\(finding.secret.namespace)/\(finding.secret.name)")
                                g.field("fullyQualifiedName", "Secret/\(finding.secret.namespace)/\(finding.secret.name)")
                                g.field("kind", "resource")
                            }
                        }
                    }
                }
            }
        }
        r.field("partialFingerprints") { $0.object { $0.field("keyreachFinding/v1", finding.fingerprint) } }
        r.field("properties") { p in
            p.object { p in
                p.field("severity", finding.severity.rawValue)
                p.field("keyKind", finding.keyKind.rawValue)
                p.field("verbs", strings: finding.verbs.map(\.rawValue))
            }
        }
    }
}
