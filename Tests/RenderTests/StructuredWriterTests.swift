import Foundation
import Testing
import Yams
@testable import Render

/// A nested value described once, written by any StructuredWriter.
private func describeSample<W: StructuredWriter>(_ w: inout W) {
    w.object { o in
        o.field("verb", "get")
        o.field("count", 3)
        o.field("ok", true)
        o.field("missing", nil as String?)
        o.field("tricky", strings: ["true", "1.0", "*", " lead", "a: b", "", "-x", "line\nbreak", "plain", "quote\"d"])
        o.field("empty") { $0.array { _ in } }
        o.field("emptyObject") { $0.object { _ in } }
        o.field("subjects") { a in
            a.array { a in
                a.object { s in
                    s.field("kind", "ServiceAccount")
                    s.field("via") { v in
                        v.array { v in
                            v.object { p in p.field("rule", 0); p.field("as") { $0.object { $0.field("kind", "Group") } } }
                            v.object { p in p.field("superuser", true) }
                        }
                    }
                }
                a.array { inner in inner.int(1); inner.int(2) }
                a.string("scalar in array")
            }
        }
    }
}

private func expectedValue() -> NSDictionary { [
    "verb": "get", "count": 3, "ok": true, "missing": NSNull(),
    "tricky": ["true", "1.0", "*", " lead", "a: b", "", "-x", "line\nbreak", "plain", "quote\"d"],
    "empty": [Any](), "emptyObject": [String: Any](),
    "subjects": [
        ["kind": "ServiceAccount", "via": [["rule": 0, "as": ["kind": "Group"]], ["superuser": true]]],
        [1, 2],
        "scalar in array",
    ] as [Any],
] as NSDictionary }

@Test func jsonWriterProducesValidJSONWithEscapes() throws {
    var w = JSONWriter()
    describeSample(&w)
    let parsed = try JSONSerialization.jsonObject(with: Data(w.bytes)) as! NSDictionary
    #expect(parsed == expectedValue())
}

@Test func prettyJSONParsesToTheSameValue() throws {
    var w = JSONWriter(pretty: true)
    describeSample(&w)
    #expect(w.text.contains("\n  \"verb\": \"get\""))
    let parsed = try JSONSerialization.jsonObject(with: Data(w.bytes)) as! NSDictionary
    #expect(parsed == expectedValue())
}

@Test func yamlWriterReadsBackAsTheSameValue() throws {
    var w = YAMLWriter()
    describeSample(&w)
    let loaded = try Yams.load(yaml: w.text)
    // Compare through JSON so NSNull / numbers normalise the same way.
    let data = try JSONSerialization.data(withJSONObject: normalise(loaded!))
    let parsed = try JSONSerialization.jsonObject(with: data) as! NSDictionary
    #expect(parsed == expectedValue(), "YAML was:\n\(w.text)")
}

@Test func yamlQuotesStringsThatWouldChangeType() {
    for s in ["true", "no", "1", "0x1f", ".5", "*", "&a", "- x", "a: b", "", " x", "x "] {
        #expect(YAMLWriter.needsQuotes(s), "\(s) must be quoted")
    }
    for s in ["get", "system:serviceaccounts:production", "app-tls", "app.example.com"] {
        #expect(!YAMLWriter.needsQuotes(s), "\(s) reads back as itself")
    }
}

@Test func tableAlignsColumns() {
    var t = TextTable(columns: ["KIND", "NAME"])
    t.append(["ServiceAccount", "production/default"])
    t.append(["Group", "system:masters"])
    #expect(t.render() == "KIND            NAME\nServiceAccount  production/default\nGroup           system:masters\n")
}

private func normalise(_ value: Any) -> Any {
    switch value {
    case let d as [String: Any]: return d.mapValues(normalise)
    case let d as [AnyHashable: Any]:
        return Dictionary(uniqueKeysWithValues: d.map { ("\($0.key)", normalise($0.value)) })
    case let a as [Any]: return a.map(normalise)
    case is NSNull: return NSNull()
    case let v as Int: return v
    case let v as Bool: return v
    case let v as String: return v
    default: return value
    }
}
