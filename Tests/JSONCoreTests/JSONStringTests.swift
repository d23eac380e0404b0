import Foundation
import JSONCore
import Testing

/// The one escaper, unescaper and parser of JSONCore, case by case.
@Suite struct JSONStringTests {
    private func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        JSONString.appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func escapesWhatJSONAndYAMLNeed() {
        #expect(quoted("plain name") == #""plain name""#)
        #expect(quoted("a\"b\\c\n\r\t") == #""a\"b\\c\n\r\t""#)
        #expect(quoted("\u{0}\u{1F}\u{7F}") == #""\u0000\u001f\u007f""#)
        #expect(quoted("x\u{85}y\u{9F}") == #""x\u0085y\u009f""#)
        #expect(quoted("\u{2028}\u{2029}\u{FEFF}\u{FFFE}\u{FFFF}") == #""\u2028\u2029\ufeff\ufffe\uffff""#)
        // Other non-ASCII stays as it is.
        #expect(quoted("café ☃ 😀 \u{A0} \u{2027} \u{FEFE}") == "\"café ☃ 😀 \u{A0} \u{2027} \u{FEFE}\"")
    }

    @Test func parsesWhatItWrites() throws {
        for s in ["", "a", "\u{0}", "\u{2028}x", "😀", "\"\\/", "tab\there"] {
            #expect(try JSONValue.parse(quoted(s)) == .string(s))
        }
        #expect(try JSONValue.parse(#" {"a": [1, -0.5e3, true, null], "b": {}} "#)
                == .object([.init("a", .array([.number("1"), .number("-0.5e3"), .bool(true), .null])), .init("b", .object([]))]))
    }

    @Test(arguments: [#""\ud800\u0041""#, #""\udc00""#, #""\q""#, "1-2-3e+-", "[1,]", "{\"a\" 1}", "\"\u{1}\"", "", "01", "[1] 2"])
    func refusesWithAnOffsetNeverTraps(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
    }

    @Test func unescapeNeverTrapsOnWhatTheScannerWouldRefuse() {
        for raw in [#"\ud800\u0041"#, #"\udc00"#, #"\u12"#, #"\q"#, "\\"] {
            var bytes = Array(raw.utf8)
            _ = bytes.withUnsafeMutableBufferPointer { JSONString.unescape(UnsafeBufferPointer($0)) }
        }
    }

    @Test func plainYAMLScalarsAreThoseThatReadBackAsThemselves() {
        for s in ["get", "system:serviceaccounts:production", "app-tls", "app.example.com", "a b", "/etc/ssl"] {
            #expect(YAMLScalar.isPlainSafe(s), "\(s)")
        }
        for s in ["", "yes", "No", "on", "OFF", "y", "null", "~", "true", "0755", "1e3", ".inf", "-x", "a: b", "a #c",
                  " a", "a ", "a:", "<<", "*", "a\u{2028}b", "a\u{85}", "\u{FEFF}a", "café", "a\tb", "'a", "#a", "a,b"] {
            #expect(!YAMLScalar.isPlainSafe(s), "\(s)")
        }
    }
}
